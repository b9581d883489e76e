#include <stdio.h>
#include "account.h"

int main(void) {
  struct account a = {START};
  deposit(&a, 5);
  printf("%d\n", a.balance);
  return a.balance == 105 ? 0 : 1;
}
