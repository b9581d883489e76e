#include "name.h"
#include <string.h>

unsigned long name_length(void) {
  return strlen(NAME);
}
