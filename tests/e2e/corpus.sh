#!/bin/bash
# corpus.sh FIX SOURCE-DIR PART — the whole corpus, in three parts (three ctest tests, each a few
# minutes, so that one slow part neither hides the others nor runs into one long timeout):
#   validate  every case validates (broken/ fails with the errors its case.json records, fixed/
#             builds and passes its check);
#   none      a full `fix eval --backend none -j 2` run repairs every case labelled fixits_only, and
#             its HTML report renders in headless Chromium;
#   replay    the cases that carry their own model replies: the destructive reply refused, the right
#             one kept.
set -u
FIX=$(realpath "$1")
SRC=$(realpath "$2")
PART=${3:?usage: corpus.sh FIX SOURCE-DIR validate|none|replay}
T=$(mktemp -d /tmp/fix-corpus-test-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
FILTER=()
source "$(dirname "$0")/rust_corpus_ok.sh"
if [ -n "$RUST_CORPUS_WHY" ]; then
  echo "note: the Rust cases are left out: $RUST_CORPUS_WHY"; PARTLY="the Rust cases ($RUST_CORPUS_WHY)"; FILTER=(--filter language=c,language=cpp)
fi

done_part() { if [ -n "${PARTLY:-}" ]; then echo "skipping: parts did not run: $PARTLY"; exit 77; fi; exit 0; }

case $PART in
validate)
t0=$(date +%s.%N)
"$FIX" eval "$SRC/corpus" --validate -j 2 "${FILTER[@]}" > "$T/validate.txt" || { grep -v '^validate' "$T/validate.txt" | head -40; fail "the corpus does not validate"; }
echo "$(tail -1 "$T/validate.txt") in $(printf '%.0f' "$(echo "$(date +%s.%N) - $t0" | bc)") s"
n=$(tail -1 "$T/validate.txt" | sed -E 's/^validate: ([0-9]+) of.*/\1/')
[ ${#FILTER[@]} -gt 0 ] || [ "$n" -ge 240 ] || fail "the corpus has $n cases, fewer than 240"

done_part ;;
replay)
# the cases that carry their own model replies (case.json "replies", category refusal): a replay run
# without --replay answers each case from its own file. One candidate a call, so each reply is judged
# alone: the first, which deletes, empties or renames code or adds a wrong-code warning, is refused,
# and the second, the right edit, kept: repaired in exactly two model calls. KNOWN lists the cases
# fix gets wrong today (each says how); one that starts passing is said, to be dropped from it.
RFILTER=category=refusal
[ ${#FILTER[@]} -gt 0 ] && RFILTER=c/refuse-,cpp/refuse-
"$FIX" eval "$SRC/corpus" --backend replay --candidates 1 -j 2 --filter "$RFILTER,c/arg-count" --out "$T/replay.json" > "$T/replay.txt" 2>"$T/replay.err" || fail "fix eval --backend replay: $(tail -5 "$T/replay.err")"
python3 - "$SRC/corpus" "$T/replay.json" <<'PY' || fail "a destructive reply was kept, or the cases' own replies were not used"
import json, os, sys
KNOWN = {
    "cpp/refuse-empty-body": "a 6-line body replaced by 'return 0;' is not seen as emptied (destroyed.c: more than half of at least 6 lines)",
    "rust/refuse-rename-fn-maybe-incorrect": "after the refusal, rustc's MaybeIncorrect fix-it Some(0.0) is kept before the model is asked again",
}
root, res = sys.argv[1], json.load(open(sys.argv[2]))
bad, n, ok = [], 0, 0
for c in res["results"]:
    spec = json.load(open(os.path.join(root, c["id"], "case.json")))
    if "replies" not in spec:
        if "has none" not in (c.get("error") or ""):
            bad.append("%s (no replies): %s" % (c["id"], c.get("error")))
        continue
    n += 1
    good = c["repaired"] and c["model_calls"] == 2
    ok += good
    if c["id"] in KNOWN:
        print("note: %s: %s" % (c["id"], "now repaired: drop it from KNOWN" if good else "known: " + KNOWN[c["id"]]))
    elif not good:
        bad.append("%s: repaired %s after %d model calls" % (c["id"], c["repaired"], c["model_calls"]))
print("refusals: %d of %d cases with their own replies repaired, the destructive reply refused" % (ok, n))
if bad or n < 6:
    print("\n".join(bad) or "only %d cases with replies" % n)
    sys.exit(1)
PY
mkdir -p "$T/badreplies/c/x/broken" "$T/badreplies/c/x/fixed"
echo '{"language": "c", "build": ["make"], "category": "x", "errors": ["y"], "replies": "../../r.json"}' > "$T/badreplies/c/x/case.json"
out=$("$FIX" eval "$T/badreplies" --validate 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q '"replies" must name a file inside' || fail "replies outside the case: rc $rc: $out"

done_part ;;
none) ;;
*) fail "unknown part '$PART'" ;;
esac

"$FIX" eval "$SRC/corpus" --backend none -j 2 "${FILTER[@]}" --out "$T/none.json" --report "$T/report.html" > "$T/none.txt" 2>"$T/none.err" || fail "fix eval: $(tail -5 "$T/none.err")"
grep '^tool:' "$T/none.txt"
tail -1 "$T/none.txt"
# the fix-its-only labels were measured with this run; a labelled case that stops being repaired is a regression
python3 - "$SRC/corpus" "$T/none.json" <<'PY' || fail "labelled fix-it cases are no longer repaired"
import json, os, sys
root, res = sys.argv[1], json.load(open(sys.argv[2]))
lost, extra = [], []
for c in res["results"]:
    label = json.load(open(os.path.join(root, c["id"], "case.json"))).get("fixits_only", False)
    if label and not c["repaired"]:
        lost.append(c["id"])
    if c["repaired"] and not label:
        extra.append(c["id"])
if extra:
    print("note: repaired by fix-its but not labelled fixits_only:", ", ".join(extra))
if lost:
    print("labelled fixits_only but not repaired:", ", ".join(lost))
    sys.exit(1)
PY

# the report, opened in a real browser
B=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$B" ]; then
  echo "skipping: no Chromium, the report is not rendered (setup.sh installs it)${PARTLY:+; $PARTLY}"
  exit 77
fi
HOME=$T timeout 60 "$B" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1600 \
  --screenshot="$T/report.png" "file://$T/report.html" >"$T/chromium.log" 2>&1 || fail "chromium: $(tail -3 "$T/chromium.log")"
size=$(stat -c %s "$T/report.png" 2>/dev/null || echo 0)
[ "$size" -gt 30000 ] || fail "the screenshot is $size bytes (blank?)"
head -c 8 "$T/report.png" | od -An -c | grep -q 'P   N   G' || fail "the screenshot is not a PNG"
if [ -n "${FIX_KEEP_REPORT:-}" ]; then cp "$T/report.html" "$T/report.png" "$FIX_KEEP_REPORT/"; fi
echo "report rendered: $size bytes of PNG"
done_part
