#ifndef LIB_H
#define LIB_H
int get_name(int a, int b);
#endif
