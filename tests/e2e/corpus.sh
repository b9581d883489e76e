#!/bin/bash
# corpus.sh FIX SOURCE-DIR — the whole corpus: every case validates (broken/ fails with the errors
# its case.json records, fixed/ builds and passes its check); a full `fix eval --backend none -j 2`
# run repairs every case labelled fixits_only; its HTML report renders in headless Chromium.
set -u
FIX=$(realpath "$1")
SRC=$(realpath "$2")
T=$(mktemp -d /tmp/fix-corpus-test-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
FILTER=()
command -v cargo >/dev/null || { echo "note: no cargo, the Rust cases are left out"; FILTER=(--filter language=c,language=cpp); }

t0=$(date +%s.%N)
"$FIX" eval "$SRC/corpus" --validate -j 2 "${FILTER[@]}" > "$T/validate.txt" || { grep -v '^validate' "$T/validate.txt" | head -40; fail "the corpus does not validate"; }
echo "$(tail -1 "$T/validate.txt") in $(printf '%.0f' "$(echo "$(date +%s.%N) - $t0" | bc)") s"
n=$(tail -1 "$T/validate.txt" | sed -E 's/^validate: ([0-9]+) of.*/\1/')
[ ${#FILTER[@]} -gt 0 ] || [ "$n" -ge 240 ] || fail "the corpus has $n cases, fewer than 240"

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
  echo "note: no Chromium, the report is not rendered (setup.sh installs it)"
  exit 0
fi
HOME=$T timeout 60 "$B" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1600 \
  --screenshot="$T/report.png" "file://$T/report.html" >"$T/chromium.log" 2>&1 || fail "chromium: $(tail -3 "$T/chromium.log")"
size=$(stat -c %s "$T/report.png" 2>/dev/null || echo 0)
[ "$size" -gt 30000 ] || fail "the screenshot is $size bytes (blank?)"
head -c 8 "$T/report.png" | od -An -c | grep -q 'P   N   G' || fail "the screenshot is not a PNG"
if [ -n "${FIX_KEEP_REPORT:-}" ]; then cp "$T/report.html" "$T/report.png" "$FIX_KEEP_REPORT/"; fi
echo "report rendered: $size bytes of PNG"
