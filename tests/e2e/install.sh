#!/usr/bin/env bash
# install.sh BUILD-DIR — `cmake --install` into a temporary prefix, then fix run from there: it
# finds its prompts and its interception library under the prefix and repairs a project; the man
# page renders; the bash, zsh and fish completions load and complete; every option of --help is
# one the parser takes (one table feeds both); OPENAI_BASE_URL and OLLAMA_HOST are honoured below
# fix's own settings and shown with their source.
BUILD=$(readlink -f "${1:?usage: $0 build-dir}")
source "$(dirname "$0")/lib.sh" "$BUILD/fix"
need git; need make; need cc
P=$WORK/prefix
cmake --install "$BUILD" --prefix "$P" >/dev/null 2>&1; rc=$?
expect "cmake --install (got $rc)" [ "$rc" -eq 0 ]
F=$P/bin/fix
expect "installed: the binary, the library, the wrapper, prompts, man page, completions" bash -c "
  [ -x '$F' ] && [ -f '$P/lib/fix/libfix_intercept.so' ] && [ -x '$P/lib/fix/fix-intercept-exec' ] &&
  [ -f '$P/share/fix/prompts/c-search-replace.txt' ] && [ -f '$P/share/man/man1/fix.1' ] &&
  [ -f '$P/share/bash-completion/completions/fix' ] && [ -f '$P/share/zsh/site-functions/_fix' ] &&
  [ -f '$P/share/fish/vendor_completions.d/fix.fish' ]"
expect "installed fix finds its prompts under the prefix" bash -c "'$F' config | grep -q '^# prompts: *$P/share/fix/prompts\$'"
cp -r "$HERE/../../corpus/c/quickstart/broken" "$WORK/q"; git_init "$WORK/q"
out=$("$F" -C "$WORK/q" --backend none -- make 2>&1); rc=$?
expect "installed fix repairs a project (got $rc)" [ "$rc" -eq 0 ]
expect "installed fix sees the compilers (its library found under the prefix)" bash -c "! grep -q 'cannot see the compilers' <<<\"\$1\"" _ "$out"

# the manual page
if command -v man >/dev/null; then
  expect "the man page renders, with every option" bash -c "MANWIDTH=100 man -l '$P/share/man/man1/fix.1' 2>/dev/null | grep -q -- '--max-iterations'"
fi
# completions, in the shells themselves
expect "bash completes backends" bash -c "source '$P/share/bash-completion/completions/fix'; COMP_WORDS=(fix --backend ''); COMP_CWORD=2; _fix; [ \"\${COMPREPLY[*]}\" = 'local openai ollama replay none' ]"
expect "bash completes options" bash -c "source '$P/share/bash-completion/completions/fix'; COMP_WORDS=(fix --max-it); COMP_CWORD=1; _fix; [ \"\${COMPREPLY[*]}\" = '--max-iterations' ]"
if command -v fish >/dev/null; then
  expect "fish completes edit formats" bash -c "fish -c \"source '$P/share/fish/vendor_completions.d/fix.fish'; complete -C 'fix --edit-format '\" | grep -q '^udiff'"
fi
if command -v zsh >/dev/null; then
  expect "zsh loads the completion" zsh -c "fpath=('$P/share/zsh/site-functions' \$fpath); autoload -Uz compinit; compinit -u -d '$WORK/zcomp'; [[ \${_comps[fix]} == _fix ]]"
fi

# one table: every option --help lists is one the parser accepts
mkdir -p "$WORK/empty"; (cd "$WORK/empty" && git init -q)
nopts=$("$F" --help | grep -cE "^ +(-[a-zA-Z], )?--?[a-zA-Z]")
expect "--help lists the options ($nopts)" [ "$nopts" -ge 25 ]
bad=0
while read -r opt arg; do
  case $opt in --help|--version|-C) continue ;; esac
  case $arg in N) v=2 ;; S) v=5 ;; T) v=0.5 ;; WHEN) v=never ;; NAME) v=none ;; F) v=udiff ;; URL) v=http://127.0.0.1:9/v1 ;; *) v=$WORK/x ;; esac
  [ "$opt" = --model ] && v=none
  [ "$opt" = --replay ] && { echo '{"replies": []}' > "$WORK/x"; }
  if [ -n "$arg" ]; then args=("$opt" "$v"); else args=("$opt"); fi
  o=$("$F" -C "$WORK/empty" --allow-no-vcs "${args[@]}" -- true 2>&1)
  grep -q "unknown option" <<<"$o" && { bad=$((bad + 1)); echo "not parsed: $opt $arg"; }
done < <("$F" --help | sed -nE 's/^ +(-[a-zA-Z], )?(--?[a-zA-Z-]+)( ([A-Z]+))? .*/\2 \4/p')
expect "every --help option is parsed ($bad not)" [ "$bad" -eq 0 ]

# the ecosystem's variables, below fix's own
cfg=$(cd "$WORK/empty" && FIX_BACKEND=openai OPENAI_BASE_URL=http://127.0.0.1:8080/v1 "$F" config 2>&1)
expect "OPENAI_BASE_URL shown with its source" grep -q 'base_url *= http://127.0.0.1:8080/v1 *# environment (OPENAI_BASE_URL' <<<"$cfg"
cfg=$(cd "$WORK/empty" && FIX_BACKEND=ollama OLLAMA_HOST=127.0.0.1:11500 "$F" config 2>&1)
expect "OLLAMA_HOST (host:port) becomes a URL" grep -q 'base_url *= http://127.0.0.1:11500 *# environment (OLLAMA_HOST' <<<"$cfg"
cfg=$(cd "$WORK/empty" && FIX_BACKEND=ollama OLLAMA_HOST=127.0.0.1:11500 FIX_BASE_URL=http://mine/ "$F" config 2>&1)
expect "fix's own setting wins" grep -q 'base_url *= http://mine/ *# environment (FIX_BASE_URL)' <<<"$cfg"
finish
