#include <stdio.h>

#include "opts.h"

int main(int argc, char **argv) {
  opts_parse(argc, argv);
  if (verbose)
    printf("verbose level %d\n", verbose);
  printf("done\n");
  return 0;
}
