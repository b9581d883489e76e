/* fuzz_repairs.c — the model-free repair generators on hostile input: a compiler message, a line,
 * a column and a file's text, all arbitrary (first line the message, then the line and column, then
 * the text). Every repair must stay inside the text (start <= end <= length), and nothing may crash
 * or read out of bounds, whatever the message claims. C, C++ and Rust paths are all tried. */
#include "repairs.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int no_read(void *ud, const char *path, const char **text, size_t *len) {
  (void)ud, (void)path, (void)text, (void)len;
  return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *p = (const char *)data, *end = p + size;
  const char *nl = memchr(p, '\n', size);
  if (!nl)
    return 0;
  char *msg = malloc((size_t)(nl - p) + 1);
  memcpy(msg, p, (size_t)(nl - p));
  msg[nl - p] = '\0';
  p = nl + 1;
  int nums[2] = {1, 1};
  for (int k = 0; k < 2 && p < end; k++) { /* the input is not NUL-terminated: a copy for atoi */
    const char *e = memchr(p, '\n', (size_t)(end - p));
    char num[16] = "";
    size_t nl2 = (size_t)((e ? e : end) - p);
    memcpy(num, p, nl2 < sizeof num - 1 ? nl2 : sizeof num - 1);
    nums[k] = atoi(num) % 100000;
    p = e ? e + 1 : end;
  }
  size_t len = (size_t)(end - p);
  char *text = malloc(len + 1);
  memcpy(text, p, len);
  text[len] = '\0';
  static const char *const files[] = {"/project/a.c", "/project/a.cpp", "/project/a.h", "/project/src/a.rs"};
  struct fix_diag note = {0};
  note.pos.file = (char *)files[0];
  note.pos.line = nums[0] > 1 ? nums[0] - 1 : 1;
  note.pos.col = 1;
  note.message = (char *)"'int f(int)' declared here";
  for (size_t f = 0; f < 4; f++) {
    struct fix_diag d = {0};
    d.severity = FIX_SEV_ERROR;
    d.pos.file = (char *)files[f];
    d.pos.line = nums[0];
    d.pos.col = nums[1];
    d.message = msg;
    d.code = f == 3 ? (char *)"E0308" : NULL;
    d.rendered = f == 3 ? msg : NULL;
    note.pos.file = (char *)files[f];
    d.notes = &note;
    d.nnotes = 1;
    struct fix_span sp = {{(char *)files[f], nums[0], nums[1]}, {(char *)files[f], nums[0], nums[1] + 3}};
    d.spans = &sp;
    d.nspans = 1;
    const char *dirs[] = {"/project", NULL};
    struct repair_env env = {"/project", dirs, NULL, no_read, NULL, NULL, NULL};
    struct repair_list rl;
    repairs_generate(&env, &d, text, len, 8, &rl);
    for (size_t i = 0; i < rl.n; i++)
      if (rl.v[i].start > rl.v[i].end || (!strcmp(rl.v[i].file, files[f]) && rl.v[i].end > len))
        abort();
    repair_list_free(&rl);
  }
  free(msg);
  free(text);
  return 0;
}
