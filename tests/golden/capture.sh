#!/usr/bin/env bash
# capture.sh — regenerates the golden compiler output from src/ with the installed gcc and clang.
# Run from anywhere; writes gcc/<name>.txt, clang/<name>.txt and gcc-json/<name>.json. Paths in
# the output are relative to src/ (the compilers are run there), so the files are portable.
# The captured files are committed: they are real output of gcc 12.2 and clang 14.0.6 (Debian 12).
set -u
cd "$(dirname "$0")/src"
mkdir -p ../gcc ../clang ../gcc-json
export LC_ALL=C
flags_c="-std=c11 -Wall -Wextra -Werror=implicit-function-declaration -Werror=format -fsyntax-only -fdiagnostics-parseable-fixits"
flags_cxx="-std=c++17 -Wall -Wextra -Wsuggest-override -fsyntax-only -fdiagnostics-parseable-fixits"
find . -name '*.c' -o -name '*.cpp' | sed 's|^\./||' | sort | while read -r f; do
  name=$(echo "$f" | tr ' /' '__')
  name=${name%.*}
  case "$f" in
    *.cpp) gcc=g++; clang=clang++; flags=$flags_cxx ;;
    *) gcc=gcc; clang=clang; flags=$flags_c ;;
  esac
  $gcc $flags "$f" > "../gcc/$name.txt" 2>&1
  $clang $flags "$f" > "../clang/$name.txt" 2>&1
  $gcc ${flags/-fdiagnostics-parseable-fixits/-fdiagnostics-format=json} "$f" > "../gcc-json/$name.json" 2>&1
done
