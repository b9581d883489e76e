/* steps.c — candidate steps shared by the fix-it pass and the model pass: file sets (new contents
 * of a few files), trials in a shadow, the "improves" rule, and committing a step to the
 * workspace with its report. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void fileset_free(struct fileset *f) {
  for (size_t i = 0; i < f->paths.n; i++)
    fix_buf_free(&f->texts[i]);
  free(f->texts);
  fix_strv_free(&f->paths);
  f->texts = NULL;
}

enum fix_status session_text_lookup(void *ud, const char *path, const char **data, size_t *len) {
  struct session *s = ud;
  return fix_workspace_read(s->ws, path, data, len, NULL);
}

/* Text of `path` as `fs` (may be NULL) would leave it, else as the workspace has it. */
enum fix_status text_of(struct session *s, const struct fileset *fs, const char *path, const char **data,
                               size_t *len) {
  for (size_t i = 0; fs && i < fs->paths.n; i++)
    if (!strcmp(fs->paths.v[i], path)) {
      *data = fs->texts[i].data;
      *len = fs->texts[i].len;
      return FIX_OK;
    }
  return fix_workspace_read(s->ws, path, data, len, NULL);
}

struct lookup_ctx {
  struct session *s;
  const struct fileset *base;
};

static enum fix_status lookup(void *ud, const char *path, const char **data, size_t *len) {
  struct lookup_ctx *c = ud;
  return text_of(c->s, c->base, path, data, len);
}

/* `base` with `edits` applied on top (edits are offsets into text_of(base)). */
enum fix_status fileset_apply(struct session *s, const struct fileset *base, const struct fix_edit_list *edits,
                                     struct fileset *out) {
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < edits->n; i++) { /* files no edit may touch (policy.c), or fix may not edit now */
    enum fix_status pst = fix_edit_policy(s->vcs.root, edits->v[i].file, NULL);
    if (pst)
      return pst;
    if (!session_may_edit(s, edits->v[i].file)) {
      char *rel = fix_path_relative(s->vcs.root, edits->v[i].file);
      fix_err_set(&s->err, FIX_ERR_REFUSED, "%s may not be edited in this session (%s)", rel ? rel : edits->v[i].file,
                  s->o->only && !strcmp(s->first_refusal.msg, "outside --only") ? "outside --only" : "skipped");
      free(rel);
      return FIX_ERR_REFUSED;
    }
  }
  struct lookup_ctx ctx = {s, base};
  enum fix_status st = fix_edits_apply_files(edits, lookup, &ctx, &out->paths, &out->texts, NULL);
  if (st || !base)
    return st;
  /* files of the base that these edits did not touch come along unchanged */
  for (size_t i = 0; i < base->paths.n && !st; i++) {
    if (fix_strv_contains(&out->paths, base->paths.v[i]))
      continue;
    struct fix_buf *t = realloc(out->texts, (out->paths.n + 1) * sizeof *t);
    if (!t)
      st = FIX_ERR_NOMEM;
    else {
      out->texts = t;
      fix_buf_init(&t[out->paths.n], 0);
      st = fix_buf_append(&t[out->paths.n], base->texts[i].data, base->texts[i].len);
      if (!st)
        st = fix_strv_push(&out->paths, base->paths.v[i]);
    }
  }
  if (st)
    fileset_free(out);
  return st;
}

int errors_of(const struct fix_diag_list *l) { return (int)fix_diag_list_count(l, FIX_SEV_ERROR); }

int has_error_ident(const struct fix_diag_list *l, const char *id) {
  int found = 0;
  for (size_t k = 0; k < l->n && !found; k++) {
    if (l->v[k].severity < FIX_SEV_ERROR)
      continue;
    char *id2 = fix_diag_identity(&l->v[k]);
    found = id2 && !strcmp(id, id2);
    free(id2);
  }
  return found;
}

/* rustc's phases, in the order it runs them: name resolution (1), type checking (2), the borrow
 * checker (3). A phase's errors can hide the next phase's: the borrow checker runs only once the crate
 * type-checks, and rustc before 1.64 (Debian 12's 1.63) stops after resolution errors (a missing
 * lifetime, an unresolved name) without type-checking. An error without a known code counts as type
 * checking (no later error is then taken as hidden by it). */
int rust_phase(const struct fix_diag *d) {
  static const char *const borrowck[] = {"E0373", "E0381", "E0382", "E0383", "E0384", "E0499", "E0500", "E0501",
                                         "E0502", "E0503", "E0504", "E0505", "E0506", "E0507", "E0508", "E0509",
                                         "E0510", "E0515", "E0521", "E0594", "E0596", "E0597", "E0626", "E0712",
                                         "E0713", "E0716"};
  static const char *const resolve[] = {"E0106", "E0261", "E0403", "E0404", "E0405", "E0407", "E0408", "E0411",
                                        "E0412", "E0415", "E0416", "E0422", "E0423", "E0424", "E0425", "E0426",
                                        "E0428", "E0429", "E0430", "E0431", "E0432", "E0433", "E0434", "E0435",
                                        "E0437", "E0438", "E0530", "E0531", "E0532", "E0583", "E0659"};
  if (d->compiler != FIX_CC_RUSTC || !d->code)
    return d->compiler == FIX_CC_RUSTC ? 2 : 0;
  for (size_t i = 0; i < sizeof borrowck / sizeof *borrowck; i++)
    if (!strcmp(d->code, borrowck[i]))
      return 3;
  for (size_t i = 0; i < sizeof resolve / sizeof *resolve; i++)
    if (!strcmp(d->code, resolve[i]))
      return 1;
  return 2;
}

int rust_phase_reached(const struct fix_diag_list *l) {
  int ph = 0;
  for (size_t i = 0; i < l->n; i++)
    if (l->v[i].severity >= FIX_SEV_ERROR && l->v[i].compiler == FIX_CC_RUSTC) {
      int p = rust_phase(&l->v[i]);
      ph = p > ph ? p : ph;
    }
  return ph;
}

/* A build that failed compiling never reached its link step: its link errors were hidden. */
static int link_hidden(const struct fix_diag_list *l) {
  int errors = 0;
  for (size_t i = 0; i < l->n; i++) {
    if (l->v[i].severity < FIX_SEV_ERROR)
      continue;
    if (link_error(&l->v[i]))
      return 0;
    errors++;
  }
  return errors > 0;
}

int exposed_later(const struct fix_diag_list *before, const struct fix_diag *d) {
  if (d->compiler == FIX_CC_RUSTC) {
    int reached = rust_phase_reached(before);
    return reached && rust_phase(d) > reached;
  }
  return link_error(d) && link_hidden(before);
}

/* Kept only when the error count went down and every remaining error was already there (the
 * borrow checker's errors a crate shows once it type-checks, and the link errors a build shows
 * once it compiles, are not the edit's doing). */
int improves(const struct fix_diag_list *before, const struct fix_diag_list *after) {
  int n = 0;
  for (size_t i = 0; i < after->n; i++)
    n += after->v[i].severity >= FIX_SEV_ERROR && !exposed_later(before, &after->v[i]);
  if (n >= errors_of(before))
    return 0;
  for (size_t i = 0; i < after->n; i++) {
    if (after->v[i].severity < FIX_SEV_ERROR || exposed_later(before, &after->v[i]))
      continue;
    char *id = fix_diag_identity(&after->v[i]);
    int found = id && has_error_ident(before, id);
    free(id);
    if (!found)
      return 0;
  }
  return 1;
}

int exposed_in(const struct fix_diag_list *before, const struct fix_diag_list *after, const struct fileset *fs) {
  for (size_t i = 0; i < after->n; i++) {
    const struct fix_diag *d = &after->v[i];
    if (d->severity < FIX_SEV_ERROR || exposed_later(before, d))
      continue;
    char *id = fix_diag_identity(d);
    int old = id && has_error_ident(before, id);
    free(id);
    if (!old && (!d->pos.file || !fix_strv_contains(&fs->paths, d->pos.file)))
      return 0;
  }
  return 1;
}

/* `fs` written to the project, the build run, the files put back. */
enum fix_status trial_by_build(struct session *s, const struct fileset *fs, struct fix_diag_list *after) {
  size_t mark = fix_workspace_mark(s->ws);
  enum fix_status st = FIX_OK;
  for (size_t k = 0; k < fs->paths.n && !st; k++)
    st = fix_workspace_write(s->ws, fs->paths.v[k], fs->texts[k].data, fs->texts[k].len, &s->err);
  struct fix_build_result b;
  memset(&b, 0, sizeof b);
  if (!st)
    st = session_build(s, &b, 1);
  for (size_t i = 0; !st && i < b.diags.n; i++)
    fix_diag_list_copy_in(after, &b.diags.v[i]);
  fix_build_result_free(&b);
  struct fix_err e;
  enum fix_status rb = fix_workspace_rollback(s->ws, mark, &e);
  if (rb && !st)
    st = fix_err_set(&s->err, rb, "%s", e.msg);
  return st;
}

/* Puts `fs` in the shadow, checks the TU, and puts the shadow back (or judges by a rebuild). */
enum fix_status trial(struct session *s, const struct fix_compile_cmd *cmd, const struct fileset *fs,
                             struct fix_diag_list *after) {
  if (session_untrusted(s, cmd) && !s->o->dry_run)
    return trial_by_build(s, fs, after);
  enum fix_status st = FIX_OK;
  for (size_t k = 0; k < fs->paths.n && !st; k++)
    st = fix_shadow_put(s->shadow, fs->paths.v[k], fs->texts[k].data, fs->texts[k].len, &s->err);
  if (!st)
    st = session_check(s, cmd, after);
  for (size_t k = 0; k < fs->paths.n; k++) {
    enum fix_status ss = session_shadow_sync(s, fs->paths.v[k]);
    if (ss && !st)
      st = ss;
  }
  return st;
}

void changed_span(const char *a, size_t alen, const char *b, size_t blen, size_t *pre, size_t *suf) {
  size_t p = 0, q = 0;
  while (p < alen && p < blen && a[p] == b[p])
    p++;
  while (q < alen - p && q < blen - p && a[alen - 1 - q] == b[blen - 1 - q])
    q++;
  *pre = p;
  *suf = q;
}

void commit_target(struct session *s, const char *ident) {
  free(s->next_target);
  s->next_target = ident ? fix_strdup(ident) : NULL;
}

/* Offset x of the file's current text as an offset of its original: the regions changed so far
 * (original -> current) shift what follows them; inside one, its start. */
static size_t to_original(const struct fix_edit_list *el, const char *cur, size_t x) {
  long shift = 0; /* current - original, for what follows the regions passed */
  (void)cur;
  for (size_t i = 0; i < el->n; i++) {
    size_t ca = (size_t)((long)el->v[i].start + shift); /* the region's start in the current text */
    size_t clen = strlen(el->v[i].text);
    if (x < ca)
      break;
    if (x < ca + clen)
      return el->v[i].start;
    shift += (long)clen - (long)(el->v[i].end - el->v[i].start);
  }
  return (size_t)((long)x - shift);
}

static void push_step(struct session *s, const char *ident, const char *file, size_t a, size_t b) {
  struct step_rec *v = realloc(s->steps, (s->nsteps + 1) * sizeof *v);
  if (!v)
    return;
  s->steps = v;
  v[s->nsteps++] = (struct step_rec){ident ? fix_strdup(ident) : NULL, fix_strdup(file), a, b < a ? a : b};
}

/* [a, b) of the file's current text in the original's terms. */
static void step_range(struct session *s, const char *file, size_t *a, size_t *b) {
  const char *cur, *orig;
  size_t clen, olen;
  struct fix_edit_list el = {0};
  if (text_of(s, NULL, file, &cur, &clen) == FIX_OK && (orig = fix_workspace_original(s->ws, file, &olen)) &&
      fix_diff_regions(file, orig, olen, cur, clen, &el) == FIX_OK) {
    *a = to_original(&el, cur, *a);
    *b = to_original(&el, cur, *b);
  }
  fix_edit_list_free(&el);
}

void steps_note_edits(struct session *s, const struct fix_edit_list *edits, const char *ident) {
  for (size_t i = 0; i < edits->n; i++) {
    size_t a = edits->v[i].start, b = edits->v[i].end;
    step_range(s, edits->v[i].file, &a, &b);
    push_step(s, ident, edits->v[i].file, a, b);
  }
}

/* Records the step fs is about to make: per file, the bytes it changes, in the original's terms. */
static void note_step(struct session *s, const struct fileset *fs) {
  for (size_t k = 0; k < fs->paths.n; k++) {
    const char *cur;
    size_t clen;
    if (text_of(s, NULL, fs->paths.v[k], &cur, &clen) != FIX_OK)
      continue;
    const char *nw = fs->texts[k].data ? fs->texts[k].data : "";
    size_t nlen = fs->texts[k].len, pre, suf;
    changed_span(cur, clen, nw, nlen, &pre, &suf);
    size_t a = pre, b = clen - suf;
    step_range(s, fs->paths.v[k], &a, &b);
    push_step(s, s->next_target, fs->paths.v[k], a, b);
  }
}

enum fix_status commit(struct session *s, const struct fileset *fs, const char *kind, const char *where,
                       const char *label, const char *origin, int before, int after) {
  note_step(s, fs);
  commit_target(s, NULL);
  size_t mark = fix_workspace_mark(s->ws);
  enum fix_status st = FIX_OK;
  cJSON *o = cJSON_CreateObject();
  cJSON *files = cJSON_AddArrayToObject(o, "files");
  for (size_t k = 0; k < fs->paths.n && !st; k++) {
    const char *old;
    size_t olen;
    struct fix_buf d;
    fix_buf_init(&d, 0);
    if (text_of(s, NULL, fs->paths.v[k], &old, &olen) == FIX_OK) {
      char *rel = fix_path_relative(s->vcs.root, fs->paths.v[k]);
      fix_diff_unified(rel ? rel : fs->paths.v[k], old, olen, fs->texts[k].data, fs->texts[k].len, 0, &d);
      free(rel);
    }
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "file", fs->paths.v[k]);
    cJSON_AddStringToObject(f, "diff", d.data ? d.data : "");
    cJSON_AddItemToArray(files, f);
    if (s->o->verbose && d.data)
      say(s, "%s", d.data);
    fix_buf_free(&d);
    st = fix_workspace_write(s->ws, fs->paths.v[k], fs->texts[k].data, fs->texts[k].len, &s->err);
  }
  if (st) {
    struct fix_err rerr;
    if (fix_workspace_rollback(s->ws, mark, &rerr) != FIX_OK)
      say(s, "error: putting the files back failed too: %s", rerr.msg);
    cJSON_Delete(o);
    return st;
  }
  fix_workspace_unmark(s->ws, mark);
  for (size_t k = 0; k < fs->paths.n && !st; k++)
    st = session_shadow_sync(s, fs->paths.v[k]);
  if (st) {
    cJSON_Delete(o);
    return st;
  }
  s->st->edits++;
  say(s, "%s  %s: %s  [%s]  errors %d -> %d", kind, where, label, origin, before, after);
  cJSON_AddStringToObject(o, "kind", !strcmp(kind, "fix-it") ? "fixit" : !strcmp(kind, "repair") ? "repair" : "model");
  cJSON_AddStringToObject(o, "origin", origin);
  cJSON_AddStringToObject(o, "diagnostic", label);
  cJSON_AddStringToObject(o, "location", where);
  cJSON_AddNumberToObject(o, "errors_before", before);
  cJSON_AddNumberToObject(o, "errors_after", after);
  emit(s, "edit_applied", o);
  return FIX_OK;
}

