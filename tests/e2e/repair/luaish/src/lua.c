#include <stdio.h>
#include "lua.h"

int main(void) {
  lua_State L = {5, 2, "lua"};
  char buf[8];
  lua_copyname(&L, buf, sizeof buf);
  const char *label = lua_gettop(&L);
  printf("%s %d %s\n", buf, lua_arith(2, 3), label);
  return 0;
}
