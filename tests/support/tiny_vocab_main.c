/* tiny_vocab_main.c — writes the tests' small byte-level BPE tokenizer.json (tiny_vocab.c) to the
 * path given, for scripts that make models with `fix model synth --vocab` and want them small. */
#include "tiny_vocab.h"

#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s OUT.json\n", argv[0]);
    return 2;
  }
  return tv_write(argv[1]) == 0 ? 0 : 1;
}
