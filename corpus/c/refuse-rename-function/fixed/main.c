#include <stdio.h>

struct reading {
  int valid;
  double celsius;
};

static double average_valid(const struct reading *r, int n) {
  double sum = 0;
  int k = 0;
  for (int i = 0; i < n; i++) {
    if (r[i].valid) {
      sum += r[i].celsius;
      k++;
    }
  }
  return k ? sum / k : 0.0;
}

int main(void) {
  struct reading day[] = {{1, 18.5}, {0, -99.0}, {1, 21.5}, {1, 20.0}};
  printf("average %.1f C\n", average_valid(day, 4));
  return 0;
}
