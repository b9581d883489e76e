#ifndef ESCAPE_H
#define ESCAPE_H
#include <stddef.h>
void render(const char *title, const char *body, char *out, size_t cap);
#endif
