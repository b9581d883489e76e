#ifndef HIST_H
#define HIST_H

struct bucket {
  const char *label;
  int count;
};

void hist_print(const struct bucket *b, int n, char mark);

#endif
