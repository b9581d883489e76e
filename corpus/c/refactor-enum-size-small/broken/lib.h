#ifndef LIB_H
#define LIB_H
enum size { SIZE_SMALL = 16, SIZE_LARGE };
int lib_cap(void);
#endif
