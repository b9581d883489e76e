#ifndef LIB_H
#define LIB_H
#define MAXLEN 16
int lib_cap(void);
#endif
