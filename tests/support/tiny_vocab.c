/* tiny_vocab.c — see tiny_vocab.h. */
#include "tiny_vocab.h"

#include <stdio.h>
#include <string.h>

/* GPT-2's printable stand-in for byte b, UTF-8 encoded into out (returns its length). */
static int byte_symbol(int b, char *out) {
  int cp;
  if ((b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255)) {
    cp = b;
  } else {
    int k = 0;
    for (int x = 0; x < b; x++)
      if (!((x >= 33 && x <= 126) || (x >= 161 && x <= 172) || (x >= 174 && x <= 255)))
        k++;
    cp = 256 + k;
  }
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  out[0] = (char)(0xc0 | (cp >> 6));
  out[1] = (char)(0x80 | (cp & 0x3f));
  return 2;
}

static void put_json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\')
      fputc('\\', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

int tv_write(const char *path) {
  /* merges, in rank order; "Ġ" is the space symbol, "Ċ" the newline */
  static const char *const merges[][2] = {
      {"i", "n"},   {"Ġ", "t"},   {"r", "e"},  {"Ġ", "i"},  {"Ġt", "h"}, {"Ġth", "e"}, {"Ġ", "c"},
      {"Ġ", "r"},   {"Ġr", "e"},  {"Ġre", "t"}, {"u", "r"},  {"Ġret", "ur"}, {"Ġretur", "n"}, {"Ġi", "n"},
      {"Ġin", "t"}, {"Ġ", "f"},   {"Ġ", "v"},  {"o", "i"},  {"Ġv", "oi"}, {"Ġvoi", "d"}, {"Ġ", "s"},
      {"t", "r"},   {"Ġs", "tr"}, {"u", "c"},  {"Ġstr", "uc"}, {"Ġstruc", "t"}, {"Ġ", "Ġ"}, {"ĠĠ", "ĠĠ"},
      {"Ċ", "Ġ"},   {"e", "r"},   {"o", "r"},  {"Ġ", "e"},  {"Ġe", "r"}, {"Ġer", "r"}, {"Ġ", "x"},
      {"Ġ", "="},   {"Ġ", "{"},   {"Ġ", "}"},  {";", "Ċ"},  {"(", ")"},  {"Ġf", "ix"}, {"i", "x"},
  };
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  fputs("{\"model\":{\"type\":\"BPE\",\"vocab\":{", f);
  int id = 0;
  char sym[8];
  for (int b = 0; b < 256; b++) {
    int n = byte_symbol(b, sym);
    sym[n] = '\0';
    fprintf(f, "%s", b ? "," : "");
    put_json_str(f, sym);
    fprintf(f, ":%d", id++);
  }
  for (size_t i = 0; i < sizeof merges / sizeof merges[0]; i++) {
    char m[64];
    snprintf(m, sizeof m, "%s%s", merges[i][0], merges[i][1]);
    fputc(',', f);
    put_json_str(f, m);
    fprintf(f, ":%d", id++);
  }
  fputs("},\"merges\":[", f);
  for (size_t i = 0; i < sizeof merges / sizeof merges[0]; i++)
    fprintf(f, "%s\"%s %s\"", i ? "," : "", merges[i][0], merges[i][1]);
  fprintf(f,
          "]},\"added_tokens\":["
          "{\"id\":%d,\"content\":\"<|endoftext|>\",\"special\":true},"
          "{\"id\":%d,\"content\":\"<|im_start|>\",\"special\":true},"
          "{\"id\":%d,\"content\":\"<|im_end|>\",\"special\":true}]}\n",
          id, id + 1, id + 2);
  return fclose(f) ? -1 : 0;
}
