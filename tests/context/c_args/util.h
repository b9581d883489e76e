#pragma once
/* Scales v by num/den, rounding to nearest. */
int scale(int v, int num, int den);
typedef struct { int lo, hi; } range_t;
