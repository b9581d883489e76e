#ifndef CALC_H
#define CALC_H
int scale(int v);
#endif
