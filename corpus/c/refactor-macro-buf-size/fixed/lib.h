#ifndef LIB_H
#define LIB_H
#define BUF_SIZE 16
int lib_cap(void);
#endif
