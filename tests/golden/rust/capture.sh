#!/usr/bin/env bash
# capture.sh — regenerates the golden rustc/clippy JSON from src/ and clippy_crate/ with the
# installed toolchain (rustc 1.95 here), and rustc's human-readable output (human/, the default
# format) and --error-format=short (short/) of the same sources. File names in the output are
# relative; cargo's absolute manifest_path is replaced by /golden/clippy_crate so the files are
# portable.
set -u
cd "$(dirname "$0")"
mkdir -p json human short
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for f in src/*.rs; do
  name=$(basename "$f" .rs)
  # never "-o /dev/null": rustc renames its output over the path, and as root that replaces the device
  (cd src && rustc --edition 2021 --crate-type lib --error-format=json --emit=metadata --out-dir "$out" "$name.rs") \
    2> "json/$name.json"
  (cd src && rustc --edition 2021 --crate-type lib --color never --emit=metadata --out-dir "$out" "$name.rs") \
    2> "human/$name.txt"
  (cd src && rustc --edition 2021 --crate-type lib --error-format=short --emit=metadata --out-dir "$out" "$name.rs") \
    2> "short/$name.txt"
done
here=$(pwd)
(cd clippy_crate && CARGO_TARGET_DIR=$(mktemp -d) cargo clippy --offline --message-format=json 2>/dev/null) |
  sed "s|$here/clippy_crate|/golden/clippy_crate|g" | grep '"reason":"compiler-message"' > json/clippy.json
