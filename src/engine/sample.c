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

/* Moves the k best (by_value order) to c[0..k), in no particular order: quickselect. */
static void select_top(struct cand *c, int n, int k) {
  int lo = 0, hi = n - 1;
  uint64_t r = 0x853c49e6748fea9bull;
  while (lo < hi) {
    r = r * 6364136223846793005ull + 1442695040888963407ull;
    struct cand pivot = c[lo + (int)((r >> 33) % (uint64_t)(hi - lo + 1))];
    int i = lo, j = hi;
    while (i <= j) {
      while (by_value(&c[i], &pivot) < 0)
        i++;
      while (by_value(&c[j], &pivot) > 0)
        j--;
      if (i <= j) {
        struct cand t = c[i];
        c[i++] = c[j];
        c[j--] = t;
      }
    }
    if (k - 1 <= j)
      hi = j;
    else if (k - 1 >= i)
      lo = i;
    else
      break;
  }
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
  /* Sorting a 150,000-token vocabulary per token would cost more than the model's output layer:
   * select the top k (in the sort's own order, so ties fall the same way), and sort only those
   * that the min-p cut can keep (a prefix of the sorted order). */
  if (k < n)
    select_top(c, n, k);
  float top = c[0].v;
  for (int i = 1; i < k; i++)
    top = c[i].v > top ? c[i].v : top;
  double sum_k = 0;
  for (int i = 0; i < k; i++)
    sum_k += exp((double)(c[i].v - top));
  int m = k;
  if (s->min_p > 0) {
    m = 0;
    for (int i = 0; i < k; i++)
      if (!(exp((double)(c[i].v - top)) < s->min_p))
        c[m++] = c[i];
  }
  qsort(c, (size_t)m, sizeof *c, by_value);
  k = m;
  /* softmax over the top k at temperature 1 for the top-p / min-p cuts (llama.cpp's order) */
  double sum = sum_k;
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
