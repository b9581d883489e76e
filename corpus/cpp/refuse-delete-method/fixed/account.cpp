#include "account.h"

#include <utility>

Account::Account(std::string owner, long cents) : owner_(std::move(owner)), cents_(cents) {}

void Account::deposit(long cents) {
  cents_ += cents;
}

std::string Account::label() const {
  return owner_ + ": " + std::to_string(cents_) + " cents";
}
