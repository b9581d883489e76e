#!/usr/bin/env bash
# pack.sh — run here, before a device call: builds fix with the CUDA backend (Release, sm_80 + sm_90)
# in build-gpu/ and gathers what tests/gpu/run.sh needs on the device machine into .gpu/ (git-ignored;
# name it in the device call's `carry`): the fix binary and the GPU test, every shared library they
# load (the device machine has none of fix's Debian dependencies), this machine's C library and
# loader as a fallback should the device's be older, and the Qwen2.5 vocabulary for `fix model
# synth`. Prints the folder's size (a call carries at most 64 MiB).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=build-gpu
# sm_90 only: the device machine is an H200, and the carried files must stay under 64 MiB with the tree
cmake -S . -B $B -G Ninja -DCMAKE_BUILD_TYPE=Release -DFIX_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90 -DFIX_WERROR=ON >/dev/null
cmake --build $B --target fix test_gpu | tail -1
VOCAB=$(ls build*/npm/tokenizer-qwen3/models/tokenizer.json 2>/dev/null | head -1)
[ -n "$VOCAB" ] || { echo "pack: no Qwen vocabulary in a build tree (configure build/ first)" >&2; exit 1; }
rm -rf .gpu && mkdir -p .gpu/bin .gpu/lib .gpu/libc
cp $B/fix $B/tests/test_gpu .gpu/bin/
strip .gpu/bin/*
gzip -9 -c "$VOCAB" >.gpu/tokenizer.json.gz
cp tests/gpu/run.sh .gpu/ 2>/dev/null || true
# the libraries: glibc's own in libc/ (used only when the device's are older), the rest in lib/
for b in .gpu/bin/*; do ldd "$b"; done | awk '/=> \//{print $3} /^\t\/lib64/{print $1}' | sort -u | while read -r so; do
  case "$(basename "$so")" in
    libc.so.*|libm.so.*|libpthread.so.*|libdl.so.*|librt.so.*|ld-linux*|libresolv.so.*) cp -L "$so" .gpu/libc/ ;;
    *) cp -L "$so" .gpu/lib/ ;;
  esac
done
ldd .gpu/bin/fix | grep -qE 'libcuda|libcudart' && { echo "pack: fix links a CUDA library dynamically" >&2; exit 1; }
du -sh .gpu | cut -f1 | sed 's/^/pack: .gpu is /'
ls .gpu/lib | tr '\n' ' '; echo
