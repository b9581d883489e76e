#ifndef LIB_H
#define LIB_H
/* The length parameter went: escape() measures the text itself now. */
int escape(const char *src, int secure);
int count_truncate(int n);
#endif
