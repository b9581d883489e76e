#!/usr/bin/env bash
# build_shapes.sh — fix in front of builds that print no compiler commands (interception), with
# real build tools: CMake's default generator without a compile database, automake-style silent
# rules, a script in a subdirectory calling gcc, meson + ninja, make -k over several failing
# files in a subdirectory, a Makefile and a script calling rustc directly, cargo with a build.rs
# compiling a broken C file; and `fix compdb` on each (the database's flags are the compiler's).
source "$(dirname "$0")/lib.sh"
need git; need make; need cc; need python3
S=$HERE/shapes
fresh() { rm -rf "$WORK/$1"; cp -r "$S/$1" "$WORK/$1"; git_init "$WORK/$1"; }
run() { local d=$1; shift; out=$("$FIX" -C "$d" --backend none "$@" 2>&1 </dev/null); rc=$?; }
# compdb_has DB FILE-SUFFIX FLAG: the entry for FILE has FLAG among its arguments
compdb_has() {
  python3 - "$@" <<'PY'
import json, sys
db, suffix, flag = sys.argv[1], sys.argv[2], sys.argv[3]
for e in json.load(open(db)):
    if e["file"].endswith(suffix) and flag in e["arguments"]:
        sys.exit(0)
sys.exit(1)
PY
}

# 1. CMake, Unix Makefiles (its default), no compile_commands.json; flags only in CMakeLists.txt
if command -v cmake >/dev/null; then
  fresh cmake_make
  cmake -S "$WORK/cmake_make" -B "$WORK/cmake_make/build" -G "Unix Makefiles" >/dev/null 2>&1
  expect "cmake: no compile database" [ ! -f "$WORK/cmake_make/build/compile_commands.json" ]
  run "$WORK/cmake_make" -- cmake --build build
  expect "cmake: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
  expect "cmake: -k added on the first line" bash -c "head -1 <<<\"\$1\" | grep -q \"'-- -k' added\"" _ "$out"
  expect "cmake: gcc's fix-it for scale_valeu applied" grep -q "scale_value(4)" "$WORK/cmake_make/src/main.c"
  expect "cmake: the C++ file's fix-it too (-k showed it)" grep -q "p->v" "$WORK/cmake_make/src/extra.cpp"
  expect "cmake: the program works" "$WORK/cmake_make/build/demo"
  # fix compdb: the same build, recorded
  fresh cmake_make
  cmake -S "$WORK/cmake_make" -B "$WORK/cmake_make/build" -G "Unix Makefiles" >/dev/null 2>&1
  (cd "$WORK/cmake_make" && "$FIX" compdb -- cmake --build build >/dev/null 2>&1); rc=$?
  expect "cmake compdb: the build's exit status (got $rc)" [ "$rc" -eq 2 ]
  db=$WORK/cmake_make/compile_commands.json
  expect "cmake compdb: written" [ -f "$db" ]
  expect "cmake compdb: -DSCALE=3 for main.c" compdb_has "$db" src/main.c -DSCALE=3
  expect "cmake compdb: the -Werror flag" compdb_has "$db" src/main.c -Werror=implicit-function-declaration
  expect "cmake compdb: extra.cpp, with its include directory" compdb_has "$db" src/extra.cpp "-I$WORK/cmake_make/api"
fi

# 2. automake-style silent rules: make prints "  CC main.o", never the command
fresh silent
run "$WORK/silent" -- make
expect "silent: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
expect "silent: the fix-it used the -D flag's value (the check compiled with -DLIMIT=10)" grep -q "count_items" "$WORK/silent/src/main.c"
expect "silent: the program works" make -s -C "$WORK/silent" check
fresh silent
(cd "$WORK/silent" && "$FIX" compdb -o "$WORK/silent.json" -- make >/dev/null 2>&1)
expect "silent compdb: -DLIMIT=10" compdb_has "$WORK/silent.json" src/main.c -DLIMIT=10

# 3. a script in a subdirectory calling gcc with -I and -D, echoing nothing
fresh script
run "$WORK/script" -- sh tools/build.sh
expect "script: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
expect "script: the include gcc suggested was added" grep -q "#include <string.h>" "$WORK/script/lib/text.c"
expect "script: no guess was needed" bash -c "! grep -q 'with a guess' <<<\"\$1\"" _ "$out"
fresh script
(cd "$WORK/script" && "$FIX" compdb -- sh tools/build.sh >/dev/null 2>&1)
expect "script compdb: -DGREETING" compdb_has "$WORK/script/compile_commands.json" lib/text.c '-DGREETING="hi"'
expect "script compdb: the include directory" compdb_has "$WORK/script/compile_commands.json" lib/text.c -Iinclude

# 4. meson + ninja: paths relative to the build directory (../src/main.c)
if command -v meson >/dev/null && command -v ninja >/dev/null; then
  fresh mesonp
  (cd "$WORK/mesonp" && meson setup build >/dev/null 2>&1)
  rm -f "$WORK/mesonp/build/compile_commands.json" # meson writes one; interception must not need it
  run "$WORK/mesonp" -- ninja -C build
  expect "meson: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
  expect "meson: -k 0 added" grep -q "'-k 0' added" <<<"$out"
  expect "meson: both files repaired" bash -c "grep -q 'total_of' '$WORK/mesonp/src/main.c' && grep -q 'return sum;' '$WORK/mesonp/src/sum.c'"
  fresh mesonp
  (cd "$WORK/mesonp" && meson setup build >/dev/null 2>&1 && rm -f build/compile_commands.json)
  (cd "$WORK/mesonp" && "$FIX" compdb -o build/cc.json -- ninja -C build >/dev/null 2>&1)
  expect "meson compdb: -DMODE=2" compdb_has "$WORK/mesonp/build/cc.json" src/main.c -DMODE=2
fi

# 5. a top-level Makefile recursing into src/ (Lua's shape): five mistakes in five files, make
#    stops at the first unless -k; paths are relative to src/
fresh recursive
run "$WORK/recursive" -- make
expect "recursive: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
expect "recursive: all five files were fixed in the first pass" grep -q "errors 5 -> 0\|build failed with exit code 2: 5 errors" <<<"$out"
expect "recursive: the program works" "$WORK/recursive/src/app"

# 6. a Makefile calling rustc directly (human-readable output)
if command -v rustc >/dev/null; then
  export CARGO_TERM_COLOR=never
  fresh rustc_make
  run "$WORK/rustc_make" -- make
  expect "rustc make: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
  expect "rustc make: rustc's JSON was read again" grep -q "reading crate main.rs again" <<<"$out"
  expect "rustc make: the suggestions were applied" bash -c "grep -q 'let mut total' '$WORK/rustc_make/main.rs'"
  expect "rustc make: the program works" bash -c "cd '$WORK/rustc_make' && ./app | grep -q 'total 6'"
  # without the JSON re-run the model path still gets the errors: the human parse
  fresh rustc_make
  out=$("$FIX" -C "$WORK/rustc_make" --no-fixits --backend none -- make 2>&1); rc=$?
  expect "rustc make (no fix-its): the error is reported, not 'no diagnostic' (got $rc)" bash -c "[ $rc -eq 1 ] && ! grep -q 'found no compiler diagnostic' <<<\"\$1\"" _ "$out"

  # 7. a script calling rustc with --edition, --cfg and --crate-type: the check needs them all
  fresh rustc_flags
  run "$WORK/rustc_flags" -- sh build.sh
  expect "rustc flags: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
  expect "rustc flags: the error under cfg(fast) was fixed" grep -q "fn speed() -> u32 { BASE \* 2 }" "$WORK/rustc_flags/src/lib.rs"
  expect "rustc flags: the check reproduced the build" bash -c "! grep -q 'does not reproduce' <<<\"\$1\"" _ "$out"
fi

# 8. cargo with a build.rs compiling a broken C file (its errors indented inside cargo's output)
if command -v cargo >/dev/null; then
  fresh cargo_buildrs
  run "$WORK/cargo_buildrs" -- cargo build --offline
  expect "build.rs: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
  expect "build.rs: the C file was repaired" grep -q "return sum;" "$WORK/cargo_buildrs/native/add.c"
  fresh cargo_buildrs
  (cd "$WORK/cargo_buildrs" && "$FIX" compdb -o cc.json -- cargo build --offline >/dev/null 2>&1)
  expect "build.rs compdb: the C file, compiled by the build script" compdb_has "$WORK/cargo_buildrs/cc.json" native/add.c -O1
fi
finish
