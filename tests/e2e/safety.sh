#!/usr/bin/env bash
# safety.sh — interruptions and hostile input: SIGINT/SIGTERM mid-session restore every file and
# exit 130 with the build's whole process group stopped; an edit can never land outside the
# project root, even through a symlink.
source "$(dirname "$0")/lib.sh"
need git; need make; need cc

# A project whose first build fails on a fix-it-able error, and whose later builds (once main.c
# differs from the commit, i.e. after fix edited it) hang in a uniquely named sleep.
mkproj() {
  mkdir -p "$1"
  cat > "$1/Makefile" <<'MK'
app: main.c
	@if ! git diff --quiet -- main.c; then echo "slow build"; exec sleep 31.7; fi
	$(CC) -Wall -o app main.c
MK
  printf 'int main(void) {\n  int x = 1\n  return x - 1;\n}\n' > "$1/main.c"
  git_init "$1"
}

wait_for() { # wait_for SECONDS COMMAND...: polls until COMMAND succeeds
  local end=$((SECONDS + $1)); shift
  while [ $SECONDS -lt $end ]; do "$@" && return 0; sleep 0.05; done
  return 1
}
edited() { ! git -C "$1" diff --quiet -- main.c; }
no_sleeper() { ! pgrep -f "sleep 31.7" >/dev/null; }

for sig in INT TERM; do
  P=$WORK/proj-$sig; mkproj "$P"
  before=$(tree_hash "$P")
  "$FIX" -C "$P" -- make >"$WORK/out-$sig" 2>&1 &
  pid=$!
  expect "SIG$sig: fix edited main.c and started the slow rebuild" wait_for 30 edited "$P"
  wait_for 10 pgrep -f "sleep 31.7" >/dev/null
  kill -"$sig" "$pid"
  wait "$pid"; rc=$?
  expect "SIG$sig: exit code 130 (got $rc)" [ "$rc" -eq 130 ]
  expect "SIG$sig: every file restored" [ "$(tree_hash "$P")" = "$before" ]
  expect "SIG$sig: the build's process group was stopped" wait_for 5 no_sleeper
  expect "SIG$sig: says it restored the files" grep -q "restored every file" "$WORK/out-$sig"
done

# an interruption during the very first build: nothing was edited, still 130
P=$WORK/first; mkdir -p "$P"
printf 'all:\n\texec sleep 31.7\n' > "$P/Makefile"; git_init "$P"
"$FIX" -C "$P" -- make >/dev/null 2>&1 &
pid=$!
wait_for 10 pgrep -f "sleep 31.7" >/dev/null
kill -INT "$pid"; wait "$pid"; rc=$?
expect "interrupt during the first build exits 130 (got $rc)" [ "$rc" -eq 130 ]
expect "and stops it" wait_for 5 no_sleeper

# a fix-it pointing outside the project (through a symlinked header) is never applied
P=$WORK/contain; O=$WORK/outside; mkdir -p "$P" "$O"
printf 'struct s { int a; };\nstatic inline int get(struct s *p) { return p.a; }\n' > "$O/ext.h"
ln -s "$O" "$P/vendor"
printf '#include "vendor/ext.h"\nint main(void) { return 0; }\n' > "$P/main.c"
printf 'app: main.c\n\t$(CC) -o app main.c\n' > "$P/Makefile"
git_init "$P"
ext=$(sha256sum "$O/ext.h")
out=$("$FIX" -C "$P" -- make 2>&1); rc=$?
expect "the file outside the root is untouched" [ "$(sha256sum "$O/ext.h")" = "$ext" ]
expect "and the build still fails (got $rc)" [ "$rc" -eq 1 ]
finish
