#ifndef LIB_H
#define LIB_H
int combine(int base, int verbose);
#endif
