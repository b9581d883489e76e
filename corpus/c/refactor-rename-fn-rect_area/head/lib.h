#ifndef LIB_H
#define LIB_H
int area(int a, int b);
#endif
