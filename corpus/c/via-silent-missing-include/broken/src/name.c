#include "name.h"

unsigned long name_length(void) {
  return strlen(NAME);
}
