#include "text.h"

unsigned long greeting_length(void) {
  return strlen(GREETING);
}
