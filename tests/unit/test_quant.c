/* test_quant.c — the engine's numeric building blocks: f16/bf16 conversions (exhaustively), every
 * weight type's quantize -> dequantize error, every kernel against the dequantized dot product and
 * every SIMD kernel set this CPU has against the scalar reference, the sampler, and chat templates. */
#include "check.h"
#include "fix/engine.h"
#include "quant.h"

#include <math.h>
#include <stdint.h>

static uint64_t rng_state = 12345;
static float gauss(void) {
  double u[2];
  for (int i = 0; i < 2; i++) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    u[i] = ((double)(z >> 11) + 0.5) / 9007199254740992.0;
  }
  return (float)(sqrt(-2 * log(u[0])) * cos(6.283185307179586 * u[1]));
}

static void test_half(void) {
  int bad16 = 0, badbf = 0;
  for (uint32_t h = 0; h < 65536; h++) {
    float f = fix_f16_to_f32((uint16_t)h);
    if (isnan(f)) {
      if (!isnan(fix_f16_to_f32(fix_f32_to_f16(f))))
        bad16++;
    } else if (fix_f32_to_f16(f) != h) {
      bad16++;
    }
    float b = fix_bf16_to_f32((uint16_t)h);
    if (!isnan(b) && fix_f32_to_bf16(b) != h)
      badbf++;
  }
  CHECK_EQ_INT(bad16, 0);
  CHECK_EQ_INT(badbf, 0);
  /* rounding: to nearest, ties to even; overflow to infinity; subnormals */
  CHECK_EQ_INT(fix_f32_to_f16(1.0f), 0x3c00);
  CHECK_EQ_INT(fix_f32_to_f16(1.0f + 1.0f / 2048), 0x3c00);          /* tie -> even */
  CHECK_EQ_INT(fix_f32_to_f16(1.0f + 3.0f / 2048), 0x3c02);          /* tie -> even (up) */
  CHECK_EQ_INT(fix_f32_to_f16(65520.0f), 0x7c00);                    /* rounds to inf */
  CHECK_EQ_INT(fix_f32_to_f16(-1e-7f), 0x8002);                      /* subnormal */
  CHECK(fix_f16_to_f32(0x0001) == 5.9604644775390625e-8f);
  CHECK_EQ_INT(fix_f32_to_bf16(1.0f + 1.0f / 256), 0x3f80);          /* tie -> even */
}

/* ||dequant(quant(x)) - x|| / ||x|| must stay under each type's bound; the kernels must agree with
 * a plain dot product of the dequantized weights, and the dispatched kernels with the reference. */
static void test_types(void) {
  struct { int type; double max_err; } types[] = {
      {FIX_T_F32, 0},      {FIX_T_F16, 1e-3},   {FIX_T_BF16, 5e-3},  {FIX_T_Q8_0, 0.01}, {FIX_T_Q4_0, 0.12},
      {FIX_T_Q4_1, 0.12},  {FIX_T_Q5_0, 0.06},  {FIX_T_Q5_1, 0.06},  {FIX_T_Q4_K, 0.1},  {FIX_T_Q5_K, 0.05},
      {FIX_T_Q6_K, 0.03},
  };
  enum { N = 4096 };
  static float x[N], y[N], a[N];
  static uint8_t q[N * 4], act[N * 4];
  for (int i = 0; i < N; i++) {
    x[i] = gauss() * (i % 97 == 0 ? 4.0f : 1.0f); /* a few outliers, as real weights have */
    a[i] = gauss();
  }
  for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
    const struct type_traits *t = &fix_types[types[k].type];
    CHECK(t->to_float && t->from_float && t->vec_dot && t->vec_dot_ref);
    if (!t->to_float || !t->from_float || !t->vec_dot || !t->vec_dot_ref)
      continue;
    CHECK(fix_type_row_size(types[k].type, N) <= sizeof q);
    t->from_float(x, q, N);
    t->to_float(q, y, N);
    double e = 0, s = 0;
    for (int i = 0; i < N; i++) {
      e += (double)(y[i] - x[i]) * (y[i] - x[i]);
      s += (double)x[i] * x[i];
    }
    double rel = sqrt(e / s);
    printf("%-5s quantization error %.5f (bound %.3f)", t->name, rel, types[k].max_err);
    CHECK(rel <= types[k].max_err);
    /* the activation in the kernel's format */
    float ar[N];
    memcpy(ar, a, sizeof ar);
    if (types[k].type == FIX_T_F16)
      round_row_f16(ar, N);
    if (types[k].type == FIX_T_BF16)
      round_row_bf16(ar, N);
    const void *av = ar;
    if (t->act == ACT_Q8A) {
      quantize_row_q8a(a, act, N);
      av = act;
    } else if (t->act == ACT_Q8K) {
      quantize_row_q8k(a, act, N);
      av = act;
    }
    double want = 0, norm = 0;
    for (int i = 0; i < N; i++) {
      float ai = t->act == ACT_F32 ? ar[i] : a[i]; /* f16/bf16 weights see rounded activations */
      want += (double)y[i] * ai;
      norm += fabs((double)y[i] * ai);
    }
    float got_ref = 0, got = 0;
    t->vec_dot_ref(N, &got_ref, q, av);
    t->vec_dot(N, &got, q, av);
    double err_ref = fabs(got_ref - want) / norm, err_simd = fabs((double)got - got_ref) / norm;
    printf("; kernel vs dequantized dot %.2e, %s vs reference %.2e\n", err_ref, fix_kernels_name(), err_simd);
    CHECK(err_ref < (t->act == ACT_F32 ? 1e-5 : 0.01));
    CHECK(err_simd < 1e-5);
    /* every row length the model uses: one block, several, and rows that are not a power of 2 */
    for (int n = (int)t->blck; n <= 1024; n += (int)t->blck * (t->blck == 1 ? 37 : 3)) {
      float r1 = 0, r2 = 0;
      t->from_float(x, q, n);
      if (t->act == ACT_Q8A)
        quantize_row_q8a(a, act, n);
      else if (t->act == ACT_Q8K)
        quantize_row_q8k(a, act, n);
      t->vec_dot_ref(n, &r1, q, av);
      t->vec_dot(n, &r2, q, av);
      if (fabsf(r1 - r2) > 1e-4f * (fabsf(r1) + 1)) {
        fprintf(stderr, "%s n=%d: kernel %g vs reference %g\n", t->name, n, r2, r1);
        CHECK(0);
        break;
      }
    }
  }
}

/* Where a kernel set has a matrix-product kernel, every output equals the one-row kernel's, bit
 * for bit (so evaluating a prompt at once or token by token gives the same logits). */
static void test_gemm(void) {
  enum { N = 1536, ROWS = 11, TOKS = 19 };
  static float x[ROWS * N], a[TOKS * N], y1[TOKS * ROWS], y2[TOKS * ROWS];
  static uint8_t w[ROWS * N * 2], act[TOKS * N * 2];
  for (int i = 0; i < ROWS * N; i++)
    x[i] = gauss();
  for (int i = 0; i < TOKS * N; i++)
    a[i] = gauss();
  int tested = 0;
  for (int type = 0; type < FIX_T_COUNT; type++) {
    const struct type_traits *t = &fix_types[type];
    if (!t->gemm)
      continue;
    size_t wrow = fix_type_row_size(type, N), arow = act_row_size(t->act, N);
    for (int r = 0; r < ROWS; r++)
      t->from_float(x + (size_t)r * N, w + (size_t)r * wrow, N);
    for (int k = 0; k < TOKS; k++)
      (t->act == ACT_Q8K ? quantize_row_q8k : quantize_row_q8a)(a + (size_t)k * N, act + (size_t)k * arow, N);
    t->gemm(N, ROWS, TOKS, w, wrow, act, arow, y1, ROWS);
    int differ = 0;
    for (int k = 0; k < TOKS; k++)
      for (int r = 0; r < ROWS; r++) {
        t->vec_dot(N, &y2[k * ROWS + r], w + (size_t)r * wrow, act + (size_t)k * arow);
        differ += memcmp(&y1[k * ROWS + r], &y2[k * ROWS + r], sizeof(float)) != 0;
      }
    printf("%s: %s matrix product vs one-row kernel: %d of %d outputs differ\n", t->name, fix_kernels_name(), differ,
           ROWS * TOKS);
    CHECK_EQ_INT(differ, 0);
    tested++;
  }
  (void)tested;
}

/* The packed (row-interleaved) layouts: a row read back equals the file's row; the kernel (this
 * set's, or the scalar one) agrees with the one-row reference; its outputs do not depend on how many
 * tokens go through at once (bit for bit), and the scalar packed kernel equals the one-row reference
 * bit for bit. */
static void test_packed(void) {
  enum { N = 1536, ROWS = 48, TOKS = 37 };
  static float x[ROWS * N], a[TOKS * N], row[N], row2[N], y1[TOKS * ROWS], y2[TOKS * ROWS], y3[TOKS * ROWS],
      deq[ROWS * N];
  static uint8_t w[ROWS * N * 2], pk[ROWS * N * 2], act[TOKS * N * 2];
  for (int i = 0; i < ROWS * N; i++)
    x[i] = gauss() * (i % 89 == 0 ? 5.0f : 1.0f);
  for (int i = 0; i < TOKS * N; i++)
    a[i] = gauss();
  int types[] = {FIX_T_Q4_0, FIX_T_Q8_0, FIX_T_Q4_K, FIX_T_Q6_K};
  for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
    const struct type_traits *t = &fix_types[types[k]];
    CHECK(t->packed_ref != NULL);
    packed_fn kern = t->packed ? t->packed : t->packed_ref;
    size_t wrow = fix_type_row_size(types[k], N), arow = act_row_size(t->act, N);
    for (int r = 0; r < ROWS; r++)
      t->from_float(x + (size_t)r * N, w + (size_t)r * wrow, N);
    for (int g = 0; g < ROWS / PACK_ROWS; g++)
      pack_group(types[k], w + (size_t)g * PACK_ROWS * wrow, wrow, pk + (size_t)g * PACK_ROWS * wrow, N);
    int rows_differ = 0;
    for (int r = 0; r < ROWS; r++) {
      t->to_float(w + (size_t)r * wrow, row, N);
      memcpy(deq + (size_t)r * N, row, sizeof row);
      packed_row_to_float(types[k], pk, r, row2, N);
      rows_differ += memcmp(row, row2, sizeof row) != 0;
    }
    CHECK_EQ_INT(rows_differ, 0);
    for (int i = 0; i < TOKS; i++)
      if (t->act == ACT_Q8A)
        quantize_row_q8a(a + (size_t)i * N, act + (size_t)i * arow, N);
      else
        quantize_row_q8k(a + (size_t)i * N, act + (size_t)i * arow, N);
    kern(N, ROWS, TOKS, pk, act, arow, y1, ROWS);
    t->packed_ref(N, ROWS, TOKS, pk, act, arow, y3, ROWS);
    int differ = 0, ref_differ = 0;
    double worst = 0;
    for (int i = 0; i < TOKS; i++) {
      kern(N, ROWS, 1, pk, act + (size_t)i * arow, arow, y2 + (size_t)i * ROWS, ROWS);
      for (int r = 0; r < ROWS; r++) {
        float want;
        t->vec_dot_ref(N, &want, w + (size_t)r * wrow, act + (size_t)i * arow);
        float got = y1[i * ROWS + r];
        differ += memcmp(&got, &y2[i * ROWS + r], sizeof got) != 0;
        ref_differ += memcmp(&want, &y3[i * ROWS + r], sizeof want) != 0;
        double norm = 0; /* the size of the terms: rounding is relative to it, not to a cancelled sum */
        for (int j = 0; j < N; j++)
          norm += fabs((double)deq[(size_t)r * N + j] * a[(size_t)i * N + j]);
        worst = fmax(worst, fabs((double)got - want) / norm);
      }
    }
    printf("%s packed (%s): %d of %d outputs differ between %d tokens at once and one by one; vs reference %.1e; "
           "scalar packed vs reference: %d differ\n", t->name, t->packed ? fix_kernels_name() : "scalar", differ,
           ROWS * TOKS, TOKS, worst, ref_differ);
    CHECK_EQ_INT(differ, 0);
    CHECK_EQ_INT(ref_differ, 0);
    CHECK(worst < 1e-5);
  }
}

/* The attention kernels agree with the scalar ones, and each query's result is the same whether it
 * goes alone or with others (what makes a prompt at once equal token by token). */
static void test_attention(void) {
  enum { NQ = 13, NP = 300, DMAX = 72 };
  static float q[NQ * DMAX], sc[NQ * NP], sc1[NP], scr[NQ * NP], o[NQ * DMAX], o1[DMAX], orf[NQ * DMAX],
      tmp[ATT_CH * DMAX];
  static uint16_t k[NP * DMAX], v[NP * DMAX];
  int np[NQ];
  const int dims[] = {64, 72, 40, 18}; /* 18: not a multiple of 8 (the scalar path) */
  for (size_t di = 0; di < sizeof dims / sizeof dims[0]; di++) {
    int D = dims[di], differ = 0;
    for (int i = 0; i < NQ * D; i++)
      q[i] = gauss();
    for (int i = 0; i < NP * D; i++)
      k[i] = fix_f32_to_f16(gauss()), v[i] = fix_f32_to_f16(gauss());
    fix_attn_scores(D, NQ, q, k, (size_t)D, NP, 0.125f, sc, NP, tmp);
    ref_attn_scores(D, NQ, q, k, (size_t)D, NP, 0.125f, scr, NP, tmp);
    double worst = 0;
    for (int i = 0; i < NQ; i++) {
      np[i] = NP - 17 * i; /* causal rows of different lengths */
      fix_attn_scores(D, 1, q + (size_t)i * D, k, (size_t)D, NP, 0.125f, sc1, NP, tmp);
      differ += memcmp(sc1, sc + (size_t)i * NP, sizeof sc1) != 0;
      for (int p = 0; p < NP; p++)
        worst = fmax(worst, fabs(sc[i * NP + p] - scr[i * NP + p]));
    }
    for (int i = 0; i < NQ * NP; i++)
      sc[i] = fabsf(sc[i]) / NP; /* weights */
    fix_attn_values(D, NQ, sc, NP, np, v, (size_t)D, o, tmp);
    ref_attn_values(D, NQ, sc, NP, np, v, (size_t)D, orf, tmp);
    for (int i = 0; i < NQ; i++) {
      fix_attn_values(D, 1, sc + (size_t)i * NP, NP, &np[i], v, (size_t)D, o1, tmp);
      differ += memcmp(o1, o + (size_t)i * D, (size_t)D * sizeof(float)) != 0;
      for (int d = 0; d < D; d++)
        worst = fmax(worst, fabs(o[i * D + d] - orf[i * D + d]));
    }
    printf("attention D=%d (%s): %d of %d results differ alone vs together; vs scalar %.1e\n", D, fix_kernels_name(),
           differ, 2 * NQ, worst);
    CHECK_EQ_INT(differ, 0);
    CHECK(worst < 1e-4);
  }
}

/* The kernel set's half-precision rounding and f16 axpy equal the scalar ones exactly. */
static void test_round_axpy(void) {
  enum { N = 1003 };
  static float x[N], r1[N], y1[N], y2[N];
  static uint16_t h[N];
  for (int i = 0; i < N; i++) {
    x[i] = gauss() * (i % 5 == 0 ? 70000.0f : i % 7 == 0 ? 1e-6f : 3.0f);
    h[i] = fix_f32_to_f16(gauss());
    y1[i] = y2[i] = gauss();
  }
  memcpy(r1, x, sizeof r1);
  fix_round_f16(r1, N);
  int bad = 0;
  for (int i = 0; i < N; i++) {
    float want = fix_f16_to_f32(fix_f32_to_f16(x[i]));
    bad += memcmp(&want, &r1[i], sizeof want) != 0;
  }
  CHECK_EQ_INT(bad, 0);
  fix_axpy_f16(N, 0.37f, h, y1);
  ref_axpy_f16(N, 0.37f, h, y2);
  double worst = 0;
  for (int i = 0; i < N; i++)
    worst = fmax(worst, fabs((double)y1[i] - y2[i]));
  CHECK(worst < 1e-6); /* fused multiply-add vs multiply then add */
}

/* Activation quantization is bit-identical to the scalar code; softmax and SwiGLU (the SIMD sets'
 * own exp) agree with libm's within a few units in the last place, including long-tailed inputs. */
static void test_elementwise(void) {
  enum { N = 4096 + 29 * 32 };
  static float x[N], a1[N], a2[N], u[N];
  static uint8_t q1[N * 2], q2[N * 2];
  for (int i = 0; i < N; i++) {
    x[i] = gauss() * (i % 13 == 0 ? 40.0f : 2.0f);
    u[i] = gauss();
  }
  x[77] = 0; /* an all-zero block too */
  for (int i = 64; i < 96; i++)
    x[i] = 0;
  quantize_row_q8a(x, q1, N);
  ref_quantize_row_q8a(x, q2, N);
  CHECK(memcmp(q1, q2, act_row_size(ACT_Q8A, N)) == 0);
  int lens[] = {1, 7, 8, 9, 300, N};
  double worst = 0;
  for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
    memcpy(a1, x, sizeof a1);
    memcpy(a2, x, sizeof a2);
    fix_softmax_f16(a1, lens[k]);
    ref_softmax_f16(a2, lens[k]);
    double sum = 0;
    for (int i = 0; i < lens[k]; i++) {
      worst = fmax(worst, fabs((double)a1[i] - a2[i]));
      sum += a1[i];
    }
    CHECK(fabs(sum - 1) < 2e-3); /* weights at half precision */
  }
  CHECK(worst <= 4.9e-4); /* at most one half-precision step of the largest weight */
  memcpy(a1, x, sizeof a1);
  memcpy(a2, x, sizeof a2);
  fix_swiglu(a1, u, N - 3);
  ref_swiglu(a2, u, N - 3);
  double rel = 0;
  for (int i = 0; i < N; i++)
    rel = fmax(rel, fabs((double)a1[i] - a2[i]) / (fabs(a2[i]) + 1e-30));
  printf("elementwise (%s): q8a identical; softmax within %.1e, swiglu within %.1e relative\n", fix_kernels_name(),
         worst, rel);
  CHECK(rel < 1e-5);
}

static void test_sampler(void) {
  enum { NV = 100 };
  float l[NV], w[NV];
  for (int i = 0; i < NV; i++)
    l[i] = (float)((i * 37) % NV) / 10.0f; /* max at i where i*37 % 100 == 99: i = 27 */
  struct fix_sampling s;
  fix_sampling_defaults(&s);
  uint64_t rng = s.seed;
  memcpy(w, l, sizeof w);
  CHECK_EQ_INT(fix_sample(&s, w, NV, NULL, 0, &rng), 27); /* greedy */
  /* repetition penalty pushes the top token below the runner-up (i*37%100 == 98: i = 54) */
  s.repeat_penalty = 1.5f;
  int32_t hist[] = {27};
  memcpy(w, l, sizeof w);
  CHECK_EQ_INT(fix_sample(&s, w, NV, hist, 1, &rng), 54);
  s.repeat_penalty = 1.0f;
  /* top_k = 1 is greedy at any temperature */
  s.temperature = 2.0f;
  s.top_k = 1;
  memcpy(w, l, sizeof w);
  CHECK_EQ_INT(fix_sample(&s, w, NV, NULL, 0, &rng), 27);
  /* a seed reproduces the draws; draws stay within top_k */
  s.top_k = 5;
  s.top_p = 1.0f;
  s.min_p = 0;
  int draws[2][64], seen[NV] = {0};
  for (int run = 0; run < 2; run++) {
    rng = 7;
    for (int i = 0; i < 64; i++) {
      memcpy(w, l, sizeof w);
      draws[run][i] = fix_sample(&s, w, NV, NULL, 0, &rng);
      if (draws[run][i] >= 0 && draws[run][i] < NV)
        seen[draws[run][i]]++;
    }
  }
  CHECK(memcmp(draws[0], draws[1], sizeof draws[0]) == 0);
  int distinct = 0, outside = 0;
  for (int i = 0; i < NV; i++) {
    distinct += seen[i] > 0;
    if (seen[i] && l[i] < 9.5f)
      outside++;
  }
  CHECK(distinct >= 2 && distinct <= 5);
  CHECK_EQ_INT(outside, 0);
  /* min_p = 0.5 at temperature 1 keeps tokens within log(2) of the best: 9.9 and 9.8, 9.7, 9.6 */
  s.top_k = 0;
  s.min_p = 0.5f;
  s.temperature = 1.0f;
  int bad = 0;
  for (int i = 0; i < 200; i++) {
    memcpy(w, l, sizeof w);
    int32_t t = fix_sample(&s, w, NV, NULL, 0, &rng);
    if (t < 0 || t >= NV || l[t] < 9.9f - 0.6932f)
      bad++;
  }
  CHECK_EQ_INT(bad, 0);
  /* top_p = 0.01 keeps only the best */
  s.min_p = 0;
  s.top_p = 0.01f;
  memcpy(w, l, sizeof w);
  CHECK_EQ_INT(fix_sample(&s, w, NV, NULL, 0, &rng), 27);
}

/* The sampler's cuts done the obvious way (sort everything), as an oracle for the fast one. */
struct oc { int32_t id; float v; };
static int oc_cmp(const void *a, const void *b) {
  float x = ((const struct oc *)a)->v, y = ((const struct oc *)b)->v;
  return x > y ? -1 : x < y ? 1 : ((const struct oc *)a)->id - ((const struct oc *)b)->id;
}
static int32_t oracle_sample(const struct fix_sampling *s, const float *l, int n, uint64_t *rng) {
  struct oc *c = malloc((size_t)n * sizeof *c);
  for (int i = 0; i < n; i++)
    c[i] = (struct oc){i, l[i]};
  qsort(c, (size_t)n, sizeof *c, oc_cmp);
  int k = s->top_k > 0 && s->top_k < n ? s->top_k : n, keep = k;
  double sum = 0, cum = 0;
  for (int i = 0; i < k; i++)
    sum += exp((double)(c[i].v - c[0].v));
  if (s->top_p < 1.0f)
    for (int i = 0; i < k; i++)
      if ((cum += exp((double)(c[i].v - c[0].v)) / sum) >= s->top_p) {
        keep = i + 1;
        break;
      }
  if (s->min_p > 0)
    for (int i = 1; i < keep; i++)
      if (exp((double)(c[i].v - c[0].v)) < s->min_p) {
        keep = i;
        break;
      }
  double tot = 0, acc = 0;
  for (int i = 0; i < keep; i++)
    tot += exp((double)(c[i].v - c[0].v) / s->temperature);
  uint64_t z = (*rng += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  double r = (double)(z >> 11) * (1.0 / 9007199254740992.0) * tot;
  int32_t pick = c[keep - 1].id;
  for (int i = 0; i < keep; i++)
    if ((acc += exp((double)(c[i].v - c[0].v) / s->temperature)) >= r) {
      pick = c[i].id;
      break;
    }
  free(c);
  return pick;
}

static void test_sampler_oracle(void) {
  enum { NV = 3000 };
  static float l[NV], w[NV];
  int differ = 0;
  for (int trial = 0; trial < 600; trial++) {
    for (int i = 0; i < NV; i++) /* coarse values: many ties */
      l[i] = (float)(int)(gauss() * (trial % 3 == 0 ? 2.0f : 8.0f)) * 0.5f;
    struct fix_sampling s;
    fix_sampling_defaults(&s);
    s.temperature = 0.2f + (float)(trial % 7) * 0.3f;
    s.top_k = (int[]){0, 1, 5, 40, 2999, 5000}[trial % 6];
    s.top_p = (float[]){1.0f, 0.95f, 0.5f, 0.01f}[trial % 4];
    s.min_p = (float[]){0, 0.05f, 0.5f}[trial % 5 % 3];
    uint64_t r1 = (uint64_t)trial, r2 = (uint64_t)trial;
    memcpy(w, l, sizeof w);
    int32_t a = fix_sample(&s, w, NV, NULL, 0, &r1), b = oracle_sample(&s, l, NV, &r2);
    if (a != b && differ++ < 3)
      fprintf(stderr, "sampler trial %d (k %d, p %g, min_p %g): %d vs oracle %d\n", trial, s.top_k, s.top_p, s.min_p,
              a, b);
  }
  CHECK_EQ_INT(differ, 0);
}

static void test_chat(void) {
  struct fix_chat_msg msgs[] = {{"system", "Fix it."}, {"user", "int x = ;"}};
  char *p = fix_chat_render(FIX_CHAT_CHATML, msgs, 2);
  CHECK_EQ_STR(p, "<|im_start|>system\nFix it.<|im_end|>\n<|im_start|>user\nint x = ;<|im_end|>\n"
                  "<|im_start|>assistant\n");
  free(p);
  p = fix_chat_render(FIX_CHAT_LLAMA3, msgs, 2);
  CHECK(p && strstr(p, "<|start_header_id|>system<|end_header_id|>\n\nFix it.<|eot_id|>") &&
        fix_str_ends(p, "<|start_header_id|>assistant<|end_header_id|>\n\n"));
  free(p);
  p = fix_chat_render(FIX_CHAT_LLAMA2, msgs, 2);
  CHECK(p && strstr(p, "[INST] <<SYS>>\nFix it.\n<</SYS>>\n\nint x = ; [/INST]"));
  free(p);
  CHECK_EQ_INT(fix_chat_detect("{% for m in messages %}<|im_start|>{{ m.role }}..."), FIX_CHAT_CHATML);
  CHECK_EQ_INT(fix_chat_detect("...<|start_header_id|>' + message['role'] + '<|end_header_id|>..."), FIX_CHAT_LLAMA3);
  CHECK_EQ_INT(fix_chat_detect("something else entirely"), FIX_CHAT_NONE);
  CHECK_EQ_INT(fix_chat_from_name("chatml"), FIX_CHAT_CHATML);
  CHECK_EQ_INT(fix_chat_from_name("nonsense"), FIX_CHAT_NONE);
  CHECK_EQ_STR(fix_chat_name(FIX_CHAT_PHI3), "phi3");
}

int main(void) {
  fix_kernels_init();
  test_half();
  /* every kernel set this CPU has, against the scalar reference */
  const char *sets[] = {"scalar", "avx2", "avx512-vnni"};
  for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
    if (fix_kernels_select(sets[i]) != 0) {
      printf("(kernel set %s: not on this CPU)\n", sets[i]);
      continue;
    }
    test_types();
    test_gemm();
    test_packed();
    test_attention();
    test_round_axpy();
    test_elementwise();
  }
  fix_kernels_init();
  test_sampler();
  test_sampler_oracle();
  test_chat();
  printf("%d passed, %d failed\n", check_pass, check_fail);
  return check_fail ? 1 : 0;
}
