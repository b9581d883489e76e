#ifndef LIB_H
#define LIB_H
#define BUFSZ 16
int lib_cap(void);
#endif
