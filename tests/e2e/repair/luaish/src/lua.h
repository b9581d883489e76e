#ifndef LUA_H
#define LUA_H
#include <stddef.h>

typedef struct lua_State {
  int top, base;
  const char *name;
} lua_State;

int lua_gettop(lua_State *L);
void lua_copyname(lua_State *L, char *out, size_t n);
int lua_arith(int a, int b);
#endif
