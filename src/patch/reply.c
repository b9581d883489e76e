/* reply.c — from a model's reply to byte edits: normalise the text, run the format's parser,
 * resolve each path inside the project, anchor each hunk, and reject no-op or conflicting edits
 * with a reason the model can act on. */
#include "reply.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const char *fix_edit_format_str(enum fix_edit_format f) {
  switch (f) {
  case FIX_FMT_CHANGELOG: return "changelog";
  case FIX_FMT_SEARCH_REPLACE: return "search-replace";
  case FIX_FMT_UDIFF: return "udiff";
  }
  return "?";
}

int fix_edit_format_from_str(const char *s, enum fix_edit_format *out) {
  if (!strcmp(s, "changelog"))
    *out = FIX_FMT_CHANGELOG;
  else if (!strcmp(s, "search-replace") || !strcmp(s, "search_replace") || !strcmp(s, "diff-fenced"))
    *out = FIX_FMT_SEARCH_REPLACE;
  else if (!strcmp(s, "udiff") || !strcmp(s, "unified-diff") || !strcmp(s, "diff"))
    *out = FIX_FMT_UDIFF;
  else
    return -1;
  return 0;
}

struct hunk *hunks_push(struct hunks *h) {
  struct hunk *v = realloc(h->v, (h->n + 1) * sizeof *v);
  if (!v)
    return NULL;
  h->v = v;
  memset(&v[h->n], 0, sizeof *v);
  v[h->n].block = (int)h->n + 1;
  return &v[h->n++];
}

void hunks_free(struct hunks *h) {
  for (size_t i = 0; i < h->n; i++) {
    free(h->v[i].path);
    fix_strv_free(&h->v[i].orig);
    fix_strv_free(&h->v[i].repl);
  }
  free(h->v);
  h->v = NULL;
  h->n = 0;
}

enum fix_status split_lines(const char *text, size_t len, struct fix_strv *out) {
  size_t off = 0;
  while (off < len) {
    const char *nl = memchr(text + off, '\n', len - off);
    size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
    if (fix_strv_push_own(out, fix_strndup(text + off, n)))
      return FIX_ERR_NOMEM;
    off += n + 1;
  }
  return FIX_OK;
}

char *clean_path(const char *s) {
  while (*s && (isspace((unsigned char)*s) || *s == '*' || *s == '`' || *s == '"' || *s == '\'' || *s == '#'))
    s++;
  if (!strncasecmp(s, "file:", 5) || !strncasecmp(s, "path:", 5))
    s += 5;
  else if (!strncasecmp(s, "filename:", 9))
    s += 9;
  while (*s && (isspace((unsigned char)*s) || *s == '*' || *s == '`' || *s == '"' || *s == '\''))
    s++;
  size_t n = strlen(s);
  while (n && (isspace((unsigned char)s[n - 1]) || s[n - 1] == '*' || s[n - 1] == '`' || s[n - 1] == '"' ||
               s[n - 1] == '\'' || s[n - 1] == ':'))
    n--;
  return fix_strndup(s, n);
}

/* Drops CRs and markdown fence lines (```lang). */
static enum fix_status normalise(const char *reply, size_t len, struct fix_strv *lines) {
  struct fix_buf b;
  fix_buf_init(&b, 0);
  for (size_t i = 0; i < len; i++)
    if (reply[i] != '\r' && fix_buf_append(&b, &reply[i], 1))
      return FIX_ERR_NOMEM;
  struct fix_strv all = {0};
  enum fix_status st = split_lines(b.data ? b.data : "", b.len, &all);
  fix_buf_free(&b);
  for (size_t i = 0; i < all.n && !st; i++) {
    const char *l = all.v[i];
    while (*l == ' ')
      l++;
    if (!strncmp(l, "```", 3) || !strncmp(l, "~~~", 3)) {
      const char *r = l + 3;
      while (*r && (isalnum((unsigned char)*r) || strchr("+-_.#", *r)))
        r++;
      while (*r && isspace((unsigned char)*r))
        r++;
      if (!*r)
        continue; /* a fence line */
    }
    st = fix_strv_push(lines, all.v[i]);
  }
  fix_strv_free(&all);
  return st;
}

/* Resolves a path the model wrote to a canonical path inside root. */
static enum fix_status resolve(const char *root, const struct fix_strv *known, const char *written, int block,
                               char **out, struct fix_err *err) {
  *out = NULL;
  char *p = clean_path(written);
  if (!p || !*p) {
    free(p);
    return fix_err_set(err, FIX_ERR_PARSE, "block %d: no file name given", block);
  }
  const char *q = p;
  while (!strncmp(q, "./", 2))
    q += 2;
  char *canon = NULL;
  enum fix_status st = fix_path_contain(root, root, q, &canon, err);
  if (st == FIX_ERR_OUTSIDE_ROOT) {
    fix_err_set(err, st, "block %d: %s is outside the project; edit only the project's own files", block, q);
  } else if (!st && !fix_file_exists(canon)) {
    /* a bare or partial name: a unique suffix of a file the prompt showed */
    const char *hit = NULL;
    int hits = 0;
    char *suffix = fix_asprintf("/%s", q);
    for (size_t i = 0; known && suffix && i < known->n; i++)
      if (fix_str_ends(known->v[i], suffix) || !strcmp(known->v[i], q)) {
        hit = known->v[i];
        hits++;
      }
    free(suffix);
    free(canon);
    canon = NULL;
    if (hits == 1) {
      st = fix_path_contain(root, root, hit, &canon, err);
    } else {
      st = fix_err_set(err, FIX_ERR_PARSE, "block %d: file '%s' does not exist in the project%s", block, q,
                       hits > 1 ? " (the name matches several files: give its path)" : "");
    }
  }
  free(p);
  if (!st) {
    struct fix_err why;
    if ((st = fix_edit_policy(root, canon, &why)) != FIX_OK)
      fix_err_set(err, st, "block %d: %s", block, why.msg);
  }
  if (st) {
    free(canon);
    return st;
  }
  *out = canon;
  return FIX_OK;
}

enum fix_status fix_reply_parse(enum fix_edit_format fmt, const char *reply, size_t len, const char *root,
                                const struct fix_strv *known, fix_text_lookup lookup, void *ud,
                                struct fix_edit_list *out, struct fix_err *err) {
  struct fix_strv lines = {0};
  struct hunks hs = {0};
  enum fix_status st = normalise(reply, len, &lines);
  if (st) {
    fix_strv_free(&lines);
    return fix_err_set(err, st, "out of memory");
  }
  switch (fmt) {
  case FIX_FMT_CHANGELOG: st = fmt_changelog_parse(&lines, &hs, err); break;
  case FIX_FMT_SEARCH_REPLACE: st = fmt_search_replace_parse(&lines, &hs, err); break;
  case FIX_FMT_UDIFF: st = fmt_udiff_parse(&lines, &hs, err); break;
  }
  if (!st && hs.n == 0)
    st = fix_err_set(err, FIX_ERR_PARSE, "the reply contains no %s edit block; answer with edits in the format shown",
                     fix_edit_format_str(fmt));
  /* a udiff or S/R block without a file name: the only file shown, if there was exactly one */
  for (size_t i = 0; !st && i < hs.n; i++)
    if (!hs.v[i].path && known && known->n == 1)
      hs.v[i].path = fix_strdup(known->v[0]);
  int changes = 0;
  for (size_t i = 0; !st && i < hs.n; i++) {
    struct hunk *h = &hs.v[i];
    char *file = NULL;
    st = resolve(root, known, h->path ? h->path : "", h->block, &file, err);
    if (st)
      break;
    const char *data;
    size_t dlen;
    st = lookup(ud, file, &data, &dlen);
    if (st) {
      st = fix_err_set(err, FIX_ERR_PARSE, "block %d: cannot read %s", h->block, file);
    } else {
      char *rel = fix_path_relative(root, file);
      size_t a, b;
      char *repl = NULL;
      st = match_hunk(data, dlen, h, rel ? rel : file, &a, &b, &repl, err);
      if (!st) {
        if (b - a != strlen(repl) || memcmp(data + a, repl, b - a) != 0)
          changes++;
        st = fix_edit_list_push(out, file, a, b, repl);
      }
      free(repl);
      free(rel);
    }
    free(file);
  }
  if (!st && !changes)
    st = fix_err_set(err, FIX_ERR_PARSE, "the edit changes nothing: the fixed code is identical to the original");
  if (!st) {
    /* overlapping blocks in one file are a contradiction, not something to guess about */
    struct fix_strv paths = {0};
    struct fix_buf *texts = NULL;
    st = fix_edits_apply_files(out, lookup, ud, &paths, &texts, err);
    if (st == FIX_ERR_CONFLICT)
      fix_err_set(err, st, "two edit blocks change the same lines; merge them into one block");
    for (size_t k = 0; texts && k < paths.n; k++)
      fix_buf_free(&texts[k]);
    free(texts);
    fix_strv_free(&paths);
  }
  if (st)
    fix_edit_list_free(out);
  hunks_free(&hs);
  fix_strv_free(&lines);
  return st;
}
