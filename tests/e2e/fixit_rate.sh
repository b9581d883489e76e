#!/usr/bin/env bash
# fixit_rate.sh — how many single-mistake C files are repaired by fix-its alone:
#   gcc:   every fix-it gcc offers (notes included), applied with -fdiagnostics-generate-patch;
#   clang: clang -fixit (fix-its of errors and warnings, applied in place);
#   fix:   fix -- gcc ... (gcc's and clang's fix-its, each verified, chained).
# A file counts as repaired when `gcc $FLAGS -c` then succeeds. fix must repair at least as many
# as the better of the two compilers; the figures are printed.
source "$(dirname "$0")/lib.sh"
need gcc; need clang; need patch; need git
FLAGS="-std=c11 -Wall -Werror=implicit-function-declaration"
compiles() { gcc $FLAGS -c "$1" -o "$WORK/probe.o" 2>/dev/null; }
n=0; by_gcc=0; by_clang=0; by_fix=0; both=0
for src in "$HERE"/single/*.c; do
  name=$(basename "$src")
  n=$((n + 1))
  compiles "$src" && { bad "$name compiles before any fix"; continue; }
  # gcc alone
  d=$WORK/gcc-$name; mkdir -p "$d"; cp "$src" "$d/$name"
  (cd "$d" && gcc $FLAGS -fsyntax-only -fdiagnostics-generate-patch "$name" 2>&1 | sed -n '/^--- /,$p' > fix.patch
   [ -s fix.patch ] && patch -s -p0 < fix.patch >/dev/null 2>&1)
  g=0; compiles "$d/$name" && g=1
  # clang alone
  d=$WORK/clang-$name; mkdir -p "$d"; cp "$src" "$d/$name"
  (cd "$d" && clang $FLAGS -fsyntax-only -Xclang -fixit "$name" >/dev/null 2>&1)
  c=0; compiles "$d/$name" && c=1
  # fix
  d=$WORK/fix-$name; mkdir -p "$d"; cp "$src" "$d/$name"; git_init "$d"
  "$FIX" -C "$d" -- gcc $FLAGS -c "$name" -o "$WORK/out.o" >/dev/null 2>&1
  f=0; compiles "$d/$name" && f=1
  by_gcc=$((by_gcc + g)); by_clang=$((by_clang + c)); by_fix=$((by_fix + f))
  [ $g -eq 1 ] && [ $c -eq 1 ] && both=$((both + 1))
  printf '%-22s gcc %d  clang %d  fix %d\n' "$name" $g $c $f
  expect "$name: fix repairs what a compiler's fix-its repair" [ "$f" -ge "$g" -a "$f" -ge "$c" ]
done
printf 'repaired by fix-its alone, of %d single-mistake files: gcc %d (%d%%), clang -fixit %d (%d%%), fix %d (%d%%)\n' \
  $n $by_gcc $((100 * by_gcc / n)) $by_clang $((100 * by_clang / n)) $by_fix $((100 * by_fix / n))
best=$((by_gcc > by_clang ? by_gcc : by_clang))
expect "fix ($by_fix) >= the better compiler ($best)" [ $by_fix -ge $best ]
expect "fix repairs more than either compiler alone" [ $by_fix -gt $best ]
finish
