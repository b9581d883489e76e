#include <stdio.h>

static int max_of(const int *v, int n) {
  int best = v[0];
  for (int i = 1; i < n; i++)
    if (v[i] > best)
      best = v[i];
  return best;
}

int main(void) {
  int data[] = {4, 9, 2, 7};
  int m = max_of(data, 4));
  printf("max %d\n", m);
  return m != 9;
}
