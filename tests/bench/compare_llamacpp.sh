#!/usr/bin/env bash
# compare_llamacpp.sh — fix's engine and llama.cpp (node-llama-cpp 3.22.1, CPU, 2 threads) side by
# side on the same GGUF, interleaved (fix, llama.cpp, fix, ...; 5 runs each), medians and ratios
# for prompt processing and greedy generation; with REPAIR=1 (or REPAIR=quick) also the
# repair-shaped run of `fix bench` (1,500-token prompt, 5 candidates x 120 tokens, then a second
# prompt sharing 1,200 tokens), which llama.cpp does with prefix reuse (llamacpp_repair.mjs), end
# to end. Models come from fix's writer.
#   [RUNS=5] [REPAIR=1] tests/bench/compare_llamacpp.sh build/fix [SHAPE] [TYPE] [PROMPT_TOKENS]
#   (default qwen2.5-coder-0.5b q4_0 512; needs the Qwen vocabulary and node-llama-cpp in the build
#   tree: the engine.compare_llamacpp test installs it)
set -eu
FIX=$(realpath "$1"); SHAPE=${2:-qwen2.5-coder-0.5b}; TYPE=${3:-q4_0}; NP=${4:-512}; RUNS=${RUNS:-5}
BUILD=$(dirname "$FIX"); HERE=$(cd "$(dirname "$0")" && pwd)
VOCAB=$BUILD/npm/tokenizer-qwen3/models/tokenizer.json; NLC=$BUILD/npm/node-llama-cpp
[ -f "$VOCAB" ] || { echo "no Qwen vocabulary at $VOCAB"; exit 77; }
[ -d "$NLC/node_modules/node-llama-cpp" ] || { echo "no node-llama-cpp in $NLC (run ctest -R engine.compare_llamacpp)"; exit 77; }
cp "$HERE/llamacpp_speed.mjs" "$HERE/llamacpp_repair.mjs" "$NLC/"
WORK=${TMPDIR:-/tmp}/fix-bench-$SHAPE-$TYPE; mkdir -p "$WORK"
M=$WORK/model.gguf
[ -f "$M" ] || "$FIX" model synth --shape "$SHAPE" --vocab "$VOCAB" --type "$TYPE" -o "$M" >/dev/null
# a code-like prompt of about NP tokens (Qwen's tokenizer: about 3.3 characters per token here)
python3 - "$NP" > "$WORK/prompt.txt" <<'PY'
import sys
n = int(sys.argv[1]); out = []; i = 0
while sum(len(s) for s in out) < n * 3.3:
    out.append(f"static int parse_item_{i}(struct parser *p, struct item *it) {{ if (!p) return -{i % 7}; it->qty = read_int(p, \"q{i}\"); return 0; }}\n")
    i += 1
sys.stdout.write("".join(out))
PY
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
: > "$WORK/fix.pp"; : > "$WORK/fix.tg"; : > "$WORK/ll.pp"; : > "$WORK/ll.tg"
for r in $(seq "$RUNS"); do
  line=$("$FIX" run -m "$M" -p "$(cat "$WORK/prompt.txt")" -n 128 -t 2 --no-lookup 2>&1 >/dev/null | grep "fix run:")
  sed -E 's/.*prompt ([0-9]+) tokens [0-9.]+ s \(([0-9.]+) tok\/s\).*/\2/' <<<"$line" >> "$WORK/fix.pp"
  sed -E 's/.*generated [0-9]+ tokens [0-9.]+ s \(([0-9.]+) tok\/s\).*/\1/' <<<"$line" >> "$WORK/fix.tg"
  j=$(cd "$NLC" && node llamacpp_speed.mjs "$M" "$WORK/prompt.txt" 128)
  node -e 'const j=JSON.parse(process.argv[1]); console.log(j.prompt_tps)' "$j" >> "$WORK/ll.pp"
  node -e 'const j=JSON.parse(process.argv[1]); console.log(j.gen_tps)' "$j" >> "$WORK/ll.tg"
  echo "run $r: fix $(tail -1 "$WORK/fix.pp") / $(tail -1 "$WORK/fix.tg") tok/s, llama.cpp $(tail -1 "$WORK/ll.pp") / $(tail -1 "$WORK/ll.tg") tok/s (prompt / generation)"
done
fp=$(median < "$WORK/fix.pp"); ft=$(median < "$WORK/fix.tg"); lp=$(median < "$WORK/ll.pp"); lt=$(median < "$WORK/ll.tg")
printf '%s %s, %d-token prompt, medians of %d:\n' "$SHAPE" "$TYPE" "$NP" "$RUNS"
printf '  prompt     fix %8.1f tok/s   llama.cpp %8.1f tok/s   ratio %.2f\n' "$fp" "$lp" "$(echo "$fp / $lp" | bc -l)"
printf '  generation fix %8.1f tok/s   llama.cpp %8.1f tok/s   ratio %.2f\n' "$ft" "$lt" "$(echo "$ft / $lt" | bc -l)"

if [ -n "${REPAIR:-}" ]; then
  q=""; [ "$REPAIR" = quick ] && q=--quick
  : > "$WORK/fix.rp"; : > "$WORK/ll.rp"
  for r in $(seq "$RUNS"); do
    "$FIX" bench -m "$M" -t 2 $q --json --repair-tokens "$WORK/repair.json" |
      node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).repair_s))' >> "$WORK/fix.rp"
    (cd "$NLC" && node llamacpp_repair.mjs "$M" "$WORK/repair.json") |
      node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).repair_s))' >> "$WORK/ll.rp"
    echo "repair run $r: fix $(tail -1 "$WORK/fix.rp") s, llama.cpp $(tail -1 "$WORK/ll.rp") s"
  done
  fr=$(median < "$WORK/fix.rp"); lr=$(median < "$WORK/ll.rp")
  printf '  repair run fix %8.2f s       llama.cpp %8.2f s       fix faster %.2fx\n' "$fr" "$lr" "$(echo "$lr / $fr" | bc -l)"
fi
