#ifndef LIB_H
#define LIB_H
enum color { COLOR_RED = 16, COLOR_GREEN };
int lib_cap(void);
#endif
