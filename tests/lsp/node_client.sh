#!/bin/bash
# node_client.sh FIX BUILD-DIR — the node client test (vscode-jsonrpc from npm, installed into
# the build tree on first run). Skips when node or npm is missing or the install fails.
set -u
FIX=$1
BUILD=$2
command -v node >/dev/null && command -v npm >/dev/null || { echo "skipping: node/npm not installed"; exit 77; }
MODS=$BUILD/npm/lsp-client
if [ ! -d "$MODS/node_modules/vscode-languageserver-protocol" ]; then
  mkdir -p "$MODS" && (cd "$MODS" && npm install vscode-languageserver-protocol@3.17.5 vscode-jsonrpc@8.2.0 \
    --no-audit --no-fund --silent) >/dev/null 2>&1 || { echo "skipping: npm could not install vscode-languageserver-protocol"; exit 77; }
fi
exec node "$(dirname "$0")/node_client.mjs" "$FIX" "$MODS/node_modules"
