/* parse_rustc_json.c — rustc's JSON diagnostics, bare (--error-format=json) or wrapped in cargo's
 * "compiler-message" records (--message-format=json).
 *
 * Each child ("note", "help") becomes a note; a child's suggested replacements become its fix-its,
 * applied together as one suggestion (rustfix's model), with rustc's applicability. rustc columns
 * count characters; they are converted to byte columns with the source line the span carries.
 * Paths are relative to the workspace root, which is not where `cargo build` ran when it ran in a
 * member: for cargo records they are resolved against the package's manifest directory and its
 * ancestors, the first that holds the file winning. */
#include "internal.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static const char *jstr(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int jint(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e9 ? v->valueint : 0;
}

/* 1-based character column in `line` -> 1-based byte column. */
static int char_to_byte(const char *line, int ccol) {
  if (!line || ccol <= 1)
    return ccol;
  const unsigned char *p = (const unsigned char *)line;
  int c = 1;
  size_t i = 0;
  while (p[i] && c < ccol) {
    i++;
    while ((p[i] & 0xc0) == 0x80)
      i++;
    c++;
  }
  return (int)i + 1 + (ccol - c);
}

static enum fix_severity level_of(const char *l) {
  if (!l)
    return FIX_SEV_NOTE;
  if (!strcmp(l, "error"))
    return FIX_SEV_ERROR;
  if (!strncmp(l, "error: internal compiler error", 30))
    return FIX_SEV_FATAL;
  if (!strcmp(l, "warning"))
    return FIX_SEV_WARNING;
  return FIX_SEV_NOTE; /* note, help, failure-note */
}

static enum fix_applicability applicability_of(const char *a) {
  if (!a)
    return FIX_APPLY_UNSPECIFIED;
  if (!strcmp(a, "MachineApplicable"))
    return FIX_APPLY_MACHINE;
  if (!strcmp(a, "MaybeIncorrect"))
    return FIX_APPLY_MAYBE;
  if (!strcmp(a, "HasPlaceholders"))
    return FIX_APPLY_PLACEHOLDERS;
  return FIX_APPLY_UNSPECIFIED;
}

/* A relative file name resolved against the manifest directory and its ancestors. Caller frees. */
static char *resolve(const char *file, const char *mdir) {
  if (!file || file[0] == '/' || file[0] == '<' || !mdir)
    return fix_strdup(file);
  char *d = fix_strdup(mdir);
  while (d) {
    char *cand = fix_path_join(d, file);
    if (cand && fix_file_exists(cand)) {
      free(d);
      char *n = fix_path_normalize(cand);
      free(cand);
      return n;
    }
    free(cand);
    if (!strcmp(d, "/") || !strcmp(d, "."))
      break;
    char *up = fix_path_dirname(d);
    free(d);
    d = up;
  }
  free(d);
  return fix_strdup(file);
}

static enum fix_status fill(struct fix_diag *d, const cJSON *j, const char *mdir) {
  d->severity = level_of(jstr(j, "level"));
  d->compiler = FIX_CC_RUSTC;
  const char *msg = jstr(j, "message");
  d->message = fix_strdup(msg ? msg : "");
  const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "code");
  const char *c = jstr(code, "code");
  const char *ex = jstr(code, "explanation");
  const char *r = jstr(j, "rendered");
  if ((c && !(d->code = fix_strdup(c))) || (ex && !(d->explanation = fix_strdup(ex))) ||
      (r && !(d->rendered = fix_strdup(r))) || !d->message)
    return FIX_ERR_NOMEM;
  const cJSON *sp;
  int have_primary = 0;
  cJSON_ArrayForEach(sp, cJSON_GetObjectItemCaseSensitive(j, "spans")) {
    if (!cJSON_IsObject(sp))
      continue;
    char *file = resolve(jstr(sp, "file_name"), mdir);
    if (!file)
      continue;
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(sp, "text");
    const cJSON *t0 = cJSON_GetArrayItem(text, 0);
    const cJSON *tn = cJSON_GetArrayItem(text, cJSON_GetArraySize(text) - 1);
    int l1 = jint(sp, "line_start"), l2 = jint(sp, "line_end");
    int c1 = char_to_byte(jstr(t0, "text"), jint(sp, "column_start"));
    int c2 = char_to_byte(jstr(tn, "text"), jint(sp, "column_end"));
    enum fix_status st = fix_diag_push_span(d, file, l1, c1, l2, c2);
    if (!st && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sp, "is_primary")) && !have_primary) {
      have_primary = 1;
      d->pos.file = fix_strdup(file);
      d->pos.line = l1;
      d->pos.col = c1;
    }
    const char *repl = jstr(sp, "suggested_replacement");
    if (!st && repl) {
      st = fix_diag_push_fixit(d, file, l1, c1, l2, c2, repl, strlen(repl));
      if (!st)
        d->fixits[d->nfixits - 1].applicability = applicability_of(jstr(sp, "suggestion_applicability"));
    }
    /* a span inside a macro: remember where the macro was invoked */
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(sp, "expansion");
    const cJSON *esp = cJSON_GetObjectItemCaseSensitive(exp, "span");
    if (!st && cJSON_IsObject(esp)) {
      char *ef = resolve(jstr(esp, "file_name"), mdir);
      const char *mname = jstr(exp, "macro_decl_name");
      char *what = fix_asprintf("in expansion of %s", mname ? mname : "a macro");
      st = fix_diag_push_ctx(d, FIX_CTX_MACRO, ef, jint(esp, "line_start"), jint(esp, "column_start"), what);
      free(what);
      free(ef);
    }
    free(file);
    if (st)
      return st;
  }
  if (!have_primary && d->nspans) {
    d->pos.file = fix_strdup(d->spans[0].begin.file);
    d->pos.line = d->spans[0].begin.line;
    d->pos.col = d->spans[0].begin.col;
  }
  const cJSON *ch;
  cJSON_ArrayForEach(ch, cJSON_GetObjectItemCaseSensitive(j, "children")) {
    if (!cJSON_IsObject(ch))
      continue;
    struct fix_diag *n = fix_diag_push_note(d);
    if (!n)
      return FIX_ERR_NOMEM;
    enum fix_status st = fill(n, ch, mdir);
    if (st)
      return st;
  }
  return FIX_OK;
}

/* rustc's closing lines ("aborting due to 2 previous errors", "For more information ...") */
static int boilerplate(const cJSON *m) {
  const char *msg = jstr(m, "message");
  const char *lvl = jstr(m, "level");
  if (lvl && !strcmp(lvl, "failure-note"))
    return 1;
  if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(m, "spans")) > 0)
    return 0;
  return msg && (!strncmp(msg, "aborting due to", 15) || strstr(msg, "warnings emitted") ||
                 strstr(msg, "warning emitted") || !strncmp(msg, "For more information", 20));
}

enum fix_status fix_diag_parse_rustc_json(const char *text, size_t len, struct fix_diag_list *out,
                                          struct fix_err *err) {
  if (len > FIX_DIAG_INPUT_MAX)
    return fix_err_set(err, FIX_ERR_TOO_BIG, "compiler output of %zu bytes exceeds the %zu-byte cap", len,
                       (size_t)FIX_DIAG_INPUT_MAX);
  size_t off = 0;
  while (off < len) {
    const char *nl = memchr(text + off, '\n', len - off);
    size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
    const char *l = text + off;
    off += n + 1;
    if (!n || l[0] != '{')
      continue;
    cJSON *j = cJSON_ParseWithLength(l, n);
    if (!cJSON_IsObject(j)) {
      cJSON_Delete(j);
      continue; /* a line that only looks like JSON */
    }
    const cJSON *m = j;
    char *mdir = NULL;
    const char *reason = jstr(j, "reason");
    if (reason) {
      m = !strcmp(reason, "compiler-message") ? cJSON_GetObjectItemCaseSensitive(j, "message") : NULL;
      const char *mp = jstr(j, "manifest_path");
      mdir = mp ? fix_path_dirname(mp) : NULL;
    } else {
      const char *mt = jstr(j, "$message_type");
      if (mt && strcmp(mt, "diagnostic") != 0)
        m = NULL;
    }
    enum fix_status st = FIX_OK;
    if (cJSON_IsObject(m) && jstr(m, "message") && jstr(m, "level") && !boilerplate(m)) {
      struct fix_diag *d = fix_diag_list_push(out);
      st = d ? fill(d, m, mdir) : FIX_ERR_NOMEM;
    }
    free(mdir);
    cJSON_Delete(j);
    if (st)
      return fix_err_set(err, st, "out of memory while parsing rustc JSON");
  }
  return FIX_OK;
}
