#ifndef CONV_H
#define CONV_H

double to_fahrenheit(double celsius);
double to_kelvin(double celsius);

#endif
