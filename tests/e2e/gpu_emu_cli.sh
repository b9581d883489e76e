#!/usr/bin/env bash
# gpu_emu_cli.sh — fix's commands on the GPU path, with the CUDA backend running on the CPU
# emulation (fix-emu: fix linked with tests/emu's engine): `fix run --gpu 0` says where it ran and
# writes the same greedy text as the CPU engine; `fix bench --gpu 0` reports the GPU's figures
# (device, peak device memory, the bandwidth generation achieved) as it does the CPU's.
source "$(dirname "$0")/lib.sh"
EMU=$(readlink -f "$1"); FIXBIN=$(readlink -f "$2"); MKVOCAB=$(readlink -f "$3")
# the tests' small vocabulary: the emulation runs a kernel's every thread on the CPU, and a
# 151,936-row output layer would take a second a token
"$MKVOCAB" "$WORK/vocab.json" && "$FIXBIN" model synth --shape tiny-qwen2 --vocab "$WORK/vocab.json" --type q4_0 \
  --untied -o "$WORK/m.gguf" >/dev/null 2>&1 || { echo "skipping: cannot make a model"; exit 77; }
P="static int parse_item(struct parser *p) {"
"$EMU" run -m "$WORK/m.gguf" -p "$P" -n 16 --gpu 0 >"$WORK/gpu.out" 2>"$WORK/gpu.err"
expect "fix run --gpu 0 on the emulated device runs" test $? -eq 0
expect "... and says so" grep -q "on CUDA 0: CUDA emulated on the CPU (sm_90" "$WORK/gpu.err"
expect "... with the time to its first token" grep -qE "first token [0-9.]+ s after the process started" "$WORK/gpu.err"
"$FIXBIN" run -m "$WORK/m.gguf" -p "$P" -n 16 --gpu none >"$WORK/cpu.out" 2>/dev/null
expect "the same greedy text as the CPU engine" cmp -s "$WORK/gpu.out" "$WORK/cpu.out"
"$EMU" run -m "$WORK/m.gguf" -p "$P" -n 12 --candidates 3 --temp 0.8 --seed 4 --gpu 0 >"$WORK/c3.out" 2>/dev/null
"$EMU" run -m "$WORK/m.gguf" -p "$P" -n 12 --candidates 3 --temp 0.8 --seed 4 --gpu 0 --no-batch >"$WORK/c1.out" 2>/dev/null
expect "3 candidates decoded together = one after another (GPU)" cmp -s "$WORK/c3.out" "$WORK/c1.out"
FIX_CUDA_EMU_MIB=0 "$EMU" run -m "$WORK/m.gguf" -p "$P" -n 4 --gpu 0 >/dev/null 2>"$WORK/big.err"
expect "a model bigger than the device: exit 2" test $? -eq 2
expect "... naming both sizes" grep -qE "weights need [0-9]+ MiB of GPU memory; .* has 0 MiB free of 0 MiB" "$WORK/big.err"
"$EMU" bench -m "$WORK/m.gguf" --gpu 0 --quick --json >"$WORK/bench.json" 2>"$WORK/bench.err"
expect "fix bench --gpu 0 --quick runs" test $? -eq 0
expect "... reporting the device and its peak memory" python3 -c "
import json, sys
j = json.load(open('$WORK/bench.json'))
assert j['device'].startswith('CUDA 0: CUDA emulated'), j['device']
assert j['gpu_peak_mib'] > j['weight_mib'] > 0
assert all(v > 0 for v in j['prompt'].values()) and all(v > 0 for v in j['gen'].values())
assert j['repair']['all speed-ups']['first_s'] > 0 and j['bandwidth_gbs'] > 0
"
finish
