#include <stdio.h>
#include <string.h>

#define EMIT(s) fputs((s), out)

/* LaTeX for a bold span; the braces inside the strings are LaTeX's, not C's */
static void render_bold(FILE *out, const char *text) {
  EMIT("\\textbf{");
  EMIT(text);
  EMIT("}");
}

int main(void) {
  char buf[64] = {0};
  FILE *out = fmemopen(buf, sizeof buf, "w");
  if (!out)
    return 1;
  render_bold(out, "fix");
  fclose(out);
  puts(buf);
  return strcmp(buf, "\\textbf{fix}") != 0;
}
