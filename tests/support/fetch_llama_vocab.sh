#!/usr/bin/env bash
# fetch_llama_vocab.sh BUILD_DIR — llama.cpp's vocabulary GGUFs and tokenizer test vectors (its
# models/ directory, MIT) into BUILD_DIR/data/vocab, checked against llama_vocab.sha256 beside this
# script. They come from llama.cpp's source as node-llama-cpp@3.22.1 ships it on the npm registry
# (llama/gitRelease.bundle, a git bundle): the package the engine comparison installs is reused
# when it is there, otherwise only the package's tarball is fetched. Nothing is committed.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
SUMS=$(cd "$(dirname "$0")" && pwd)/llama_vocab.sha256
OUT=$BUILD/data/vocab
PKG=node-llama-cpp@3.22.1
check() { [ -d "$OUT" ] && (cd "$OUT" && sha256sum --quiet -c "$SUMS") >/dev/null 2>&1; }
if check; then echo "llama.cpp vocabularies: $OUT (checksums match)"; exit 0; fi
command -v git >/dev/null || { echo "git is needed to read llama.cpp's source bundle" >&2; exit 1; }
bundle=$BUILD/npm/node-llama-cpp/node_modules/node-llama-cpp/llama/gitRelease.bundle
if [ ! -f "$bundle" ]; then
  command -v npm >/dev/null || { echo "npm is needed to fetch $PKG (./setup.sh installs it)" >&2; exit 1; }
  dir=$BUILD/npm/node-llama-cpp-pack
  bundle=$dir/package/llama/gitRelease.bundle
  if [ ! -f "$bundle" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    tgz=$(cd "$dir" && npm pack "$PKG" --silent 2>"$dir/npm.log") ||
      { cat "$dir/npm.log" >&2; echo "npm pack $PKG failed" >&2; exit 1; }
    tar -xzf "$dir/$tgz" -C "$dir" package/llama/gitRelease.bundle
    rm -f "$dir/$tgz"
  fi
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fix-vocab-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
git clone -q --no-checkout "$bundle" "$tmp/src"
names=$(awk '{print "models/" $2}' "$SUMS")
# shellcheck disable=SC2086
git -C "$tmp/src" archive HEAD $names | tar -x -C "$tmp"
mkdir -p "$OUT"
mv "$tmp"/models/* "$OUT"/
if ! check; then
  (cd "$OUT" && sha256sum -c "$SUMS" | grep -v ': OK$') >&2 || true
  echo "llama.cpp's vocabularies in $PKG do not match $SUMS" >&2
  exit 1
fi
echo "llama.cpp vocabularies: $(wc -l <"$SUMS") files in $OUT, checksums match"
