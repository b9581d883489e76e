/* generate.c — prompt once, then n continuations that share its cached prefix.
 *
 * Each sequence has its own random stream (seed + index), so candidates differ but a seed
 * reproduces them. A continuation ends at an end-of-generation token, a stop string (which is cut
 * off), max_tokens, or an interruption. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

/* The length of the longest end of text that a stop string begins with (to hold back). */
static size_t held_back(const struct fix_buf *text, const char *const *stop) {
  size_t best = 0;
  for (size_t k = 0; stop && stop[k]; k++) {
    size_t n = strlen(stop[k]);
    if (!n)
      continue;
    for (size_t l = n > text->len ? text->len : n - 1; l > best; l--)
      if (!memcmp(text->data + text->len - l, stop[k], l)) {
        best = l;
        break;
      }
  }
  return best;
}

enum fix_status fix_generate(struct fix_ctx *c, const int32_t *prompt, int n_prompt, const struct fix_generation *g,
                             struct fix_strv *out, struct fix_gen_stats *stats, struct fix_err *err) {
  const struct fix_model_hparams *hp = fix_model_hparams(ctx_model(c));
  const struct fix_tokenizer *tok = fix_model_tokenizer(ctx_model(c));
  int nv = hp->n_vocab, ns = g->n_seq > 0 ? g->n_seq : 1;
  float *logits = malloc((size_t)nv * sizeof *logits), *first = malloc((size_t)nv * sizeof *first);
  int32_t *hist = malloc(((size_t)n_prompt + (size_t)g->max_tokens + 1) * sizeof *hist);
  if (!logits || !first || !hist) {
    free(logits);
    free(first);
    free(hist);
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  }
  memset(stats, 0, sizeof *stats);
  double t0 = fix_now();
  /* the prompt, once, in sequence 0 */
  fix_ctx_seq_truncate(c, 0, 0);
  enum fix_status st = fix_ctx_eval(c, 0, prompt, n_prompt, 0, first, err);
  stats->prompt_tokens = n_prompt;
  stats->prompt_s = fix_now() - t0;
  double t1 = fix_now();
  for (int s = 0; !st && s < ns; s++) {
    if (s > 0)
      st = fix_ctx_seq_copy(c, 0, s, n_prompt, err);
    memcpy(logits, first, (size_t)nv * sizeof *logits);
    memcpy(hist, prompt, (size_t)n_prompt * sizeof *hist);
    int nh = n_prompt;
    uint64_t rng = g->sampling.seed + (uint64_t)s * 0x9e3779b97f4a7c15ull;
    struct fix_buf text;
    fix_buf_init(&text, 0);
    fix_buf_append(&text, "", 0);
    size_t emitted = 0;
    for (int i = 0; !st && i < g->max_tokens; i++) {
      if (fix_interrupted()) {
        st = fix_err_set(err, FIX_ERR_INTERRUPTED, "interrupted");
        break;
      }
      int32_t t = fix_sample(&g->sampling, logits, nv, hist, nh, &rng);
      stats->gen_tokens++;
      if (g->on_token)
        g->on_token(g->ud, s, t);
      if (fix_tokenizer_is_eog(tok, t))
        break;
      hist[nh++] = t;
      size_t before = text.len;
      fix_token_piece(tok, t, 0, &text);
      /* a NUL byte cannot be part of the text handed back (a C string): drop it */
      size_t w = before;
      for (size_t r = before; r < text.len; r++)
        if (text.data[r])
          text.data[w++] = text.data[r];
      text.len = w;
      text.data[w] = '\0';
      int stop = 0;
      for (size_t k = 0; g->stop && g->stop[k] && !stop; k++) {
        if (!g->stop[k][0])
          continue;
        const char *hit = strstr(text.data + (before > 64 ? before - 64 : 0), g->stop[k]);
        if (hit) {
          text.len = (size_t)(hit - text.data);
          text.data[text.len] = '\0';
          stop = 1;
        }
      }
      if (stop || i + 1 == g->max_tokens)
        break;
      /* stream what can no longer turn out to be the start of a stop string */
      size_t safe = text.len - held_back(&text, g->stop);
      if (g->on_text && safe > emitted)
        g->on_text(g->ud, s, text.data + emitted, safe - emitted);
      emitted = safe > emitted ? safe : emitted;
      st = fix_ctx_eval(c, s, &t, 1, 0, logits, err);
    }
    if (g->on_text && text.len > emitted)
      g->on_text(g->ud, s, text.data + emitted, text.len - emitted);
    if (!st)
      fix_strv_push(out, text.data);
    fix_buf_free(&text);
  }
  stats->gen_s = fix_now() - t1;
  free(logits);
  free(first);
  free(hist);
  return st;
}
