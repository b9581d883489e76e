#ifndef LIB_H
#define LIB_H
int order_total(int a, int b);
#endif
