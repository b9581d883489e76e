#include "inventory.h"

int main(void) {
  struct item items[] = {{"widget", 3, 2.5}, {"gadget", 4, 1.5}};
  const char *label = items[0].qty;
  double first = item_value(&items[0], 2);
  print_report(items, 2, label);
  return first > 0 ? 0 : 1;
}
