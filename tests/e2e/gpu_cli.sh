#!/usr/bin/env bash
# gpu_cli.sh — choosing where the local engine runs, as a user sees it on any machine: the one fix
# binary needs no CUDA library (the runtime is linked in), `--gpu auto` runs on a CUDA device when
# there is one and otherwise on the CPU saying why, an explicit device that is not there is a clear
# error (exit 2), bad values are refused, and `gpu` is a setting like the others (FIX_GPU, files).
source "$(dirname "$0")/lib.sh"
VOCAB=$(dirname "$FIX")/npm/tokenizer-qwen3/models/tokenizer.json

# no CUDA library among the binary's dependencies (built with or without FIX_CUDA)
deps=$(ldd "$FIX" 2>&1)
expect "fix needs no CUDA library" bash -c "! grep -qE 'libcuda|libcudart' <<<'$deps'"

if [ -f "$VOCAB" ] && "$FIX" model synth --shape tiny-qwen2 --vocab "$VOCAB" --type q4_0 -o "$WORK/m.gguf" >/dev/null 2>&1; then
  "$FIX" run -m "$WORK/m.gguf" -p "int main" -n 4 >"$WORK/auto.out" 2>"$WORK/auto.err"
  expect "--gpu auto (the default) runs" test $? -eq 0
  if grep -q "on CUDA [0-9]" "$WORK/auto.err"; then
    echo "(a CUDA device is present: the CPU-fallback checks are skipped)"
    has_gpu=1
  else
    has_gpu=0
    expect "auto without a device runs on the CPU and says why" \
      grep -qE "on CPU \([a-z0-9-]+ kernels\): (no CUDA|this fix was built without CUDA)" "$WORK/auto.err"
    "$FIX" run -m "$WORK/m.gguf" -p "int main" -n 4 --gpu 0 >/dev/null 2>"$WORK/zero.err"
    expect "--gpu 0 without a device fails with exit 2" test $? -eq 2
    expect "... naming why" grep -qE "error: --gpu 0: (no CUDA|this fix was built without CUDA)" "$WORK/zero.err"
    FIX_GPU=0 "$FIX" bench -m "$WORK/m.gguf" --gpu 0 --quick >/dev/null 2>"$WORK/bench.err"
    expect "fix bench --gpu 0 without a device: exit 2" test $? -eq 2
  fi
  "$FIX" run -m "$WORK/m.gguf" -p "int main" -n 4 --gpu none >/dev/null 2>"$WORK/none.err"
  expect "--gpu none runs on the CPU" grep -q "on CPU (" "$WORK/none.err"
  expect "... without a reason to give" bash -c "! grep -q 'CPU ([a-z0-9-]* kernels):' '$WORK/none.err'"
else
  echo "(no tokenizer.json in the build tree: the model checks are skipped)"
fi

"$FIX" run -m x.gguf -p x --gpu banana >/dev/null 2>"$WORK/bad.err"
expect "--gpu banana: exit 2" test $? -eq 2
expect "... saying what is accepted" grep -q "auto, none or a CUDA device number" "$WORK/bad.err"
"$FIX" bench -m x.gguf --gpu -3 >/dev/null 2>&1
expect "fix bench --gpu -3: exit 2" test $? -eq 2

# a setting like the others
mkdir -p "$WORK/p" && cd "$WORK/p" && git init -q .
expect "FIX_GPU shows in fix config" bash -c "FIX_GPU=none '$FIX' config | grep -qE '^gpu +.*none.*FIX_GPU'"
expect "the default is auto" bash -c "'$FIX' config | grep -qE '^gpu +.*auto'"
FIX_GPU=sometimes "$FIX" config >/dev/null 2>"$WORK/cfg.err"
expect "a bad FIX_GPU is a configuration error" test $? -eq 2
expect "... naming the setting" grep -q "gpu" "$WORK/cfg.err"
expect "fix --help lists --gpu" bash -c "'$FIX' --help | grep -q -- '--gpu WHICH'"
finish
