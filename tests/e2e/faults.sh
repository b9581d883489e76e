#!/usr/bin/env bash
# faults.sh — fix stopped at every durable step and killed at random, with fix-faulty (the test
# build with fault injection, tests/support/fault_inject.c) on a real two-file make project:
#  1. SIGKILL at each durable step in turn (every file replacement and journal save of a session):
#     every file is the original or one complete version fix wrote, and `fix undo` restores the
#     original bytes exactly (issue 19, defect 3: the journal gap);
#  2. 30 SIGKILLs at seeded random moments: the same checks; stale scratch directories removed by
#     the next run;
#  3. the journal failing to save at each of its saves (a full disk): fix stops, exit 2, every file
#     restored, the reason said (defect 4);
#  4. allocations failing after the N-th, over a range of N: a clean exit, no crash, no damage.
source "$(dirname "$0")/lib.sh"
need git; need make; need cc; need python3; need patch; need setsid
FAULTY=$(dirname "$FIX")/fix-faulty
[ -x "$FAULTY" ] || { echo "skipping: fix-faulty is not built"; exit 77; }
SRC=$(cd "$HERE/../../corpus/c/quickstart/broken" && pwd)
P=$WORK/p
export TMPDIR=$WORK/tmp; mkdir -p "$TMPDIR"
fresh() { rm -rf "$P"; cp -r "$SRC" "$P"; git_init "$P"; }
ORIG=$(fresh; tree_hash "$P")
session() { (cd "$P" && "$@" --backend none -- make >/dev/null 2>&1); }

# The versions a clean session writes: every step's diff applied in turn (JSON edit events).
fresh
(cd "$P" && "$FIX" --json --backend none -- make 2>/dev/null) > "$WORK/events.jsonl"
fresh
python3 - "$WORK/events.jsonl" "$WORK/diffs" <<'PY'
import json, os, sys
os.makedirs(sys.argv[2], exist_ok=True)
n = 0
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("event") == "edit_applied":
        for f in e["files"]:
            n += 1
            open(os.path.join(sys.argv[2], "%03d.diff" % n), "w").write(f["diff"])
PY
versions=$WORK/versions; : > "$versions"
record_versions() { (cd "$P" && git ls-files -z | xargs -0 sha256sum) >> "$versions"; }
record_versions
for d in "$WORK"/diffs/*.diff; do (cd "$P" && patch -s -p1 < "$d") && record_versions; done
expect "the clean session has steps ($(ls "$WORK/diffs" | wc -l))" [ "$(ls "$WORK/diffs" | wc -l)" -ge 2 ]
# every_file_known: each tracked file is the original or a version the clean session wrote
every_file_known() { (cd "$P" && git ls-files -z | xargs -0 sha256sum) | while read -r line; do grep -qxF "$line" "$versions" || { echo "unknown: $line"; exit 1; }; done; }
# undo_restores: `fix undo` puts back the original bytes, and leaves no temporary file behind
undo_restores() { (cd "$P" && "$FIX" undo >/dev/null 2>&1); [ "$(tree_hash "$P")" = "$ORIG" ] && ! ls -a "$P" | grep -q '\.fix-'; }

# 1. every durable step
fresh
rm -f "$WORK/points"
(cd "$P" && FIX_FAULT_LOG=$WORK/points "$FAULTY" --backend none -- make >/dev/null 2>&1)
points=$(wc -l < "$WORK/points")
expect "points counted ($points)" [ "$points" -ge 10 ]
bad=0
for n in $(seq 1 "$points"); do
  fresh
  (cd "$P" && FIX_FAULT="*@$n:kill" exec "$FAULTY" --backend none -- make >/dev/null 2>&1); rc=$?
  [ "$rc" -eq 137 ] || { bad=$((bad + 1)); echo "step $n: exit $rc, not killed"; continue; }
  every_file_known || { bad=$((bad + 1)); echo "step $n: a file in no known state"; }
  undo_restores || { bad=$((bad + 1)); echo "step $n: undo did not restore the original"; }
done
expect "every step: files known, undo exact ($bad bad of $points)" [ "$bad" -eq 0 ]

# 2. random moments (seeded), and the scratch they leave
RANDOM=19
bad=0
for t in $(seq 1 30); do
  fresh
  delay=$(printf '0.%03d' $((RANDOM % 250)))
  # fix in a process group of its own, killed with its build (make, cc): a compiler left running
  # would write into the next trial's fresh copy while it is being made
  (cd "$P" && exec setsid "$FIX" --backend none -- make >/dev/null 2>&1) & pid=$!
  sleep "$delay"; kill -9 -- -"$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  for _ in $(seq 100); do kill -0 -- -"$pid" 2>/dev/null || break; sleep 0.02; done
  every_file_known || { bad=$((bad + 1)); echo "trial $t (${delay}s): a file in no known state"; }
  undo_restores || { bad=$((bad + 1)); echo "trial $t (${delay}s): undo did not restore the original"; }
done
expect "30 random kills: files known, undo exact ($bad bad)" [ "$bad" -eq 0 ]
fresh
session "$FIX"
left=$(ls "$TMPDIR" | grep -c '^fix-\(shadow\|intercept\)-' || true)
expect "scratch of killed runs removed by the next one ($left left)" [ "$left" -eq 0 ]

# 3. the journal cannot be saved (a full disk), at each of its saves: the session stops and puts
#    every file back; only the last save (the session's end, every write already recorded) may fail
#    without that, and then `fix undo` still restores
fresh
saves=$(grep -c '^journal$' "$WORK/points")
bad=0
for n in $(seq 1 "$saves"); do
  fresh
  out=$(cd "$P" && FIX_FAULT="journal@$n:fail" "$FAULTY" --backend none -- make 2>&1); rc=$?
  if [ "$n" -eq "$saves" ] && [ "$rc" -eq 0 ]; then
    undo_restores || { bad=$((bad + 1)); echo "journal save $n (the last): undo did not restore"; }
    continue
  fi
  [ "$rc" -eq 2 ] || { bad=$((bad + 1)); echo "journal save $n: exit $rc"; }
  grep -q "undo journal" <<<"$out" || { bad=$((bad + 1)); echo "journal save $n: no reason given: $out"; }
  [ "$(tree_hash "$P")" = "$ORIG" ] || { bad=$((bad + 1)); echo "journal save $n: files not restored"; }
done
expect "journal failures: stop, exit 2, restored ($bad bad of $saves)" [ "$bad" -eq 0 ]

# 4. allocations failing after the N-th (what an out-of-memory exit leaves allocated is not the
#    question here: leak checking is off for these runs in a sanitizer build)
fresh
bad=0
for n in 0 1 2 5 10 20 50 100 200 500 1000 2000 3000 5000 8000 12000 20000 30000 50000 80000; do
  fresh
  (cd "$P" && FIX_FAULT_ALLOC=$n ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" exec "$FAULTY" --backend none -- make \
    >"$WORK/alloc.out" 2>&1); rc=$?
  if [ "$rc" -ge 128 ] || grep -q "Sanitizer\|Segmentation" "$WORK/alloc.out"; then
    bad=$((bad + 1)); echo "alloc $n: exit $rc: $(tail -2 "$WORK/alloc.out")"
  fi
  every_file_known || { bad=$((bad + 1)); echo "alloc $n: a file in no known state"; }
done
expect "allocation failures: no crash, no damage ($bad bad)" [ "$bad" -eq 0 ]
finish
