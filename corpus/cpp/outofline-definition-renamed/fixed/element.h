#pragma once
#include <string>

class Element {
public:
  void SetText(const char *text);
  void SetText(int value);
  void SetText(double value);
  const std::string &Text() const { return text_; }

private:
  std::string text_;
};
