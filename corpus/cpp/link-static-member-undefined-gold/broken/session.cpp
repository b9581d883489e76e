#include "session.h"

#include <utility>

Session::Session(std::string user) : user_(std::move(user)) {
  ++open_;
}

Session::~Session() {
  --open_;
}

int Session::open_count() {
  return open_;
}
