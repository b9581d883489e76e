/* matmul.c — weight matrix times a batch of activations.
 *
 * The activations are quantized once per call into the block type the weight's kernel wants, then
 * output rows are split among the threads: each task takes a run of rows and dots them with every
 * token (weights stream through once per call, activations stay in cache). */
#include "model.h"

#include <string.h>

struct mm {
  const struct weight *w;
  const char *a;
  size_t arow;
  int n_tok;
  float *y;
  int rows_per_task;
  vec_dot_fn dot;
  gemm_fn gemm; /* when there is one and several tokens */
  packed_fn packed; /* packed weights: every token count */
};

static void mm_task(void *ud, int task, int thread) {
  struct mm *m = ud;
  int64_t r0 = (int64_t)task * m->rows_per_task, r1 = r0 + m->rows_per_task;
  if (r1 > m->w->ne1)
    r1 = m->w->ne1;
  const char *wd = m->w->data;
  if (m->packed) { /* rows_per_task is a multiple of PACK_ROWS; a group's bytes = PACK_ROWS rows' */
    m->packed((int)m->w->ne0, (int)(r1 - r0), m->n_tok, wd + (size_t)r0 * m->w->row, m->a, m->arow, m->y + r0,
              (size_t)m->w->ne1);
    return;
  }
  if (m->gemm) {
    m->gemm((int)m->w->ne0, (int)(r1 - r0), m->n_tok, wd + (size_t)r0 * m->w->row, m->w->row, m->a, m->arow,
            m->y + r0, (size_t)m->w->ne1);
    return;
  }
  for (int64_t r = r0; r < r1; r++) {
    const char *wr = wd + (size_t)r * m->w->row;
    for (int t = 0; t < m->n_tok; t++)
      m->dot((int)m->w->ne0, &m->y[(size_t)t * (size_t)m->w->ne1 + (size_t)r], wr, m->a + (size_t)t * m->arow);
  }
}

/* Activation rows quantized for the weights' kernel, split among the threads. */
struct quant_job {
  enum act_type act;
  const float *x;
  int64_t n;
  void *out;
  size_t arow;
  int n_tok;
};

static void quant_task(void *ud, int task, int thread) {
  struct quant_job *q = ud;
  int tasks = q->n_tok < 16 ? q->n_tok : 16;
  for (int t = task; t < q->n_tok; t += tasks) {
    if (q->act == ACT_Q8A)
      quantize_row_q8a(q->x + (size_t)t * (size_t)q->n, (char *)q->out + (size_t)t * q->arow, q->n);
    else
      quantize_row_q8k(q->x + (size_t)t * (size_t)q->n, (char *)q->out + (size_t)t * q->arow, q->n);
  }
}

size_t matmul_scratch(const struct weight *w, int n_tok) {
  return act_row_size(fix_types[w->type].act, w->ne0) * (size_t)n_tok;
}

void matmul(struct pool *p, const struct weight *w, const float *x, int n_tok, float *y, void *aq) {
  const struct type_traits *tt = &fix_types[w->type];
  struct mm m = {w, (const char *)x, (size_t)w->ne0 * sizeof(float), n_tok, y, 0, tt->vec_dot,
                 n_tok >= 4 ? tt->gemm : NULL, NULL};
  if (w->packed)
    m.packed = tt->packed ? tt->packed : tt->packed_ref;
  if (tt->act == ACT_F32 && (w->type == FIX_T_F16 || w->type == FIX_T_BF16)) {
    float *r = aq; /* activations at the weights' precision */
    memcpy(r, x, (size_t)n_tok * (size_t)w->ne0 * sizeof(float));
    if (w->type == FIX_T_F16)
      fix_round_f16(r, (int64_t)n_tok * w->ne0);
    else
      round_row_bf16(r, (int64_t)n_tok * w->ne0);
    m.a = aq;
  } else if (tt->act != ACT_F32) {
    struct quant_job q = {tt->act, x, w->ne0, aq, act_row_size(tt->act, w->ne0), n_tok};
    if (n_tok > 1)
      pool_run(p, quant_task, &q, n_tok < 16 ? n_tok : 16);
    else
      quant_task(&q, 0, 0);
    m.a = aq;
    m.arow = q.arow;
  }
  int tasks = pool_threads(p) * 8;
  m.rows_per_task = (int)((w->ne1 + tasks - 1) / tasks);
  if (m.rows_per_task < 16)
    m.rows_per_task = 16;
  m.rows_per_task = (m.rows_per_task + PACK_ROWS - 1) / PACK_ROWS * PACK_ROWS;
  tasks = (int)((w->ne1 + m.rows_per_task - 1) / m.rows_per_task);
  pool_run(p, mm_task, &m, tasks);
}
