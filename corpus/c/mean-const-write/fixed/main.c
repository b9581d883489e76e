#include <stdio.h>

static double mean(const double *v, int n) {
  double s = 0;
  for (int i = 0; i < n; i++)
    s += v[i];
  return n ? s / n : 0.0;
}

static void scale(double *v, int n, double by) {
  for (int i = 0; i < n; i++)
    v[i] *= by;
}

int main(void) {
  double v[] = {1.0, 2.0, 3.0, 6.0};
  scale(v, 4, 2.0);
  double m = mean(v, 4);
  printf("mean %.2f\n", m);
  return m != 6.0;
}
