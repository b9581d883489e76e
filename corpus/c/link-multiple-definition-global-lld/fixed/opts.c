#include <string.h>

#include "opts.h"

int verbose;

void opts_parse(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "-v"))
      verbose++;
}
