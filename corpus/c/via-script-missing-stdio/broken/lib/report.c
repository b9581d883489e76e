#include "report.h"

void report(int v) {
  printf("value %d\n", v * TIMES);
}
