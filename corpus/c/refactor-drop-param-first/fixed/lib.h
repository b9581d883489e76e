#ifndef LIB_H
#define LIB_H
int combine(int verbose, int step);
#endif
