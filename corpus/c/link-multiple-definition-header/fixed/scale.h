#ifndef SCALE_H
#define SCALE_H

int scale_percent(int value, int percent);

#endif
