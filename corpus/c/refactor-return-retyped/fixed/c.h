#ifndef C_H
#define C_H
int counter_reset(int *c);
#endif
