#include <stdio.h>

#include "report.h"
#include "textstat.h"

void report_print(const char *label, const char *text) {
  printf("%s: %d lines, %d words, %d chars\n", label, line_count(text), word_count(text), char_count(text));
}
