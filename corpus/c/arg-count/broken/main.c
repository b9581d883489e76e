#include <stdio.h>
#include <string.h>

static int sum(const int *v, int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s += v[i];
  return s;
}

int main(void) {
  int v[] = {1, 2, 3, 4};
  if (sum(v) != 10)
    return 1;
  printf("ok\n");
  return 0;
}
