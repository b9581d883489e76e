#pragma once

#include <string>

class Account {
 public:
  Account(std::string owner, long cents);
  void deposit(long cents);
  long balance() const { return cents_; }
  std::string label() const;

 private:
  std::string owner_;
  long cents_;
};
