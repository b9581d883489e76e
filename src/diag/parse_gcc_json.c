/* parse_gcc_json.c — gcc's -fdiagnostics-format=json.
 *
 * gcc writes one JSON array per translation unit, so a build log holds several arrays among other
 * lines; each line that starts with '[' is tried as JSON and everything else is ignored. Columns are
 * taken from "byte-column" (gcc >= 11) or else "column"; fix-it ranges are [start, next). */
#include "internal.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static int jint(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e8 ? v->valueint : 0;
}

static const char *jstr(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int jcol(const cJSON *loc) {
  const cJSON *b = cJSON_GetObjectItemCaseSensitive(loc, "byte-column");
  if (cJSON_IsNumber(b))
    return jint(loc, "byte-column");
  return jint(loc, "column");
}

static enum fix_status fill(struct fix_diag *d, const cJSON *j) {
  d->severity = diag_severity_from_str(jstr(j, "kind"));
  d->compiler = FIX_CC_GCC;
  const char *msg = jstr(j, "message");
  d->message = fix_strdup(msg ? msg : "");
  if (d->message)
    diag_ascii_quotes(d->message);
  const char *opt = jstr(j, "option");
  if (opt && !(d->code = strdup(opt)))
    return FIX_ERR_NOMEM;
  if (!d->message)
    return FIX_ERR_NOMEM;
  const cJSON *locs = cJSON_GetObjectItemCaseSensitive(j, "locations");
  const cJSON *loc;
  int first = 1;
  cJSON_ArrayForEach(loc, locs) {
    const cJSON *caret = cJSON_GetObjectItemCaseSensitive(loc, "caret");
    const cJSON *start = cJSON_GetObjectItemCaseSensitive(loc, "start");
    const cJSON *finish = cJSON_GetObjectItemCaseSensitive(loc, "finish");
    if (!cJSON_IsObject(caret))
      continue;
    const char *file = jstr(caret, "file");
    if (first) {
      d->pos.file = file ? strdup(file) : NULL;
      d->pos.line = jint(caret, "line");
      d->pos.col = jcol(caret);
      first = 0;
    }
    const cJSON *b = cJSON_IsObject(start) ? start : caret;
    const cJSON *e = cJSON_IsObject(finish) ? finish : caret;
    if (file && fix_diag_push_span(d, file, jint(b, "line"), jcol(b), jint(e, "line"), jcol(e)))
      return FIX_ERR_NOMEM;
  }
  const cJSON *fixits = cJSON_GetObjectItemCaseSensitive(j, "fixits");
  const cJSON *f;
  cJSON_ArrayForEach(f, fixits) {
    const cJSON *start = cJSON_GetObjectItemCaseSensitive(f, "start");
    const cJSON *next = cJSON_GetObjectItemCaseSensitive(f, "next");
    const char *str = jstr(f, "string");
    if (!cJSON_IsObject(start) || !cJSON_IsObject(next) || !str || !jstr(start, "file"))
      continue;
    if (fix_diag_push_fixit(d, jstr(start, "file"), jint(start, "line"), jcol(start), jint(next, "line"), jcol(next),
                            str, strlen(str)))
      return FIX_ERR_NOMEM;
  }
  const cJSON *children = cJSON_GetObjectItemCaseSensitive(j, "children");
  const cJSON *c;
  cJSON_ArrayForEach(c, children) {
    if (!cJSON_IsObject(c))
      continue;
    struct fix_diag *n = fix_diag_push_note(d);
    if (!n)
      return FIX_ERR_NOMEM;
    enum fix_status st = fill(n, c);
    if (st)
      return st;
    const char *m = n->message;
    if (m && diag_note_is_macro(m))
      fix_diag_push_ctx(d, FIX_CTX_MACRO, n->pos.file, n->pos.line, n->pos.col, m);
    else if (m && diag_note_is_template(m))
      fix_diag_push_ctx(d, FIX_CTX_TEMPLATE, n->pos.file, n->pos.line, n->pos.col, m);
  }
  return FIX_OK;
}

enum fix_status fix_diag_parse_gcc_json(const char *text, size_t len, struct fix_diag_list *out, struct fix_err *err) {
  if (len > FIX_DIAG_INPUT_MAX)
    return fix_err_set(err, FIX_ERR_TOO_BIG, "compiler output of %zu bytes exceeds the %zu-byte cap", len,
                       (size_t)FIX_DIAG_INPUT_MAX);
  size_t off = 0;
  size_t arrays = 0, bad = 0;
  while (off < len) {
    const char *nl = memchr(text + off, '\n', len - off);
    size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
    if (n && text[off] == '[') {
      cJSON *root = cJSON_ParseWithLength(text + off, n);
      if (!cJSON_IsArray(root)) {
        bad++;
      } else {
        arrays++;
        const cJSON *j;
        size_t first = out->n;
        cJSON_ArrayForEach(j, root) {
          if (!cJSON_IsObject(j))
            continue;
          /* gcc emits some notes ("declared here") as top-level entries after their diagnostic */
          const char *kind = jstr(j, "kind");
          int note = kind && !strcmp(kind, "note") && out->n > first;
          struct fix_diag *d = note ? fix_diag_push_note(&out->v[out->n - 1]) : fix_diag_list_push(out);
          if (!d || fill(d, j) != FIX_OK) {
            cJSON_Delete(root);
            return fix_err_set(err, FIX_ERR_NOMEM, "out of memory while parsing gcc JSON");
          }
        }
      }
      cJSON_Delete(root);
    }
    off += n + (nl != NULL);
  }
  if (!arrays && bad)
    return fix_err_set(err, FIX_ERR_PARSE, "gcc JSON diagnostics could not be parsed (%zu malformed line%s)", bad,
                       bad == 1 ? "" : "s");
  return FIX_OK;
}
