#!/usr/bin/env bash
# trust.sh — an edit is kept only when a reviewer would accept it, not merely when it compiles:
# a model reply that deletes the function holding the error, empties the file, or compiles with a
# wrong-code warning (int-conversion) is refused and the next, right reply kept; a reply that
# blanks out main() to make its error go away is refused; a call with one argument too many
# after a middle parameter was removed has the right argument dropped where the names say which,
# and is left alone (said) where two drops type-check equally. Real gcc throughout.
source "$(dirname "$0")/lib.sh"
need git; need make; need cc
T=$HERE/trust

fresh() { # fresh NAME: a committed copy of fixture NAME in $WORK/NAME
  rm -rf "$WORK/$1"; cp -r "$T/$1" "$WORK/$1"; git_init "$WORK/$1"
}
lacks() { ! grep -q "$1" <<<"$2"; } # lacks PATTERN TEXT
run() { # run DIR ARGS... -> $out, $rc
  local d=$1; shift
  out=$("$FIX" -v -C "$d" "$@" 2>&1); rc=$?
}

# --- destructive replies, one a model call: each refused with its reason, the right one kept
fresh weighted
FIX_REPAIRS=0 run "$WORK/weighted" --no-fixits --candidates 1 --attempts 4 --replay "$T/weighted-destructive.json" -- make
expect "destructive: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
expect "destructive: the function-deleting reply is refused" grep -q "removes function 'lib_weighted'" <<<"$out"
expect "destructive: the file-emptying reply is refused" grep -q "removes function 'lib_sum'" <<<"$out"
expect "destructive: the int-conversion reply is refused" grep -q "signals wrong code: lib.c:[0-9]*:[0-9]*: warning: .*\[-Wint-conversion\]" <<<"$out"
expect "destructive: both functions are still there" bash -c "grep -q 'int lib_weighted(const int \*v, int n) {' '$WORK/weighted/lib.c' && grep -q 'int lib_sum' '$WORK/weighted/lib.c'"
expect "destructive: the right edit was kept" grep -q "  return total;" "$WORK/weighted/lib.c"
expect "destructive: the program works" make -s -C "$WORK/weighted" check
expect "destructive: four model calls" grep -q "model: 4 calls" <<<"$out"

# --- a reply that replaces main's head and its error by 1,800 blank lines: the error is gone and
# a new one appears in the same file (the provisional keep for exposed errors), but main is gone
P=$WORK/blank; mkdir -p "$P"
printf '#include <stdio.h>\n\nint main(int argc, char **argv) {\n  (void)argv;\n  return cout - argc;\n}\n' > "$P/main.c"
printf 'app: main.c\n\t$(CC) -Wall -o app main.c\n' > "$P/Makefile"
git_init "$P"
python3 - "$WORK/blank.json" <<'PY'
import json, sys
blank = "\n" * 1800
rep = "main.c\n<<<<<<< SEARCH\nint main(int argc, char **argv) {\n  (void)argv;\n  return cout - argc;\n=======\n" + blank + ">>>>>>> REPLACE\n"
json.dump({"replies": [rep, rep, rep]}, open(sys.argv[1], "w"))
PY
before=$(tree_hash "$P")
FIX_REPAIRS=0 run "$P" --no-fixits --candidates 1 --attempts 1 --replay "$WORK/blank.json" -- make
expect "blank lines: the build still fails (got $rc)" [ "$rc" -eq 1 ]
expect "blank lines: refused for removing main" grep -q "removes function 'main'" <<<"$out"
expect "blank lines: main.c is as it was" [ "$(tree_hash "$P")" = "$before" ]
expect "blank lines: never kept, even provisionally" lacks "model candidate 1 of 1" "$out"

# --- a middle parameter removed (header and definition), callers left with four arguments
fresh emit
run "$WORK/emit" --backend none -- make
expect "arity: the build still fails (got $rc)" [ "$rc" -eq 1 ]
expect "arity: report.c drops the argument the names say (flags)" grep -q "emit_line(depth + 1, out, name);" "$WORK/emit/report.c"
expect "arity: main.c's call, where two drops type-check, is left as it was" grep -q 'emit_line(0, 1, stdout, "start");' "$WORK/emit/main.c"
expect "arity: and that is said" grep -q "main.c:5:.*left alone: 2 repairs compile cleanly" <<<"$out"
expect "arity: no wrong call anywhere" bash -c "! grep -Eq 'emit_line\((0, 1, stdout|0, 0, stdout|flags, out, name|depth \+ 1, flags, out)\)' '$WORK/emit/'*.c"
# the developer's choice made by hand: the build passes and the program is right
sed -i 's/emit_line(0, 1, stdout, "start")/emit_line(0, stdout, "start")/' "$WORK/emit/main.c"
expect "arity: with main.c's call done by hand, the program is right" make -s -C "$WORK/emit" check
# --- mid-refactor through to the link: a parameter removed (one caller left with the old count)
# and a definition misspelled; the right argument is dropped (its name names no parameter; the
# caller's own parameter left unused is no reason against it), the link errors the build shows
# once it compiles are not held against that edit, and the definition is renamed to what its
# callers use
fresh chain
run "$WORK/chain" --backend none -- make
expect "chain: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
expect "chain: the length argument dropped" grep -q 'return escape(src, 1);' "$WORK/chain/util.c"
expect "chain: the definition renamed to its callers' name" grep -q '^int count_truncate(int n)' "$WORK/chain/lib.c"
expect "chain: the program is right" make -s -C "$WORK/chain" check
# --- a link error for the model: a function renamed in its header and definition, a caller left
# with the old name (C's implicit declaration lets it compile); no -g, so the linker names only the
# object: the error is placed at the call, the model's edit judged by rebuilding
P=$WORK/renamed; mkdir -p "$P"
printf 'int sum_values(const int *v, int n);\n' > "$P/calc.h"
printf '#include "calc.h"\nint sum_values(const int *v, int n) {\n  int t = 0;\n  for (int i = 0; i < n; i++)\n    t += v[i];\n  return t;\n}\n' > "$P/calc.c"
printf '#include <stdio.h>\n\nint main(void) {\n  int v[] = {1, 2, 3};\n  printf("%%d\\n", compute_total(v, 3));\n  return 0;\n}\n' > "$P/main.c"
printf 'app: main.o calc.o\n\t$(CC) -o app main.o calc.o\ncheck: app\n\ttest "$$(./app)" = 6\n' > "$P/Makefile"
git_init "$P"
python3 - "$WORK/renamed.json" <<'PY'
import json, sys
r = ('main.c\n<<<<<<< SEARCH\n#include <stdio.h>\n\nint main(void) {\n=======\n#include <stdio.h>\n\n#include "calc.h"\n\n'
     'int main(void) {\n>>>>>>> REPLACE\n\nmain.c\n<<<<<<< SEARCH\n  printf("%d\\n", compute_total(v, 3));\n=======\n'
     '  printf("%d\\n", sum_values(v, 3));\n>>>>>>> REPLACE\n')
json.dump({"replies": [r]}, open(sys.argv[1], "w"))
PY
FIX_REPAIRS=0 run "$P" --no-fixits --candidates 1 --replay "$WORK/renamed.json" -- make
expect "link, model: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
expect "link, model: the error placed at the call" grep -q "main.c:5: undefined reference to 'compute_total'" <<<"$out"
expect "link, model: the program is right" make -s -C "$P" check
# --- what fix cannot edit, it names: a library the link needs (-lm for pow), a header that is in
# the project but not on the include path; the build files stay as they are
P=$WORK/env; mkdir -p "$P/src/houdini"
printf '#include <math.h>\n#include <stdio.h>\n\nint main(int argc, char **argv) {\n  (void)argv;\n  printf("%%f\\n", pow(argc * 1.5, 2.5));\n  return 0;\n}\n' > "$P/main.c"
printf 'CFLAGS = -Wall\napp: main.o\n\t$(CC) -o app main.o\n' > "$P/Makefile"
git_init "$P"
run "$P" --backend none -- make
expect "env: the build still fails (got $rc)" [ "$rc" -eq 1 ]
expect "env: -lm named, and where it goes" grep -q "undefined reference to 'pow': it is in libm.*add -lm with LDLIBS += -lm in the Makefile.*fix does not edit build files" <<<"$out"
expect "env: the summary says the build needs it" grep -q "needs a change to the build itself" <<<"$out"
expect "env: the Makefile untouched" git -C "$P" diff --quiet
P=$WORK/hdr; mkdir -p "$P/src/houdini"
printf 'int escape(int c);\n' > "$P/src/houdini/escape.h"
printf '#include "houdini/escape.h"\nint escape(int c) { return c; }\nint main(void) { return escape(0); }\n' > "$P/main.c"
printf 'app: main.c\n\t$(CC) -o app main.c\n' > "$P/Makefile"
git_init "$P"
run "$P" --backend none -- make
expect "header: where it is, and the flag" grep -q "houdini/escape.h is not on the include path: the project has it under src/; add -Isrc" <<<"$out"

# --- the summary counts a last build when the session stops on --max-iterations after a step no
# build has seen (three calls with an extra argument, one repaired an iteration)
P=$WORK/iter; mkdir -p "$P"
printf 'static int twice(int x) { return 2 * x; }\nint a(void) { return twice(1, "a"); }\nint b(void) { return twice(2, "b"); }\n'\
'int c(void) { return twice(3, "c"); }\nint main(void) { return a() + b() + c() - 12; }\n' > "$P/main.c"
printf 'app: main.c\n\t$(CC) -Wall -o app main.c\n' > "$P/Makefile"
git_init "$P"
run "$P" --backend none --max-iterations 1 -- make
expect "iterations: stopped, and said a last build counts" grep -q "stopping after 1 iterations (--max-iterations); a last build counts what is left" <<<"$out"
expect "iterations: the summary is the last build's (3 -> 1)" grep -q "summary: build still fails; errors 3 -> 1;" <<<"$out"
# --- a file compiled twice (two programs) reports its error twice: it counts once
P=$WORK/twice; mkdir -p "$P"
printf 'int main(void) {\n  return undeclared_thing;\n}\n' > "$P/main.c"
printf 'all: one two\none: main.c\n\t$(CC) -o one main.c\ntwo: main.c\n\t$(CC) -DTWO -o two main.c\n' > "$P/Makefile"
git_init "$P"
run "$P" --backend none -- make
expect "twice: one error, not two" grep -q "build failed with exit code 2: 1 error" <<<"$out"
finish
