#include <stdio.h>
#include <string.h>

struct account {
  char owner[32];
  long balance;
};

static void deposit(struct account *a, long amount) {
  a->balance += amount;
}

static int withdraw(struct account *a, long amount) {
  if (amount > a->balance)
    return -1;
  a->balance -= amount;
  return 0;
}

int main(void) {
  struct account acc;
  strcpy(acc.owner, "ada");
  acc.balance = 100;
  deposit(acc, 50);
  if (withdraw(&acc, 500) == 0)
    return 1;
  withdraw(&acc, 30);
  printf("%s has %ld\n", acc.owner, acc.balance);
  return acc.balance != 120;
}
