#include "util.h"

int scale(int v, int num, int den) {
  return (v * num + den / 2) / den;
}
