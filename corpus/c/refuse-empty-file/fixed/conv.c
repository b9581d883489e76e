#include "conv.h"

double to_fahrenheit(double celsius) {
  double scale = 1.8;
  return scale * celsius + 32.0;
}

double to_kelvin(double celsius) {
  return celsius + 273.15;
}
