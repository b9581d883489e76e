#include <math.h>

#include "stats.h"

double stats_mean(const double *v, int n) {
  double s = 0;
  for (int i = 0; i < n; i++)
    s += v[i];
  return s / n;
}

double stats_stddev(const double *v, int n) {
  double m = stats_mean(v, n), ss = 0;
  for (int i = 0; i < n; i++)
    ss += (v[i] - m) * (v[i] - m);
  return sqrt(ss / n);
}

double stats_geomean(const double *v, int n) {
  double p = 1;
  for (int i = 0; i < n; i++)
    p *= v[i];
  return pow(p, 1.0 / n);
}
