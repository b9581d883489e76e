#ifndef C_H
#define C_H
void counter_reset(int *c);
#endif
