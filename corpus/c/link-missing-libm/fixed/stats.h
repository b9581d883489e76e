#ifndef STATS_H
#define STATS_H

double stats_mean(const double *v, int n);
double stats_stddev(const double *v, int n);
double stats_geomean(const double *v, int n);

#endif
