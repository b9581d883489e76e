#include "emit.h"

void emit_line(int depth, FILE *out, const char *text) {
  for (int i = 0; i < depth; i++)
    fputs("  ", out);
  fputs(text, out);
  fputc('\n', out);
}
