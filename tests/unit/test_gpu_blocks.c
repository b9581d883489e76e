/* test_gpu_blocks.c — the CUDA kernels' view of the weight blocks (src/engine/cuda/blocks.h), run
 * on the CPU: for every weight type, every 32-value sub-block of random rows decodes to exactly the
 * values the CPU engine's to_float gives (the kernels' dequantization is this same code, compiled
 * by nvcc), both as floats and as the integer form the one-token kernels feed to dp4a (value =
 * d * q + m per 16 values, q within int8). Rows come from quantizing random data, and for the
 * quantized types also from random bytes with sane scales (every bit pattern of the quants). */
#include "check.h"
#include "quant.h"

#include "cuda/blocks.h"
#include "gpu.h"
#include "model.h"

#include <math.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t next(void) {
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return (uint32_t)(rng >> 11);
}
static float frand(void) { return (float)(next() % 2000001) / 1000000.0f - 1.0f; }

/* the 2-byte half-precision fields of a block (scales, mins) set to small normal values */
static void sane_scales(int type, uint8_t *b) {
  uint16_t h = fix_f32_to_f16(0.01f + (float)(next() % 100) / 1000.0f), h2 = fix_f32_to_f16((float)(next() % 100) / 1000.0f);
  int at[2] = {-1, -1};
  switch (type) {
  case FIX_T_Q4_0: case FIX_T_Q5_0: case FIX_T_Q8_0: at[0] = 0; break;
  case FIX_T_Q4_1: case FIX_T_Q5_1: case FIX_T_Q4_K: case FIX_T_Q5_K: at[0] = 0, at[1] = 2; break;
  case FIX_T_Q6_K: at[0] = 208; break;
  }
  if (at[0] >= 0)
    memcpy(b + at[0], &h, 2);
  if (at[1] >= 0)
    memcpy(b + at[1], &h2, 2);
}

static int check_row(int type, const uint8_t *row, int n) {
  float *ref = malloc((size_t)n * sizeof *ref);
  fix_types[type].to_float(row, ref, n);
  int bad = 0;
  for (int sb = 0; sb < n / 32 && !bad; sb++) {
    float v[32];
    blk_values32(type, row, sb, v);
    for (int j = 0; j < 32; j++)
      if (!(v[j] == ref[32 * sb + j]) && !(isnan(v[j]) && isnan(ref[32 * sb + j]))) {
        fprintf(stderr, "%s: sub-block %d value %d: %g, the CPU says %g\n", fix_types[type].name, sb, j, v[j],
                ref[32 * sb + j]);
        bad = 1;
        break;
      }
    if (!blk_is_float(type)) {
      int q[32];
      float d[2], m[2];
      blk_int32(type, row, sb, q, d, m);
      for (int j = 0; j < 32; j++)
        if (q[j] < -128 || q[j] > 127) {
          fprintf(stderr, "%s: sub-block %d: q[%d] = %d does not fit int8\n", fix_types[type].name, sb, j, q[j]);
          bad = 1;
        }
    }
  }
  free(ref);
  return !bad;
}

/* The one-token kernels' dot product of a row with the CPU's q8a activations (the GPU quantizes
 * them with the same rounding), sub-block by sub-block through blk_int32, blk_pack8 and
 * blk_dot_q8 with dp4a emulated: within float rounding of the exact sum of (weight value) x
 * (activation value), and of the CPU's own kernel where it uses the same activations. */
static int check_dot(int type, const uint8_t *row, const float *x, int n) {
  struct block_q8a *a = malloc((size_t)(n / 32) * sizeof *a);
  float *wv = malloc((size_t)n * sizeof *wv);
  ref_quantize_row_q8a(x, a, n);
  fix_types[type].to_float(row, wv, n);
  float got = 0;
  double exact = 0, mag = 0;
  for (int sb = 0; sb < n / 32; sb++) {
    int q[32], w[8], ai[8];
    float d[2], m[2];
    blk_int32(type, row, sb, q, d, m);
    blk_pack8(q, w);
    memcpy(ai, a[sb].qs, 32);
    got += blk_dot_q8(w, d, m, ai, a[sb].d);
    for (int j = 0; j < 32; j++) {
      exact += (double)wv[32 * sb + j] * a[sb].d * a[sb].qs[j];
      mag += fabs((double)wv[32 * sb + j] * a[sb].d * a[sb].qs[j]);
    }
  }
  int ok = fabs(got - exact) <= 1e-5 * mag + 1e-30;
  if (!ok)
    fprintf(stderr, "%s: dp4a form %.9g, exact %.9g (sum of magnitudes %.3g)\n", fix_types[type].name, got, exact, mag);
  if (fix_types[type].act == ACT_Q8A) { /* the CPU's kernel on the same activations */
    float cpu;
    fix_types[type].vec_dot_ref(n, &cpu, row, a);
    double tol = type == FIX_T_Q4_1 || type == FIX_T_Q5_1 ? 2e-3 : 1e-5; /* the CPU rounds d * sum(a) to f16 */
    if (fabs(got - cpu) > tol * mag + 1e-30) {
      fprintf(stderr, "%s: dp4a form %.9g, the CPU's kernel %.9g\n", fix_types[type].name, got, cpu);
      ok = 0;
    }
  }
  free(a);
  free(wv);
  return ok;
}

/* The backend's host-side checks, which need no device: what it refuses, and the device memory
 * it would take. Without CUDA in the build, every call says so. */
static void test_backend_host(void) {
  char why[GPU_WHY] = "";
  int n = gpu_device_count(why);
  CHECK(n > 0 || why[0]); /* no device: a reason */
  struct gpu_layer_desc L = {0};
  float v[4096] = {0};
  struct gpu_matrix q = {v, FIX_T_Q4_0, 256, 256, 144}, kv = {v, FIX_T_Q4_0, 256, 64, 144};
  L.attn_norm = L.ffn_norm = v;
  L.wq = L.wo = q, L.wk = L.wv = kv, L.gate = L.up = q, L.down = q;
  struct gpu_model_desc d = {1000, 256, 1, 8, 2, 32, 256, 10000, 1e-5f, 1, {v, FIX_T_Q8_0, 256, 1000, 272},
                             {v, FIX_T_Q8_0, 256, 1000, 272}, v, &L};
#ifdef FIX_HAVE_CUDA
  CHECK_EQ_INT(gpu_model_supported(&d, why), GPU_OK);
  /* tied output counted once; every piece 256-byte aligned */
  size_t mat = 256 * 144, want = 272128 /* 1000 x 272, aligned */ + 1024 /* out_norm */ + 5 * mat + 2 * 64 * 144 + 2 * 1024;
  CHECK_EQ_INT(gpu_model_bytes(&d), want);
  d.head_dim = 36;
  CHECK_EQ_INT(gpu_model_supported(&d, why), GPU_E_UNSUPPORTED);
  CHECK(strstr(why, "head size 36") != NULL);
  d.head_dim = 32, d.n_head = 40, d.n_head_kv = 2;
  CHECK_EQ_INT(gpu_model_supported(&d, why), GPU_E_UNSUPPORTED);
  CHECK(strstr(why, "20 query heads per KV head") != NULL);
  d.n_head = 8;
  L.down.type = FIX_T_Q2_K;
  CHECK_EQ_INT(gpu_model_supported(&d, why), GPU_E_UNSUPPORTED);
  CHECK(strstr(why, "layer 0") != NULL);
#else
  CHECK(gpu_model_supported(&d, why) != GPU_OK);
  CHECK(strstr(why, "without CUDA") != NULL);
#endif
}

/* a GPU failure keeps its kind: a CUDA error is not "unsupported" or "I/O" */
static void test_gpu_status(void) {
  CHECK_EQ_INT(model_gpu_status(GPU_OK), FIX_OK);
  CHECK_EQ_INT(model_gpu_status(GPU_E_CUDA), FIX_ERR_DEVICE);
  CHECK_EQ_INT(model_gpu_status(GPU_E_MEMORY), FIX_ERR_TOO_BIG);
  CHECK_EQ_INT(model_gpu_status(GPU_E_NODEV), FIX_ERR_CONFIG);
  CHECK_EQ_INT(model_gpu_status(GPU_E_UNSUPPORTED), FIX_ERR_UNSUPPORTED);
  CHECK_EQ_INT(model_gpu_status(GPU_E_ARG), FIX_ERR_ARG);
  CHECK(!strcmp(fix_status_str(FIX_ERR_DEVICE), "GPU failure"));
}

int main(void) {
  fix_kernels_init();
  test_gpu_status();
  test_backend_host();
  const int types[] = {FIX_T_F32, FIX_T_F16, FIX_T_BF16, FIX_T_Q4_0, FIX_T_Q4_1, FIX_T_Q5_0,
                       FIX_T_Q5_1, FIX_T_Q8_0, FIX_T_Q4_K, FIX_T_Q5_K, FIX_T_Q6_K};
  const int n = 1024; /* four K-quant super-blocks */
  float *x = malloc(n * sizeof *x);
  uint8_t *row = malloc(n * 4);
  for (size_t k = 0; k < sizeof types / sizeof *types; k++) {
    int t = types[k];
    CHECK_EQ_INT(blk_bytes(t), (long long)fix_types[t].size);
    CHECK_EQ_INT(blk_values(t), (long long)fix_types[t].blck);
    int ok = 1;
    for (int rep = 0; rep < 50; rep++) {
      float scale = rep % 5 == 0 ? 100.0f : rep % 5 == 1 ? 1e-3f : 1.0f;
      for (int i = 0; i < n; i++)
        x[i] = frand() * scale;
      fix_types[t].from_float(x, row, n);
      ok &= check_row(t, row, n);
      if (!blk_is_float(t)) {
        for (int i = 0; i < n; i++)
          x[i] = frand() * (i % 9 == 0 ? 10.0f : 1.0f);
        ok &= check_dot(t, row, x, n);
      }
      if (!blk_is_float(t)) { /* every bit pattern of the quants */
        size_t bytes = fix_type_row_size(t, n), bs = fix_types[t].size;
        for (size_t i = 0; i < bytes; i++)
          row[i] = (uint8_t)next();
        for (size_t b = 0; b < bytes; b += bs)
          sane_scales(t, row + b);
        ok &= check_row(t, row, n);
        ok &= check_dot(t, row, x, n);
      }
    }
    CHECK(ok);
  }
  free(x);
  free(row);
  printf("%d passed, %d failed\n", check_pass, check_fail);
  return check_fail != 0;
}
