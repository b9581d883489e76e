/* vocab.c — vocabularies: from GGUF metadata or a Hugging Face tokenizer.json, into GGUF metadata
 * again, with the pre-tokenizer rules each `tokenizer.ggml.pre` names.
 *
 * The regexes are llama.cpp's (PCRE2 with UTF and UCP, so \p{L} and \p{N} are Unicode classes);
 * several are applied in sequence, each splitting the pieces the previous one produced, and text
 * between matches stays a piece of its own. */
#include "tokenizer.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

/* ---- string map ---- */

static uint64_t hash(const char *s, size_t n) { return fix_hash64(s, n); }

static int grow(struct strmap *m) {
  size_t cap = m->cap ? m->cap * 2 : 1024;
  uint32_t *slots = calloc(cap, sizeof *slots);
  if (!slots)
    return -1;
  for (size_t i = 0; i < m->cap; i++)
    if (m->slots[i]) {
      uint32_t k = m->slots[i] - 1;
      size_t h = hash(m->keys[k], m->lens[k]) & (cap - 1);
      while (slots[h])
        h = (h + 1) & (cap - 1);
      slots[h] = m->slots[i];
    }
  free(m->slots);
  m->slots = slots;
  m->cap = cap;
  return 0;
}

/* The key arrays grown to kc entries. */
static int key_room(struct strmap *m, size_t kc) {
  const char **keys = realloc(m->keys, kc * sizeof *keys);
  if (keys)
    m->keys = keys;
  uint32_t *lens = realloc(m->lens, kc * sizeof *lens);
  if (lens)
    m->lens = lens;
  int32_t *vals = realloc(m->vals, kc * sizeof *vals);
  if (vals)
    m->vals = vals;
  if (!keys || !lens || !vals)
    return -1;
  m->keycap = kc;
  return 0;
}

int strmap_put(struct strmap *m, const char *key, uint32_t len, int32_t val) {
  if ((m->n + 1) * 2 > m->cap && grow(m))
    return -1;
  size_t h = hash(key, len) & (m->cap - 1);
  while (m->slots[h]) {
    uint32_t k = m->slots[h] - 1;
    if (m->lens[k] == len && !memcmp(m->keys[k], key, len))
      return 0; /* the first wins, as in llama.cpp */
    h = (h + 1) & (m->cap - 1);
  }
  if (m->n == m->keycap && key_room(m, m->keycap ? m->keycap * 2 : 1024))
    return -1;
  m->keys[m->n] = key;
  m->lens[m->n] = len;
  m->vals[m->n] = val;
  m->slots[h] = (uint32_t)++m->n;
  return 0;
}

int strmap_reserve(struct strmap *m, size_t n) {
  while ((n + 1) * 2 > m->cap)
    if (grow(m))
      return -1;
  return n > m->keycap ? key_room(m, n) : 0;
}

int32_t strmap_get(const struct strmap *m, const char *key, size_t len) {
  if (!m->cap)
    return -1;
  size_t h = hash(key, len) & (m->cap - 1);
  while (m->slots[h]) {
    uint32_t k = m->slots[h] - 1;
    if (m->lens[k] == len && !memcmp(m->keys[k], key, len))
      return m->vals[k];
    h = (h + 1) & (m->cap - 1);
  }
  return -1;
}

void strmap_free(struct strmap *m) {
  free(m->slots);
  free(m->keys);
  free(m->lens);
  free(m->vals);
  memset(m, 0, sizeof *m);
}

/* ---- byte-level characters (GPT-2) ---- */

static uint32_t b2c[256];
static int16_t c2b[512];

/* the tables, built once a process (tokenizers are made on the language server's worker threads) */
static void bytes_build(void) {
  int n = 0;
  for (int b = 0; b < 256; b++) {
    int printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    b2c[b] = printable ? (uint32_t)b : (uint32_t)(256 + n++);
  }
  for (int i = 0; i < 512; i++)
    c2b[i] = -1;
  for (int b = 0; b < 256; b++)
    c2b[b2c[b]] = (int16_t)b;
}

static void bytes_init(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, bytes_build);
}

uint32_t byte_to_cp(uint8_t b) {
  bytes_init();
  return b2c[b];
}

int cp_to_byte(uint32_t cp) {
  bytes_init();
  return cp < 512 ? c2b[cp] : -1;
}

/* ---- pre-tokenizers ---- */

#define GPT2_RE "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)"
#define LLAMA3_RE                                                                                                      \
  "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| "             \
  "?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
#define QWEN2_RE                                                                                                       \
  "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| "                  \
  "?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"

static const struct {
  const char *names; /* space-separated names it stands for */
  const char *re[6];
} pres[] = {
    {"llama3 llama-v3 llama-bpe smaug-bpe dbrx falcon3 pixtral", {LLAMA3_RE}},
    {"qwen2 stablelm2 hunyuan megrez deepseek-r1-qwen", {QWEN2_RE}},
    {"deepseek-coder",
     {"[\\r\\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", "[\\x{4E00}-\\x{9FA5}\\x{0800}-\\x{4E00}\\x{AC00}-\\x{D7FF}]+", "\\p{N}"}},
    {"deepseek-llm",
     {"[\\r\\n]",
      "\\s?[A-Za-z\\x{00B5}\\x{00C0}-\\x{00D6}\\x{00D8}-\\x{00F6}\\x{00F8}-\\x{01BA}\\x{01BC}-\\x{01BF}\\x{01C4}-"
      "\\x{0293}\\x{0295}-\\x{02AF}\\x{0370}-\\x{0373}\\x{0376}\\x{0377}\\x{037B}-\\x{037D}\\x{037F}\\x{0386}\\x{0388}-"
      "\\x{038A}\\x{038C}\\x{038E}-\\x{03A1}\\x{03A3}-\\x{03F5}\\x{03F7}-\\x{0481}\\x{048A}-\\x{052F}\\x{0531}-\\x{0556}"
      "\\x{10A0}-\\x{10C5}\\x{13A0}-\\x{13F5}\\x{13F8}-\\x{13FD}\\x{1C90}-\\x{1CBA}\\x{1CBD}-\\x{1CBF}\\x{1D00}-\\x{1D2B}"
      "\\x{1D6B}-\\x{1D77}\\x{1D79}-\\x{1D9A}\\x{1E00}-\\x{1F15}\\x{1F18}-\\x{1F1D}\\x{1F20}-\\x{1F45}\\x{1F48}-\\x{1F4D}"
      "\\x{1F50}-\\x{1F57}\\x{1F59}\\x{1F5B}\\x{1F5D}\\x{1F5F}-\\x{1F7D}\\x{1F80}-\\x{1FB4}\\x{1FB6}-\\x{1FBC}\\x{1FBE}"
      "\\x{1FC2}-\\x{1FC4}\\x{1FC6}-\\x{1FCC}\\x{1FD0}-\\x{1FD3}\\x{1FD6}-\\x{1FDB}\\x{1FE0}-\\x{1FEC}\\x{1FF2}-\\x{1FF4}"
      "\\x{1FF6}-\\x{1FFC}\\x{2102}\\x{2107}\\x{210A}-\\x{2113}\\x{2115}\\x{2119}-\\x{211D}\\x{2124}\\x{2126}\\x{2128}"
      "\\x{212A}-\\x{212D}\\x{212F}-\\x{2134}\\x{2139}\\x{213C}-\\x{213F}\\x{2145}-\\x{2149}\\x{214E}\\x{2183}\\x{2184}"
      "\\x{2C00}-\\x{2C7B}\\x{2C7E}-\\x{2CE4}\\x{2CEB}-\\x{2CEE}\\x{2CF2}\\x{2CF3}\\x{A640}-\\x{A66D}\\x{A680}-\\x{A69B}"
      "\\x{A722}-\\x{A76F}\\x{A771}-\\x{A787}\\x{A78B}-\\x{A78E}\\x{AB70}-\\x{ABBF}\\x{FB00}-\\x{FB06}\\x{FB13}-\\x{FB17}"
      "\\x{FF21}-\\x{FF3A}\\x{FF41}-\\x{FF5A}\\x{10400}-\\x{1044F}\\x{104B0}-\\x{104D3}\\x{104D8}-\\x{104FB}\\x{10C80}-"
      "\\x{10CB2}\\x{10CC0}-\\x{10CF2}\\x{118A0}-\\x{118DF}\\x{1E900}-\\x{1E943}]+",
      "\\s?[!-/:-~\\x{FF01}-\\x{FF0F}\\x{FF1A}-\\x{FF5E}\\x{2018}-\\x{201F}\\x{3000}-\\x{3002}]+", "\\s+$",
      "[\\x{4E00}-\\x{9FA5}\\x{0800}-\\x{4E00}\\x{AC00}-\\x{D7FF}]+", "\\p{N}+"}},
    {"falcon", {"[\\p{P}\\$\\+<=>\\^~\\|`]+", GPT2_RE, "[0-9][0-9][0-9]"}},
    {"starcoder refact command-r smollm codeshell exaone minerva", {"\\p{N}", GPT2_RE}},
    {"gpt-2 gpt2 mpt olmo jais trillion", {GPT2_RE}},
    /* llama.cpp's DEFAULT for BPE vocabularies that name no rules */
    {"default", {"[\\p{P}\\$\\+<=>\\^~\\|]+", GPT2_RE, "\\p{N}+", "[0-9][0-9][0-9]"}},
};

static int name_in(const char *names, const char *pre) {
  size_t n = strlen(pre);
  if (!n)
    return 0; /* an empty name (a corrupt file) matches nothing, and must not loop */
  for (const char *p = names; (p = strstr(p, pre)); p += n)
    if ((p == names || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
      return 1;
  return 0;
}

int tok_set_pre(struct fix_tokenizer *t, const char *pre, struct fix_err *err) {
  size_t k = sizeof pres / sizeof *pres - 1; /* default */
  for (size_t i = 0; i < sizeof pres / sizeof *pres; i++)
    if (pre && name_in(pres[i].names, pre)) {
      k = i;
      break;
    }
  if (pre && k == sizeof pres / sizeof *pres - 1 && strcmp(pre, "default") != 0)
    fix_log(FIX_LOG_WARN, "tokenizer: unknown pre-tokenizer '%s'; using the default rules", pre);
  free(t->pre);
  t->pre = fix_strdup(pre ? pre : "default");
  t->ignore_merges = name_in(pres[0].names, t->pre);
  for (int i = 0; i < 6 && pres[k].re[i]; i++) {
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pres[k].re[i], PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP, &ec, &eo, NULL);
    if (!re) {
      PCRE2_UCHAR msg[256];
      pcre2_get_error_message(ec, msg, sizeof msg);
      fix_err_set(err, FIX_ERR_PARSE, "tokenizer: pre-tokenizer regex %d of '%s' does not compile: %s", i, t->pre,
                  (char *)msg);
      return -1;
    }
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    t->re[t->n_re++] = re;
  }
  return 0;
}

static int by_length_desc(const void *a, const void *b, void *ud) {
  const struct fix_tokenizer *t = ud;
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  if (t->len[x] != t->len[y])
    return t->len[x] > t->len[y] ? -1 : 1;
  return x < y ? -1 : x > y;
}

enum fix_status tok_finish(struct fix_tokenizer *t, struct fix_err *err) {
  for (int b = 0; b < 256; b++) {
    t->byte_token[b] = -1;
    char buf[8];
    if (t->kind == TOK_SPM) {
      snprintf(buf, sizeof buf, "<0x%02X>", b);
      t->byte_token[b] = strmap_get(&t->ids, buf, strlen(buf));
    } else {
      uint32_t cp = byte_to_cp((uint8_t)b);
      size_t n = cp < 0x80 ? 1 : 2;
      if (n == 1)
        buf[0] = (char)cp;
      else {
        buf[0] = (char)(0xc0 | (cp >> 6));
        buf[1] = (char)(0x80 | (cp & 0x3f));
      }
      t->byte_token[b] = strmap_get(&t->ids, buf, n);
    }
  }
  t->special = calloc((size_t)t->n_vocab + 1, sizeof *t->special);
  if (!t->special)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  for (int i = 0; i < t->n_vocab; i++)
    if ((t->type[i] == FIX_TOK_CONTROL || t->type[i] == FIX_TOK_USER_DEFINED || t->type[i] == FIX_TOK_UNKNOWN) &&
        t->len[i] > 0)
      t->special[t->n_special++] = i;
  qsort_r(t->special, (size_t)t->n_special, sizeof *t->special, by_length_desc, t);
  if (t->eot < 0) {
    static const char *eots[] = {"<|im_end|>", "<|eot_id|>", "<|end|>", "<end_of_turn>", "<|endoftext|>"};
    for (size_t i = 0; i < sizeof eots / sizeof *eots && t->eot < 0; i++)
      t->eot = strmap_get(&t->ids, eots[i], strlen(eots[i]));
  }
  return FIX_OK;
}

static struct fix_tokenizer *tok_alloc(int n) {
  struct fix_tokenizer *t = calloc(1, sizeof *t);
  if (!t)
    return NULL;
  t->n_vocab = n;
  t->text = calloc((size_t)n, sizeof *t->text);
  t->len = calloc((size_t)n, sizeof *t->len);
  t->score = calloc((size_t)n, sizeof *t->score);
  t->type = calloc((size_t)n, sizeof *t->type);
  t->bos = t->eos = t->eot = t->unk = t->pad = t->eom = -1;
  if (!t->text || !t->len || !t->score || !t->type || strmap_reserve(&t->ids, (size_t)n)) {
    fix_tokenizer_free(t);
    return NULL;
  }
  return t;
}

void fix_tokenizer_free(struct fix_tokenizer *t) {
  if (!t)
    return;
  for (int i = 0; t->text && i < t->n_vocab; i++)
    free(t->text[i]);
  for (size_t i = 0; i < t->n_merges; i++)
    free(t->merge_text[i]);
  free(t->merge_text);
  free(t->text);
  free(t->len);
  free(t->score);
  free(t->type);
  free(t->special);
  free(t->pre);
  strmap_free(&t->ids);
  strmap_free(&t->merges);
  for (int i = 0; i < t->n_re; i++)
    pcre2_code_free(t->re[i]);
  free(t);
}

static int add_merge(struct fix_tokenizer *t, const char *m, size_t n) {
  if (t->n_merges == t->merge_cap) {
    size_t cap = t->merge_cap ? t->merge_cap * 2 : 1024;
    char **v = realloc(t->merge_text, cap * sizeof *v);
    if (!v)
      return -1;
    t->merge_text = v;
    t->merge_cap = cap;
  }
  char **v = t->merge_text;
  char *copy = fix_strndup(m, n);
  if (!copy)
    return -1;
  v[t->n_merges] = copy;
  if (strmap_put(&t->merges, copy, (uint32_t)n, (int32_t)t->n_merges))
    return -1;
  t->n_merges++;
  return 0;
}

static int32_t id_or(const struct fix_gguf *g, const char *key) {
  uint64_t v;
  return fix_gguf_get_u64(g, key, &v) == 0 && v < 0x7fffffff ? (int32_t)v : -1;
}

enum fix_status fix_tokenizer_from_gguf(const struct fix_gguf *g, struct fix_tokenizer **out, struct fix_err *err) {
  *out = NULL;
  struct fix_gguf_str model;
  if (fix_gguf_get_str(g, "tokenizer.ggml.model", &model))
    return fix_err_set(err, FIX_ERR_PARSE, "the model has no tokenizer (tokenizer.ggml.model is missing)");
  enum tok_kind kind;
  if (model.n == 5 && !memcmp(model.p, "llama", 5))
    kind = TOK_SPM;
  else if (model.n == 4 && !memcmp(model.p, "gpt2", 4))
    kind = TOK_BPE;
  else
    return fix_err_set(err, FIX_ERR_UNSUPPORTED, "tokenizer type '%.*s' is not supported (llama and gpt2 are)",
                       (int)model.n, model.p);
  const struct fix_gguf_kv *toks = fix_gguf_find(g, "tokenizer.ggml.tokens");
  if (!toks || toks->type != FIX_GV_ARRAY || toks->atype != FIX_GV_STRING || toks->n == 0 || toks->n > (1u << 24))
    return fix_err_set(err, FIX_ERR_PARSE, "tokenizer.ggml.tokens is missing or not an array of strings");
  struct fix_tokenizer *t = tok_alloc((int)toks->n);
  if (!t)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  t->kind = kind;
  const struct fix_gguf_kv *scores = fix_gguf_find(g, "tokenizer.ggml.scores");
  const struct fix_gguf_kv *types = fix_gguf_find(g, "tokenizer.ggml.token_type");
  struct fix_gguf_iter it = {0};
  enum fix_status st = FIX_OK;
  for (int i = 0; i < t->n_vocab && !st; i++) {
    struct fix_gguf_str s;
    fix_gguf_arr_str_next(toks, &it, &s);
    t->text[i] = fix_strndup(s.p, s.n);
    t->len[i] = (uint32_t)s.n;
    double d;
    t->score[i] = scores && fix_gguf_arr_num(scores, (uint64_t)i, &d) == 0 ? (float)d : 0.0f;
    /* a type outside int32 (or NaN) in a damaged file reads as a normal token */
    t->type[i] = types && fix_gguf_arr_num(types, (uint64_t)i, &d) == 0 && d >= INT32_MIN && d <= INT32_MAX
                     ? (int32_t)d
                     : FIX_TOK_NORMAL;
    if (!t->text[i] || strmap_put(&t->ids, t->text[i], t->len[i], i))
      st = fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  }
  const struct fix_gguf_kv *merges = fix_gguf_find(g, "tokenizer.ggml.merges");
  if (!st && kind == TOK_BPE) {
    if (!merges || merges->type != FIX_GV_ARRAY || merges->atype != FIX_GV_STRING)
      st = fix_err_set(err, FIX_ERR_PARSE, "a BPE tokenizer needs tokenizer.ggml.merges");
    struct fix_gguf_iter mi = {0};
    struct fix_gguf_str s;
    char **v = !st && merges->n < (1u << 26) ? malloc(merges->n * sizeof *v) : NULL;
    if (v) { /* sized once: the file says how many */
      free(t->merge_text);
      t->merge_text = v;
      t->merge_cap = merges->n;
      if (strmap_reserve(&t->merges, merges->n))
        st = fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
    }
    while (!st && fix_gguf_arr_str_next(merges, &mi, &s) == 0)
      if (add_merge(t, s.p, s.n))
        st = fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  }
  t->bos = id_or(g, "tokenizer.ggml.bos_token_id");
  t->eos = id_or(g, "tokenizer.ggml.eos_token_id");
  t->eot = id_or(g, "tokenizer.ggml.eot_token_id");
  t->unk = id_or(g, "tokenizer.ggml.unknown_token_id");
  t->pad = id_or(g, "tokenizer.ggml.padding_token_id");
  int b;
  t->add_bos = fix_gguf_get_bool(g, "tokenizer.ggml.add_bos_token", &b) == 0 ? b : kind == TOK_SPM;
  t->add_eos = fix_gguf_get_bool(g, "tokenizer.ggml.add_eos_token", &b) == 0 ? b : 0;
  t->add_space_prefix = fix_gguf_get_bool(g, "tokenizer.ggml.add_space_prefix", &b) == 0 ? b : kind == TOK_SPM;
  for (int32_t *id = &t->bos; id <= &t->eom; id++)
    if (*id >= t->n_vocab)
      *id = -1;
  if (!st && kind == TOK_BPE) {
    struct fix_gguf_str pre;
    char *p = fix_gguf_get_str(g, "tokenizer.ggml.pre", &pre) == 0 ? fix_strndup(pre.p, pre.n) : NULL;
    if (tok_set_pre(t, p, err))
      st = FIX_ERR_PARSE;
    free(p);
  }
  if (!st)
    st = tok_finish(t, err);
  if (st) {
    fix_tokenizer_free(t);
    return st;
  }
  *out = t;
  return FIX_OK;
}

enum fix_status fix_tokenizer_from_hf_json(const char *path, const char *pre, struct fix_tokenizer **out,
                                           struct fix_err *err) {
  *out = NULL;
  struct fix_buf b;
  enum fix_status st = fix_file_read(path, 256u << 20, &b, err);
  if (st)
    return st;
  cJSON *j = cJSON_ParseWithLength(b.data, b.len);
  fix_buf_free(&b);
  const cJSON *model = cJSON_GetObjectItemCaseSensitive(j, "model");
  const cJSON *vocab = cJSON_GetObjectItemCaseSensitive(model, "vocab");
  const cJSON *merges = cJSON_GetObjectItemCaseSensitive(model, "merges");
  const cJSON *added = cJSON_GetObjectItemCaseSensitive(j, "added_tokens");
  if (!cJSON_IsObject(vocab) || !cJSON_IsArray(merges)) {
    cJSON_Delete(j);
    return fix_err_set(err, FIX_ERR_PARSE, "%s: not a BPE tokenizer.json (model.vocab and model.merges)", path);
  }
  int n = 0;
  const cJSON *e;
  cJSON_ArrayForEach(e, vocab) if (cJSON_IsNumber(e) && e->valueint + 1 > n) n = e->valueint + 1;
  cJSON_ArrayForEach(e, added) {
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
    if (cJSON_IsNumber(id) && id->valueint + 1 > n)
      n = id->valueint + 1;
  }
  struct fix_tokenizer *t = n > 0 && n < (1 << 24) ? tok_alloc(n) : NULL;
  if (!t) {
    cJSON_Delete(j);
    return fix_err_set(err, FIX_ERR_PARSE, "%s: no usable vocabulary", path);
  }
  t->kind = TOK_BPE;
  cJSON_ArrayForEach(e, vocab) {
    if (!cJSON_IsNumber(e) || e->valueint < 0)
      continue;
    int id = e->valueint;
    free(t->text[id]);
    t->text[id] = fix_strdup(e->string);
    t->len[id] = (uint32_t)strlen(e->string);
    t->type[id] = FIX_TOK_NORMAL;
  }
  cJSON_ArrayForEach(e, added) {
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(e, "content");
    if (!cJSON_IsNumber(id) || !cJSON_IsString(content) || id->valueint < 0)
      continue;
    int i = id->valueint;
    free(t->text[i]);
    t->text[i] = fix_strdup(content->valuestring);
    t->len[i] = (uint32_t)strlen(content->valuestring);
    t->type[i] = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "special")) ? FIX_TOK_CONTROL : FIX_TOK_USER_DEFINED;
  }
  for (int i = 0; i < n && !st; i++) {
    if (!t->text[i]) { /* a hole in the ids */
      t->text[i] = fix_asprintf("[PAD%d]", i);
      t->len[i] = (uint32_t)strlen(t->text[i]);
      t->type[i] = FIX_TOK_UNUSED;
    }
    if (!t->text[i] || strmap_put(&t->ids, t->text[i], t->len[i], i))
      st = fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  }
  cJSON_ArrayForEach(e, merges) {
    if (st)
      break;
    char *m = NULL;
    if (cJSON_IsString(e))
      m = fix_strdup(e->valuestring);
    else if (cJSON_IsArray(e) && cJSON_GetArraySize(e) == 2)
      m = fix_asprintf("%s %s", cJSON_GetArrayItem(e, 0)->valuestring, cJSON_GetArrayItem(e, 1)->valuestring);
    if (!m || add_merge(t, m, strlen(m)))
      st = fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
    free(m);
  }
  cJSON_Delete(j);
  if (!st) {
    t->add_bos = 0;
    t->eos = strmap_get(&t->ids, "<|endoftext|>", 13);
    if (tok_set_pre(t, pre, err))
      st = FIX_ERR_PARSE;
  }
  if (!st)
    st = tok_finish(t, err);
  if (st) {
    fix_tokenizer_free(t);
    return st;
  }
  *out = t;
  return FIX_OK;
}

void fix_tokenizer_to_gguf(const struct fix_tokenizer *t, struct fix_gguf_writer *w) {
  fix_gguf_set_str(w, "tokenizer.ggml.model", t->kind == TOK_SPM ? "llama" : "gpt2");
  if (t->kind == TOK_BPE)
    fix_gguf_set_str(w, "tokenizer.ggml.pre", t->pre ? t->pre : "default");
  fix_gguf_set_arr_str(w, "tokenizer.ggml.tokens", (const char *const *)t->text, (size_t)t->n_vocab);
  fix_gguf_set_arr_i32(w, "tokenizer.ggml.token_type", t->type, (size_t)t->n_vocab);
  if (t->kind == TOK_SPM)
    fix_gguf_set_arr_f32(w, "tokenizer.ggml.scores", t->score, (size_t)t->n_vocab);
  else
    fix_gguf_set_arr_str(w, "tokenizer.ggml.merges", (const char *const *)t->merge_text, t->n_merges);
  if (t->bos >= 0)
    fix_gguf_set_u32(w, "tokenizer.ggml.bos_token_id", (uint32_t)t->bos);
  if (t->eos >= 0)
    fix_gguf_set_u32(w, "tokenizer.ggml.eos_token_id", (uint32_t)t->eos);
  if (t->eot >= 0)
    fix_gguf_set_u32(w, "tokenizer.ggml.eot_token_id", (uint32_t)t->eot);
  if (t->pad >= 0)
    fix_gguf_set_u32(w, "tokenizer.ggml.padding_token_id", (uint32_t)t->pad);
  fix_gguf_set_bool(w, "tokenizer.ggml.add_bos_token", t->add_bos);
}
