#ifndef LIB_H
#define LIB_H
int parse_int(int a, int b);
#endif
