#include <stdio.h>
#include <stdlib.h>

#include "stats.h"

int main(int argc, char **argv) {
  double v[] = {2, 4, 4, 4, 5, 5, 7, 9};
  int n = (int)(sizeof v / sizeof v[0]);
  for (int i = 1; i < argc && i <= n; i++) /* the samples can come from the command line */
    v[i - 1] = atof(argv[i]);
  printf("mean %.2f sd %.2f geomean %.2f\n", stats_mean(v, n), stats_stddev(v, n), stats_geomean(v, n));
  return 0;
}
