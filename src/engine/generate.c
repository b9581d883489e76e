/* generate.c — the repair workload's decoder: a prompt evaluated once (and only its changed end,
 * when the cache already holds the start of it), n candidates decoded together, and prompt-lookup
 * drafts.
 *
 * Each step puts every live candidate's newest token in one batch, followed by up to DRAFT_MAX
 * draft tokens: the tokens that followed the most recent earlier occurrence of the candidate's last
 * NGRAM tokens (a repair mostly copies code it was shown). The step's logits are then sampled in
 * order; a draft token is kept while the sample equals it — its cache entry is already right — and
 * the first sample that differs becomes the next step's token. Each sample is drawn from the same
 * distribution, with the same random draw, as plain one-token decoding would use, so the output is
 * identical with and without drafts and batching (greedy or seeded).
 *
 * Each sequence has its own random stream (seed + index). A continuation ends at an
 * end-of-generation token, a stop string (which is cut off), max_tokens, or an interruption. */
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DRAFT_MAX 8
#define FORCED_MAX 4 /* drafts from a constraint's forced text: verified like the others */
#define NGRAM 3
#define BATCH_MAX 256

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

struct seqstate {
  int32_t *hist; /* prompt + generated */
  int nh, n_gen;
  uint64_t rng;
  struct fix_buf text;
  size_t emitted;
  int done;
  int32_t next;            /* the token to evaluate next */
  int32_t draft[DRAFT_MAX];
  int n_draft;
  const float *rows;       /* logits to sample from: 1 + n_draft rows */
  unsigned char *cst;      /* the constraint's state (NULL: none) */
  size_t last_end;         /* text length when the constraint last allowed an end */
};

/* Masks out of `row` the tokens the constraint rejects from q's state. Returns how many are left. */
static int constrain_row(struct fix_ctx *c, const struct fix_generation *g, struct seqstate *q, float *row, int nv,
                         unsigned char *allowed, int wrap_up, struct fix_gen_stats *stats) {
  double t0 = fix_now();
  const struct fix_constraint *k = g->constraint;
  int n = -1;
  if (k->finish) { /* near max_tokens (or told to): only the way to the end */
    char fin[256];
    size_t fl = k->finish(k->ud, q->cst, fin, sizeof fin);
    if (fl != (size_t)-1 && (wrap_up || g->max_tokens - q->n_gen <= (int)fl + 2)) {
      if (fl) {
        n = fix_constraint_prefix_tokens(ctx_model(c), fin, fl, allowed);
      } else { /* it may end now: only an end-of-generation token */
        memset(allowed, 0, (size_t)nv);
        allowed[fix_tokenizer_eot(fix_model_tokenizer(ctx_model(c)))] = 1;
        n = 1;
      }
    }
  }
  if (n < 0) {
    n = fix_constraint_mask(ctx_model(c), k, q->cst, row, allowed);
  } else {
    for (int t = 0; t < nv; t++)
      if (!allowed[t])
        row[t] = -INFINITY;
  }
  stats->mask_s += fix_now() - t0;
  stats->masked_steps++;
  return n;
}

/* Whether the end of the reply stays in reach after token t: its shortest ending, one token a byte
 * at worst, and the end-of-generation token fit in what max_tokens leaves. Without this check a
 * token could commit to a long copy (a changelog range of many lines) too late to finish it. */
static int within_budget(struct fix_ctx *c, const struct fix_generation *g, struct seqstate *q, int32_t t,
                         unsigned char *scratch, char *fin) {
  const struct fix_constraint *k = g->constraint;
  int left = g->max_tokens - q->n_gen - 1;
  if (!k->finish || left <= 0)
    return 1;
  size_t len;
  const unsigned char *p = (const unsigned char *)model_token_bytes(ctx_model(c), t, &len);
  memcpy(scratch, q->cst, k->state_size);
  for (size_t i = 0; i < len; i++)
    if (!k->step(k->ud, scratch, p[i]))
      return 0;
  size_t fl = k->finish(k->ud, scratch, fin, (size_t)left);
  return fl != (size_t)-1 && (int)fl + 1 <= left;
}

/* Drafts from what the constraint says comes next (text copied from a file, a marker): that text
 * tokenized. 0 when it has nothing to say. */
static int forced_draft(struct fix_ctx *c, const struct fix_generation *g, const struct fix_tokenizer *tok,
                        struct seqstate *q, int max, int32_t *draft) {
  if (!g->constraint || !g->constraint->forced || max <= 0)
    return 0;
  char buf[256];
  size_t n = g->constraint->forced(g->constraint->ud, q->cst, buf, sizeof buf);
  if (!n)
    return 0;
  int32_t ids[256];
  int k = fix_tokenize(tok, buf, n, 0, 0, ids, 256);
  if (k <= 0)
    return 0;
  /* the last token may be cut where the forced text was (a merge with what follows): leave it */
  if (k > 1 && n == sizeof buf)
    k--;
  k = k < max ? k : max;
  memcpy(draft, ids, (size_t)k * sizeof *draft);
  return k;
}

/* The constraint takes token t's bytes. 0 when it rejects them (a bug: the mask let it through). */
static int constrain_take(struct fix_ctx *c, const struct fix_generation *g, struct seqstate *q, int32_t t) {
  size_t len;
  const unsigned char *p = (const unsigned char *)model_token_bytes(ctx_model(c), t, &len);
  for (size_t i = 0; i < len; i++)
    if (!g->constraint->step(g->constraint->ud, q->cst, p[i]))
      return 0;
  return 1;
}

/* Drafts: what followed the latest earlier occurrence of the history's last NGRAM tokens. */
static int find_draft(const struct seqstate *q, int max, int32_t *draft) {
  int n = q->nh;
  if (n <= NGRAM || max <= 0)
    return 0;
  const int32_t *h = q->hist, *tail = h + n - NGRAM;
  for (int start = n - NGRAM - 1; start >= 0; start--) {
    if (h[start] != tail[0] || memcmp(h + start, tail, NGRAM * sizeof *h))
      continue;
    int k = 0;
    for (int p = start + NGRAM; p < n && k < max; p++)
      draft[k++] = h[p];
    return k;
  }
  return 0;
}

/* Takes sampled token t for sequence s: records it, extends the text, and says whether the
 * sequence is finished. */
static int accept(const struct fix_generation *g, const struct fix_tokenizer *tok, struct seqstate *q, int s,
                  int32_t t, struct fix_gen_stats *stats) {
  stats->gen_tokens++;
  q->n_gen++;
  if (g->on_token)
    g->on_token(g->ud, s, t);
  if (fix_tokenizer_is_eog(tok, t))
    return 1;
  q->hist[q->nh++] = t;
  struct fix_buf *text = &q->text;
  size_t before = text->len;
  fix_token_piece(tok, t, 0, text);
  /* a NUL byte cannot be part of the text handed back (a C string): drop it */
  size_t w = before;
  for (size_t r = before; r < text->len; r++)
    if (text->data[r])
      text->data[w++] = text->data[r];
  text->len = w;
  text->data[w] = '\0';
  for (size_t k = 0; g->stop && g->stop[k]; k++) {
    if (!g->stop[k][0])
      continue;
    const char *hit = strstr(text->data + (before > 64 ? before - 64 : 0), g->stop[k]);
    if (hit) {
      text->len = (size_t)(hit - text->data);
      text->data[text->len] = '\0';
      return 1;
    }
  }
  if (q->n_gen >= g->max_tokens)
    return 1;
  /* stream what can no longer turn out to be the start of a stop string */
  size_t safe = text->len - held_back(text, g->stop);
  if (g->on_text && safe > q->emitted)
    g->on_text(g->ud, s, text->data + q->emitted, safe - q->emitted);
  q->emitted = safe > q->emitted ? safe : q->emitted;
  return 0;
}

static void finish(const struct fix_generation *g, struct seqstate *q, int s) {
  q->done = 1;
  if (g->on_text && q->text.len > q->emitted)
    g->on_text(g->ud, s, q->text.data + q->emitted, q->text.len - q->emitted);
  q->emitted = q->text.len;
}

/* Decodes sequences lo..hi-1 together until all are finished; `first` holds the prompt's logits. */
static enum fix_status decode(struct fix_ctx *c, const struct fix_generation *g, const struct fix_tokenizer *tok,
                              struct seqstate *qs, int lo, int hi, const float *first, float *logits,
                              struct fix_gen_stats *stats, struct fix_err *err) {
  int nv = fix_model_hparams(ctx_model(c))->n_vocab, lookup = !(g->flags & FIX_GEN_NO_LOOKUP);
  int bseq[BATCH_MAX], bstart[64];
  int32_t btok[BATCH_MAX];
  float *row = malloc((size_t)nv * sizeof *row);
  unsigned char *allowed = g->constraint ? malloc((size_t)nv) : NULL;
  unsigned char *scratch = g->constraint ? malloc(g->constraint->state_size + 1) : NULL;
  char *fin = g->constraint ? malloc((size_t)(g->max_tokens > 0 ? g->max_tokens : 0) + 1) : NULL;
  if (!row || (g->constraint && (!allowed || !scratch || !fin))) {
    free(row);
    free(allowed);
    free(scratch);
    free(fin);
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  }
  for (int s = lo; s < hi; s++) {
    qs[s].rows = first;
    if (g->max_tokens <= 0)
      finish(g, &qs[s], s);
  }
  enum fix_status st = FIX_OK;
  for (;;) {
    if (fix_interrupted()) {
      st = fix_err_set(err, FIX_ERR_INTERRUPTED, "interrupted");
      break;
    }
    /* sample: each live sequence walks its rows, keeping drafts while they are what it samples */
    int n = 0;
    for (int s = lo; s < hi; s++) {
      struct seqstate *q = &qs[s];
      if (q->done)
        continue;
      int j = 0;
      for (;; j++) {
        memcpy(row, q->rows + (size_t)j * (size_t)nv, (size_t)nv * sizeof *row);
        int32_t t;
        int left = g->constraint ? constrain_row(c, g, q, row, nv, allowed, 0, stats) : 1;
        t = left ? fix_sample(&g->sampling, row, nv, q->hist, q->nh, &q->rng)
                 : fix_tokenizer_eot(tok); /* nothing fits (a vocabulary without some byte): stop here */
        /* a token that puts the end of the block out of reach is drawn again; after a few, or when
         * none is left, one on the shortest ending's way is taken */
        for (int tries = 0; g->constraint && !fix_tokenizer_is_eog(tok, t) && !within_budget(c, g, q, t, scratch, fin);
             tries++) {
          row[t] = -INFINITY;
          if (--left > 0 && tries < 8) {
            t = fix_sample(&g->sampling, row, nv, q->hist, q->nh, &q->rng);
            continue;
          }
          memcpy(row, q->rows + (size_t)j * (size_t)nv, (size_t)nv * sizeof *row);
          t = constrain_row(c, g, q, row, nv, allowed, 1, stats)
                  ? fix_sample(&g->sampling, row, nv, q->hist, q->nh, &q->rng)
                  : fix_tokenizer_eot(tok);
          break;
        }
        int took = !g->constraint || fix_tokenizer_is_eog(tok, t) || constrain_take(c, g, q, t);
        if (accept(g, tok, q, s, t, stats) || !took) {
          if (g->constraint && !g->constraint->can_end(g->constraint->ud, q->cst)) {
            q->text.len = q->last_end; /* stopped mid-block: back to the last complete one */
            q->text.data[q->text.len] = '\0';
          }
          finish(g, q, s);
          break;
        }
        if (g->constraint && g->constraint->can_end(g->constraint->ud, q->cst))
          q->last_end = q->text.len;
        if (j < q->n_draft && t == q->draft[j]) {
          stats->accepted++;
          continue; /* its cache entry is already right */
        }
        q->next = t;
        break;
      }
      /* forget the cache entries of drafts that were not kept */
      if (q->n_draft > j)
        fix_ctx_seq_truncate(c, s, fix_ctx_seq_len(c, s) - (q->n_draft - j));
      q->n_draft = 0;
      if (q->done)
        continue;
      /* this sequence's part of the next pass: its token, then drafts */
      int room = g->max_tokens - q->n_gen - 1; /* drafts past max_tokens would be wasted */
      int ctx_room = fix_ctx_n_ctx(c) - fix_ctx_seq_len(c, s) - 1;
      room = room < ctx_room ? room : ctx_room;
      q->n_draft = forced_draft(c, g, tok, q, room < FORCED_MAX ? room : FORCED_MAX, q->draft);
      if (!q->n_draft)
        q->n_draft = lookup ? find_draft(q, room < DRAFT_MAX ? room : DRAFT_MAX, q->draft) : 0;
      stats->drafted += q->n_draft;
      bstart[s] = n;
      bseq[n] = s, btok[n++] = q->next;
      for (int k = 0; k < q->n_draft; k++)
        bseq[n] = s, btok[n++] = q->draft[k];
    }
    if (!n)
      break;
    st = fix_ctx_eval_batch(c, bseq, btok, n, logits, err);
    if (st)
      break;
    stats->steps++;
    for (int s = lo; s < hi; s++)
      if (!qs[s].done)
        qs[s].rows = logits + (size_t)bstart[s] * (size_t)nv;
  }
  free(row);
  free(allowed);
  free(scratch);
  free(fin);
  return st;
}

enum fix_status fix_generate(struct fix_ctx *c, const int32_t *prompt, int n_prompt, const struct fix_generation *g,
                             struct fix_strv *out, struct fix_gen_stats *stats, struct fix_err *err) {
  const struct fix_model_hparams *hp = fix_model_hparams(ctx_model(c));
  const struct fix_tokenizer *tok = fix_model_tokenizer(ctx_model(c));
  int nv = hp->n_vocab, ns = g->n_seq > 0 ? g->n_seq : 1;
  memset(stats, 0, sizeof *stats);
  if (n_prompt <= 0)
    return fix_err_set(err, FIX_ERR_ARG, "an empty prompt");
  int batch = !(g->flags & FIX_GEN_NO_BATCH);
  if (ns > BATCH_MAX / (1 + DRAFT_MAX))
    return fix_err_set(err, FIX_ERR_ARG, "%d candidates (at most %d)", ns, BATCH_MAX / (1 + DRAFT_MAX));
  struct seqstate *qs = calloc((size_t)ns, sizeof *qs);
  float *first = malloc((size_t)nv * sizeof *first);
  float *logits = malloc((size_t)(batch ? ns : 1) * (1 + DRAFT_MAX) * (size_t)nv * sizeof *logits);
  enum fix_status st = qs && first && logits ? FIX_OK : fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  for (int s = 0; !st && s < ns; s++) {
    qs[s].hist = malloc(((size_t)n_prompt + (size_t)g->max_tokens + 1) * sizeof(int32_t));
    if (!qs[s].hist)
      st = fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
    else
      memcpy(qs[s].hist, prompt, (size_t)n_prompt * sizeof(int32_t));
    qs[s].nh = n_prompt;
    qs[s].rng = g->sampling.seed + (uint64_t)s * 0x9e3779b97f4a7c15ull;
    if (g->constraint) {
      qs[s].cst = malloc(g->constraint->state_size ? g->constraint->state_size : 1);
      if (!qs[s].cst)
        st = fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
      else
        g->constraint->start(g->constraint->ud, s, qs[s].cst);
    }
    fix_buf_init(&qs[s].text, 0);
    fix_buf_append(&qs[s].text, "", 0);
  }
  /* the prompt, in sequence 0, from where the cache stops matching it */
  double t0 = fix_now();
  if (!st) {
    int keep = g->flags & FIX_GEN_NO_REUSE ? 0 : fix_ctx_common_prefix(c, 0, prompt, n_prompt);
    if (keep == n_prompt)
      keep--; /* the last token is evaluated again for its logits */
    fix_ctx_seq_truncate(c, 0, keep);
    stats->reused_tokens = keep;
    st = fix_ctx_eval(c, 0, prompt + keep, n_prompt - keep, 0, first, err);
  }
  stats->prompt_tokens = n_prompt;
  stats->prompt_s = fix_now() - t0;
  double t1 = fix_now();
  for (int s = 1; !st && s < ns; s++)
    st = fix_ctx_seq_copy(c, 0, s, n_prompt, err);
  for (int s = 0; !st && s < ns; s += batch ? ns : 1)
    st = decode(c, g, tok, qs, s, batch ? ns : s + 1, first, logits, stats, err);
  stats->gen_s = fix_now() - t1;
  for (int s = 0; s < ns && !st; s++)
    fix_strv_push(out, qs[s].text.data);
  for (int s = 0; qs && s < ns; s++) {
    free(qs[s].hist);
    free(qs[s].cst);
    fix_buf_free(&qs[s].text);
  }
  free(qs);
  free(first);
  free(logits);
  return st;
}
