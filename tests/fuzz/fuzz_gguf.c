/* fuzz_gguf.c — the GGUF reader on arbitrary bytes: every accepted file's metadata rendered and
 * iterated, and its vocabulary (when it has one) built and used to tokenize and detokenize. */
#include "fix/engine.h"
#include "fix/gguf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* the reader keeps pointers into the bytes; give it its own aligned copy */
  void *copy = malloc(size ? size : 1);
  if (!copy)
    return 0;
  memcpy(copy, data, size);
  struct fix_gguf *g = NULL;
  if (fix_gguf_open_memory(copy, size, &g, NULL) == FIX_OK) {
    for (uint64_t i = 0; i < g->n_kv; i++) {
      const struct fix_gguf_kv *kv = &g->kv[i];
      free(fix_gguf_value_str(kv, 4));
      struct fix_gguf_iter it = {0};
      struct fix_gguf_str s;
      size_t total = 0;
      while (fix_gguf_arr_str_next(kv, &it, &s) == 0)
        total += s.n;
      double d;
      (void)fix_gguf_arr_num(kv, kv->n ? kv->n - 1 : 0, &d);
      (void)total;
    }
    for (uint64_t i = 0; i < g->n_tensors; i++) {
      const struct fix_gguf_tensor *t = &g->tensors[i];
      volatile uint8_t sink = 0;
      if (t->nbytes)
        sink ^= ((const uint8_t *)t->data)[0] ^ ((const uint8_t *)t->data)[t->nbytes - 1];
      (void)sink;
    }
    struct fix_tokenizer *tok = NULL;
    if (fix_tokenizer_from_gguf(g, &tok, NULL) == FIX_OK) {
      static const char text[] = "int fix(void) { return x->y; } // ünïcode 123 <|im_end|>\n";
      int32_t ids[256];
      int n = fix_tokenize(tok, text, sizeof text - 1, 1, 1, ids, 256);
      struct fix_buf out;
      fix_buf_init(&out, 0);
      if (n > 0)
        fix_detokenize(tok, ids, n, 1, &out);
      fix_buf_free(&out);
      fix_tokenizer_free(tok);
    }
    fix_gguf_close(g);
  }
  free(copy);
  return 0;
}
