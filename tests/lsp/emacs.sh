#!/bin/bash
# emacs.sh FIX — Emacs in batch mode with eglot drives `fix lsp` through editors/emacs (skips
# without emacs or eglot).
set -u
FIX=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
command -v emacs >/dev/null || { echo "skipping: emacs is not installed (apt install emacs-nox elpa-eglot)"; exit 77; }
emacs --batch --eval '(progn (require (quote package)) (package-initialize) (require (quote eglot)))' >/dev/null 2>&1 \
  || { echo "skipping: eglot is not installed (apt install elpa-eglot)"; exit 77; }
. "$HERE/fixture.sh"
make_fixture
export FIX_BIN=$FIX FIX_REPLAY=$DIR/replay.json FIX_FILE=$DIR/main.c FIX_EDITORS=$HERE/../../editors
export XDG_CONFIG_HOME=$DIR/config XDG_STATE_HOME=$DIR/state XDG_CACHE_HOME=$DIR/cache HOME=$DIR/home
mkdir -p "$DIR/home"
timeout 90 emacs --batch -q -l "$HERE/emacs_test.el" </dev/null 2>"$DIR/emacs.log"
rc=$?
[ $rc -eq 0 ] || cat "$DIR/emacs.log"
check_fixed "Emacs eglot" $rc
