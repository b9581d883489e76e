/* corpus.c — finding and reading the cases of a corpus (case.json files), and filters. */
#include "fix/eval.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CASE_JSON_MAX ((size_t)1 << 20)

void fix_corpus_free(struct fix_corpus *c) {
  for (size_t i = 0; i < c->n; i++) {
    struct fix_case *k = &c->v[i];
    free(k->id);
    free(k->dir);
    free(k->base);
    free(k->language);
    fix_strv_free(&k->build);
    fix_strv_free(&k->check);
    free(k->category);
    free(k->difficulty);
    free(k->provenance);
    fix_strv_free(&k->errors);
    free(k->replies);
  }
  free(c->v);
  memset(c, 0, sizeof *c);
}

/* A command: a JSON array of strings, or a string split like a shell line. */
static enum fix_status command(const cJSON *v, struct fix_strv *out, int required, const char *file, const char *name,
                               struct fix_err *err) {
  if (!v && !required)
    return FIX_OK;
  if (cJSON_IsString(v))
    return fix_shell_split(v->valuestring, out, err);
  const cJSON *it;
  int ok = cJSON_IsArray(v) && cJSON_GetArraySize(v) > 0;
  const cJSON *arr = ok ? v : NULL;
  cJSON_ArrayForEach(it, arr) ok &= cJSON_IsString(it) && fix_strv_push(out, it->valuestring) == FIX_OK;
  return ok ? FIX_OK : fix_err_set(err, FIX_ERR_PARSE, "%s: \"%s\" must be a command (array of strings)", file, name);
}

static char *string_of(const cJSON *o, const char *name) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  return cJSON_IsString(v) ? fix_strdup(v->valuestring) : NULL;
}

/* A relative path that stays below its directory: not absolute, no ".." component. */
static int inside(const char *rel) {
  if (!rel[0] || rel[0] == '/')
    return 0;
  for (const char *p = rel; *p;) {
    size_t n = strcspn(p, "/");
    if (n == 2 && p[0] == '.' && p[1] == '.')
      return 0;
    p += n + (p[n] == '/');
  }
  return 1;
}

static enum fix_status load_case(const char *root, const char *dir, struct fix_case *k, struct fix_err *err) {
  memset(k, 0, sizeof *k);
  char *file = fix_path_join(dir, "case.json");
  struct fix_buf b;
  enum fix_status st = fix_file_read(file, CASE_JSON_MAX, &b, err);
  cJSON *j = st ? NULL : cJSON_ParseWithLength(b.data, b.len);
  if (!st)
    fix_buf_free(&b);
  if (!st && !cJSON_IsObject(j))
    st = fix_err_set(err, FIX_ERR_PARSE, "%s: not a JSON object", file);
  if (!st) {
    k->dir = fix_strdup(dir);
    k->id = fix_path_relative(root, dir);
    k->language = string_of(j, "language");
    k->category = string_of(j, "category");
    k->difficulty = string_of(j, "difficulty");
    k->provenance = string_of(j, "provenance");
    k->fixits_only = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "fixits_only"));
    k->multi_file = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "multi_file"));
    if (!k->language || (strcmp(k->language, "c") && strcmp(k->language, "cpp") && strcmp(k->language, "rust")))
      st = fix_err_set(err, FIX_ERR_PARSE, "%s: \"language\" must be \"c\", \"cpp\" or \"rust\"", file);
    else if (!k->category)
      st = fix_err_set(err, FIX_ERR_PARSE, "%s: \"category\" is missing", file);
  }
  if (!st)
    st = command(cJSON_GetObjectItemCaseSensitive(j, "build"), &k->build, 1, file, "build", err);
  if (!st)
    st = command(cJSON_GetObjectItemCaseSensitive(j, "check"), &k->check, 0, file, "check", err);
  if (!st) {
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "errors"), *it;
    const cJSON *arr = cJSON_IsArray(e) ? e : NULL;
    cJSON_ArrayForEach(it, arr) if (cJSON_IsString(it)) fix_strv_push(&k->errors, it->valuestring);
    if (!k->errors.n)
      st = fix_err_set(err, FIX_ERR_PARSE, "%s: \"errors\" must list what the broken tree reports", file);
  }
  if (!st) {
    /* recorded replies: a file of the case itself, kept beside case.json (not in broken/, the tree fix edits) */
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(j, "replies");
    if (r && (!cJSON_IsString(r) || !inside(r->valuestring)))
      st = fix_err_set(err, FIX_ERR_PARSE, "%s: \"replies\" must name a file inside the case's directory", file);
    else if (r && (!(k->replies = fix_path_join(dir, r->valuestring)) || !fix_file_exists(k->replies)))
      st = fix_err_set(err, FIX_ERR_PARSE, "%s: \"replies\": %s does not exist", file, r->valuestring);
  }
  if (!st) {
    /* a base tree under broken/ and fixed/: inside the corpus */
    const cJSON *bs = cJSON_GetObjectItemCaseSensitive(j, "base");
    char *bp = cJSON_IsString(bs) ? fix_path_join(dir, bs->valuestring) : NULL;
    char *real = bp ? realpath(bp, NULL) : NULL;
    size_t rl = strlen(root);
    if (bs && (!real || strncmp(real, root, rl) || real[rl] != '/' || !fix_dir_exists(real)))
      st = fix_err_set(err, FIX_ERR_PARSE, "%s: \"base\" must name a directory inside the corpus", file);
    else
      k->base = real, real = NULL;
    free(real);
    free(bp);
  }
  if (!st) {
    char *broken = fix_path_join(dir, "broken"), *fixed = fix_path_join(dir, "fixed");
    if (!fix_dir_exists(broken) || !fix_dir_exists(fixed))
      st = fix_err_set(err, FIX_ERR_PARSE, "%s: the case needs broken/ and fixed/ beside it", file);
    free(broken);
    free(fixed);
  }
  cJSON_Delete(j);
  free(file);
  return st;
}

static enum fix_status scan(const char *root, const char *dir, int depth, struct fix_corpus *out, struct fix_err *err) {
  char *cj = fix_path_join(dir, "case.json");
  int is_case = cj && fix_file_exists(cj);
  free(cj);
  if (is_case) {
    struct fix_case *nv = realloc(out->v, (out->n + 1) * sizeof *nv);
    if (!nv)
      return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
    out->v = nv;
    enum fix_status st = load_case(root, dir, &out->v[out->n], err);
    out->n++; /* freed with the corpus even when half loaded */
    return st;
  }
  if (depth >= 6)
    return FIX_OK;
  DIR *d = opendir(dir);
  if (!d)
    return FIX_OK;
  struct fix_strv subs = {0};
  struct dirent *e;
  while ((e = readdir(d)))
    if (e->d_name[0] != '.' && e->d_name[0] != '_') /* _base/: a mutation corpus's tree */
      fix_strv_push(&subs, e->d_name);
  closedir(d);
  enum fix_status st = FIX_OK;
  for (size_t i = 0; i < subs.n && !st; i++) {
    char *p = fix_path_join(dir, subs.v[i]);
    if (p && fix_dir_exists(p))
      st = scan(root, p, depth + 1, out, err);
    free(p);
  }
  fix_strv_free(&subs);
  return st;
}

static int by_id(const void *a, const void *b) {
  return strcmp(((const struct fix_case *)a)->id, ((const struct fix_case *)b)->id);
}

enum fix_status fix_corpus_load(const char *root, struct fix_corpus *out, struct fix_err *err) {
  memset(out, 0, sizeof *out);
  char *r = realpath(root, NULL);
  if (!r)
    return fix_err_errno(err, FIX_ERR_NOT_FOUND, "corpus %s", root);
  enum fix_status st = scan(r, r, 0, out, err);
  free(r);
  if (!st && !out->n)
    st = fix_err_set(err, FIX_ERR_NOT_FOUND, "no case.json below %s", root);
  if (st) {
    fix_corpus_free(out);
    return st;
  }
  qsort(out->v, out->n, sizeof *out->v, by_id);
  return FIX_OK;
}

static int one_matches(const struct fix_case *c, const char *f, size_t n) {
  const char *eq = memchr(f, '=', n);
  if (!eq)
    return n == 0 || memmem(c->id, strlen(c->id), f, n) != NULL;
  size_t kl = (size_t)(eq - f), vl = n - kl - 1;
  const char *v = eq + 1;
#define IS(key) (kl == strlen(key) && !strncmp(f, key, kl))
#define EQ(s) ((s) && strlen(s) == vl && !strncmp((s), v, vl))
  if (IS("language"))
    return EQ(c->language);
  if (IS("category"))
    return EQ(c->category);
  if (IS("difficulty"))
    return EQ(c->difficulty);
  if (IS("error")) {
    for (size_t i = 0; i < c->errors.n; i++)
      if (memmem(c->errors.v[i], strlen(c->errors.v[i]), v, vl))
        return 1;
    return 0;
  }
  if (IS("fixits_only"))
    return (vl == 4 && !strncmp(v, "true", 4)) == c->fixits_only;
#undef IS
#undef EQ
  return 0;
}

int fix_case_matches(const struct fix_case *c, const char *filter) {
  if (!filter || !*filter)
    return 1;
  for (const char *p = filter;;) {
    const char *comma = strchr(p, ',');
    size_t n = comma ? (size_t)(comma - p) : strlen(p);
    if (one_matches(c, p, n))
      return 1;
    if (!comma)
      return 0;
    p = comma + 1;
  }
}
