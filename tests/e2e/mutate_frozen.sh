#!/usr/bin/env bash
# mutate_frozen.sh — a frozen slice of the fix eval mutate benchmark (issue 27), so a regression in
# the model-free repairs shows in CI: tree-sitter's C runtime 0.20.6 (a real project, not in
# corpus/, fetched from the npm registry at test time and cached in the build tree), 60 cases of
# seed 1, repaired with no model. The cases must be the frozen ones (mutate_frozen.expected:
# the same seed makes the same cases); every case marked repaired there must still be repaired;
# no repair may build by deleting or renaming a function, type or field. The full benchmark over
# nine projects is tests/bench/mutate_projects.sh, not a test.
#   FIX_FROZEN_WRITE=1 rewrites the expected file from this run (after a change meant to move it).
source "$(dirname "$0")/lib.sh"
need make; need cc; need python3; need npm
EXPECTED=$HERE/mutate_frozen.expected
CACHE=$(dirname "$FIX")/npm/tree-sitter-0.20.6
if [ ! -d "$CACHE/package/vendor/tree-sitter/lib/src" ]; then
  mkdir -p "$CACHE.tmp" && (cd "$CACHE.tmp" && npm pack tree-sitter@0.20.6 --silent >/dev/null 2>&1 &&
    tar xzf tree-sitter-0.20.6.tgz) && rm -rf "$CACHE" && mv "$CACHE.tmp" "$CACHE" ||
    { rm -rf "$CACHE.tmp"; echo "skipping: npm could not fetch tree-sitter@0.20.6"; exit 77; }
fi
export TMPDIR=$WORK/tmp; mkdir -p "$TMPDIR"
P=$WORK/tree-sitter; mkdir -p "$P"
cp -r "$CACHE/package/vendor/tree-sitter/lib" "$P/"
# upstream's own Makefile builds every unit but lib.c (which includes them all) into one library
cat > "$P/Makefile" <<'MK'
CFLAGS = -O0 -std=gnu99 -fPIC -Wall -Ilib/include -Ilib/src
OBJ = $(patsubst %.c,%.o,$(filter-out lib/src/lib.c,$(wildcard lib/src/*.c)))
libtree-sitter.so: $(OBJ)
	$(CC) -shared -Wl,--no-undefined -o $@ $(OBJ)
MK
"$FIX" eval mutate -C "$P" --seed 1 --cases 60 --no-baseline --backend none -j 2 --keep "$WORK/cases" \
  --out "$WORK/run.json" -- make > "$WORK/run.txt" 2>&1; rc=$?
expect "fix eval mutate ran (rc $rc): $(tail -3 "$WORK/run.txt")" [ "$rc" -le 1 ]
tail -1 "$WORK/run.txt"
if [ -n "${FIX_FROZEN_WRITE:-}" ]; then
  python3 - "$WORK/run.json" "$EXPECTED" <<'PY'
import json, sys
r = sorted(json.load(open(sys.argv[1]))["results"], key=lambda c: c["id"])
with open(sys.argv[2], "w") as f:
    f.write("# mutate_frozen.sh: tree-sitter 0.20.6's C runtime, fix eval mutate --seed 1 --cases 60, --backend none\n")
    for c in r:
        f.write("%s %s\n" % (c["id"], "repaired" if c["repaired"] else "left"))
PY
  echo "wrote $EXPECTED"
fi
out=$(python3 - "$WORK/run.json" "$EXPECTED" <<'PY'
import json, sys
got = {c["id"]: c for c in json.load(open(sys.argv[1]))["results"]}
want = {}
for line in open(sys.argv[2]):
    if line.strip() and not line.startswith("#"):
        k, v = line.split()
        want[k] = v
problems = []
if sorted(got) != sorted(want):
    problems.append("the cases are not the frozen ones: new %s, gone %s" % (sorted(set(got) - set(want))[:5], sorted(set(want) - set(got))[:5]))
lost = [k for k, v in want.items() if v == "repaired" and k in got and not got[k]["repaired"]]
if lost:
    problems.append("no longer repaired: " + ", ".join(sorted(lost)))
bad = [k for k, c in got.items() if c["build_passed"] and not c["items_kept"]]
if bad:
    problems.append("built by deleting or renaming: " + ", ".join(sorted(bad)))
gained = [k for k, v in want.items() if v == "left" and k in got and got[k]["repaired"]]
print("; ".join(problems) if problems else "ok (%d of %d repaired%s)" % (sum(c["repaired"] for c in got.values()), len(got),
      ", newly: " + ", ".join(sorted(gained)) + " (FIX_FROZEN_WRITE=1 records them)" if gained else ""))
sys.exit(1 if problems else 0)
PY
); rc=$?
echo "$out"
expect "the frozen cases: $out" [ "$rc" -eq 0 ]
expect "no scratch directory left" [ -z "$(ls "$TMPDIR")" ]
finish
