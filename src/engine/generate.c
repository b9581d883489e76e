/* generate.c — prompt once, then n continuations that share its cached prefix.
 *
 * Each sequence has its own random stream (seed + index), so candidates differ but a seed
 * reproduces them. A continuation ends at an end-of-generation token, a stop string (which is cut
 * off), max_tokens, or an interruption. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

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
      int stop = 0;
      for (size_t k = 0; g->stop && g->stop[k] && !stop; k++) {
        const char *hit = strstr(text.data + (before > 64 ? before - 64 : 0), g->stop[k]);
        if (hit) {
          text.len = (size_t)(hit - text.data);
          text.data[text.len] = '\0';
          stop = 1;
        }
      }
      if (g->on_text && text.len > before)
        g->on_text(g->ud, s, text.data + before, text.len - before);
      if (stop || i + 1 == g->max_tokens)
        break;
      st = fix_ctx_eval(c, s, &t, 1, 0, logits, err);
    }
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
