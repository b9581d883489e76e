#!/usr/bin/env bash
# status_line.sh — the live status line in a real terminal (tmux): while the local engine writes
# candidates (a model made by fix's writer, 4 layers of the 0.5B shape: slow enough to watch), the
# screen shows what is being repaired, tokens so far, tokens/s and the time, on one line rewritten
# in place; it is gone when the call ends. Nothing of it under NO_COLOR, TERM=dumb, --json, or when
# the output is not a terminal.
source "$(dirname "$0")/lib.sh"
need tmux; need git; need make; need cc
VOCAB=$(dirname "$FIX")/npm/tokenizer-qwen3/models/tokenizer.json
[ -f "$VOCAB" ] || { echo "skipping: no tokenizer.json in the build tree (the engine tests fetch it)"; exit 77; }
"$FIX" model synth --shape qwen2.5-coder-0.5b --layers 4 --vocab "$VOCAB" --type q4_0 -o "$WORK/m.gguf" >/dev/null 2>&1 ||
  { echo "skipping: cannot make a model"; exit 77; }
# one error, so one model call
fresh() {
  rm -rf "$WORK/p"; mkdir -p "$WORK/p"
  printf 'int main(void) {\n  int total = 3;\n  return totl - 3;\n}\n' > "$WORK/p/main.c"
  printf 'app: main.c\n\t$(CC) -o app main.c\n' > "$WORK/p/Makefile"; printf 'app\n' > "$WORK/p/.gitignore"
  git_init "$WORK/p"
}
SOCK=$WORK/tmux.sock
t() { tmux -S "$SOCK" "$@"; }
ARGS="--no-fixits --no-repairs --candidates 2 --max-tokens 300 --attempts 1 -m $WORK/m.gguf"
# watch ENV: runs fix in a fresh 160x40 terminal with ENV, samples the screen until fix ends;
# sets $seen (status lines sampled) and $final (the last screen)
watch() {
  fresh
  t kill-server 2>/dev/null
  t new-session -d -x 160 -y 40 "cd '$WORK/p' && env -u NO_COLOR $1 '$FIX' $ARGS -- make; echo FIX-ENDED; sleep 60"
  seen=""
  for _ in $(seq 1 300); do
    screen=$(t capture-pane -p 2>/dev/null)
    line=$(grep -m1 'tok/s' <<<"$screen")
    [ -n "$line" ] && seen="$seen$line"$'\n'
    grep -q FIX-ENDED <<<"$screen" && break
    sleep 0.1
  done
  final=$(t capture-pane -p -S -100 2>/dev/null)
  t kill-server 2>/dev/null
}

watch "TERM=xterm-256color"
expect "a status line while the model writes: $(head -1 <<<"$seen")" grep -q "local writing .*: [0-9]* tokens\?, [0-9.]* tok/s, [0-9.]* s" <<<"$seen"
expect "it updates (several different samples)" [ "$(sort -u <<<"$seen" | grep -c tok/s)" -ge 2 ]
expect "it names what is being repaired" grep -q "writing .*\.c:[0-9]*:[0-9]*: " <<<"$seen"
expect "and is gone when the call ends" bash -c "! grep -q 'tok/s' <<<\"\$1\" && grep -q 'fix: summary' <<<\"\$1\"" _ "$final"
watch "TERM=xterm-256color NO_COLOR=1"
expect "NO_COLOR: no status line" [ -z "$seen" ]
watch "TERM=dumb"
expect "TERM=dumb: no status line" [ -z "$seen" ]
fresh
out=$("$FIX" -C "$WORK/p" $ARGS -- make 2>&1 | cat)
expect "not a terminal: no status line" bash -c "! grep -q 'tok/s' <<<\"\$1\" && ! grep -q \$'\\r' <<<\"\$1\"" _ "$out"
finish
