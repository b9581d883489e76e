/* fuzz_lsp.c — the language server's protocol layer: framing, JSON-RPC dispatch, document sync
 * with positions in every encoding, code actions (work threads off, output to /dev/null). */
#include "fix/lsp.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int devnull = -1;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (devnull < 0)
    devnull = open("/dev/null", O_WRONLY);
  struct fix_lsp_opts o = {0};
  o.in_fd = -1;
  o.out_fd = devnull;
  o.no_work = 1;
  struct fix_lsp_server *s;
  if (fix_lsp_server_new(&o, &s, NULL) != FIX_OK)
    return 0;
  struct fix_lsp_reader r;
  fix_lsp_reader_init(&r, -1, 1 << 16);
  fix_lsp_reader_feed(&r, data, size);
  struct fix_buf b;
  fix_buf_init(&b, 0);
  for (int n = 0; n < 10000 && !fix_lsp_server_done(s); n++) {
    enum fix_status st = fix_lsp_read(&r, &b, NULL);
    if (st == FIX_OK)
      fix_lsp_server_handle(s, b.data, b.len);
    else if (st != FIX_ERR_PARSE && st != FIX_ERR_TOO_BIG)
      break;
  }
  /* positions over the raw bytes as text */
  for (int e = 0; e < 3 && size; e++) {
    long l, c;
    fix_lsp_position((const char *)data, size, size / 2, (enum fix_lsp_encoding)e, &l, &c);
    size_t off = fix_lsp_offset((const char *)data, size, l, c, (enum fix_lsp_encoding)e);
    if (off > size)
      abort();
  }
  fix_buf_free(&b);
  fix_lsp_reader_free(&r);
  fix_lsp_server_free(s);
  return 0;
}
