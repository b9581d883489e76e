/* gguf.c — reading GGUF v2/v3 through mmap, with every extent checked.
 *
 * Invariant: after a successful open, every kv, string, array and tensor lies inside the mapping,
 * every tensor's type is known to the type table, its byte size matches its shape, and tensors do
 * not overlap the header. Reads past the end are impossible by construction: all parsing goes
 * through `need()`. */
#include "fix/gguf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define GGUF_MAX_KV ((uint64_t)1 << 20)
#define GGUF_MAX_TENSORS ((uint64_t)1 << 20)
#define GGUF_MAX_STR ((uint64_t)1 << 30)

struct cursor {
  const uint8_t *base;
  size_t size, off;
  struct fix_err *err;
  int bad;
};

static int need(struct cursor *c, uint64_t n, const char *what) {
  if (c->bad)
    return 0;
  if (n > c->size - c->off) {
    fix_err_set(c->err, FIX_ERR_PARSE, "GGUF truncated: %s needs %llu bytes at offset %zu of %zu", what,
                (unsigned long long)n, c->off, c->size);
    c->bad = 1;
    return 0;
  }
  return 1;
}

static uint32_t rd32(struct cursor *c, const char *what) {
  uint32_t v = 0;
  if (need(c, 4, what)) {
    memcpy(&v, c->base + c->off, 4);
    c->off += 4;
  }
  return v;
}

static uint64_t rd64(struct cursor *c, const char *what) {
  uint64_t v = 0;
  if (need(c, 8, what)) {
    memcpy(&v, c->base + c->off, 8);
    c->off += 8;
  }
  return v;
}

static struct fix_gguf_str rdstr(struct cursor *c, const char *what) {
  struct fix_gguf_str s = {NULL, 0};
  uint64_t n = rd64(c, what);
  if (!c->bad && n > GGUF_MAX_STR) {
    fix_err_set(c->err, FIX_ERR_PARSE, "GGUF %s length %llu is not plausible", what, (unsigned long long)n);
    c->bad = 1;
  }
  if (need(c, n, what)) {
    s.p = (const char *)c->base + c->off;
    s.n = n;
    c->off += n;
  }
  return s;
}

static size_t scalar_size(enum fix_gguf_vtype t) {
  switch (t) {
  case FIX_GV_U8: case FIX_GV_I8: case FIX_GV_BOOL: return 1;
  case FIX_GV_U16: case FIX_GV_I16: return 2;
  case FIX_GV_U32: case FIX_GV_I32: case FIX_GV_F32: return 4;
  case FIX_GV_U64: case FIX_GV_I64: case FIX_GV_F64: return 8;
  default: return 0;
  }
}

static void skip_value(struct cursor *c, enum fix_gguf_vtype t, int depth) {
  if (t == FIX_GV_STRING) {
    rdstr(c, "string value");
  } else if (t == FIX_GV_ARRAY) {
    if (depth > 2) {
      fix_err_set(c->err, FIX_ERR_PARSE, "GGUF arrays nested too deeply");
      c->bad = 1;
      return;
    }
    uint32_t at = rd32(c, "array type");
    uint64_t n = rd64(c, "array length");
    if (c->bad)
      return;
    if (at == FIX_GV_STRING || at == FIX_GV_ARRAY) {
      for (uint64_t i = 0; i < n && !c->bad; i++)
        skip_value(c, (enum fix_gguf_vtype)at, depth + 1);
    } else {
      size_t es = scalar_size((enum fix_gguf_vtype)at);
      if (!es) {
        fix_err_set(c->err, FIX_ERR_PARSE, "GGUF array of unknown type %u", at);
        c->bad = 1;
        return;
      }
      if (n > (uint64_t)(c->size) / es) {
        fix_err_set(c->err, FIX_ERR_PARSE, "GGUF array of %llu elements does not fit the file", (unsigned long long)n);
        c->bad = 1;
        return;
      }
      if (need(c, n * es, "array data"))
        c->off += n * es;
    }
  } else {
    size_t s = scalar_size(t);
    if (!s) {
      fix_err_set(c->err, FIX_ERR_PARSE, "GGUF value of unknown type %u", (unsigned)t);
      c->bad = 1;
      return;
    }
    if (need(c, s, "value"))
      c->off += s;
  }
}

static enum fix_status parse(struct fix_gguf *g, struct fix_err *err) {
  struct cursor c = {g->map, g->size, 0, err, 0};
  if (g->size < 4 || memcmp(g->map, "GGUF", 4) != 0)
    return fix_err_set(err, FIX_ERR_PARSE, "%s is not a GGUF file (bad magic)", g->path ? g->path : "input");
  c.off = 4;
  g->version = rd32(&c, "version");
  if (c.bad)
    return err ? err->status : FIX_ERR_PARSE;
  if (g->version < 2 || g->version > 3)
    return fix_err_set(err, FIX_ERR_UNSUPPORTED, "GGUF version %u is not supported (2 and 3 are)", g->version);
  g->n_tensors = rd64(&c, "tensor count");
  g->n_kv = rd64(&c, "metadata count");
  if (c.bad)
    return err ? err->status : FIX_ERR_PARSE;
  if (g->n_kv > GGUF_MAX_KV || g->n_tensors > GGUF_MAX_TENSORS)
    return fix_err_set(err, FIX_ERR_PARSE, "GGUF counts are not plausible (%llu tensors, %llu metadata entries)",
                       (unsigned long long)g->n_tensors, (unsigned long long)g->n_kv);
  g->kv = calloc(g->n_kv ? g->n_kv : 1, sizeof *g->kv);
  g->tensors = calloc(g->n_tensors ? g->n_tensors : 1, sizeof *g->tensors);
  if (!g->kv || !g->tensors)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  g->alignment = 32;
  for (uint64_t i = 0; i < g->n_kv && !c.bad; i++) {
    struct fix_gguf_kv *kv = &g->kv[i];
    kv->key = rdstr(&c, "metadata key");
    kv->type = (enum fix_gguf_vtype)rd32(&c, "metadata type");
    if (c.bad)
      break;
    if (kv->type == FIX_GV_ARRAY) {
      size_t save = c.off;
      kv->atype = (enum fix_gguf_vtype)rd32(&c, "array type");
      kv->n = rd64(&c, "array length");
      kv->data = g->map + c.off;
      c.off = save;
    } else {
      kv->data = g->map + c.off;
    }
    skip_value(&c, kv->type, 0);
    if (!c.bad && kv->key.n == 17 && !memcmp(kv->key.p, "general.alignment", 17) &&
        (kv->type == FIX_GV_U32 || kv->type == FIX_GV_I32)) {
      uint32_t a;
      memcpy(&a, kv->data, 4);
      if (a == 0 || (a & (a - 1)) || a > 65536)
        return fix_err_set(err, FIX_ERR_PARSE, "GGUF alignment %u is not a power of two", a);
      g->alignment = a;
    }
  }
  for (uint64_t i = 0; i < g->n_tensors && !c.bad; i++) {
    struct fix_gguf_tensor *t = &g->tensors[i];
    t->name = rdstr(&c, "tensor name");
    uint32_t nd = rd32(&c, "tensor dimensions");
    if (c.bad)
      break;
    if (nd < 1 || nd > 4)
      return fix_err_set(err, FIX_ERR_PARSE, "tensor '%.*s' has %u dimensions", (int)(t->name.n > 64 ? 64 : t->name.n),
                         t->name.p, nd);
    t->n_dims = (int)nd;
    uint64_t nel = 1;
    for (int d = 0; d < 4; d++) {
      uint64_t v = d < (int)nd ? rd64(&c, "tensor shape") : 1;
      if (v == 0 || v > ((uint64_t)1 << 40) || nel > ((uint64_t)1 << 48) / v) {
        if (!c.bad)
          return fix_err_set(err, FIX_ERR_PARSE, "tensor '%.*s' has an implausible shape", (int)t->name.n, t->name.p);
      }
      t->ne[d] = (int64_t)v;
      nel *= v;
    }
    t->type = (int)rd32(&c, "tensor type");
    t->offset = rd64(&c, "tensor offset");
    if (c.bad)
      break;
    if (!fix_type_size(t->type))
      return fix_err_set(err, FIX_ERR_UNSUPPORTED, "tensor '%.*s' has unknown type %d", (int)t->name.n, t->name.p,
                         t->type);
    if (t->ne[0] % (int64_t)fix_type_block(t->type))
      return fix_err_set(err, FIX_ERR_PARSE, "tensor '%.*s': row of %lld is not a multiple of the %s block",
                         (int)t->name.n, t->name.p, (long long)t->ne[0], fix_type_name(t->type));
    t->nbytes = fix_type_row_size(t->type, t->ne[0]) * (nel / (uint64_t)t->ne[0]);
  }
  if (c.bad)
    return err ? err->status : FIX_ERR_PARSE;
  uint64_t data = (c.off + g->alignment - 1) / g->alignment * g->alignment;
  if (data > g->size && g->n_tensors)
    return fix_err_set(err, FIX_ERR_PARSE, "GGUF truncated: tensor data would start past the end of the file");
  g->data_offset = data;
  for (uint64_t i = 0; i < g->n_tensors; i++) {
    struct fix_gguf_tensor *t = &g->tensors[i];
    if (t->offset % g->alignment)
      return fix_err_set(err, FIX_ERR_PARSE, "tensor '%.*s' is not aligned", (int)t->name.n, t->name.p);
    if (t->offset > g->size - data || t->nbytes > g->size - data - t->offset)
      return fix_err_set(err, FIX_ERR_PARSE, "GGUF truncated: tensor '%.*s' (%llu bytes at %llu) lies past the end",
                         (int)t->name.n, t->name.p, (unsigned long long)t->nbytes, (unsigned long long)t->offset);
    t->data = g->map + data + t->offset;
  }
  return FIX_OK;
}

enum fix_status fix_gguf_open_memory(const void *bytes, size_t size, struct fix_gguf **out, struct fix_err *err) {
  *out = NULL;
  struct fix_gguf *g = calloc(1, sizeof *g);
  if (!g)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  g->map = bytes;
  g->size = size;
  enum fix_status st = parse(g, err);
  if (st) {
    free(g->kv);
    free(g->tensors);
    free(g);
    return st;
  }
  *out = g;
  return FIX_OK;
}

enum fix_status fix_gguf_open(const char *path, struct fix_gguf **out, struct fix_err *err) {
  *out = NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fix_err_errno(err, errno == ENOENT ? FIX_ERR_NOT_FOUND : FIX_ERR_IO, "cannot open %s", path);
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 4) {
    close(fd);
    return fix_err_set(err, FIX_ERR_PARSE, "%s is not a GGUF file (too small or not a regular file)", path);
  }
  void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (m == MAP_FAILED)
    return fix_err_errno(err, FIX_ERR_IO, "cannot map %s", path);
  struct fix_gguf *g = calloc(1, sizeof *g);
  if (!g) {
    munmap(m, (size_t)st.st_size);
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  }
  g->path = fix_strdup(path);
  g->map = m;
  g->size = (size_t)st.st_size;
  g->file_dev = (uint64_t)st.st_dev;
  g->file_ino = (uint64_t)st.st_ino;
  g->file_mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
  enum fix_status rc = parse(g, err);
  if (rc) {
    if (err && !strstr(err->msg, path)) {
      char tmp[sizeof err->msg];
      memcpy(tmp, err->msg, sizeof tmp);
      snprintf(err->msg, sizeof err->msg, "%.200s: %.800s", path, tmp);
    }
    fix_gguf_close(g);
    return rc;
  }
  madvise(m, (size_t)st.st_size, MADV_WILLNEED);
  *out = g;
  return FIX_OK;
}

void fix_gguf_close(struct fix_gguf *g) {
  if (!g)
    return;
  if (g->path && g->map)
    munmap((void *)g->map, g->size);
  free(g->path);
  free(g->kv);
  free(g->tensors);
  free(g);
}

static int key_is(struct fix_gguf_str s, const char *k) { return s.n == strlen(k) && !memcmp(s.p, k, s.n); }

const struct fix_gguf_kv *fix_gguf_find(const struct fix_gguf *g, const char *key) {
  for (uint64_t i = 0; i < g->n_kv; i++)
    if (key_is(g->kv[i].key, key))
      return &g->kv[i];
  return NULL;
}

const struct fix_gguf_tensor *fix_gguf_tensor(const struct fix_gguf *g, const char *name) {
  for (uint64_t i = 0; i < g->n_tensors; i++)
    if (key_is(g->tensors[i].name, name))
      return &g->tensors[i];
  return NULL;
}

static int num(enum fix_gguf_vtype t, const uint8_t *p, double *out) {
  switch (t) {
  case FIX_GV_U8: *out = *p; return 0;
  case FIX_GV_I8: *out = (int8_t)*p; return 0;
  case FIX_GV_BOOL: *out = *p != 0; return 0;
  case FIX_GV_U16: { uint16_t v; memcpy(&v, p, 2); *out = v; return 0; }
  case FIX_GV_I16: { int16_t v; memcpy(&v, p, 2); *out = v; return 0; }
  case FIX_GV_U32: { uint32_t v; memcpy(&v, p, 4); *out = v; return 0; }
  case FIX_GV_I32: { int32_t v; memcpy(&v, p, 4); *out = v; return 0; }
  case FIX_GV_F32: { float v; memcpy(&v, p, 4); *out = v; return 0; }
  case FIX_GV_U64: { uint64_t v; memcpy(&v, p, 8); *out = (double)v; return 0; }
  case FIX_GV_I64: { int64_t v; memcpy(&v, p, 8); *out = (double)v; return 0; }
  case FIX_GV_F64: { double v; memcpy(&v, p, 8); *out = v; return 0; }
  default: return -1;
  }
}

int fix_gguf_get_u64(const struct fix_gguf *g, const char *key, uint64_t *out) {
  const struct fix_gguf_kv *kv = fix_gguf_find(g, key);
  double d;
  if (kv && kv->type == FIX_GV_U64) { /* exact: a double cannot hold every u64 (2^64-1 rounds up) */
    memcpy(out, kv->data, 8);
    return 0;
  }
  if (!kv || kv->type == FIX_GV_F32 || kv->type == FIX_GV_F64 || num(kv->type, kv->data, &d) || d < 0)
    return -1;
  *out = (uint64_t)d;
  return 0;
}

int fix_gguf_get_f32(const struct fix_gguf *g, const char *key, float *out) {
  const struct fix_gguf_kv *kv = fix_gguf_find(g, key);
  double d;
  if (!kv || num(kv->type, kv->data, &d))
    return -1;
  *out = (float)d;
  return 0;
}

int fix_gguf_get_bool(const struct fix_gguf *g, const char *key, int *out) {
  const struct fix_gguf_kv *kv = fix_gguf_find(g, key);
  double d;
  if (!kv || num(kv->type, kv->data, &d))
    return -1;
  *out = d != 0;
  return 0;
}

int fix_gguf_get_str(const struct fix_gguf *g, const char *key, struct fix_gguf_str *out) {
  const struct fix_gguf_kv *kv = fix_gguf_find(g, key);
  if (!kv || kv->type != FIX_GV_STRING)
    return -1;
  uint64_t n;
  memcpy(&n, kv->data, 8);
  out->p = (const char *)kv->data + 8;
  out->n = n;
  return 0;
}

int fix_gguf_arr_str(const struct fix_gguf_kv *kv, uint64_t i, struct fix_gguf_str *out) {
  if (!kv || kv->type != FIX_GV_ARRAY || kv->atype != FIX_GV_STRING || i >= kv->n)
    return -1;
  const uint8_t *p = kv->data;
  for (uint64_t k = 0; k < i; k++) {
    uint64_t n;
    memcpy(&n, p, 8);
    p += 8 + n;
  }
  uint64_t n;
  memcpy(&n, p, 8);
  out->p = (const char *)p + 8;
  out->n = n;
  return 0;
}

int fix_gguf_arr_str_next(const struct fix_gguf_kv *kv, struct fix_gguf_iter *it, struct fix_gguf_str *out) {
  if (!kv || kv->type != FIX_GV_ARRAY || kv->atype != FIX_GV_STRING || it->i >= kv->n)
    return -1;
  if (!it->p)
    it->p = kv->data;
  uint64_t n;
  memcpy(&n, it->p, 8);
  out->p = (const char *)it->p + 8;
  out->n = n;
  it->p += 8 + n;
  it->i++;
  return 0;
}

int fix_gguf_arr_num(const struct fix_gguf_kv *kv, uint64_t i, double *out) {
  if (!kv || kv->type != FIX_GV_ARRAY || i >= kv->n)
    return -1;
  size_t es = scalar_size(kv->atype);
  if (!es)
    return -1;
  return num(kv->atype, kv->data + i * es, out);
}

char *fix_gguf_value_str(const struct fix_gguf_kv *kv, size_t max_items) {
  struct fix_buf b;
  fix_buf_init(&b, 0);
  fix_buf_append(&b, "", 0);
  if (kv->type == FIX_GV_STRING) {
    uint64_t n;
    memcpy(&n, kv->data, 8);
    fix_buf_printf(&b, "\"%.*s\"", (int)(n > 200 ? 200 : n), (const char *)kv->data + 8);
    if (n > 200)
      fix_buf_puts(&b, "...");
  } else if (kv->type == FIX_GV_ARRAY) {
    fix_buf_printf(&b, "[%llu x %s] ", (unsigned long long)kv->n,
                   kv->atype == FIX_GV_STRING ? "string" : kv->atype == FIX_GV_F32 ? "f32" : "int");
    for (uint64_t i = 0; i < kv->n && i < max_items; i++) {
      if (kv->atype == FIX_GV_STRING) {
        struct fix_gguf_str s = {"", 0};
        fix_gguf_arr_str(kv, i, &s);
        fix_buf_printf(&b, "%s\"%.*s\"", i ? ", " : "", (int)(s.n > 40 ? 40 : s.n), s.p);
      } else {
        double d = 0;
        fix_gguf_arr_num(kv, i, &d);
        fix_buf_printf(&b, "%s%g", i ? ", " : "", d);
      }
    }
    if (kv->n > max_items)
      fix_buf_puts(&b, ", ...");
  } else {
    double d = 0;
    num(kv->type, kv->data, &d);
    fix_buf_printf(&b, "%g", d);
  }
  return fix_buf_take(&b);
}
