#!/usr/bin/env bash
# intent.sh — fix completes the change the developer started (issue 29, part 2): a field renamed
# and a parameter removed in the header and definition, uses left behind; a function renamed in its
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
cat > "$P/main.c" <<'C'
#include <stdio.h>
#include "order.h"
int compute_sum(int n);
int main(void) {
  struct order o = {3, 2.0};
  int n = o.qty;
  printf("%.2f %d %d\n", order_total(&o, 0, 0.5), n, compute_sum(4));
  return 0;
}
C
printf 'app: main.o order.o lib.o\n\tcc -o app main.o order.o lib.o\n%%.o: %%.c order.h\n\tcc -Wall -c $<\n' > "$P/Makefile"
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
expect "the link step renames the call, not the definition back" grep -q "completes your rename of 'compute_sum' to 'sum_to'" <<<"$out"
expect "the developer's own files are as they left them" [ "$(cd "$P" && sha256sum order.h order.c lib.c)" = "$mine" ]
expect "main.c completes the change" bash -c 'grep -q "o.quantity" "$1" && grep -q "order_total(&o, 0.5)" "$1" && grep -q "int sum_to(int n);" "$1" && grep -q "sum_to(4)" "$1"' _ "$P/main.c"
expect "the program runs right" bash -c '[ "$("$1/app")" = "9.00 3 10" ]' _ "$P"
finish
