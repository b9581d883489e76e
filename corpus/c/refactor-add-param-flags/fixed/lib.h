#ifndef LIB_H
#define LIB_H
int emit(int level, unsigned flags, const char *msg);
#endif
