#ifndef LIB_H
#define LIB_H
int combine(int base, int step);
#endif
