#ifndef LIB_H
#define LIB_H
int compute_total(int a, int b);
#endif
