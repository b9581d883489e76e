/* gguf_write.c — building a GGUF v3 file in memory and writing it atomically. Used by
 * `fix model synth` and the tests, which make their models rather than download them. */
#include "fix/gguf.h"

#include <stdlib.h>
#include <string.h>

struct wkv {
  char *key;
  uint32_t type;
  struct fix_buf val; /* the encoded value (after the type) */
};

struct wtensor {
  char *name;
  int type, n_dims;
  int64_t ne[4];
  void *data;
  size_t nbytes;
};

struct fix_gguf_writer {
  struct wkv *kv;
  size_t nkv;
  struct wtensor *t;
  size_t nt;
};

struct fix_gguf_writer *fix_gguf_writer_new(void) { return calloc(1, sizeof(struct fix_gguf_writer)); }

void fix_gguf_writer_free(struct fix_gguf_writer *w) {
  if (!w)
    return;
  for (size_t i = 0; i < w->nkv; i++) {
    free(w->kv[i].key);
    fix_buf_free(&w->kv[i].val);
  }
  for (size_t i = 0; i < w->nt; i++) {
    free(w->t[i].name);
    free(w->t[i].data);
  }
  free(w->kv);
  free(w->t);
  free(w);
}

static struct fix_buf *slot(struct fix_gguf_writer *w, const char *key, uint32_t type) {
  for (size_t i = 0; i < w->nkv; i++)
    if (!strcmp(w->kv[i].key, key)) {
      fix_buf_clear(&w->kv[i].val);
      w->kv[i].type = type;
      return &w->kv[i].val;
    }
  struct wkv *v = realloc(w->kv, (w->nkv + 1) * sizeof *v);
  if (!v)
    return NULL;
  w->kv = v;
  struct wkv *e = &v[w->nkv++];
  e->key = fix_strdup(key);
  e->type = type;
  fix_buf_init(&e->val, 0);
  return &e->val;
}

static void put_str(struct fix_buf *b, const char *s) {
  uint64_t n = strlen(s);
  fix_buf_append(b, &n, 8);
  fix_buf_append(b, s, n);
}

void fix_gguf_set_str(struct fix_gguf_writer *w, const char *key, const char *value) {
  struct fix_buf *b = slot(w, key, FIX_GV_STRING);
  if (b)
    put_str(b, value);
}

void fix_gguf_set_u32(struct fix_gguf_writer *w, const char *key, uint32_t value) {
  struct fix_buf *b = slot(w, key, FIX_GV_U32);
  if (b)
    fix_buf_append(b, &value, 4);
}

void fix_gguf_set_i32(struct fix_gguf_writer *w, const char *key, int32_t value) {
  struct fix_buf *b = slot(w, key, FIX_GV_I32);
  if (b)
    fix_buf_append(b, &value, 4);
}

void fix_gguf_set_f32(struct fix_gguf_writer *w, const char *key, float value) {
  struct fix_buf *b = slot(w, key, FIX_GV_F32);
  if (b)
    fix_buf_append(b, &value, 4);
}

void fix_gguf_set_bool(struct fix_gguf_writer *w, const char *key, int value) {
  struct fix_buf *b = slot(w, key, FIX_GV_BOOL);
  uint8_t v = value != 0;
  if (b)
    fix_buf_append(b, &v, 1);
}

static void arr_head(struct fix_buf *b, uint32_t atype, uint64_t n) {
  fix_buf_append(b, &atype, 4);
  fix_buf_append(b, &n, 8);
}

void fix_gguf_set_arr_str(struct fix_gguf_writer *w, const char *key, const char *const *items, size_t n) {
  struct fix_buf *b = slot(w, key, FIX_GV_ARRAY);
  if (!b)
    return;
  arr_head(b, FIX_GV_STRING, n);
  for (size_t i = 0; i < n; i++)
    put_str(b, items[i]);
}

void fix_gguf_set_arr_f32(struct fix_gguf_writer *w, const char *key, const float *items, size_t n) {
  struct fix_buf *b = slot(w, key, FIX_GV_ARRAY);
  if (!b)
    return;
  arr_head(b, FIX_GV_F32, n);
  fix_buf_append(b, items, n * 4);
}

void fix_gguf_set_arr_i32(struct fix_gguf_writer *w, const char *key, const int32_t *items, size_t n) {
  struct fix_buf *b = slot(w, key, FIX_GV_ARRAY);
  if (!b)
    return;
  arr_head(b, FIX_GV_I32, n);
  fix_buf_append(b, items, n * 4);
}

enum fix_status fix_gguf_add_tensor(struct fix_gguf_writer *w, const char *name, int type, int n_dims,
                                    const int64_t *ne, const void *data, struct fix_err *err) {
  if (n_dims < 1 || n_dims > 4)
    return fix_err_set(err, FIX_ERR_ARG, "tensor %s: %d dimensions", name, n_dims);
  size_t row = fix_type_row_size(type, ne[0]);
  if (!row)
    return fix_err_set(err, FIX_ERR_ARG, "tensor %s: a row of %lld does not fit type %s", name, (long long)ne[0],
                       fix_type_name(type));
  size_t rows = 1;
  for (int d = 1; d < n_dims; d++)
    rows *= (size_t)ne[d];
  struct wtensor *v = realloc(w->t, (w->nt + 1) * sizeof *v);
  if (!v)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  w->t = v;
  struct wtensor *t = &v[w->nt];
  memset(t, 0, sizeof *t);
  t->name = fix_strdup(name);
  t->type = type;
  t->n_dims = n_dims;
  for (int d = 0; d < 4; d++)
    t->ne[d] = d < n_dims ? ne[d] : 1;
  t->nbytes = row * rows;
  t->data = malloc(t->nbytes ? t->nbytes : 1);
  if (!t->name || !t->data) {
    free(t->name);
    free(t->data);
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  }
  memcpy(t->data, data, t->nbytes);
  w->nt++;
  return FIX_OK;
}

enum fix_status fix_gguf_write(struct fix_gguf_writer *w, const char *path, struct fix_err *err) {
  const size_t align = 32;
  struct fix_buf b;
  fix_buf_init(&b, 0);
  uint32_t version = 3;
  uint64_t nt = w->nt, nkv = w->nkv;
  fix_buf_append(&b, "GGUF", 4);
  fix_buf_append(&b, &version, 4);
  fix_buf_append(&b, &nt, 8);
  fix_buf_append(&b, &nkv, 8);
  for (size_t i = 0; i < w->nkv; i++) {
    put_str(&b, w->kv[i].key);
    fix_buf_append(&b, &w->kv[i].type, 4);
    fix_buf_append(&b, w->kv[i].val.data, w->kv[i].val.len);
  }
  uint64_t off = 0;
  for (size_t i = 0; i < w->nt; i++) {
    struct wtensor *t = &w->t[i];
    put_str(&b, t->name);
    uint32_t nd = (uint32_t)t->n_dims, type = (uint32_t)t->type;
    fix_buf_append(&b, &nd, 4);
    for (int d = 0; d < t->n_dims; d++) {
      uint64_t v = (uint64_t)t->ne[d];
      fix_buf_append(&b, &v, 8);
    }
    fix_buf_append(&b, &type, 4);
    fix_buf_append(&b, &off, 8);
    off += (t->nbytes + align - 1) / align * align;
  }
  static const char zeros[64];
  size_t pad = (align - b.len % align) % align;
  fix_buf_append(&b, zeros, pad);
  for (size_t i = 0; i < w->nt; i++) {
    fix_buf_append(&b, w->t[i].data, w->t[i].nbytes);
    fix_buf_append(&b, zeros, (align - w->t[i].nbytes % align) % align);
  }
  enum fix_status st = b.data ? fix_file_write_atomic(path, b.data, b.len, err)
                              : fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  fix_buf_free(&b);
  return st;
}
