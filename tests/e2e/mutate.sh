#!/usr/bin/env bash
# mutate.sh — `fix eval mutate` (issue 27): the same seed makes the same cases; a tree whose build
# fails is refused; nothing is written outside the scratch directory and Ctrl-C leaves nothing
# behind; a replayed reply that deletes the function is not a repair; shards merge to the full run.
source "$(dirname "$0")/lib.sh"
need make; need cc; need python3
export TMPDIR=$WORK/tmp; mkdir -p "$TMPDIR"
P=$WORK/p; mkdir -p "$P"
cat > "$P/vec.h" <<'C'
#ifndef VEC_H
#define VEC_H
struct vec { int *data; int count; int capacity; };
int vec_push(struct vec *v, int x);
int vec_sum(const struct vec *v);
#endif
C
cat > "$P/vec.c" <<'C'
#include <stdlib.h>
#include "vec.h"

int vec_push(struct vec *v, int x) {
  if (v->count == v->capacity) {
    int capacity = v->capacity ? v->capacity * 2 : 4;
    int *grown = realloc(v->data, (size_t)capacity * sizeof *grown);
    if (!grown)
      return -1;
    v->data = grown;
    v->capacity = capacity;
  }
  v->data[v->count++] = x;
  return 0;
}

int vec_sum(const struct vec *v) {
  int total = 0;
  for (int i = 0; i < v->count; i++)
    total += v->data[i];
  return total;
}
C
cat > "$P/main.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include "vec.h"

static int scale(int value, int factor) {
  int scaled = value * factor;
  return scaled;
}

int main(void) {
  struct vec numbers = {0};
  for (int i = 1; i <= 4; i++)
    vec_push(&numbers, scale(i, 2));
  int total = vec_sum(&numbers);
  printf("%d\n", total);
  free(numbers.data);
  return total == 20 ? 0 : 1;
}
C
printf 'CFLAGS = -Wall -Werror=implicit-function-declaration\napp: main.o vec.o\n\t$(CC) -o $@ main.o vec.o\n' > "$P/Makefile"
tree() { (cd "$P" && find . -type f | sort | xargs sha256sum); }
before=$(tree)

# the same seed, the same cases
"$FIX" eval mutate -C "$P" --seed 3 --cases 8 --keep "$WORK/k1" --no-baseline --backend none -j 2 -- make > "$WORK/k1.txt" 2>&1; rc1=$?
"$FIX" eval mutate -C "$P" --seed 3 --cases 8 --keep "$WORK/k2" --no-baseline --backend none -j 2 -- make > "$WORK/k2.txt" 2>&1; rc2=$?
n=$(ls -d "$WORK"/k1/c/*/ 2>/dev/null | wc -l)
expect "two runs with seed 3 (rc $rc1, $rc2): $(tail -3 "$WORK/k1.txt")" bash -c '[ "$1" -eq 0 ] && [ "$2" -eq 0 ] && [ "$3" -eq 8 ]' _ "$rc1" "$rc2" "$n"
expect "... made the same 8 cases, byte for byte" diff -r "$WORK/k1" "$WORK/k2"
"$FIX" eval mutate -C "$P" --seed 4 --cases 8 --keep "$WORK/k3" --no-baseline --backend none -j 2 -- make > /dev/null 2>&1
expect "another seed, other cases" bash -c '! diff -rq "$1" "$2" >/dev/null' _ "$WORK/k1" "$WORK/k3"
expect "the kept corpus runs again with fix eval (every case valid)" "$FIX" eval "$WORK/k1" --validate -j 2
expect "the report scores the classes" grep -q '^category' "$WORK/k1.txt"
# a worker keeps the project built and writes each case over it; the verdicts are a fresh copy's.
# One worker, fix-its alone, so a case left broken is followed by others in the same tree.
"$FIX" eval "$WORK/k1" --backend none --no-repairs -j 1 --out "$WORK/warm.json" > "$WORK/warm.txt" 2>&1
"$FIX" eval "$WORK/k1" --backend none --no-repairs -j 2 --cold --out "$WORK/cold.json" > /dev/null 2>&1
expect "a built tree kept between cases scores each case as a fresh copy does (--cold): $(tail -1 "$WORK/warm.txt")" python3 -c '
import json, sys
def v(f): return sorted((c["id"], c["repaired"], c["exact"], c["built"] if "built" in c else None) for c in json.load(open(f))["results"])
w, c = v(sys.argv[1]), v(sys.argv[2])
sys.exit(0 if w == c and len(w) == 8 and 0 < sum(x[1] for x in w) < 8 else 1)' "$WORK/warm.json" "$WORK/cold.json"
expect "nothing written in the tree" [ "$(tree)" = "$before" ]
expect "no scratch directory left" [ -z "$(ls "$TMPDIR")" ]

# shards of the same run merge to the full run
"$FIX" eval mutate -C "$P" --seed 3 --cases 8 --no-baseline --backend none -j 2 --out "$WORK/full.json" -- make > /dev/null 2>&1
for s in 1 2; do
  "$FIX" eval mutate -C "$P" --seed 3 --cases 8 --no-baseline --backend none -j 2 --shard $s/2 --out "$WORK/s$s.json" -- make > /dev/null 2>&1
done
"$FIX" eval --merge "$WORK/s1.json" "$WORK/s2.json" --out "$WORK/merged.json" > /dev/null 2>&1
expect "shards 1/2 and 2/2 merge to the full run" python3 -c '
import json, sys
def v(f): return sorted((c["id"], c["repaired"], c["exact"]) for c in json.load(open(f))["results"])
sys.exit(0 if v(sys.argv[1]) == v(sys.argv[2]) and len(v(sys.argv[1])) == 8 else 1)' "$WORK/full.json" "$WORK/merged.json"

# a reply that deletes the function with the mistake, replayed: not a repair
"$FIX" eval mutate -C "$P" --seed 1 --cases 1 --classes missing-semicolon --keep "$WORK/del" --no-baseline --backend none -- make > /dev/null 2>&1
case=$(ls -d "$WORK"/del/c/*/ | head -1)
python3 - "$case" "$WORK/delete.json" <<'PY'
import json, os, re, sys
case, out = sys.argv[1:]
rel = next(os.path.relpath(os.path.join(r, f), case + "/broken") for r, _, fs in os.walk(case + "/broken") for f in fs)
text = open(os.path.join(case, "broken", rel)).read()
# the function holding the mistake: the top-level `{ ... }` block around the first line that differs
fixed = open(os.path.join(case, "fixed", rel)).read().split("\n")
lines = text.split("\n")
bad = next(i for i, (a, b) in enumerate(zip(lines, fixed)) if a != b)
start = max(i for i in range(bad + 1) if re.match(r"^[a-z].*\(.*\) \{$", lines[i]))
end = next(i for i in range(bad, len(lines)) if lines[i] == "}")
gone = "\n".join(lines[:start] + lines[end + 1:])
reply = "%s\n<<<<<<< SEARCH\n%s\n=======\n%s\n>>>>>>> REPLACE\n" % (rel, text.rstrip("\n"), gone.rstrip("\n"))
json.dump({"replies": [reply] * 4}, open(out, "w"))
PY
"$FIX" eval "$WORK/del" --replay "$WORK/delete.json" --no-fixits --no-repairs --candidates 1 -j 1 --out "$WORK/del.json" > "$WORK/del.txt" 2>&1
expect "a deleting reply is not a repair: $(tail -2 "$WORK/del.txt")" grep -q '"repaired":	false' "$WORK/del.json"

# a tree whose build fails is refused, and leaves nothing
printf 'int broken(void) { return }\n' > "$P/bad.c"
printf 'CFLAGS = -Wall\napp: main.o vec.o bad.o\n\t$(CC) -o $@ main.o vec.o bad.o\n' > "$P/Makefile"
out=$("$FIX" eval mutate -C "$P" --cases 4 -- make 2>&1); rc=$?
expect "a broken tree is refused, naming the error (got $rc): $out" \
  bash -c '[ "$1" -eq 2 ] && grep -q "the tree does not build with .make.: expected expression" <<<"$2"' _ "$rc" "$out"
expect "... and leaves no scratch directory" [ -z "$(ls "$TMPDIR")" ]
rm "$P/bad.c"
printf 'CFLAGS = -Wall -Werror=implicit-function-declaration\napp: main.o vec.o\n\t$(CC) -o $@ main.o vec.o\n' > "$P/Makefile"

# Ctrl-C while the cases are made: nothing left behind
"$FIX" eval mutate -C "$P" --cases 40 --no-baseline --backend none -- sh -c 'sleep 0.2; make' > "$WORK/int.txt" 2>&1 &
pid=$!
sleep 2
kill -INT "$pid"
wait "$pid"; rc=$?
expect "Ctrl-C: exit 130 (got $rc): $(tail -2 "$WORK/int.txt")" [ "$rc" -eq 130 ]
expect "Ctrl-C: no scratch directory left" [ -z "$(ls "$TMPDIR")" ]
expect "Ctrl-C: the tree untouched" [ "$(tree)" = "$before" ]
finish
