#!/usr/bin/env bash
# cmake_project.sh — `fix -- cmake --build build` on a CMake project whose flags exist only in
# build/compile_commands.json (a define and an include directory the checks must use), C and C++.
source "$(dirname "$0")/lib.sh"
need git; need cmake; need cc; need c++
P=$WORK/cm
mkdir -p "$P/src" "$P/api"
cat > "$P/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.16)
project(demo C CXX)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
add_executable(demo src/main.c src/extra.cpp)
target_include_directories(demo PRIVATE api)
target_compile_definitions(demo PRIVATE SCALE=3)
target_compile_options(demo PRIVATE $<$<COMPILE_LANGUAGE:C>:-Werror=implicit-function-declaration>)
CM
cat > "$P/api/api.h" <<'H'
#ifdef __cplusplus
extern "C" {
#endif
int scaled(int v);
#ifdef __cplusplus
}
#endif
H
cat > "$P/src/main.c" <<'C'
#include "api.h"

int main(void) {
  int value = scaled(SCALE)
  printf("%d\n", value);
  return value == 9 ? 0 : 1;
}
C
cat > "$P/src/extra.cpp" <<'CXX'
#include "api.h"

struct Holder { int v; };

extern "C" int scaled(int v) {
  Holder h{v};
  Holder *p = &h;
  return p.v * SCALE;
}
CXX
printf 'build/\n' > "$P/.gitignore"
git_init "$P"
cmake -S "$P" -B "$P/build" >/dev/null 2>&1 || { echo "skipping: cmake cannot configure a C/C++ project"; exit 77; }
expect "compile_commands.json exists" [ -f "$P/build/compile_commands.json" ]
out=$("$FIX" -v -C "$P" -- cmake --build build 2>&1); rc=$?
expect "fix -- cmake --build exits 0 (got $rc): $out" [ "$rc" -eq 0 ]
expect "it used the compile database" grep -q "compile commands: .*build/compile_commands.json" <<<"$out"
expect "the program runs correctly" "$P/build/demo"
expect "the C++ fix-it was applied" grep -q "p->v" "$P/src/extra.cpp"

# a build that configures from nothing under fix: CMake's configure probes (TryCompile-*, some of
# them failing on purpose) ran in directories it then deleted, and fix, which had recorded them,
# stopped with "cannot run '/usr/bin/cc'" when it checked one (found on cmark by fix eval mutate)
(cd "$P" && git checkout -q . && rm -rf build)
sed -i 's/p->v \* SCALE/p.v * SCALE/' "$P/src/extra.cpp"
cat >> "$P/CMakeLists.txt" <<'CM'
include(CheckCCompilerFlag)
check_c_compiler_flag(-fno-such-flag-at-all HAVE_NO_SUCH_FLAG)
CM
out=$("$FIX" -v -C "$P" -- sh -c 'cmake -S . -B b > /dev/null && cmake --build b' 2>&1); rc=$?
expect "configure and build under fix: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
expect "... the fix-its applied" bash -c 'grep -q "p->v" "$1/src/extra.cpp" && grep -q "scaled(SCALE);" "$1/src/main.c"' _ "$P"
finish
