/* document.c — the repair session for one editor buffer (the language server's "Fix with AI").
 *
 * The same loop as `fix -- BUILD`, run as a dry run: the open buffers seed the workspace's view
 * (so their unsaved text is what is checked and edited), the "build" is the check of the buffer's
 * translation unit or crate, and the result is the new text of each changed file. Nothing is
 * written to the project; the shadows are the only files touched. In a project not trusted, a .rs
 * file's check is refused (rust_untrusted): cargo would run what the crate chose. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void fix_doc_result_free(struct fix_doc_result *r) {
  if (!r)
    return;
  fix_strv_free(&r->paths);
  fix_strv_free(&r->texts);
  free(r->message);
  memset(r, 0, sizeof *r);
}

/* The session's root for an editor's file, and the file's canonical path inside it. */
static enum fix_status open_project(struct session *s, const char *dir, const char *path, char **canon) {
  *canon = NULL;
  char *d = dir ? fix_strdup(dir) : fix_path_dirname(path);
  enum fix_status st = d ? fix_vcs_open(d, &s->vcs, &s->err) : fix_err_set(&s->err, FIX_ERR_NOMEM, "out of memory");
  free(d);
  if (!st)
    st = fix_path_contain(s->vcs.root, s->vcs.root, path, canon, &s->err);
  return st;
}

/* Rust, in a project not trusted with `fix trust`: nothing runs. `cargo check` runs the crate's
 * build.rs and proc macros, and the repository's .cargo/config.toml (or rust-toolchain file) may
 * name its own rustc, rustc-wrapper or linker; a rustc command from its compile database compiles
 * the crate as the repository says. Opening a file must not run any of it (VS Code's restricted
 * mode keeps rust-analyzer off the same way), so the check of a .rs file is refused with the
 * notice, which the language server says once (publish.c) and publishes no diagnostics for.
 * Trust is the directory's, as for the compile database (commands.c): any recorded state. */
static enum fix_status rust_untrusted(struct session *s, const char *file) {
  if (!fix_str_ends(file, ".rs") || fix_project_trust_state(s->vcs.root) >= 0)
    return FIX_OK;
  return fix_err_set(&s->err, FIX_ERR_REFUSED,
                     "Rust diagnostics in %s need `fix trust` (cargo check runs its build scripts and proc macros)",
                     s->vcs.root);
}

/* Rust: `cargo check` in the directory of the nearest Cargo.toml above the file (inside the root). */
static void rust_check(struct session *s, const char *file) {
  if (!fix_str_ends(file, ".rs"))
    return;
  char *d = fix_path_dirname(file);
  while (d) {
    char *m = fix_path_join(d, "Cargo.toml");
    int found = m && fix_file_exists(m);
    free(m);
    if (found) {
      const char *check[] = {"cargo", "check", "--message-format=json", NULL};
      fix_rust_check_cmd(check, d, &s->rust);
      break;
    }
    char *rel = fix_path_relative(s->vcs.root, d);
    int at_root = !rel || !rel[0] || !strcmp(rel, ".");
    free(rel);
    if (at_root)
      break;
    char *up = fix_path_dirname(d);
    free(d);
    d = up;
  }
  free(d);
}

/* Puts the open buffers inside the root into the shadow (and, with a workspace, its view). */
static enum fix_status seed(struct session *s, const struct fix_doc *docs, size_t ndocs) {
  for (size_t i = 0; i < ndocs; i++) {
    char *p = NULL;
    struct fix_err e;
    if (fix_path_contain(s->vcs.root, s->vcs.root, docs[i].path, &p, &e) != FIX_OK) {
      free(p);
      continue; /* a buffer of another project */
    }
    const char *disk;
    size_t len;
    enum fix_status st = FIX_OK;
    if (s->ws) {
      if (fix_workspace_read(s->ws, p, &disk, &len, &e) != FIX_OK || len != docs[i].len ||
          memcmp(disk, docs[i].text, len) != 0)
        st = fix_workspace_write(s->ws, p, docs[i].text, docs[i].len, &s->err);
      if (!st)
        st = session_shadow_sync(s, p);
    } else if (fix_file_exists(p)) {
      st = fix_shadow_put(s->shadow, p, docs[i].text, docs[i].len, &s->err);
    }
    free(p);
    if (st)
      return st;
  }
  return FIX_OK;
}

static enum fix_status first_check(struct session *s, const char *file, struct fix_diag_list *out) {
  enum fix_status st = rust_untrusted(s, file);
  if (st)
    return st;
  rust_check(s, file);
  const struct fix_compile_cmd *cmd = session_cmd_for(s, file);
  if (!cmd)
    return fix_err_set(&s->err, FIX_ERR_NOT_FOUND, "no way to check %s: no compile command, and it is not C, C++ or Rust",
                       file);
  return session_check(s, cmd, out);
}

/* Errors the project's compiler gives no fix-it for (gcc's missing ';' in many places) get
 * clang's, from libclang on the same text and flags, when clang reports an error there: the editor then offers the same direct quick fix the command line applies. Only when some
 * error lacks one (libclang costs about a check). */
static void clang_fixits(struct session *s, const struct fix_compile_cmd *cmd, const struct fix_doc *docs, size_t ndocs,
                         struct fix_diag_list *out) {
  int want = 0;
  for (size_t i = 0; i < out->n && !want; i++)
    want = out->v[i].severity >= FIX_SEV_ERROR && !out->v[i].nfixits && out->v[i].compiler != FIX_CC_CLANG;
  if (!want || cmd->kind != FIX_CMD_CC || s->o->fixits == 0)
    return;
  struct fix_strv args = {0};
  struct fix_unsaved *uv = calloc(ndocs ? ndocs : 1, sizeof *uv);
  if (!uv || fix_compile_cmd_check_args(cmd, 1, &args) != FIX_OK) {
    free(uv);
    fix_strv_free(&args);
    return;
  }
  for (size_t i = 0; i < ndocs; i++)
    uv[i] = (struct fix_unsaved){docs[i].path, docs[i].text, docs[i].len};
  struct fix_diag_list lc;
  fix_diag_list_init(&lc);
  struct fix_err e;
  if (fix_diag_from_libclang(cmd->file, (const char *const *)args.v, args.n, cmd->dir, uv, ndocs, &lc, &e))
    fix_log(FIX_LOG_DEBUG, "libclang: %s", e.msg);
  fix_diag_list_normalize(&lc, cmd->dir);
  for (size_t i = 0; i < out->n; i++) {
    struct fix_diag *d = &out->v[i];
    if (d->severity < FIX_SEV_ERROR || d->nfixits || !d->pos.file)
      continue;
    for (size_t k = 0; k < lc.n; k++) {
      const struct fix_diag *c = &lc.v[k];
      /* gcc reports a missing token at the next one ("before 'return'", a line down), clang after
       * the last one: the same line, or the line before for two "expected ..." */
      int expected = c->message && d->message && !strncmp(c->message, "expected", 8) && !strncmp(d->message, "expected", 8);
      if (c->severity < FIX_SEV_ERROR || !c->nfixits || !c->pos.file || strcmp(c->pos.file, d->pos.file) ||
          !(c->pos.line == d->pos.line || (expected && c->pos.line + 1 == d->pos.line)))
        continue;
      for (size_t f = 0; f < c->nfixits; f++) {
        const struct fix_fixit *x = &c->fixits[f];
        if (fix_diag_push_fixit(d, x->range.begin.file, x->range.begin.line, x->range.begin.col, x->range.end.line,
                                x->range.end.col, x->text, strlen(x->text)) != FIX_OK)
          break;
      }
      break;
    }
  }
  fix_diag_list_free(&lc);
  free(uv);
  fix_strv_free(&args);
}

enum fix_status fix_repair_diagnose(const struct fix_options *o, const char *dir, const char *path,
                                    const struct fix_doc *docs, size_t ndocs, struct fix_diag_list *out,
                                    struct fix_err *err) {
  struct fix_options oo = *o;
  oo.dry_run = 1;
  struct fix_repair_stats st0;
  struct session s;
  memset(&s, 0, sizeof s);
  s.o = &oo;
  s.st = &st0;
  s.t0 = fix_now();
  char *file = NULL;
  enum fix_status st = open_project(&s, dir, path, &file);
  if (!st)
    st = fix_shadow_new(s.vcs.root, &s.shadow, &s.err);
  if (!st) {
    s.shadows[0] = s.shadow;
    s.nshadows = 1;
    session_load_compdb(&s);
    st = seed(&s, docs, ndocs);
  }
  if (!st)
    st = first_check(&s, file, out);
  const struct fix_compile_cmd *cmd = st ? NULL : session_cmd_for(&s, file);
  if (cmd)
    clang_fixits(&s, cmd, docs, ndocs, out);
  if (st && err)
    *err = s.err;
  free(file);
  session_close(&s);
  return st;
}

/* The text a file had when the session began: the buffer's, else the disk's. */
static int same_as_start(struct session *s, const struct fix_doc_request *req, const char *path, const char *data,
                         size_t len) {
  for (size_t i = 0; i < req->ndocs; i++) {
    char *p = NULL;
    if (fix_path_contain(s->vcs.root, s->vcs.root, req->docs[i].path, &p, NULL) == FIX_OK && !strcmp(p, path)) {
      free(p);
      return req->docs[i].len == len && !memcmp(req->docs[i].text, data, len);
    }
    free(p);
  }
  size_t olen;
  const char *orig = fix_workspace_original(s->ws, path, &olen);
  return orig && olen == len && !memcmp(orig, data, len);
}

/* An editor's copy of a message against the compiler's: the same, or the same up to the
 * punctuation an editor may normalise (quotes), at the start. */
static int same_message(const char *a, const char *b) {
  size_t n = strlen(a) < strlen(b) ? strlen(a) : strlen(b);
  if (n > 40)
    n = 40;
  for (size_t i = 0; i < n; i++) {
    unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
    if (x != y && !(x >= 0x80 || y >= 0x80 || x == '\'' || y == '\'' || x == '`' || y == '`'))
      return 0;
  }
  return 1;
}

enum fix_outcome fix_repair_document(const struct fix_options *o, const struct fix_doc_request *req,
                                     const struct fix_repair_sinks *sinks, struct fix_repair_stats *stats,
                                     struct fix_doc_result *out) {
  memset(out, 0, sizeof *out);
  memset(stats, 0, sizeof *stats);
  struct fix_options oo = *o;
  oo.dry_run = 1;
  oo.allow_dirty = 1;
  oo.allow_no_vcs = 1;
  struct session s;
  memset(&s, 0, sizeof s);
  s.o = &oo;
  s.sinks = sinks;
  s.st = stats;
  s.t0 = fix_now();
  s.borrowed_llm = req->llm ? *req->llm : NULL;
  const char *noargv[] = {NULL};
  s.argv = noargv;
  enum fix_outcome oc = FIX_OUTCOME_ERROR;
  char *file = NULL;
  struct fix_diag_list first;
  fix_diag_list_init(&first);
  enum fix_status st = open_project(&s, req->dir, req->path, &file);
  if (!st) {
    s.cwd = s.vcs.root;
    st = session_open_tools(&s);
  }
  if (!st)
    st = seed(&s, req->docs, req->ndocs);
  if (!st)
    st = first_check(&s, file, &first);
  if (st) {
    oc = st == FIX_ERR_INTERRUPTED ? FIX_OUTCOME_INTERRUPTED : FIX_OUTCOME_ERROR;
    out->message = fix_strdup(s.err.msg);
  } else if (fix_diag_list_count(&first, FIX_SEV_ERROR) == 0) {
    oc = FIX_OUTCOME_PASSED;
    out->message = fix_asprintf("%s has no errors", file);
  } else {
    stats->errors_initial = (int)fix_diag_list_count(&first, FIX_SEV_ERROR);
    s.prefer_file = fix_strdup(file);
    s.prefer_line = req->line;
    s.prefer_col = req->col;
    /* the edit is for the chosen error (the nearest to the position in the file): others stay */
    long best = -1;
    for (size_t i = 0; i < first.n; i++) {
      const struct fix_diag *d = &first.v[i];
      if (d->severity < FIX_SEV_ERROR || !d->pos.file || strcmp(d->pos.file, file) != 0)
        continue;
      int other = req->message && d->message && !same_message(req->message, d->message);
      long dist = (long)other * 100000000L + labs((long)d->pos.line - req->line) * 1000 + labs((long)d->pos.col - req->col);
      if (best < 0 || dist < best) {
        best = dist;
        free(s.scope_id);
        s.scope_id = fix_diag_identity(d);
      }
    }
    /* the files the chosen error may have edited: its own, those its notes and spans name, and
     * the buffers open in the editor; nothing else (a header the user never opened stays as it is) */
    for (size_t i = 0; s.scope_id && i < first.n; i++) {
      const struct fix_diag *d = &first.v[i];
      char *id = fix_diag_identity(d);
      int chosen = id && !strcmp(id, s.scope_id);
      free(id);
      if (!chosen || !d->pos.file)
        continue;
      fix_strv_push(&s.scope_files, d->pos.file);
      for (size_t k = 0; k < d->nnotes; k++)
        if (d->notes[k].pos.file && !fix_strv_contains(&s.scope_files, d->notes[k].pos.file))
          fix_strv_push(&s.scope_files, d->notes[k].pos.file);
      for (size_t k = 0; k < d->nspans; k++)
        if (d->spans[k].begin.file && !fix_strv_contains(&s.scope_files, d->spans[k].begin.file))
          fix_strv_push(&s.scope_files, d->spans[k].begin.file);
      break;
    }
    for (size_t i = 0; s.scope_files.n && i < req->ndocs; i++) {
      char *p = NULL;
      struct fix_err e;
      if (fix_path_contain(s.vcs.root, s.vcs.root, req->docs[i].path, &p, &e) == FIX_OK && p &&
          !fix_strv_contains(&s.scope_files, p))
        fix_strv_push(&s.scope_files, p);
      free(p);
    }
    struct fix_diag_list cur;
    fix_diag_list_init(&cur);
    for (size_t i = 0; i < first.n; i++)
      fix_diag_list_copy_in(&cur, &first.v[i]);
    oc = session_iterate(&s, &cur, &first, fix_strdup(""));
    const char **paths;
    size_t n = fix_workspace_changed(s.ws, &paths);
    for (size_t i = 0; i < n && oc != FIX_OUTCOME_INTERRUPTED && oc != FIX_OUTCOME_ERROR; i++) {
      const char *data;
      size_t len;
      if (fix_workspace_read(s.ws, paths[i], &data, &len, NULL) == FIX_OK && !same_as_start(&s, req, paths[i], data, len)) {
        fix_strv_push(&out->paths, paths[i]);
        fix_strv_push_own(&out->texts, fix_strndup(data, len));
      }
    }
    if (oc == FIX_OUTCOME_ERROR || oc == FIX_OUTCOME_INTERRUPTED)
      out->message = fix_strdup(oc == FIX_OUTCOME_INTERRUPTED ? "cancelled" : s.err.msg);
    else if (!out->paths.n)
      out->message = fix_asprintf("no edit fixes the error%s", s.llm ? "" : " (no model backend is configured)");
    else if (oc == FIX_OUTCOME_FAILED)
      out->message = fix_asprintf("%d error%s remain%s after the edit", stats->errors_final,
                                  stats->errors_final == 1 ? "" : "s", stats->errors_final == 1 ? "s" : "");
  }
  stats->total_s = fix_now() - s.t0;
  if (req->llm && s.llm && !*req->llm) { /* keep the backend for the next request */
    *req->llm = s.llm;
    s.borrowed_llm = s.llm;
  }
  fix_diag_list_free(&first);
  free(file);
  session_close(&s);
  return oc;
}
