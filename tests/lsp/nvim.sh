#!/bin/bash
# nvim.sh FIX — headless Neovim drives `fix lsp` through editors/nvim (skips without nvim).
set -u
FIX=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
command -v nvim >/dev/null || { echo "skipping: nvim is not installed (apt install neovim)"; exit 77; }
. "$HERE/fixture.sh"
make_fixture
export FIX_BIN=$FIX FIX_REPLAY=$DIR/replay.json FIX_FILE=$DIR/main.c FIX_EDITORS=$HERE/../../editors
export XDG_CONFIG_HOME=$DIR/config XDG_STATE_HOME=$DIR/state XDG_CACHE_HOME=$DIR/cache XDG_DATA_HOME=$DIR/data
timeout 60 nvim --headless --clean -n -c "luafile $HERE/nvim_test.lua" </dev/null
rc=$?
check_fixed "Neovim" $rc
