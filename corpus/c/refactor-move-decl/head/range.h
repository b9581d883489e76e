#ifndef RANGE_H
#define RANGE_H
int span(int lo, int hi);
#endif
