#!/usr/bin/env bash
# fixit_session.sh — `fix -- make` on a multi-file C project whose errors clang's fix-its repair
# (the project itself builds with gcc); then undo, dry-run, refusals, JSON events, exit codes.
source "$(dirname "$0")/lib.sh"
need git; need make; need cc

mkproj() { # mkproj DIR
  mkdir -p "$1/include" "$1/src"
  cat > "$1/Makefile" <<'MK'
CFLAGS = -Wall -Werror=implicit-function-declaration -Iinclude
OBJ = src/main.o src/shapes.o src/report.o
app: $(OBJ)
	$(CC) -o $@ $(OBJ)
check: app
	./app
clean:
	rm -f app $(OBJ)
MK
  printf 'app\n*.o\n' > "$1/.gitignore"
  cat > "$1/include/shapes.h" <<'H'
#ifndef SHAPES_H
#define SHAPES_H
struct rect {
  int w;
  int h
};
int area(const struct rect *r);
void report(const char *name, int value);
#endif
H
  cat > "$1/src/main.c" <<'C'
#include "shapes.h"

int main(void) {
  struct rect r = {3, 4};
  struct rect *p = &r;
  int total = area(&r) + p.w
  report("total", total);
  return total == 15 ? 0 : 1;
}
C
  cat > "$1/src/shapes.c" <<'C'
#include "shapes.h"

int area(const struct rect *r) {
  int result = r->w * r->h;
  return reslt;
}
C
  cat > "$1/src/report.c" <<'C'
#include "shapes.h"

void report(const char *name, int value) {
  printf("%s = %d\n", name, value);
}
C
}

# 1. the main job: errors in a header and three sources, make with gcc; ends with a passing build
P=$WORK/proj
mkproj "$P"; git_init "$P"
before=$(tree_hash "$P")
out=$("$FIX" -C "$P" -- make 2>&1); rc=$?
expect "fix -- make exits 0 (got $rc): $out" [ "$rc" -eq 0 ]
expect "the project now builds and runs" make -s -C "$P" check
expect "the session summary is printed" grep -q "summary: build passes" <<<"$out"
expect "a header fix-it was applied" grep -q "include/shapes.h" <<<"$out"
after=$(tree_hash "$P")
expect "files were changed" [ "$before" != "$after" ]

# 2. undo restores every byte
make -s -C "$P" clean
out=$("$FIX" undo -C "$P" 2>&1); rc=$?
expect "fix undo exits 0 (got $rc): $out" [ "$rc" -eq 0 ]
expect "fix undo restored every byte" [ "$(tree_hash "$P")" = "$before" ]
expect "git sees no change after undo" [ -z "$(cd "$P" && git status --porcelain)" ]
out=$("$FIX" undo -C "$P" 2>&1); rc=$?
expect "a second undo is refused (got $rc)" [ "$rc" -eq 2 ]

# 3. undo refuses when the user edited a file after fix
"$FIX" -C "$P" -- make >/dev/null 2>&1
echo "/* mine */" >> "$P/src/shapes.c"
out=$("$FIX" undo -C "$P" 2>&1); rc=$?
expect "undo refuses over a later user edit (got $rc)" [ "$rc" -eq 1 ]
expect "the refusal names the file" grep -q "shapes.c was changed after fix edited it" <<<"$out"
"$FIX" undo -C "$P" --force >/dev/null 2>&1
expect "undo --force restores the originals" [ "$(tree_hash "$P")" = "$before" ]
make -s -C "$P" clean

# 4. dry run: nothing changes, the edits are printed as a unified diff
out=$("$FIX" --dry-run -C "$P" -- make 2>/dev/null); rc=$?
expect "dry run exits 0 (got $rc)" [ "$rc" -eq 0 ]
expect "dry run leaves the tree untouched" [ "$(tree_hash "$P")" = "$before" ]
expect "dry run prints a diff of main.c" grep -q '^+++ b/src/main.c' <<<"$out"
expect "dry run prints the ';' fix" grep -q '^+  int h;' <<<"$out"
expect "piped dry-run output has no colour codes" bash -c "! grep -q $'\033' <<<\"\$1\"" _ "$out"
expect "no journal was written by the dry run" [ "$("$FIX" undo -C "$P" 2>&1 | grep -c 'already undone')" = 1 ]

# 5. with --no-dirty a dirty file is skipped with a notice (the others are repaired); when it is all
# that is left to fix, the session is refused (exit 2). By default fix edits it, says so once, and
# `fix undo` gives the developer's uncommitted text back exactly
echo "// local change" >> "$P/src/main.c"
dirty=$(sha256sum "$P/src/main.c")
out=$("$FIX" --no-dirty -C "$P" -- make 2>&1); rc=$?
expect "--no-dirty: the session goes on, exit 1 (got $rc): $out" [ "$rc" -eq 1 ]
expect "--no-dirty: the skip explains itself" grep -q "skipping src/main.c: it has uncommitted changes.*its errors are left alone" <<<"$out"
expect "--no-dirty: untouched" [ "$(sha256sum "$P/src/main.c")" = "$dirty" ]
expect "--no-dirty: the other files were repaired" bash -c "cd '$P' && ! git diff --quiet -- src/shapes.c include/shapes.h"
out=$("$FIX" --no-dirty -C "$P" -- make 2>&1); rc=$?
expect "--no-dirty, dirty file alone left: refused with exit 2 (got $rc): $out" [ "$rc" -eq 2 ]
expect "--no-dirty, dirty file alone left: the refusal explains itself" grep -q "error: refusing to edit .*main.c: it has uncommitted changes" <<<"$out"
expect "--no-dirty, dirty file alone left: untouched" [ "$(sha256sum "$P/src/main.c")" = "$dirty" ]
out=$("$FIX" -C "$P" -- make 2>&1); rc=$?
expect "dirty file repaired by default (got $rc): $out" [ "$rc" -eq 0 ]
expect "dirty file: said once, with the way back" \
  [ "$(grep -c "edited 1 file with uncommitted changes (src/main.c).*'fix undo' gives it back" <<<"$out")" -eq 1 ]
out=$("$FIX" undo -C "$P" 2>&1); rc=$?
expect "undo gives the uncommitted text back exactly (got $rc): $out" [ "$(sha256sum "$P/src/main.c")" = "$dirty" ]
(cd "$P" && git checkout -q . && make -s clean)

# 6. not under version control
N=$WORK/novcs; mkproj "$N"
out=$("$FIX" -C "$N" -- make 2>&1); rc=$?
expect "no VCS refused with exit 2 (got $rc)" [ "$rc" -eq 2 ]
expect "the refusal names --allow-no-vcs" grep -q -- "--allow-no-vcs" <<<"$out"
out=$("$FIX" --allow-no-vcs -C "$N" -- make 2>&1); rc=$?
expect "--allow-no-vcs repairs it (got $rc)" [ "$rc" -eq 0 ]

# 7. JSON events: one object per line on stdout, build output on stderr
J=$WORK/json; mkproj "$J"; git_init "$J"
"$FIX" --json -C "$J" -- make >"$WORK/events" 2>"$WORK/stderr"; rc=$?
expect "--json run exits 0 (got $rc)" [ "$rc" -eq 0 ]
if command -v node >/dev/null; then
  expect "every stdout line is a JSON event" node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
    const kinds = lines.map(l => JSON.parse(l).event);
    for (const k of ["build_started", "build_finished", "diagnostic", "edit_applied", "summary"])
      if (!kinds.includes(k)) throw new Error("missing " + k);
    const s = JSON.parse(lines[lines.length - 1]);
    if (s.event !== "summary" || s.exit_code !== 0 || s.errors_final !== 0) throw new Error("bad summary");' "$WORK/events"
fi
expect "the build's output went to stderr" grep -q "error:" "$WORK/stderr"

# 8. a passing build: exit 0, nothing touched, no journal
(cd "$J" && git add -A && git -c user.email=t@t -c user.name=t commit -qm fixed)
rm -rf "$XDG_STATE_HOME"
out=$("$FIX" -C "$J" -- make 2>&1); rc=$?
expect "passing build exits 0 (got $rc)" [ "$rc" -eq 0 ]
expect "says the build passed" grep -q "build passed" <<<"$out"
expect "no journal for a passing build (only the project's lock file)" \
  [ -z "$(find "$XDG_STATE_HOME" -name journal.json -o -name orig 2>/dev/null)" ]

# 9. an error no fix-it repairs: exit 1, the fix-its that helped are kept
U=$WORK/unfixable; mkproj "$U"
sed -i 's/return reslt;/return result.value;/' "$U/src/shapes.c"
git_init "$U"
out=$("$FIX" -C "$U" -- make 2>&1); rc=$?
expect "unfixable error exits 1 (got $rc)" [ "$rc" -eq 1 ]
expect "reports what is left" grep -q "no compiler fix-it improves" <<<"$out"
expect "the improving fix-its were kept" grep -q "p->w;" "$U/src/main.c"

# 10. --no-fixits, a missing command, usage errors, config, help
(cd "$U" && git checkout -q .)
out=$("$FIX" --no-fixits --no-repairs -C "$U" -- make 2>&1); rc=$?
expect "--no-fixits exits 1 (got $rc)" [ "$rc" -eq 1 ]
expect "--no-fixits changes nothing" [ -z "$(cd "$U" && git status --porcelain)" ]
out=$("$FIX" -C "$U" -- no-such-build-tool 2>&1); rc=$?
expect "a missing build command is exit 2 (got $rc)" [ "$rc" -eq 2 ]
expect "and says which" grep -q "no-such-build-tool" <<<"$out"
"$FIX" --bogus -- make >/dev/null 2>&1; rc=$?
expect "unknown option is exit 2 (got $rc)" [ "$rc" -eq 2 ]
"$FIX" --max-iterations=lots -- true >/dev/null 2>&1; rc=$?
expect "bad option value is exit 2 (got $rc)" [ "$rc" -eq 2 ]
echo '{"max_iterations": 3}' > "$U/.fix.json"
out=$(FIX_CANDIDATES=5 "$FIX" config -C "$U" 2>&1)
expect "fix config shows the project setting and its source" grep -Eq 'max_iterations += 3 +# project config' <<<"$out"
expect "fix config shows the environment setting" grep -Eq 'candidates += 5 +# environment' <<<"$out"
expect "fix --help documents the exit codes" bash -c "'$FIX' --help | grep -q '130  interrupted'"

# 11. repairs no compiler offers (fix's own, no model): a missing #include, a misspelled member, a
# local never declared, an extra argument; with a replay backend the model is never asked
R=$WORK/repairs; mkdir -p "$R"
cat > "$R/vec.h" <<'H'
#ifndef VEC_H
#define VEC_H
struct vec {
  int *data;
  unsigned length;
};
unsigned vec_len(const struct vec *v);
#endif
H
cat > "$R/vec.c" <<'C'
#include "vec.h"
unsigned vec_len(const struct vec *v) { return v->lenght; }
C
cat > "$R/main.c" <<'C'
#include <stdio.h>
#include "vec.h"

static int twice(int x) { return 2 * x; }

int main(void) {
  struct vec v = {0, 3};
  char name[] = "abc";
  for (int i = 0; i < 1; i++) {
    c = name[i];
    printf("%c %zu %u %d\n", c, strlen(name), vec_len(&v), twice(2, name));
  }
  return 0;
}
C
printf 'app: main.c vec.c vec.h\n\t$(CC) -std=c11 -Wall -Werror -o app main.c vec.c\n' > "$R/Makefile"
printf 'app\n' > "$R/.gitignore"
git_init "$R"
echo '{"replies": ["no edit here"]}' > "$WORK/never.json"
out=$("$FIX" --json -C "$R" --replay "$WORK/never.json" -- make 2>/dev/null); rc=$?
expect "repairs: the build passes, exit 0 (got $rc)" [ "$rc" -eq 0 ]
expect "repairs: the program runs" bash -c "'$R/app' | grep -qx 'a 3 3 4'"
expect "repairs: the model was never asked" grep -q '"model_calls":0' <<<"$(tr -d ' \t' <<<"$out")"
expect "repairs: reported as their own kind" grep -q '"kind":"repair"' <<<"$(tr -d ' \t' <<<"$out")"
expect "repairs: the include in the include block" grep -qx '#include <string.h>' "$R/main.c"
expect "repairs: the member" grep -q 'v->length' "$R/vec.c"
expect "repairs: the local declared with its type" grep -q 'char c = name\[i\]' "$R/main.c"
expect "repairs: the extra argument dropped" grep -q 'twice(2))' "$R/main.c"
out=$("$FIX" undo -C "$R" 2>&1)
expect "repairs: undo restores every file" [ -z "$(cd "$R" && git status --porcelain)" ]
# all sites at once: 300 missing ';' in one file are one set of fix-its, checked together (they took a
# check each after clang's first 20 errors: 232 checks, 29 s; 10,000 took 6 minutes in the merge alone)
M=$WORK/many; mkdir -p "$M"
python3 -c "
import sys
sys.stdout.write(''.join('int f%d(int x) {\n  int y = x + %d\n  return y;\n}\n' % (i, i) for i in range(300)))" > "$M/big.c"
printf 'big.o: big.c\n\tcc -c big.c\n' > "$M/Makefile"
git_init "$M"
out=$("$FIX" --backend none -C "$M" -- make 2>&1); rc=$?
checks=$(sed -nE 's/.* ([0-9]+) checks? .*/\1/p' <<<"$out" | tail -1)
expect "300 missing ';': repaired (got $rc)" [ "$rc" -eq 0 ]
expect "300 missing ';': checked together, not one by one (${checks:-?} checks)" [ "${checks:-999}" -le 4 ]
# make -s hides make's "Entering directory", and a fix with no preload beside it cannot see where a
# compiler ran: a file the diagnostics name relative to a subdirectory is found below the build's
# directory when exactly one file has that path (lua's `make -s posix` builds in src/)
S=$WORK/silent; mkdir -p "$S/src" "$WORK/bare"
printf 'posix:\n\t@$(MAKE) -C src\n' > "$S/Makefile"
printf 'app: main.o\n\t$(CC) -o app main.o\n' > "$S/src/Makefile"
printf 'struct st { int status; };\nint main(void) {\n  struct st s = {0};\n  return s.sttaus;\n}\n' > "$S/src/main.c"
git_init "$S"
cp "$FIX" "$WORK/bare/fix"
out=$("$WORK/bare/fix" --backend none -C "$S" -- make -s 2>&1); rc=$?
expect "make -s, no preload: the file is found in src/ and repaired (got $rc): $(tail -3 <<<"$out")" \
  bash -c '[ "$1" -eq 0 ] && grep -q "return s.status;" "$2/src/main.c"' _ "$rc" "$S"
finish
