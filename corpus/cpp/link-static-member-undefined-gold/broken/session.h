#pragma once

#include <string>

class Session {
 public:
  explicit Session(std::string user);
  ~Session();
  const std::string &user() const { return user_; }
  static int open_count();

 private:
  std::string user_;
  static int open_;
};
