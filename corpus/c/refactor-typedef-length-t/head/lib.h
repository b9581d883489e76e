#ifndef LIB_H
#define LIB_H
typedef int len_t;
#define CAP 16
int lib_cap(void);
#endif
