#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  (void)argv;
  decode_fn decode = argc > 5
    ? decode_utf16
    : decode_utf8;
  const char *text = "h\xc3\xa9llo";
  printf("%zu\n", decode((const unsigned char *)text, strlen(text)));
  return 0;
}
