#ifndef REPORT_H
#define REPORT_H

void report_print(const char *label, const char *text);

#endif
