#include "report.h"

#include "emit.h"

void report_item(int depth, int flags, FILE *out, const char *name) {
  if (flags & 1)
    emit_line(depth + 1, flags, out, name);
}
