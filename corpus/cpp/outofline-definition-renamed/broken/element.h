#pragma once
#include <string>

#define ELEMENT_API /* __attribute__((visibility("default"))) in a shared build */

class ELEMENT_API Element {
public:
  void SetText(const char *text);
  void SetText(int value);
  void SetText(double value);
  const std::string &Text() const { return text_; }

private:
  std::string text_;
};
