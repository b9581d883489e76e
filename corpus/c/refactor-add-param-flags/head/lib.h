#ifndef LIB_H
#define LIB_H
int emit(int level, const char *msg);
#endif
