#include "session.h"

#include <utility>

int Session::open_ = 0;

Session::Session(std::string user) : user_(std::move(user)) {
  ++open_;
}

Session::~Session() {
  --open_;
}

int Session::open_count() {
  return open_;
}
