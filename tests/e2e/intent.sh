#!/usr/bin/env bash
# intent.sh — fix completes the change the developer started (issue 29, part 2): a field renamed
# and a parameter removed in the header and definition, uses left behind (in git, and a parameter
# added in a Mercurial working copy); a function renamed in its
# own file with the caller left behind, which only the link step reports. The uses follow the
# developer's change (the middle argument dropped, not the last); their own edits stay as they are.
source "$(dirname "$0")/lib.sh"
need git; need make; need cc
P=$WORK/p
mkdir -p "$P"
cat > "$P/order.h" <<'C'
#ifndef ORDER_H
#define ORDER_H
struct order {
  int qty;
  double price;
};
double order_total(const struct order *o, int verbose, double tax);
#endif
C
cat > "$P/order.c" <<'C'
#include <stdio.h>
#include "order.h"
double order_total(const struct order *o, int verbose, double tax) {
  if (verbose)
    printf("%d x %.2f\n", o->qty, o->price);
  return o->qty * o->price * (1 + tax);
}
C
cat > "$P/lib.c" <<'C'
int compute_sum(int n) { return n * (n + 1) / 2; }
C
cat > "$P/extra.c" <<'C'
int compute_sum(int n);
int twice_sum(int n) { return 2 * compute_sum(n); }
C
cat > "$P/main.c" <<'C'
#include <stdio.h>
#include "order.h"
int compute_sum(int n);
int twice_sum(int n);
int main(void) {
  struct order o = {3, 2.0};
  int n = o.qty;
  printf("%.2f %d %d %d\n", order_total(&o, 0, 0.5), n, compute_sum(4), twice_sum(2));
  return 0;
}
C
printf 'app: main.o order.o lib.o extra.o\n\tcc -o app main.o order.o lib.o extra.o\n%%.o: %%.c order.h\n\tcc -Wall -c $<\n' > "$P/Makefile"
printf '*.o\napp\n' > "$P/.gitignore"
git_init "$P"
# mid-change: qty -> quantity, the verbose parameter gone, compute_sum -> sum_to
sed -i 's/  int qty;/  int quantity;/; s/, int verbose, double tax);/, double tax);/' "$P/order.h"
cat > "$P/order.c" <<'C'
#include <stdio.h>
#include "order.h"
double order_total(const struct order *o, double tax) {
  return o->quantity * o->price * (1 + tax);
}
C
sed -i 's/compute_sum/sum_to/' "$P/lib.c"
mine=$(cd "$P" && sha256sum order.h order.c lib.c)
out=$("$FIX" -v --backend none -C "$P" -- make 2>&1); rc=$?
expect "the refactor is completed, exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
expect "fix read the change: the rename" grep -q "your change: field 'qty' renamed to 'quantity' (order.h)" <<<"$out"
expect "fix read the change: the parameter" grep -q "your change: parameter 2 ('verbose') of 'order_total' removed" <<<"$out"
expect "the use follows the rename, labelled" grep -q "completes your rename of field 'qty' to 'quantity'" <<<"$out"
expect "the middle argument is dropped, labelled" grep -q "drop argument 2 ('0') of order_total(): completes your removal of parameter 'verbose'" <<<"$out"
expect "the link step renames the calls in both files at once, not the definition back" \
  grep -q "completes your rename of 'compute_sum' to 'sum_to' (lib.c): 4 uses in 2 files" <<<"$out"
expect "the developer's own files are as they left them" [ "$(cd "$P" && sha256sum order.h order.c lib.c)" = "$mine" ]
expect "main.c completes the change" bash -c 'grep -q "o.quantity" "$1" && grep -q "order_total(&o, 0.5)" "$1" && grep -q "int sum_to(int n);" "$1" && grep -q "sum_to(4)" "$1"' _ "$P/main.c"
expect "the program runs right" bash -c '[ "$("$1/app")" = "9.00 3 10 6" ]' _ "$P"

# the model sees the change: with the model-free repairs off, the prompt (sent to a loopback
# OpenAI-style server that keeps it) carries the developer's hunk that renamed the field
need python3
(cd "$P" && git checkout -q main.c)
cat > "$WORK/server.py" <<'PY'
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        open(sys.argv[2], "ab").write(body + b"\n")
        reply = json.dumps({"choices": [{"message": {"role": "assistant", "content": "no edit"}}]}).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply))); self.end_headers(); self.wfile.write(reply)
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_port))
s.serve_forever()
PY
python3 "$WORK/server.py" "$WORK/port" "$WORK/requests" & server=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
out=$(OPENAI_API_KEY=k "$FIX" --backend openai --base-url "http://127.0.0.1:$(cat "$WORK/port")/v1" --no-repairs \
  --no-fixits --candidates 1 --attempts 1 --max-iterations 1 -C "$P" -- make 2>&1); rc=$?
kill "$server" 2>/dev/null; wait "$server" 2>/dev/null
expect "the model was asked (got $rc): $out" [ -s "$WORK/requests" ]
expect "its prompt carries the developer's hunk: the field renamed" python3 -c '
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
text = "\n".join(m["content"] for r in reqs for m in r["messages"])
ok = "middle of this change" in text and "-  int qty;" in text and "+  int quantity;" in text
sys.exit(0 if ok else 1)' "$WORK/requests"

# Mercurial: the same change half done in an hg working copy (no git): read with `hg status` and
# `hg cat`, the repository's own hgrc skipped (a hook there must not run), completed; fix undo
# gives the developer's tree back byte for byte
if command -v hg >/dev/null 2>&1; then
  H=$WORK/hg; mkdir -p "$H"
  printf 'int emit(int level, const char *msg);\n' > "$H/lib.h"
  printf '#include "lib.h"\nint emit(int level, const char *msg) { return level + (msg[0] != 0); }\n' > "$H/lib.c"
  printf '#include "lib.h"\nint report(int level) { return emit(level, "r"); }\nint main(void) { return report(1) == 2 ? 0 : 1; }\n' > "$H/main.c"
  printf 'app: main.c lib.c lib.h\n\t$(CC) -Wall -o app main.c lib.c\n' > "$H/Makefile"
  (cd "$H" && HGPLAIN=1 hg init && printf 'syntax: glob\napp\n' > .hgignore && HGPLAIN=1 hg add -q && HGPLAIN=1 hg commit -q -u t -m head)
  printf '[hooks]\npre-status = touch %s/PWNED\npre-cat = touch %s/PWNED\n' "$H" "$H" >> "$H/.hg/hgrc"
  printf 'int emit(int level, unsigned flags, const char *msg);\n' > "$H/lib.h"
  printf '#include "lib.h"\nint emit(int level, unsigned flags, const char *msg) { return level + (int)flags + (msg[0] != 0); }\n' > "$H/lib.c"
  sed -i 's/int report(int level)/int report(int level, unsigned flags)/; s/report(1) == 2/report(1, 2) == 4/' "$H/main.c"
  mine=$(cd "$H" && sha256sum lib.h lib.c main.c)
  out=$("$FIX" -v --backend none -C "$H" -- make 2>&1); rc=$?
  expect "hg: the new parameter passed, exit 0 (got $rc): $out" bash -c '[ $1 -eq 0 ] && grep -q "emit(level, flags, \"r\")" "$2"' _ "$rc" "$H/main.c"
  expect "hg: the change was read" grep -q "your change: parameter 2 ('unsigned flags') added to 'emit'" <<<"$out"
  expect "hg: the repository's hooks did not run" [ ! -e "$H/PWNED" ]
  "$FIX" undo -C "$H" >/dev/null 2>&1
  expect "hg: fix undo gives the developer's tree back" [ "$(cd "$H" && sha256sum lib.h lib.c main.c)" = "$mine" ]
else
  left_out "the Mercurial half: hg is not installed (./setup.sh installs mercurial)"
fi
finish
