#ifndef LIB_H
#define LIB_H
int int_from_text(int a, int b);
#endif
