#include "lua.h"

int lua_arith(int a, int b) {
  int result = a * b;
  return reslt + a;
}
