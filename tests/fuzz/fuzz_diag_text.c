/* fuzz_diag_text.c — the gcc/clang text parser and the linkers' (parse_link.c, through
 * fix_diag_parse_auto), with every compiler hint, and rendering. */
#include "fix/diag.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as C source: the conditional-compilation scan and fix-it placement at a few offsets
 * must stay in bounds and agree with each other. */
static void pp_scan(const char *t, size_t n) {
  size_t br[FIX_PP_MAX_DEPTH];
  for (size_t k = 0; k < 4; k++) {
    size_t off = n ? (n * k) / 3 : 0;
    size_t nb = fix_pp_branches(t, n, off, br, FIX_PP_MAX_DEPTH);
    for (size_t i = 0; i < nb; i++)
      if (br[i] > n)
        abort();
    size_t a = off > n ? n : off, b = a;
    fix_fixit_place(t, n, "#include <x.h>\n", &a, &b, (long)(n / 2));
    if (a > n || a != b || fix_pp_include_point(t, n, off) > n)
      abort();
  }
}

/* What the linker parser promises about its diagnostics (see FIX_CC_LINKER in fix/diag.h). */
static void check_linker(const struct fix_diag *d) {
  if (d->compiler != FIX_CC_LINKER)
    return;
  if (!d->message || (d->severity >= FIX_SEV_WARNING && (!d->code || strncmp(d->code, "link:", 5) != 0)))
    abort();
  if (d->pos.file && d->pos.line < 1)
    abort();
  if (d->nspans > 2)
    abort();
  (void)fix_diag_link_object(d);
  (void)fix_diag_link_source(d);
  for (size_t i = 0; i < d->nnotes; i++)
    check_linker(&d->notes[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pp_scan((const char *)data, size);
  /* each hint through the gcc/clang parser alone, then through the text parsers' entry point
   * (gcc/clang + the linkers + rustc's text) */
  for (int pass = 0; pass < 2 * (FIX_CC_CLANG + 1); pass++) {
    int hint = pass % (FIX_CC_CLANG + 1);
    struct fix_diag_list l;
    fix_diag_list_init(&l);
    if (pass <= FIX_CC_CLANG)
      fix_diag_parse_text((const char *)data, size, (enum fix_compiler)hint, &l, NULL);
    else
      fix_diag_parse_auto((const char *)data, size, (enum fix_compiler)hint, &l, NULL);
    for (size_t i = 0; i < l.n; i++)
      check_linker(&l.v[i]);
    struct fix_buf out;
    fix_buf_init(&out, 0);
    fix_diag_list_render(&l, &out);
    for (size_t i = 0; i < l.n; i++) {
      char *id = fix_diag_identity(&l.v[i]);
      (void)fix_diag_tu(&l.v[i]);
      free(id);
    }
    fix_diag_list_map_prefix(&l, "a", "/b");
    fix_buf_free(&out);
    fix_diag_list_free(&l);
  }
  /* column arithmetic on arbitrary bytes */
  for (int col = 0; col < 40; col += 7)
    (void)fix_display_to_byte_col((const char *)data, size, col, 8);
  (void)fix_text_offset((const char *)data, size, 3, 5);
  return 0;
}
