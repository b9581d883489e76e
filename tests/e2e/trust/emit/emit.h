#ifndef EMIT_H
#define EMIT_H
#include <stdio.h>

/* Writes text on its own line, indented by depth. (The flags parameter went: its one flag moved
 * into the caller.) */
void emit_line(int depth, FILE *out, const char *text);

#endif
