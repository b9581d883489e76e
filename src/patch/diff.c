/* diff.c — line-based unified diffs for --dry-run and logs.
 *
 * Common prefix and suffix lines are trimmed first (a fix touches a few lines of a file), then an
 * LCS table is computed over the middle. Middles larger than DIFF_DP_MAX cells fall back to one
 * replace hunk: still a correct diff, just not a minimal one. */
#include "fix/patch.h"

#include <stdlib.h>
#include <string.h>

#define DIFF_DP_MAX ((size_t)16 << 20)
#define CONTEXT 3

struct lines {
  const char **p;
  size_t *n; /* length including the '\n' if present */
  size_t count;
};

static int split(const char *t, size_t len, struct lines *l) {
  size_t cap = 16;
  l->p = malloc(cap * sizeof *l->p);
  l->n = malloc(cap * sizeof *l->n);
  l->count = 0;
  if (!l->p || !l->n)
    return -1;
  size_t off = 0;
  while (off < len) {
    const char *nl = memchr(t + off, '\n', len - off);
    size_t n = nl ? (size_t)(nl - (t + off)) + 1 : len - off;
    if (l->count == cap) {
      cap *= 2;
      const char **p = realloc(l->p, cap * sizeof *p);
      if (p)
        l->p = p;
      size_t *q = realloc(l->n, cap * sizeof *q);
      if (q)
        l->n = q;
      if (!p || !q)
        return -1;
    }
    l->p[l->count] = t + off;
    l->n[l->count++] = n;
    off += n;
  }
  return 0;
}

static int leq(const struct lines *a, size_t i, const struct lines *b, size_t j) {
  return a->n[i] == b->n[j] && memcmp(a->p[i], b->p[j], a->n[i]) == 0;
}

enum op { EQ, DEL, INS };

static void emit_line(struct fix_buf *out, char sign, const char *p, size_t n, int color) {
  const char *c = !color ? "" : sign == '-' ? "\033[31m" : sign == '+' ? "\033[32m" : "";
  fix_buf_printf(out, "%s%c", c, sign);
  int has_nl = n && p[n - 1] == '\n';
  fix_buf_append(out, p, has_nl ? n - 1 : n);
  if (color && *c)
    fix_buf_puts(out, "\033[0m");
  fix_buf_puts(out, "\n");
  if (!has_nl)
    fix_buf_puts(out, "\\ No newline at end of file\n");
}

/* The line operations turning A into B: EQ, DEL and INS in order (*nops of them). */
static enum fix_status diff_ops(const struct lines *A, const struct lines *B, enum op **out, size_t *nops_out) {
  size_t pre = 0;
  while (pre < A->count && pre < B->count && leq(A, pre, B, pre))
    pre++;
  size_t suf = 0;
  while (suf < A->count - pre && suf < B->count - pre && leq(A, A->count - 1 - suf, B, B->count - 1 - suf))
    suf++;
  size_t m = A->count - pre - suf, n = B->count - pre - suf;
  size_t nops = 0;
  enum op *ops = malloc((A->count + B->count + 1) * sizeof *ops);
  unsigned *dp = NULL;
  if (!ops)
    return FIX_ERR_NOMEM;
  for (size_t i = 0; i < pre; i++)
    ops[nops++] = EQ;
  if ((m + 1) * (n + 1) <= DIFF_DP_MAX && (dp = calloc((m + 1) * (n + 1), sizeof *dp))) {
    /* dp[i][j] = LCS of A[pre+i..] and B[pre+j..] (within the middle) */
    for (size_t i = m; i-- > 0;)
      for (size_t j = n; j-- > 0;)
        dp[i * (n + 1) + j] = leq(A, pre + i, B, pre + j) ? dp[(i + 1) * (n + 1) + j + 1] + 1
                              : dp[(i + 1) * (n + 1) + j] >= dp[i * (n + 1) + j + 1] ? dp[(i + 1) * (n + 1) + j]
                                                                                      : dp[i * (n + 1) + j + 1];
    size_t i = 0, j = 0;
    while (i < m || j < n) {
      if (i < m && j < n && leq(A, pre + i, B, pre + j)) {
        ops[nops++] = EQ;
        i++, j++;
      } else if (i < m && (j == n || dp[(i + 1) * (n + 1) + j] >= dp[i * (n + 1) + j + 1])) {
        ops[nops++] = DEL; /* deletions first, as diff(1) prints them */
        i++;
      } else {
        ops[nops++] = INS;
        j++;
      }
    }
  } else {
    for (size_t i = 0; i < m; i++)
      ops[nops++] = DEL;
    for (size_t j = 0; j < n; j++)
      ops[nops++] = INS;
  }
  for (size_t i = 0; i < suf; i++)
    ops[nops++] = EQ;
  free(dp);
  *out = ops;
  *nops_out = nops;
  return FIX_OK;
}

enum fix_status fix_diff_regions(const char *file, const char *a, size_t alen, const char *b, size_t blen,
                                 struct fix_edit_list *out) {
  if (alen == blen && memcmp(a, b, alen) == 0)
    return FIX_OK;
  struct lines A = {0}, B = {0};
  enum op *ops = NULL;
  size_t nops = 0;
  enum fix_status st = split(a, alen, &A) || split(b, blen, &B) ? FIX_ERR_NOMEM : diff_ops(&A, &B, &ops, &nops);
  size_t ai = 0, bi = 0, aoff = 0, boff = 0;
  for (size_t k = 0; !st && k < nops;) {
    if (ops[k] == EQ) {
      aoff += A.n[ai++];
      boff += B.n[bi++];
      k++;
      continue;
    }
    /* a run of changes: the bytes of its deleted lines, replaced by its inserted lines */
    size_t a0 = aoff, b0 = boff;
    for (; k < nops && ops[k] != EQ; k++) {
      if (ops[k] == DEL)
        aoff += A.n[ai++];
      else
        boff += B.n[bi++];
    }
    char *text = fix_strndup(b + b0, boff - b0);
    st = text ? fix_edit_list_push(out, file, a0, aoff, text) : FIX_ERR_NOMEM;
    free(text);
  }
  free(A.p);
  free(A.n);
  free(B.p);
  free(B.n);
  free(ops);
  return st;
}

enum fix_status fix_diff_unified(const char *label, const char *a, size_t alen, const char *b, size_t blen,
                                 int color, struct fix_buf *out) {
  if (alen == blen && memcmp(a, b, alen) == 0)
    return FIX_OK;
  struct lines A = {0}, B = {0};
  enum op *ops = NULL;
  size_t nops = 0;
  enum fix_status st = FIX_OK;
  if (split(a, alen, &A) || split(b, blen, &B)) {
    st = FIX_ERR_NOMEM;
    goto done;
  }
  st = diff_ops(&A, &B, &ops, &nops);
  if (st)
    goto done;

  fix_buf_printf(out, "%s--- a/%s\n+++ b/%s\n%s", color ? "\033[1m" : "", label, label, color ? "\033[0m" : "");
  /* walk ops, emitting hunks of changes with CONTEXT lines around */
  size_t k = 0, ai = 0, bi = 0;
  while (k < nops) {
    if (ops[k] == EQ) {
      k++, ai++, bi++;
      continue;
    }
    /* hunk start: back up CONTEXT equal lines */
    size_t back = 0;
    while (back < CONTEXT && back < k && ops[k - back - 1] == EQ)
      back++;
    size_t hs = k - back, ha = ai - back, hb = bi - back;
    /* hunk end: changes closer than 2*CONTEXT equal lines share a hunk */
    size_t e = k, last_change = k;
    while (e < nops) {
      if (ops[e] != EQ)
        last_change = e;
      else if (e - last_change > 2 * CONTEXT)
        break;
      e++;
    }
    size_t he = last_change + 1 + CONTEXT < nops ? last_change + 1 + CONTEXT : nops;
    size_t ca = 0, cb = 0;
    for (size_t t = hs; t < he; t++) {
      if (ops[t] != INS)
        ca++;
      if (ops[t] != DEL)
        cb++;
    }
    fix_buf_printf(out, "%s@@ -%zu,%zu +%zu,%zu @@%s\n", color ? "\033[36m" : "", ca ? ha + 1 : ha, ca,
                   cb ? hb + 1 : hb, cb, color ? "\033[0m" : "");
    size_t x = ha, y = hb;
    for (size_t t = hs; t < he; t++) {
      if (ops[t] == EQ) {
        emit_line(out, ' ', A.p[x], A.n[x], color);
        x++, y++;
      } else if (ops[t] == DEL) {
        emit_line(out, '-', A.p[x], A.n[x], color);
        x++;
      } else {
        emit_line(out, '+', B.p[y], B.n[y], color);
        y++;
      }
    }
    k = he, ai = x, bi = y;
  }
done:
  free(A.p);
  free(A.n);
  free(B.p);
  free(B.n);
  free(ops);
  return st ? st : fix_buf_status(out);
}
