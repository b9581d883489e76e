#include "hist.h"

int main(void) {
  struct bucket days[] = {{"mon", 3}, {"tue", 5}, {"wed", 1}};
  hist_print(days, 3, '#');
  return 0;
}
