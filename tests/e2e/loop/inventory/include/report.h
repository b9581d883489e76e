#ifndef REPORT_H
#define REPORT_H
#include "inventory.h"

void print_report(const struct item *items, int n, const char *label);

#endif
