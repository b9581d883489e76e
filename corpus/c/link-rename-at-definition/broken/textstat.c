#include <ctype.h>

#include "textstat.h"

int char_count(const char *s) {
  int n = 0;
  while (s[n])
    n++;
  return n;
}

int word_count(const char *s) {
  int words = 0, in_word = 0;
  for (; *s; s++) {
    if (isspace((unsigned char)*s)) {
      in_word = 0;
    } else if (!in_word) {
      in_word = 1;
      words++;
    }
  }
  return words;
}

int line_count(const char *s) {
  int lines = 0;
  for (; *s; s++)
    lines += *s == '\n';
  return lines;
}
