#include "element.h"

int main() {
  Element e;
  e.SetText(2.5);
  if (e.Text() != "2.5")
    return 1;
  e.SetText(7);
  return e.Text() == "7" ? 0 : 1;
}
