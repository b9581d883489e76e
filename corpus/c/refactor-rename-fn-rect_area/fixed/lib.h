#ifndef LIB_H
#define LIB_H
int rect_area(int a, int b);
#endif
