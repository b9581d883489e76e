#!/usr/bin/env bash
# refactor.sh — issue 29's regression tests, as it wrote them:
#  1. the emit_line/stats_add project: a middle parameter removed from emit_line() and stats_add()
#     renamed to stats_record(), in their headers and definitions, uncommitted; the callers in two
#     files left behind. `fix --backend none -- make`, with no flag, completes the refactor as the
#     developer would have (both callers, the right argument dropped), `make check` passes, and
#     `fix undo` gives the developer's uncommitted tree back byte for byte;
#  2. a field renamed in its header with 300 uses left in 3 files: one pass, well under a minute,
#     a few dozen checks.
source "$(dirname "$0")/lib.sh"
need git; need make; need cc; need python3

# ---- 1
P=$WORK/emit; mkdir -p "$P"
cat > "$P/emit.h" <<'C'
#ifndef EMIT_H
#define EMIT_H
#include <stdio.h>
void emit_line(int depth, int flags, FILE *out, const char *text);
#endif
C
cat > "$P/emit.c" <<'C'
#include "emit.h"
void emit_line(int depth, int flags, FILE *out, const char *text) {
  fprintf(out, "%*s%s%s\n", depth * 2, "", flags ? "* " : "", text);
}
C
cat > "$P/stats.h" <<'C'
#ifndef STATS_H
#define STATS_H
struct stats { int n, sum; };
void stats_add(struct stats *s, int v);
#endif
C
cat > "$P/stats.c" <<'C'
#include "stats.h"
void stats_add(struct stats *s, int v) { s->n++; s->sum += v; }
C
cat > "$P/report.c" <<'C'
#include "emit.h"
#include "stats.h"
void report(FILE *out, struct stats *st, int depth) {
  emit_line(depth, 0, out, "report");
  stats_add(st, depth);
  emit_line(depth + 1, 0, out, "done");
}
C
cat > "$P/main.c" <<'C'
#include "emit.h"
#include "stats.h"
void report(FILE *out, struct stats *st, int depth);
int main(void) {
  struct stats st = {0, 0};
  emit_line(0, 0, stdout, "start");
  stats_add(&st, 5);
  report(stdout, &st, 1);
  printf("%d %d\n", st.n, st.sum);
  return st.n == 2 && st.sum == 6 ? 0 : 1;
}
C
cat > "$P/Makefile" <<'M'
CFLAGS = -Wall -Werror=implicit-function-declaration
app: main.o report.o emit.o stats.o
	$(CC) -o $@ $^
check: app
	./app > out.txt && printf 'start\n  report\n    done\n2 6\n' | cmp - out.txt
.PHONY: check
M
printf 'app\n*.o\nout.txt\n' > "$P/.gitignore"
git_init "$P"
# the developer's change, half done: the flags parameter gone and stats_add renamed, in the headers
# and definitions only
sed -i 's/int depth, int flags, FILE \*out/int depth, FILE *out/; s/flags ? "\* " : ""/""/; s/%s%s\\n", depth \* 2, "", ""/%s\\n", depth * 2, ""/' "$P/emit.h" "$P/emit.c"
sed -i 's/stats_add/stats_record/' "$P/stats.h" "$P/stats.c"
mine=$(cd "$P" && sha256sum emit.h emit.c stats.h stats.c report.c main.c)
out=$("$FIX" --backend none -C "$P" -- make 2>&1); rc=$?
expect "emit/stats: the refactor is completed, exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
expect "emit/stats: report.c as the developer would have written it" \
  bash -c 'grep -q "emit_line(depth, out, \"report\");" "$1" && grep -q "stats_record(st, depth);" "$1" &&
           grep -q "emit_line(depth + 1, out, \"done\");" "$1"' _ "$P/report.c"
expect "emit/stats: main.c too" \
  bash -c 'grep -q "emit_line(0, stdout, \"start\");" "$1" && grep -q "stats_record(&st, 5);" "$1"' _ "$P/main.c"
expect "emit/stats: the developer's own files are untouched" \
  [ "$(cd "$P" && sha256sum emit.h emit.c stats.h stats.c)" = "$(grep -E ' (emit|stats)\.' <<<"$mine")" ]
expect "emit/stats: make check passes" make -s -C "$P" check
"$FIX" undo -C "$P" >/dev/null 2>&1
expect "emit/stats: fix undo gives the uncommitted tree back byte for byte" \
  [ "$(cd "$P" && sha256sum emit.h emit.c stats.h stats.c report.c main.c)" = "$mine" ]

# ---- 2: 300 uses of a renamed field in 3 files
P=$WORK/field; mkdir -p "$P"
printf '#ifndef ITEM_H\n#define ITEM_H\nstruct item { int qty; int price; };\n#endif\n' > "$P/item.h"
for f in a b c; do
  python3 - "$f" > "$P/$f.c" <<'PY'
import sys
f = sys.argv[1]
print('#include "item.h"')
for i in range(10):
    print("int %s_sum%d(struct item *v, int n) {\n  int t = 0;\n  for (int i = 0; i < n; i++) {" % (f, i))
    for k in range(10):
        print("    t += v[i].qty * %d;" % (k + 1))
    print("  }\n  return t;\n}")
PY
done
printf 'CFLAGS = -Wall\nlib.a: a.o b.o c.o\n\tar rcs $@ $^\n' > "$P/Makefile"
printf '*.o\nlib.a\n' > "$P/.gitignore"
git_init "$P"
sed -i 's/int qty;/int quantity;/' "$P/item.h"
uses=$(cat "$P"/[abc].c | grep -o '\.qty\b' | wc -l)
t0=$(date +%s)
out=$("$FIX" --backend none -C "$P" -- make 2>&1); rc=$?
took=$(( $(date +%s) - t0 ))
checks=$(grep -o 'builds [^,]*, [0-9]* checks' <<<"$out" | grep -o '[0-9]* checks' | grep -o '[0-9]*')
echo "300-use rename: $uses uses, ${took} s, ${checks:-?} checks"
expect "300 uses ($uses): the build passes (got $rc): $out" bash -c '[ "$1" -eq 0 ] && [ "$2" -eq 300 ]' _ "$rc" "$uses"
expect "300 uses: none left" bash -c '! grep -q "\.qty\b" "$1"/[abc].c && [ "$(cat "$1"/[abc].c | grep -o "\.quantity\b" | wc -l)" -eq 300 ]' _ "$P"
expect "300 uses: well under a minute (${took} s)" [ "$took" -lt 30 ]
expect "300 uses: a few dozen checks at most (${checks:-none})" bash -c '[ -n "$1" ] && [ "$1" -le 36 ]' _ "$checks"
finish
