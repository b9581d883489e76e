#ifndef REPORT_H
#define REPORT_H
#include <stdio.h>
void report_item(int depth, int flags, FILE *out, const char *name);
#endif
