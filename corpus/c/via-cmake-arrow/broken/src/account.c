#include "account.h"

void deposit(struct account *a, int amount) {
  a.balance += amount;
}
