#include "lua.h"

int lua_gettop(lua_State *L) {
  int n = L->top - L->base
  return n;
}
