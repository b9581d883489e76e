/* sample.c — token sampling: repetition penalty, then greedy, or top-k, top-p, min-p and
 * temperature, then a draw from a seeded generator (splitmix64), so a seed reproduces a run. */
#include "fix/engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void fix_sampling_defaults(struct fix_sampling *s) {
  memset(s, 0, sizeof *s);
  s->temperature = 0;
  s->top_k = 40;
  s->top_p = 0.95f;
  s->min_p = 0.05f;
  s->repeat_penalty = 1.0f;
  s->repeat_last_n = 64;
  s->seed = 42;
}

static uint64_t next(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

struct cand {
  int32_t id;
  float v;
};

static int by_value(const void *a, const void *b) {
  float x = ((const struct cand *)a)->v, y = ((const struct cand *)b)->v;
  return x > y ? -1 : x < y ? 1 : ((const struct cand *)a)->id - ((const struct cand *)b)->id;
}

int32_t fix_sample(const struct fix_sampling *s, float *logits, int n, const int32_t *hist, int n_hist, uint64_t *rng) {
  if (s->repeat_penalty != 1.0f && hist) {
    int from = s->repeat_last_n > 0 && n_hist > s->repeat_last_n ? n_hist - s->repeat_last_n : 0;
    for (int i = from; i < n_hist; i++) {
      int32_t t = hist[i];
      if (t < 0 || t >= n)
        continue;
      /* applied once per distinct token */
      int seen = 0;
      for (int k = from; k < i && !seen; k++)
        seen = hist[k] == t;
      if (!seen)
        logits[t] = logits[t] > 0 ? logits[t] / s->repeat_penalty : logits[t] * s->repeat_penalty;
    }
  }
  if (s->temperature <= 0) {
    int32_t best = 0;
    for (int i = 1; i < n; i++)
      if (logits[i] > logits[best])
        best = i;
    return best;
  }
  int k = s->top_k > 0 && s->top_k < n ? s->top_k : n;
  struct cand *c = malloc((size_t)n * sizeof *c);
  if (!c)
    return 0;
  for (int i = 0; i < n; i++)
    c[i] = (struct cand){i, logits[i]};
  qsort(c, (size_t)n, sizeof *c, by_value);
  /* softmax over the top k at temperature 1 for the top-p / min-p cuts (llama.cpp's order) */
  double sum = 0;
  for (int i = 0; i < k; i++)
    sum += exp((double)(c[i].v - c[0].v));
  int keep = k;
  if (s->top_p < 1.0f) {
    double cum = 0;
    for (int i = 0; i < k; i++) {
      cum += exp((double)(c[i].v - c[0].v)) / sum;
      if (cum >= s->top_p) {
        keep = i + 1;
        break;
      }
    }
  }
  if (s->min_p > 0) {
    for (int i = 1; i < keep; i++)
      if (exp((double)(c[i].v - c[0].v)) < s->min_p) {
        keep = i;
        break;
      }
  }
  double tot = 0;
  for (int i = 0; i < keep; i++)
    tot += exp((double)(c[i].v - c[0].v) / s->temperature);
  double r = (double)(next(rng) >> 11) * (1.0 / 9007199254740992.0) * tot, acc = 0;
  int32_t pick = c[keep - 1].id;
  for (int i = 0; i < keep; i++) {
    acc += exp((double)(c[i].v - c[0].v) / s->temperature);
    if (acc >= r) {
      pick = c[i].id;
      break;
    }
  }
  free(c);
  return pick;
}
