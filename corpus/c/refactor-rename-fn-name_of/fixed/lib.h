#ifndef LIB_H
#define LIB_H
int name_of(int a, int b);
#endif
