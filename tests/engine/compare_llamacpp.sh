#!/usr/bin/env bash
# compare_llamacpp.sh — fix's engine against llama.cpp, an independent implementation, on models
# made by fix's own writer: llama (untied output, GQA) and qwen2 (tied embedding, GQA, q/k/v
# biases) shapes, plus the other tying of each, in F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q5_K and
# Q6_K. Each must give the same 32-token greedy continuation and close logits after the prompt.
#
# Tolerances (max |logit difference| / sd of llama.cpp's logits), and why:
#   F32 0.002 — only summation order and llama.cpp's f16 KV cache (fix mirrors the f16 rounding);
#   F16 0.01 — activations meet the weights at half precision in both; rounding at the edges;
#   BF16 0.03 — the same with 8 mantissa bits instead of 11, so more roundings flip;
#   quantized 0.1 — both quantize activations to 8 bits per block the same way, but ~1e-3 upstream
#   differences (summation order) flip individual roundings, moving logits by a few percent, and
#   llama.cpp picks different kernels on other CPUs; measured here: 0.024-0.076.
# Usage: compare_llamacpp.sh path/to/fix BUILD_DIR VOCAB_DIR QWEN_TOKENIZER_JSON
set -u
FIX=$1; BUILD=$2; VOCAB=$3; QWEN=$4
HERE=$(cd "$(dirname "$0")" && pwd)
command -v node >/dev/null && command -v npm >/dev/null || { echo "skipping: node/npm not installed"; exit 77; }
[ -f "$VOCAB/ggml-vocab-llama-spm.gguf" ] || { echo "skipping: $VOCAB is absent"; exit 77; }
[ -f "$QWEN" ] || { echo "skipping: the Qwen vocabulary ($QWEN) is absent"; exit 77; }
NLC=$BUILD/npm/node-llama-cpp
if [ ! -d "$NLC/node_modules/node-llama-cpp" ]; then
  mkdir -p "$NLC" && (cd "$NLC" && npm install node-llama-cpp@3.22.1 --ignore-scripts --no-audit --no-fund --silent) \
    >/dev/null 2>&1 || { echo "skipping: npm could not install node-llama-cpp@3.22.1"; exit 77; }
fi
cp "$HERE/compare.mjs" "$NLC/compare.mjs"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fix-cmp-XXXXXX"); trap 'rm -rf "$WORK"' EXIT
pass=0; fail=0
run() { # run SHAPE VOCAB TYPE TOL [synth flags]
  local shape=$1 vocab=$2 type=$3 tol=$4; shift 4
  local m="$WORK/$shape-$type$*.gguf"; m=${m// /}
  "$FIX" model synth --shape "$shape" --vocab "$vocab" --type "$type" --seed 11 -o "$m" "$@" >/dev/null 2>&1 || {
    echo "FAIL synth $shape $type $*"; fail=$((fail + 1)); return; }
  "$FIX" run -m "$m" -p 'fn main() { let total = add(1, 2) * 3; // sum' -n 32 -t 2 --json --logits 200000 \
    > "$WORK/fix.json" 2>/dev/null || { echo "FAIL fix run $shape $type"; fail=$((fail + 1)); return; }
  local line
  line=$(cd "$NLC" && node compare.mjs "$m" "$WORK/fix.json" "$tol" 2>&1 | tail -1)
  printf '%-11s %-5s %-9s %s\n' "$shape" "$type" "$*" "$line"
  case "$line" in ok*) pass=$((pass + 1)) ;; *) fail=$((fail + 1)) ;; esac
}
for t in f32:0.002 f16:0.01 bf16:0.03 q8_0:0.1 q4_0:0.1 q4_k:0.1 q5_k:0.1 q6_k:0.1; do
  run tiny-llama "$VOCAB/ggml-vocab-llama-spm.gguf" "${t%:*}" "${t#*:}"
  run tiny-qwen2 "$QWEN" "${t%:*}" "${t#*:}"
done
run tiny-llama "$VOCAB/ggml-vocab-llama-spm.gguf" q8_0 0.1 --tied
run tiny-qwen2 "$QWEN" q4_0 0.1 --untied
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
