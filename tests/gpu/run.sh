#!/usr/bin/env bash
# run.sh — the device check, in one call of at most 8 minutes (tests/gpu/pack.sh prepares .gpu/
# here first; the call carries .gpu, with carry [".gpu"]). On the device machine, from the repository root:
#   bash tests/gpu/run.sh
# 1. the GPU tests (tests/gpu/test_gpu.c: kernels against the CPU, whole models, batched = alone);
# 2. the same tests, fewer sizes, under compute-sanitizer memcheck and racecheck;
# 3. `fix bench --gpu 0` on Qwen2.5-Coder-shaped models made there by `fix model synth`, and the time
#    to the first generated token from process start;
# 4. a table beside llama.cpp v0.5.0's CUDA figures on the same GPU kind (../shared/gpu/README.md,
#    copied below: that file does not travel). Full logs under $OUT.
# Environment: GPU (default 0; `none` runs the whole script on the CPU, to try it out anywhere),
# MODELS (default "0.5b:q4_0 1.5b:q4_0 7b:q4_0 7b:q4_k_m 0.5b:q8_0 0.5b:q4_k_m"), QUICK=1 (bench
# --quick), SKIP_TESTS=1, SKIP_SANITIZER=1.
set -uo pipefail
cd "$(dirname "$0")/../.."
G=$PWD/.gpu
OUT=${OUT:-/tmp/fix-gpu-out}
mkdir -p "$OUT"
GPU=${GPU:-0}
MODELS=${MODELS:-"0.5b:q4_0 1.5b:q4_0 7b:q4_0 7b:q4_k_m 0.5b:q8_0 0.5b:q4_k_m"}
WORK=${WORK:-/tmp/fix-gpu-models}
mkdir -p "$WORK"
[ -x "$G/bin/fix" ] || { echo "run.sh: no .gpu/bin/fix (run tests/gpu/pack.sh here and carry .gpu)"; exit 2; }
VOCAB=$WORK/tokenizer.json
[ -f "$VOCAB" ] || gzip -dc "$G/tokenizer.json.gz" >"$VOCAB"
export LD_LIBRARY_PATH=$G/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
# this machine's C library may be older than the one the binaries were linked against: then use
# the carried loader and C library
LOADER=()
if ! "$G/bin/fix" --version >/dev/null 2>"$OUT/loader.txt"; then
  LOADER=("$G/libc/ld-linux-x86-64.so.2" --library-path "$G/lib:$G/libc:/usr/local/nvidia/lib64:/usr/lib/x86_64-linux-gnu")
  echo "run.sh: the binaries need the carried C library ($(head -1 "$OUT/loader.txt"))"
fi
fix() { "${LOADER[@]}" "$G/bin/fix" "$@"; }
t_start=$(date +%s)
{ nvidia-smi 2>&1; nvidia-smi -q 2>&1 | sed -n '1,80p'; } >"$OUT/device.txt"
head -15 "$OUT/device.txt" | grep -E "H200|H100|NVIDIA|Driver" | head -3

if [ -z "${SKIP_TESTS:-}" ]; then
  echo "== GPU tests"
  timeout 240 "${LOADER[@]}" "$G/bin/test_gpu" >"$OUT/test.log" 2>&1
  echo "test_gpu: exit $? ($(tail -1 "$OUT/test.log"))"
  grep -E "FAILED|CHECK failed" "$OUT/test.log" | head -20
fi
if [ -z "${SKIP_SANITIZER:-}" ] && command -v compute-sanitizer >/dev/null; then
  for tool in memcheck racecheck; do
    FIX_GPU_TEST_QUICK=1 timeout 150 compute-sanitizer --tool $tool --error-exitcode 9 "${LOADER[@]}" "$G/bin/test_gpu" \
      >"$OUT/sanitizer-$tool.log" 2>&1
    echo "compute-sanitizer $tool: exit $? ($(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' "$OUT/sanitizer-$tool.log" | tail -1))"
  done
fi

echo "== benchmarks (--gpu $GPU)"
for spec in $MODELS; do
  size=${spec%%:*} type=${spec##*:}
  f=$WORK/qwen-$size-$type.gguf
  if [ ! -f "$f" ]; then
    t0=$(date +%s%N)
    fix model synth --shape "qwen2.5-coder-$size" --vocab "$VOCAB" --type "$type" -o "$f" \
      >>"$OUT/synth.log" 2>&1 || { echo "synth $size $type failed (see synth.log)"; continue; }
    echo "made $size $type in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
  fi
  timeout 300 "${LOADER[@]}" "$G/bin/fix" bench -m "$f" --gpu "$GPU" --json ${QUICK:+--quick} \
    >"$OUT/bench-$size-$type.json" 2>"$OUT/bench-$size-$type.err" || echo "bench $size $type: exit $? ($(tail -1 "$OUT/bench-$size-$type.err"))"
  fix run -m "$f" --gpu "$GPU" -p "int main(void) {" -n 8 >/dev/null 2>"$OUT/first-$size-$type.txt"
done

# llama.cpp v0.5.0, CUDA, flash attention + graphs, H200 (../shared/gpu/README.md, 2026-12-04):
# pp512 pp2048 tg128, and the repair-shaped run (1,500-token prompt + 5 x 120) in seconds
declare -A REF=(
  [0.5b:q4_0]="47818 53057 968 0.232" [0.5b:q8_0]="47473 53390 930 -" [0.5b:q4_k_m]="43505 47804 909 -"
  [1.5b:q4_0]="24964 31538 671 0.352" [1.5b:q8_0]="29241 32166 535 -" [1.5b:q4_k_m]="25366 28206 573 -"
  [7b:q4_0]="11092 11679 337 0.729" [7b:q4_k_m]="9270 9813 275 -")
FIX_REF=$(for k in "${!REF[@]}"; do printf '%s=%s;' "$k" "${REF[$k]}"; done)
export FIX_REF
python3 - "$OUT" "$MODELS" <<'PY' | tee "$OUT/table.txt"
import json, os, sys
out, models = sys.argv[1], sys.argv[2].split()
ref = dict(x.split("=", 1) for x in os.environ.get("FIX_REF", "").split(";") if "=" in x)
print(f"{'model':14} {'pp512':>16} {'pp2048':>16} {'tg128':>14} {'repair 5x120 s':>16} {'peak MiB':>10} {'GB/s':>7} {'first tok':>9}")
for spec in models:
    size, typ = spec.split(":")
    try:
        j = json.load(open(f"{out}/bench-{size}-{typ}.json"))
    except Exception as e:
        print(f"{spec:14} no result ({e.__class__.__name__})"); continue
    r = ref.get(spec, "- - - -").split()
    def cell(v, rv, hib=True):
        if rv == "-": return f"{v:>9.0f}" if v > 10 else f"{v:>9.3f}"
        x = float(rv); ratio = v / x if hib else x / v
        return (f"{v:>7.0f}" if v > 10 else f"{v:>7.3f}") + f" ({ratio:.2f}x)"
    pa, pb = list(j["prompt"].values()); tg = list(j["gen"].values())[0]  # --quick: 128/256 and 32
    rep = j["repair"]["all speed-ups"]["first_s"]
    first = "-"
    try:
        t = open(f"{out}/first-{size}-{typ}.txt").read()
        first = t.split("first token ")[1].split(" s")[0]
    except Exception: pass
    print(f"{spec:14} {cell(pa, r[0]):>16} {cell(pb, r[1]):>16} {cell(tg, r[2]):>14} "
          f"{cell(rep, r[3], False):>16} {j.get('gpu_peak_mib', 0):>10.0f} {j['bandwidth_gbs']:>7.0f} {first:>9}")
print("(x: fix / llama.cpp for speeds, llama.cpp / fix for times; both above 1 mean fix is faster)")
PY
echo "run.sh: $(( $(date +%s) - t_start )) s; logs in $OUT"
