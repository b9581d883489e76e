#!/bin/bash
# vscode.sh SRC-EDITORS BUILD-DIR — the VS Code extension: installs its pinned packages, compiles
# it (`npm run compile`), runs the tests of its pure logic with node, and packages it with
# @vscode/vsce 3.x. VS Code itself cannot be launched here. Skips when npm is unavailable.
set -u
SRC=$(realpath "$1")/vscode
WORK=$2/vscode-extension
command -v node >/dev/null && command -v npm >/dev/null || { echo "skipping: node/npm not installed"; exit 77; }
mkdir -p "$WORK"
# the sources, fresh; node_modules kept between runs
find "$WORK" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
(cd "$SRC" && tar cf - --exclude=node_modules --exclude=out --exclude='*.vsix' .) | (cd "$WORK" && tar xf -)
cd "$WORK"
if [ ! -x node_modules/.bin/vsce ] || [ ! -x node_modules/.bin/tsc ]; then
  npm install --no-audit --no-fund --silent >npm.log 2>&1 || { cat npm.log; echo "skipping: npm install failed"; exit 77; }
fi
npm test 2>&1 | tail -12
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "FAIL: the extension's tests"; exit 1; }
npm run --silent package >package.log 2>&1 || { cat package.log; echo "FAIL: vsce package"; exit 1; }
for f in extension/package.json extension/out/extension.js extension/out/settings.js extension/readme.md \
         extension/node_modules/vscode-languageclient/package.json; do
  unzip -l fix-lsp.vsix | grep -qi " $f\$" || { echo "FAIL: fix-lsp.vsix lacks $f"; unzip -l fix-lsp.vsix | head -20; exit 1; }
done
echo "vscode: compiled, tested and packaged $(du -k fix-lsp.vsix | cut -f1) KiB fix-lsp.vsix"
