#include <stdio.h>

static int parse_number(const char *s, int *out) {
  int v;
  if (sscanf(s, "%d", &v) != 1)
    return -1;
  *out = v;
  return 0;
}

int main(void) {
  const char *inputs[] = {"12", "x", "30"};
  int total = 0, bad = 0;
  for (int i = 0; i < 3; i++) {
    int v;
    if (parse_number(inputs[i], &v) == 0)
      total += v;
    else
      bad++;
  }
  printf("total %d, bad %d\n", total, bad);
  return !(total == 42 && bad == 1);
}
