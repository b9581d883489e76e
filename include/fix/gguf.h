/* fix/gguf.h — GGUF files: a validating mmap reader and a writer.
 *
 * The reader maps the file read-only and checks every count, length, offset, type and tensor
 * extent against the file size before anything is used, so a corrupt or truncated file is a clear
 * error (never a crash). Strings and arrays point into the mapping (borrowed until close).
 *
 * Tensor types are ggml's numbering. Ownership: fix_gguf_open/close; a writer is built up in
 * memory (metadata and tensor descriptions) and streams tensor data to disk on write. */
#ifndef FIX_GGUF_H
#define FIX_GGUF_H

#include "fix/base.h"

enum fix_ggml_type {
  FIX_T_F32 = 0,
  FIX_T_F16 = 1,
  FIX_T_Q4_0 = 2,
  FIX_T_Q4_1 = 3,
  FIX_T_Q5_0 = 6,
  FIX_T_Q5_1 = 7,
  FIX_T_Q8_0 = 8,
  FIX_T_Q8_1 = 9,
  FIX_T_Q2_K = 10,
  FIX_T_Q3_K = 11,
  FIX_T_Q4_K = 12,
  FIX_T_Q5_K = 13,
  FIX_T_Q6_K = 14,
  FIX_T_Q8_K = 15,
  FIX_T_BF16 = 30,
  FIX_T_COUNT = 40,
};

/* Block geometry of a type: elements per block and bytes per block (0 when unknown). */
size_t fix_type_block(int type);
size_t fix_type_size(int type);
const char *fix_type_name(int type);
/* 1 when fix can compute with this type. */
int fix_type_supported(int type);
/* Bytes of a row of n elements (n a multiple of the block), 0 when invalid. */
size_t fix_type_row_size(int type, int64_t n);

enum fix_gguf_vtype {
  FIX_GV_U8 = 0, FIX_GV_I8, FIX_GV_U16, FIX_GV_I16, FIX_GV_U32, FIX_GV_I32, FIX_GV_F32, FIX_GV_BOOL,
  FIX_GV_STRING, FIX_GV_ARRAY, FIX_GV_U64, FIX_GV_I64, FIX_GV_F64,
};

struct fix_gguf_str {
  const char *p; /* not NUL-terminated */
  uint64_t n;
};

struct fix_gguf_kv {
  struct fix_gguf_str key;
  enum fix_gguf_vtype type;
  enum fix_gguf_vtype atype; /* element type of an array */
  uint64_t n;                /* array length */
  const uint8_t *data;       /* scalar value or first array element (strings: length-prefixed) */
};

struct fix_gguf_tensor {
  struct fix_gguf_str name;
  int n_dims;
  int64_t ne[4];  /* ne[0] is the row length */
  int type;
  uint64_t offset; /* from the start of the data section */
  uint64_t nbytes;
  const void *data;
};

struct fix_gguf {
  char *path;
  const uint8_t *map;
  size_t size;
  /* the file opened (for caches keyed on it): device, inode, modification time; 0 for memory */
  uint64_t file_dev, file_ino;
  int64_t file_mtime_ns;
  uint32_t version;
  uint64_t n_kv, n_tensors;
  struct fix_gguf_kv *kv;
  struct fix_gguf_tensor *tensors;
  size_t alignment;
  uint64_t data_offset;
};

enum fix_status fix_gguf_open(const char *path, struct fix_gguf **out, struct fix_err *err);
/* The same checks on bytes already in memory (fuzzing, tests). `bytes` must outlive the handle. */
enum fix_status fix_gguf_open_memory(const void *bytes, size_t size, struct fix_gguf **out, struct fix_err *err);
void fix_gguf_close(struct fix_gguf *g);

const struct fix_gguf_kv *fix_gguf_find(const struct fix_gguf *g, const char *key);
const struct fix_gguf_tensor *fix_gguf_tensor(const struct fix_gguf *g, const char *name);
/* Typed getters: 0 on success (any integer type converts to the integer getters). */
int fix_gguf_get_u64(const struct fix_gguf *g, const char *key, uint64_t *out);
int fix_gguf_get_f32(const struct fix_gguf *g, const char *key, float *out);
int fix_gguf_get_bool(const struct fix_gguf *g, const char *key, int *out);
/* 0 and *out (bytes borrowed from the mapping, not NUL-terminated) when the key holds a string;
 * -1 when it is missing or not a string. */
int fix_gguf_get_str(const struct fix_gguf *g, const char *key, struct fix_gguf_str *out);
/* Element i of an array of strings. */
int fix_gguf_arr_str(const struct fix_gguf_kv *kv, uint64_t i, struct fix_gguf_str *out);
/* Sequential access to an array of strings (linear; arr_str(i) walks from the start). */
struct fix_gguf_iter {
  const uint8_t *p; /* NULL to start */
  uint64_t i;
};
int fix_gguf_arr_str_next(const struct fix_gguf_kv *kv, struct fix_gguf_iter *it, struct fix_gguf_str *out);
/* Element i of a numeric array as double. */
int fix_gguf_arr_num(const struct fix_gguf_kv *kv, uint64_t i, double *out);
/* Renders a value for display (arrays abbreviated). Caller frees. */
char *fix_gguf_value_str(const struct fix_gguf_kv *kv, size_t max_items);

/* ---- writing ---- */

struct fix_gguf_writer; /* opaque */

struct fix_gguf_writer *fix_gguf_writer_new(void);
void fix_gguf_writer_free(struct fix_gguf_writer *w);
void fix_gguf_set_str(struct fix_gguf_writer *w, const char *key, const char *value);
void fix_gguf_set_u32(struct fix_gguf_writer *w, const char *key, uint32_t value);
void fix_gguf_set_i32(struct fix_gguf_writer *w, const char *key, int32_t value);
void fix_gguf_set_f32(struct fix_gguf_writer *w, const char *key, float value);
void fix_gguf_set_bool(struct fix_gguf_writer *w, const char *key, int value);
void fix_gguf_set_arr_str(struct fix_gguf_writer *w, const char *key, const char *const *items, size_t n);
void fix_gguf_set_arr_f32(struct fix_gguf_writer *w, const char *key, const float *items, size_t n);
void fix_gguf_set_arr_i32(struct fix_gguf_writer *w, const char *key, const int32_t *items, size_t n);
/* Adds a tensor; `data` (nbytes = row size * rows) is copied. */
enum fix_status fix_gguf_add_tensor(struct fix_gguf_writer *w, const char *name, int type, int n_dims,
                                    const int64_t *ne, const void *data, struct fix_err *err);
/* Writes the file (GGUF v3, 32-byte alignment), atomically. */
enum fix_status fix_gguf_write(struct fix_gguf_writer *w, const char *path, struct fix_err *err);

#endif
