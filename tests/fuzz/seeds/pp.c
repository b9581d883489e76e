#ifndef G_H
#define G_H
#include <stdlib.h>
#if defined(_WIN32)
#include <windows.h>
#elif defined(__APPLE__)
# include <unistd.h>
#else
/* #endif in a comment */
#include <unistd.h>
#endif
#ifdef A
#if B
int b;
#endif
#endif
#endif
