#ifndef LIB_H
#define LIB_H
#define MAX_LEN 16
int lib_cap(void);
#endif
