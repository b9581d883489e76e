#!/usr/bin/env bash
# capture.sh — regenerates the golden rustc/clippy JSON from src/ and clippy_crate/ with the
# installed toolchain (rustc 1.95 here). File names in the output are relative; cargo's absolute
# manifest_path is replaced by /golden/clippy_crate so the files are portable.
set -u
cd "$(dirname "$0")"
mkdir -p json
for f in src/*.rs; do
  name=$(basename "$f" .rs)
  (cd src && rustc --edition 2021 --crate-type lib --error-format=json --emit=metadata -o /dev/null "$name.rs") \
    2> "json/$name.json"
done
here=$(pwd)
(cd clippy_crate && CARGO_TARGET_DIR=$(mktemp -d) cargo clippy --offline --message-format=json 2>/dev/null) |
  sed "s|$here/clippy_crate|/golden/clippy_crate|g" | grep '"reason":"compiler-message"' > json/clippy.json
