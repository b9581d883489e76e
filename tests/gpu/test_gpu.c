/* test_gpu.c — the CUDA backend against the CPU engine (ctest label gpu; exits 77, skipped, where
 * this process sees no CUDA device). Every check draws fresh random data; device outputs are
 * poisoned (NaN) before each kernel runs, so an element never written fails.
 *
 * 1. Matrix products, every weight type, through both paths (one-token kernels for 1-8 tokens,
 *    tensor cores above), rows not a multiple of any tile: ||y - ref|| / ||ref|| against the exact
 *    product of the dequantized weights (double). Bounds: quantized weights on the one-token path
 *    meet int8 activations (as the CPU's kernels do): 1e-2; F32/F16/BF16 there: 1e-5; the tensor
 *    cores round weights and activations to half precision: 4e-3.
 * 1b. Attention (split kernel, and the tensor-core prompt kernel where the shape has one) against the
 *    exact softmax in double over f16 keys and values: 3e-3 relative (queries and, in the prompt
 *    kernel, the weights meet the cache at half precision); RMSNorm (1e-6) and biases + RoPE in both
 *    layouts (1e-5: the GPU's powf/cosf/sinf are within a few ulps of the CPU's).
 * 2. Whole models (`fix model synth` tiny-qwen2 and tiny-llama: both RoPE layouts, with and
 *    without biases, tied and untied), every type: the prompt's last logits within 3e-2 (relative
 *    L2) of the CPU engine's, and 32 greedy tokens identical.
 * 3. Candidates decoded together on the GPU equal each decoded alone (sampled, same seeds).
 * 4. A device index that does not exist is an error that names the devices. */
#include "check.h"
#include "fix/engine.h"
#include "fix/synth.h"
#include "gpu.h"
#include "quant.h"
#include "tiny_vocab.h"

#include <math.h>
#include <unistd.h>

static uint64_t rng = 0x2545f4914f6cdd1dull;
static float frand(void) {
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return (float)((rng >> 11) % 2000001) / 1000000.0f - 1.0f;
}

static const char *const type_names[] = {"f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "q5_0", "q5_1", "q4_k", "q5_k",
                                         "q6_k", "q4_k_m"};
static const int types[] = {FIX_T_F32, FIX_T_F16, FIX_T_BF16, FIX_T_Q8_0, FIX_T_Q4_0, FIX_T_Q4_1,
                            FIX_T_Q5_0, FIX_T_Q5_1, FIX_T_Q4_K, FIX_T_Q5_K, FIX_T_Q6_K};

static int quick; /* FIX_GPU_TEST_QUICK: fewer sizes and models (under compute-sanitizer) */

static void test_matmul(void) {
  const int ne0 = 512, ne1 = 203, all[] = {1, 2, 5, 8, 9, 64, 130}, few[] = {1, 5, 64};
  const int *nts = quick ? few : all, nnt = quick ? 3 : 7;
  float *wf = malloc((size_t)ne0 * ne1 * sizeof(float)), *x = malloc(130 * (size_t)ne0 * sizeof(float));
  float *y = malloc(130 * (size_t)ne1 * sizeof(float));
  uint8_t *w = malloc((size_t)ne0 * ne1 * 4);
  for (size_t k = 0; k < sizeof types / sizeof *types; k++) {
    int t = types[k];
    size_t row = fix_type_row_size(t, ne0);
    for (int r = 0; r < ne1; r++) {
      float tmp[512];
      for (int j = 0; j < ne0; j++)
        tmp[j] = frand() * 0.1f;
      fix_types[t].from_float(tmp, w + (size_t)r * row, ne0);
      fix_types[t].to_float(w + (size_t)r * row, wf + (size_t)r * ne0, ne0); /* the values the kernel must use */
    }
    struct gpu_matrix m = {w, t, ne0, ne1, row};
    for (int i = 0; i < nnt; i++) {
      int nt = nts[i];
      for (int j = 0; j < nt * ne0; j++)
        x[j] = frand() * (j % 7 == 0 ? 4.0f : 1.0f);
      char why[GPU_WHY] = "";
      int rc = gpu_test_matmul(&m, x, nt, y, why);
      CHECK_EQ_INT(rc, 0);
      if (rc) {
        fprintf(stderr, "%s x %d tokens: %s\n", fix_type_name(t), nt, why);
        continue;
      }
      double num = 0, den = 0;
      int finite = 1;
      for (int tt = 0; tt < nt; tt++)
        for (int r = 0; r < ne1; r++) {
          double ref = 0;
          for (int j = 0; j < ne0; j++)
            ref += (double)wf[(size_t)r * ne0 + j] * x[(size_t)tt * ne0 + j];
          double got = y[(size_t)tt * ne1 + r];
          finite &= isfinite(got);
          num += (got - ref) * (got - ref);
          den += ref * ref;
        }
      double rel = sqrt(num / den), bound = nt > 8 ? 4e-3 : (t == FIX_T_F32 || t == FIX_T_F16 || t == FIX_T_BF16) ? 1e-5 : 1e-2;
      CHECK(finite);
      CHECK(rel <= bound);
      printf("matmul %-5s x %3d tokens: relative error %.2e (bound %.0e)%s\n", fix_type_name(t), nt, rel, bound,
             finite && rel <= bound ? "" : "  FAILED");
    }
  }
  free(wf);
  free(x);
  free(y);
  free(w);
}

static double rel_err(const float *got, const double *ref, size_t n, int *finite) {
  double num = 0, den = 0;
  *finite = 1;
  for (size_t i = 0; i < n; i++) {
    *finite &= isfinite(got[i]);
    num += (got[i] - ref[i]) * (got[i] - ref[i]);
    den += ref[i] * ref[i];
  }
  return sqrt(num / (den > 0 ? den : 1));
}

static void test_attention(void) {
  const int shapes[][3] = {{8, 2, 32}, {8, 2, 64}, {7, 1, 128}, {14, 2, 64}, {12, 2, 128}};
  const int ns[] = {1, 5, 70};
  double worst[2] = {0, 0};
  int cases[2] = {0, 0};
  for (size_t si = 0; si < sizeof shapes / sizeof *shapes; si++)
    for (size_t ni = 0; ni < sizeof ns / sizeof *ns; ni++)
      for (int extra = 0; extra <= 100; extra += 100)
        for (int prompt = 0; prompt <= 1; prompt++) {
          int H = shapes[si][0], KV = shapes[si][1], D = shapes[si][2], n = ns[ni], npos = n + extra, G = H / KV;
          if (prompt && n == 1)
            continue;
          size_t qd = (size_t)H * D, kvd = (size_t)KV * D;
          float *q = malloc(n * qd * 4), *out = malloc(n * qd * 4);
          uint16_t *k = malloc(npos * kvd * 2), *v = malloc(npos * kvd * 2);
          double *ref = malloc(n * qd * sizeof(double)), *w = malloc(npos * sizeof(double));
          for (size_t i = 0; i < n * qd; i++)
            q[i] = frand();
          for (size_t i = 0; i < npos * kvd; i++)
            k[i] = fix_f32_to_f16(frand()), v[i] = fix_f32_to_f16(frand());
          for (int t = 0; t < n; t++)
            for (int h = 0; h < H; h++) {
              int p = npos - n + t, kh = h / G;
              double mx = -1e300, sum = 0;
              for (int j = 0; j <= p; j++) {
                double s = 0;
                for (int d = 0; d < D; d++)
                  s += (double)fix_f16_to_f32(fix_f32_to_f16(q[t * qd + h * D + d])) *
                       fix_f16_to_f32(k[j * kvd + kh * D + d]);
                w[j] = s / sqrt((double)D);
                mx = w[j] > mx ? w[j] : mx;
              }
              for (int j = 0; j <= p; j++)
                sum += (w[j] = exp(w[j] - mx));
              for (int d = 0; d < D; d++) {
                double o = 0;
                for (int j = 0; j <= p; j++)
                  o += w[j] / sum * fix_f16_to_f32(v[j * kvd + kh * D + d]);
                ref[t * qd + h * D + d] = o;
              }
            }
          char why[GPU_WHY] = "";
          int used = -1, finite = 0;
          int rc = gpu_test_attention(H, KV, D, n, npos, prompt, q, k, v, out, &used, why);
          CHECK_EQ_INT(rc, 0);
          double rel = rc ? 1 : rel_err(out, ref, n * qd, &finite);
          int fa_expected = prompt && (D == 64 || D == 128) && G <= 8;
          CHECK(!rc && finite && rel <= 3e-3);
          CHECK_EQ_INT(used, fa_expected);
          if (!rc && used >= 0 && used <= 1) {
            worst[used] = rel > worst[used] ? rel : worst[used];
            cases[used]++;
          }
          if (rc || !finite || rel > 3e-3)
            fprintf(stderr, "attention H %d KV %d D %d, %d tokens over %d positions%s: relative error %.2e %s\n", H, KV,
                    D, n, npos, used ? " (tensor cores)" : "", rel, why);
          free(q), free(out), free(k), free(v), free(ref), free(w);
        }
  printf("attention: %d cases through the split kernel, worst relative error %.2e; %d through the tensor-core prompt "
         "kernel, worst %.2e (bound 3e-3)\n", cases[0], worst[0], cases[1], worst[1]);
}

static float rope_theta_ref(int pos, int i, int D, float base) {
  return (float)pos * powf(base, -2.0f * (float)i / (float)D); /* as forward.c's rope() */
}

static void test_norm_rope(void) {
  const int n = 3, E = 256, pos[3] = {0, 7, 300};
  const int shapes[][3] = {{8, 2, 32}, {4, 1, 64}};
  for (size_t si = 0; si < 2; si++)
    for (int neox = 0; neox <= 1; neox++)
      for (int bias = 0; bias <= 1; bias++) {
        int H = shapes[si][0], KV = shapes[si][1], D = shapes[si][2];
        size_t qd = (size_t)H * D, kvd = (size_t)KV * D;
        float x[3 * 256], w[256], *q = malloc(n * qd * 4), *k = malloc(n * kvd * 4), *bq = malloc(qd * 4),
              *bk = malloc(kvd * 4);
        double xr[3 * 256], *qr = malloc(n * qd * 8), *kr = malloc(n * kvd * 8);
        for (int i = 0; i < n * E; i++)
          x[i] = frand() * 3;
        for (int i = 0; i < E; i++)
          w[i] = frand();
        for (size_t i = 0; i < n * qd; i++)
          q[i] = frand();
        for (size_t i = 0; i < n * kvd; i++)
          k[i] = frand();
        for (size_t i = 0; i < qd; i++)
          bq[i] = frand();
        for (size_t i = 0; i < kvd; i++)
          bk[i] = frand();
        for (int t = 0; t < n; t++) {
          double ss = 0;
          for (int i = 0; i < E; i++)
            ss += (double)x[t * E + i] * x[t * E + i];
          float sc = 1.0f / sqrtf((float)(ss / E) + 1e-6f);
          for (int i = 0; i < E; i++)
            xr[t * E + i] = x[t * E + i] * sc * w[i];
          for (int which = 0; which < 2; which++) {
            int nh = which ? KV : H;
            float *src = which ? k + t * kvd : q + t * qd, *b = which ? bk : bq;
            double *dst = which ? kr + t * kvd : qr + t * qd;
            for (int h = 0; h < nh; h++)
              for (int i = 0; i < D / 2; i++) {
                int a = neox ? i : 2 * i, c = neox ? i + D / 2 : 2 * i + 1;
                float x0 = src[h * D + a] + (bias ? b[h * D + a] : 0), x1 = src[h * D + c] + (bias ? b[h * D + c] : 0);
                float th = rope_theta_ref(pos[t], i, D, 1e6f);
                dst[h * D + a] = x0 * cos(th) - x1 * sin(th);
                dst[h * D + c] = x0 * sin(th) + x1 * cos(th);
              }
          }
        }
        char why[GPU_WHY] = "";
        int rc = gpu_test_norm_rope(n, E, 1e-6f, x, w, H, KV, D, 1e6f, neox, pos, q, k, bias ? bq : NULL,
                                    bias ? bk : NULL, why), f1 = 0, f2 = 0, f3 = 0;
        CHECK_EQ_INT(rc, 0);
        double en = rel_err(x, xr, n * E, &f1), eq = rel_err(q, qr, n * qd, &f2), ek = rel_err(k, kr, n * kvd, &f3);
        CHECK(!rc && f1 && f2 && f3 && en <= 1e-6 && eq <= 1e-5 && ek <= 1e-5);
        if (rc || en > 1e-6 || eq > 1e-5 || ek > 1e-5)
          fprintf(stderr, "norm/rope D %d neox %d bias %d: %.2e %.2e %.2e %s\n", D, neox, bias, en, eq, ek, why);
        free(q), free(k), free(bq), free(bk), free(qr), free(kr);
      }
  printf("rmsnorm, biases and rope: checked\n");
}

static int argmax(const float *v, int n) {
  int b = 0;
  for (int i = 1; i < n; i++)
    if (v[i] > v[b])
      b = i;
  return b;
}

static char dir[512]; /* the models' scratch directory, made by mkdtemp under $TMPDIR */

/* embd/heads/kv: 0 keeps the shape's (tiny: head size 32, which the tensor-core prompt attention
 * does not take; 512/8/2 gives 64 and 896/7/1 gives 128 with 7 query heads a KV head, as 7B) */
static void test_model(const struct fix_tokenizer *tok, const char *shape, const char *type, int tied, int embd,
                       int heads, int kv) {
  struct fix_synth s = {0};
  CHECK(fix_synth_shape(shape, &s) == 0);
  CHECK(fix_synth_parse_type(type, &s) == 0);
  if (embd)
    s.n_embd = embd, s.n_head = heads, s.n_head_kv = kv;
  s.name = "gpu-test";
  s.seed = 7;
  s.tied = tied;
  char path[1024];
  snprintf(path, sizeof path, "%s/%s-%s-%d.gguf", dir, shape, type, embd);
  struct fix_err err = {0};
  if (fix_model_synth(&s, tok, path, &err) != FIX_OK) {
    CHECK(0);
    fprintf(stderr, "%s: %s\n", path, err.msg);
    return;
  }
  struct fix_model *cpu = NULL, *gpu = NULL;
  CHECK(fix_model_load_on(path, 2, FIX_GPU_NONE, &cpu, &err) == FIX_OK);
  CHECK(fix_model_load_on(path, 2, 0, &gpu, &err) == FIX_OK);
  if (!cpu || !gpu) {
    fprintf(stderr, "%s: %s\n", path, err.msg);
    fix_model_free(cpu);
    fix_model_free(gpu);
    return;
  }
  CHECK(fix_model_on_gpu(gpu) && !fix_model_on_gpu(cpu));
  const char *text = "static int sum(const int *v, int n) {\n  int total = 0;\n  for (int i = 0; i < n; i++)\n"
                     "    total += v[i];\n  return total;\n}\n\nint main(void) {\n  int v[] = {1, 2, 3};\n"
                     "  return sum(v, 3) == 6 ? 0 : 1;\n}\n";
  int32_t ids[256];
  int np = fix_tokenize(fix_model_tokenizer(cpu), text, strlen(text), 1, 0, ids, 200);
  CHECK(np > 70); /* the prompt goes through the tensor cores, attention over two key tiles */
  int nv = fix_model_hparams(cpu)->n_vocab;
  float *la = malloc((size_t)nv * sizeof(float)), *lb = malloc((size_t)nv * sizeof(float));
  struct fix_ctx *ca = NULL, *cb = NULL;
  CHECK(fix_ctx_new(cpu, 512, 1, &ca, &err) == FIX_OK);
  CHECK(fix_ctx_new(gpu, 512, 1, &cb, &err) == FIX_OK);
  int same = 1, at = -1;
  double rel = 0;
  if (ca && cb && fix_ctx_eval(ca, 0, ids, np, 0, la, &err) == FIX_OK && fix_ctx_eval(cb, 0, ids, np, 0, lb, &err) == FIX_OK) {
    double num = 0, den = 0;
    for (int i = 0; i < nv; i++)
      num += ((double)lb[i] - la[i]) * ((double)lb[i] - la[i]), den += (double)la[i] * la[i];
    rel = sqrt(num / den);
    for (int k = 0; k < 32 && same; k++) {
      int32_t ta = argmax(la, nv), tb = argmax(lb, nv);
      if (ta != tb) {
        same = 0, at = k;
        break;
      }
      if (fix_ctx_eval(ca, 0, &ta, 1, 0, la, &err) || fix_ctx_eval(cb, 0, &tb, 1, 0, lb, &err)) {
        same = 0, at = k;
        fprintf(stderr, "%s\n", err.msg);
      }
    }
  } else {
    same = 0;
    fprintf(stderr, "%s: %s\n", path, err.msg);
  }
  CHECK(rel <= 3e-2);
  CHECK(same);
  /* the prompt's attention through the tensor cores (default) vs the split kernel */
  double fa_rel = -1;
  struct fix_ctx *cf = NULL;
  setenv("FIX_GPU_NO_FA", "1", 1);
  enum fix_status fst = fix_ctx_new(gpu, 512, 1, &cf, &err);
  unsetenv("FIX_GPU_NO_FA");
  float *lc = malloc((size_t)nv * sizeof(float));
  struct fix_ctx *cg = NULL;
  if (!fst && fix_ctx_new(gpu, 512, 1, &cg, &err) == FIX_OK && fix_ctx_eval(cf, 0, ids, np, 0, lc, &err) == FIX_OK &&
      fix_ctx_eval(cg, 0, ids, np, 0, lb, &err) == FIX_OK) {
    double num = 0, den = 0;
    for (int i = 0; i < nv; i++)
      num += ((double)lb[i] - lc[i]) * ((double)lb[i] - lc[i]), den += (double)lc[i] * lc[i];
    fa_rel = sqrt(num / den);
  }
  CHECK(fa_rel >= 0 && fa_rel <= 1e-2);
  fix_ctx_free(cf);
  fix_ctx_free(cg);
  free(lc);
  printf("model %-10s %-6s %s (embd %d): prompt logits relative error %.2e; greedy tokens %s; tensor-core prompt attention "
         "vs split kernel %.2e\n", shape, type, tied ? "tied  " : "untied", s.n_embd, rel, same ? "identical for 32" : "differ",
         fa_rel);
  if (!same)
    fprintf(stderr, "  first different greedy token at step %d\n", at);
  fix_ctx_free(ca);
  fix_ctx_free(cb);
  free(la);
  free(lb);
  /* candidates together = each alone (sampled) */
  if (!strcmp(type, "q4_0") || !strcmp(type, "q4_k_m")) {
    struct fix_ctx *c = NULL;
    CHECK(fix_ctx_new(gpu, 256, 3, &c, &err) == FIX_OK);
    struct fix_strv together = {0}, alone = {0};
    struct fix_generation g = {.max_tokens = 24, .n_seq = 3, .flags = FIX_GEN_NO_LOOKUP};
    fix_sampling_defaults(&g.sampling);
    g.sampling.temperature = 0.9f;
    g.sampling.seed = 11;
    struct fix_gen_stats st;
    CHECK(c && fix_generate(c, ids, np, &g, &together, &st, &err) == FIX_OK);
    g.flags |= FIX_GEN_NO_BATCH;
    CHECK(c && fix_generate(c, ids, np, &g, &alone, &st, &err) == FIX_OK);
    CHECK_EQ_INT(together.n, 3);
    CHECK_EQ_INT(alone.n, 3);
    for (size_t i = 0; i < together.n && i < alone.n; i++)
      CHECK_EQ_STR(together.v[i], alone.v[i]);
    fix_strv_free(&together);
    fix_strv_free(&alone);
    fix_ctx_free(c);
  }
  fix_model_free(cpu);
  fix_model_free(gpu);
  unlink(path);
}

int main(void) {
  char why[256];
  int n = fix_gpu_count(why, sizeof why);
  if (n == 0) {
    printf("skipping: %s\n", why);
    return 77;
  }
  fix_kernels_init();
  quick = getenv("FIX_GPU_TEST_QUICK") != NULL;
  test_matmul();
  test_attention();
  test_norm_rope();
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/fix-gpu-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) {
    perror(dir);
    return 1;
  }
  char vocab[1024];
  snprintf(vocab, sizeof vocab, "%s/vocab.json", dir);
  struct fix_tokenizer *tok = NULL;
  struct fix_err err = {0};
  CHECK(tv_write(vocab) == 0);
  CHECK(fix_tokenizer_from_hf_json(vocab, "qwen2", &tok, &err) == FIX_OK);
  for (size_t i = 0; tok && i < sizeof type_names / sizeof *type_names; i++) {
    if (quick && strcmp(type_names[i], "q4_0") && strcmp(type_names[i], "q4_k_m"))
      continue;
    test_model(tok, "tiny-qwen2", type_names[i], 0, 0, 0, 0);
    test_model(tok, "tiny-llama", type_names[i], 1, 0, 0, 0);
    test_model(tok, "tiny-qwen2", type_names[i], 1, 512, 8, 2);
    test_model(tok, "tiny-llama", type_names[i], 0, 896, 7, 1);
  }
  /* an index past the devices */
  struct fix_model *m = NULL;
  char path[1024];
  snprintf(path, sizeof path, "%s/none.gguf", dir);
  struct fix_synth s = {0};
  fix_synth_shape("tiny-llama", &s);
  fix_synth_parse_type("q8_0", &s);
  s.name = "x";
  if (tok && fix_model_synth(&s, tok, path, &err) == FIX_OK) {
    CHECK(fix_model_load_on(path, 1, n, &m, &err) == FIX_ERR_CONFIG);
    CHECK(strstr(err.msg, "CUDA device") != NULL);
    fix_model_free(m);
    m = NULL;
    /* on the CPU emulation, whose memory a variable sets: a model, then a KV cache, that does not fit */
    if (fix_model_load_on(path, 1, 0, &m, &err) == FIX_OK && strstr(fix_model_device(m), "emulated")) {
      struct fix_ctx *c = NULL;
      setenv("FIX_CUDA_EMU_MIB", "16", 1);
      CHECK(fix_ctx_new(m, 1 << 16, 64, &c, &err) == FIX_ERR_TOO_BIG);
      CHECK(strstr(err.msg, "KV cache of 65536 tokens x 64 sequences needs 4096 MiB of GPU memory") != NULL);
      fprintf(stderr, "(expected) %s\n", err.msg);
      fix_model_free(m);
      m = NULL;
      setenv("FIX_CUDA_EMU_MIB", "0", 1);
      CHECK(fix_model_load_on(path, 1, 0, &m, &err) == FIX_ERR_TOO_BIG);
      CHECK(strstr(err.msg, "MiB of GPU memory") && strstr(err.msg, "0 MiB free of 0 MiB") && strstr(err.msg, "--gpu none"));
      fprintf(stderr, "(expected) %s\n", err.msg);
      CHECK(fix_model_load_on(path, 1, FIX_GPU_AUTO, &m, &err) == FIX_OK && m && !fix_model_on_gpu(m));
      CHECK(m && strstr(fix_model_device(m), "CUDA device 0 not used") != NULL);
      if (m)
        fprintf(stderr, "(expected) auto: %s\n", fix_model_device(m));
      unsetenv("FIX_CUDA_EMU_MIB");
    }
    fix_model_free(m);
    unlink(path);
  }
  fix_tokenizer_free(tok);
  unlink(vocab);
  rmdir(dir);
  printf("%d passed, %d failed\n", check_pass, check_fail);
  return check_fail != 0;
}
