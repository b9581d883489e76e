#!/usr/bin/env bash
# first_token.sh — from process start to the first generated token: the wall clock of
# `fix run -n 1` on a ~100-token code prompt (exit included, so a little over), N runs, median.
# The first run is shown apart: on a model's first load fix packs its weights and writes the
# packed-weights cache (FIX_PACK_CACHE), later loads map it.
#   tests/bench/first_token.sh build/fix MODEL.gguf [N]     (N defaults to 7)
set -eu
FIX=$1; M=$2; N=${3:-7}
P='static int parse_item(struct parser *p, struct item *it) {
  if (!p || !it)
    return -1;
  it->qty = read_int(p, "qty");
  it->name = read_str(p, "name");
  if (it->qty < 0) {
    fprintf(stderr, "bad quantity %d in %s\n", it->qty, p->file);
    return -2;
  }
  return 0;
}
int main(void) { struct parser p = {0}; struct item it; return parse_item(&p, &it); }'
wall() {
  local t0=$EPOCHREALTIME line
  line=$("$FIX" run -m "$M" -p "$P" -n 1 -t 2 2>&1 >/dev/null | grep "fix run:")
  echo "$(echo "$EPOCHREALTIME - $t0" | bc -l) $line"
}
first=$(wall)
printf 'first run:  %.3f s  (%s)\n' "${first%% *}" "$(sed -E 's/.*(load [0-9.]+ s).*(prompt [0-9]+ tokens [0-9.]+ s).*; (qwen2|llama) [^,]+, ([^,]+),.*/\1, \2, \4/' <<<"${first#* }")"
: > /tmp/first_token.$$
for i in $(seq "$N"); do
  r=$(wall)
  echo "${r%% *}" >> /tmp/first_token.$$
  printf 'run %d:      %.3f s  (%s)\n' "$i" "${r%% *}" "$(sed -E 's/.*(load [0-9.]+ s).*(prompt [0-9]+ tokens [0-9.]+ s).*; (qwen2|llama) [^,]+, ([^,]+),.*/\1, \2, \4/' <<<"${r#* }")"
done
med=$(sort -g /tmp/first_token.$$ | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
rm -f /tmp/first_token.$$
printf 'process start to first token: median %.3f s of %d runs\n' "$med" "$N"
