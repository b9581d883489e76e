#include "report.h"

int main(void) {
  report(2);
  return 0;
}
