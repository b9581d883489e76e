#include "report.h"
#include <stdio.h>

void report(int v) {
  printf("value %d\n", v * TIMES);
}
