#ifndef UTIL_H
#define UTIL_H
struct point { int x; int y; };
int add(int a, int b);
#endif
