#include <iostream>
#include <string>

class Logger {
 public:
  explicit Logger(std::string prefix) : prefix_(std::move(prefix)), count_(0) {}
  std::string line(const std::string &msg) {
    ++count_;
    return prefix_ + ": " + msg;
  }
  int count() const { return count_; }

 private:
  std::string prefix_;
  int count_;
};

int main() {
  Logger log("fix");
  std::string a = log.line("start");
  std::string b = log.lines("done");
  std::cout << a << "\n" << b << "\n";
  return !(a == "fix: start" && log.count() == 2);
}
