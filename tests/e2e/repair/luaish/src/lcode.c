#include "lua.h"
#ifdef LUA_USE_POSIX
#include <unistd.h>
#endif

void lua_copyname(lua_State *L, char *out, size_t n) {
  size_t len = strlen(L->name);
  if (len >= n)
    len = n - 1;
  memcpy(out, L->name, len);
  out[len] = '\0';
}
