#ifndef LIB_H
#define LIB_H
int lib_sum(const int *v, int n);
int lib_weighted(const int *v, int n);
#endif
