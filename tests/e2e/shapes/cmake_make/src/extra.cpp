#include "api.h"

struct Holder { int v; };

extern "C" int doubled(int v) {
  Holder h{v};
  Holder *p = &h;
  return p.v * 2;
}
