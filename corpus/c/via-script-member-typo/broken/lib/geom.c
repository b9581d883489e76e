#include "geom.h"

int shifted_x(struct point p) {
  return p.xx + DX;
}
