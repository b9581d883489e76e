/* candidates.c — a model call's replies as candidate edits, and their trial: each reply parsed in
 * the session's edit format into a file set (unusable ones rejected with a reason the next prompt
 * shows), duplicates checked once, the translation units any candidate affects checked first as
 * the baseline, then every candidate in its own shadow, in parallel (MAX_SHADOWS at a time) — or
 * one after another by rebuilding when a unit's check does not reproduce the build — and scored:
 * target error gone, fewer new errors, fewer errors, a smaller edit. */
#include "internal.h"
#include "repairs.h"

#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

void candidates_free(struct candidate *cs, size_t n) {
  for (size_t i = 0; i < n; i++) {
    fileset_free(&cs[i].fs);
    free(cs[i].rejected);
    free(cs[i].repair_why);
    free(cs[i].first_new);
    free(cs[i].first_new_line);
    fix_diag_list_free(&cs[i].after);
  }
  free(cs);
}

/* The same edit twice is checked once: cs[i] is marked when an earlier candidate has it. */
static void same_as_earlier(struct candidate *cs, size_t i) {
  struct candidate *c = &cs[i];
  for (size_t k = 0; k < i; k++)
    if (!cs[k].rejected && cs[k].fs.paths.n == c->fs.paths.n) {
      int same = 1;
      for (size_t p = 0; same && p < c->fs.paths.n; p++)
        same = !strcmp(cs[k].fs.paths.v[p], c->fs.paths.v[p]) && cs[k].fs.texts[p].len == c->fs.texts[p].len &&
               !memcmp(cs[k].fs.texts[p].data, c->fs.texts[p].data, c->fs.texts[p].len);
      if (same) {
        c->rejected = fix_asprintf("same edit as candidate %d", cs[k].index);
        return;
      }
    }
}

void candidates_add_fixits(struct session *s, const struct fix_diag *target, struct candidate **cs, size_t *nc) {
  struct fileset *sets;
  const char **why;
  size_t n = fixits_unsafe_sets(s, target, &sets, &why);
  s->st->fixits_tried += (int)n;
  struct candidate *grown = n ? realloc(*cs, (*nc + n) * sizeof **cs) : NULL;
  for (size_t i = 0; i < n; i++) {
    if (!grown) {
      fileset_free(&sets[i]);
      continue;
    }
    struct candidate *c = &grown[*nc];
    memset(c, 0, sizeof *c);
    c->index = (int)*nc + 1;
    c->s = s;
    c->fixit_why = why[i];
    c->fs = sets[i];
    fix_diag_list_init(&c->after);
    same_as_earlier(grown, (*nc)++);
  }
  if (grown)
    *cs = grown;
  free(sets);
  free(why);
}

void project_files(const char *dir, const char *const *exts, struct fix_strv *out, size_t max, int depth) {
  DIR *d = opendir(dir);
  struct dirent *e;
  while (d && depth < 12 && out->n < max && (e = readdir(d))) {
    if (e->d_name[0] == '.' || !strcmp(e->d_name, "target"))
      continue;
    char *p = fix_path_join(dir, e->d_name);
    if (p && fix_dir_exists(p)) {
      project_files(p, exts, out, max, depth + 1);
    } else if (p) {
      for (size_t k = 0; exts[k]; k++)
        if (fix_str_ends(p, exts[k])) {
          fix_strv_push(out, p);
          break;
        }
    }
    free(p);
  }
  if (d)
    closedir(d);
}

void cmd_include_dirs(const struct fix_compile_cmd *cmd, struct fix_strv *out) {
  for (size_t i = 1; i < cmd->args.n; i++) {
    const char *a = cmd->args.v[i], *d = NULL;
    if ((!strcmp(a, "-I") || !strcmp(a, "-iquote") || !strcmp(a, "-isystem")) && i + 1 < cmd->args.n)
      d = cmd->args.v[++i];
    else if (!strncmp(a, "-I", 2))
      d = a + 2;
    if (d && *d) {
      char *j = fix_path_join(cmd->dir, d);
      char *n = j ? fix_path_normalize(j) : NULL;
      free(j);
      if (n)
        fix_strv_push_own(out, n);
    }
  }
}

static int repair_read(void *ud, const char *path, const char **text, size_t *len) {
  return text_of(ud, NULL, path, text, len) != FIX_OK;
}

/* NULL-terminated copy of a string vector's pointers (borrowed). */
static const char **terminated(const struct fix_strv *v) {
  const char **a = calloc(v->n + 1, sizeof *a);
  for (size_t i = 0; a && i < v->n; i++)
    a[i] = v->v[i];
  return a;
}

static void list_headers(struct session *s, int rust) {
  if (!s->headers_listed) { /* once a session, bounded: 4,000 headers (Rust: the crate's .rs files) */
    static const char *const exts[] = {".h", ".hpp", ".hh", ".hxx", NULL}, *const rs[] = {".rs", NULL};
    project_files(s->vcs.root, rust ? rs : exts, &s->headers, 4000, 0);
    s->headers_listed = 1;
  }
}

const char *session_header_declaring(struct session *s, const char *name, const char *besides) {
  list_headers(s, 0);
  for (size_t i = 0; i < s->headers.n; i++) {
    const char *text;
    size_t len;
    if ((!besides || strcmp(besides, s->headers.v[i])) && fix_lang_from_path(s->headers.v[i]) != FIX_LANG_RUST &&
        text_of(s, NULL, s->headers.v[i], &text, &len) == FIX_OK && repair_header_declares(text, len, name))
      return s->headers.v[i];
  }
  return NULL;
}

void candidates_add_repairs(struct session *s, const struct fix_diag *target, const struct fix_compile_cmd *cmd,
                            struct candidate **cs, size_t *nc) {
  const char *text;
  size_t len;
  if (!s->o->repairs || !target->pos.file || text_of(s, NULL, target->pos.file, &text, &len) != FIX_OK)
    return;
  double t0 = fix_now();
  list_headers(s, target->compiler == FIX_CC_RUSTC);
  struct fix_strv incs = {0};
  if (cmd)
    cmd_include_dirs(cmd, &incs);
  const char **hv = terminated(&s->headers), **iv = terminated(&incs);
  struct fix_strv unk = {0};
  char nm[128];
  for (size_t i = 0; s->build_diags && i < s->build_diags->n; i++)
    if (s->build_diags->v[i].severity >= FIX_SEV_ERROR && unknown_name(&s->build_diags->v[i], nm, sizeof nm) &&
        !fix_strv_contains(&unk, nm))
      fix_strv_push(&unk, nm);
  const char **uv = terminated(&unk);
  struct repair_env env = {s->vcs.root, iv, hv, repair_read, s, session_intent(s), uv};
  struct repair_list rl;
  repairs_generate(&env, target, text, len, 8, &rl);
  free(hv);
  free(iv);
  free(uv);
  fix_strv_free(&unk);
  fix_strv_free(&incs);
  struct candidate *grown = rl.n ? realloc(*cs, (*nc + rl.n) * sizeof **cs) : NULL;
  for (size_t i = 0; grown && i < rl.n; i++) {
    struct fix_edit_list el = {0};
    struct fileset fs = {0};
    if (fix_edit_list_push(&el, rl.v[i].file, rl.v[i].start, rl.v[i].end, rl.v[i].text) != FIX_OK ||
        fileset_apply(s, NULL, &el, &fs) != FIX_OK) { /* outside the project, read-only ...: not a candidate */
      fix_edit_list_free(&el);
      fileset_free(&fs);
      continue;
    }
    fix_edit_list_free(&el);
    struct candidate *c = &grown[*nc];
    memset(c, 0, sizeof *c);
    c->index = (int)*nc + 1;
    c->s = s;
    c->repair_why = rl.v[i].why;
    rl.v[i].why = NULL;
    c->rank = rl.v[i].rank;
    c->exclusive = rl.v[i].exclusive;
    c->evidence = rl.v[i].evidence;
    c->fs = fs;
    fix_diag_list_init(&c->after);
    same_as_earlier(grown, (*nc)++);
    s->st->repairs_tried++;
  }
  if (grown)
    *cs = grown;
  repair_list_free(&rl);
  s->st->repairs_s += fix_now() - t0;
  s->st->repairs_errors++;
}

size_t candidates_from_replies(struct session *s, const struct fix_strv *texts, const struct fix_strv *known,
                               struct candidate **out) {
  struct candidate *cs = calloc(texts->n ? texts->n : 1, sizeof *cs);
  size_t nc = 0;
  enum fix_edit_format fmt = FIX_FMT_SEARCH_REPLACE;
  fix_edit_format_from_str(s->o->edit_format ? s->o->edit_format : "search-replace", &fmt);
  for (size_t i = 0; cs && i < texts->n; i++) {
    struct candidate *c = &cs[nc++];
    c->index = (int)i + 1;
    c->s = s;
    fix_diag_list_init(&c->after);
    struct fix_edit_list el = {0};
    struct fix_err e;
    if (fix_reply_parse(fmt, texts->v[i], strlen(texts->v[i]), s->vcs.root, known, session_text_lookup, s, &el, &e)) {
      c->rejected = fix_strdup(e.msg);
      s->st->candidates_rejected++;
    } else if ((e.status = fileset_apply(s, NULL, &el, &c->fs)) != FIX_OK) {
      c->rejected = e.status == FIX_ERR_REFUSED ? fix_strdup(s->err.msg)
                                                : fix_strdup("the edit blocks conflict with each other");
      s->st->candidates_rejected++;
    } else {
      same_as_earlier(cs, i);
    }
    fix_edit_list_free(&el);
  }
  *out = cs;
  return nc;
}

/* The TUs a candidate must be checked on: the target's, those of edited sources, and those of the
 * compile database that include an edited header. */
static size_t affected(struct session *s, const struct fix_compile_cmd *target, const struct fileset *fs,
                       const struct fix_compile_cmd **out) {
  size_t n = 0;
  if (target)
    out[n++] = target;
  for (size_t k = 0; k < fs->paths.n && n < FIX_REPAIR_MAX_TUS; k++) {
    const char *p = fs->paths.v[k];
    if (fix_is_source_file(p) || fix_str_ends(p, ".rs")) {
      const struct fix_compile_cmd *c = session_cmd_for(s, p);
      int dup = 0;
      for (size_t i = 0; i < n; i++)
        dup |= out[i] == c;
      if (c && !dup)
        out[n++] = c;
      continue;
    }
    const char *base = strrchr(p, '/');
    base = base ? base + 1 : p;
    char *quoted = fix_asprintf("%s\"", base);
    for (size_t t = 0; quoted && t < s->db.n && n < FIX_REPAIR_MAX_TUS; t++) {
      const struct fix_compile_cmd *c = s->db.v[t];
      int dup = 0;
      for (size_t i = 0; i < n; i++)
        dup |= out[i] == c;
      const char *text;
      size_t len;
      if (dup || fix_workspace_read(s->ws, c->file, &text, &len, NULL) != FIX_OK)
        continue;
      if (memmem(text, len, quoted, strlen(quoted)))
        out[n++] = c;
    }
    free(quoted);
  }
  if (n >= FIX_REPAIR_MAX_TUS)
    say(s, "the edit may affect more than %d translation units; it is checked on the first %d", FIX_REPAIR_MAX_TUS,
        FIX_REPAIR_MAX_TUS);
  return n;
}

static void *run_candidate(void *ud) {
  struct candidate *c = ud;
  struct session *s = c->s;
  enum fix_status st = FIX_OK;
  struct fix_err err;
  fix_cancel_bind(c->cancel);
  for (size_t k = 0; k < c->fs.paths.n && !st; k++)
    st = fix_shadow_put(c->sh, c->fs.paths.v[k], c->fs.texts[k].data, c->fs.texts[k].len, &err);
  double t0 = fix_now();
  for (size_t i = 0; i < c->ncmds && !st; i++) {
    st = fix_check_tu(c->sh, c->cmds[i], s->o->check_timeout_s, &c->after, &err);
    c->checks++;
  }
  c->check_s = fix_now() - t0;
  /* put the shadow back: symlinks, or the session's own (dry-run) version of the file */
  for (size_t k = 0; k < c->fs.paths.n; k++) {
    enum fix_status rs = session_shadow_restore(s, c->sh, c->fs.paths.v[k], &err);
    if (rs && !st)
      st = rs; /* the shadow no longer mirrors the session: what checks it next would be wrong */
  }
  c->st = st;
  return NULL;
}

static enum fix_status ensure_shadows(struct session *s, int want) {
  if (want > MAX_SHADOWS)
    want = MAX_SHADOWS;
  while (s->nshadows < want) {
    struct fix_shadow *sh;
    enum fix_status st = fix_shadow_new(s->vcs.root, &sh, &s->err);
    if (st)
      return st;
    fix_shadow_set_strict(sh, 1);
    s->shadows[s->nshadows++] = sh;
    const char **paths;
    size_t n = s->o->dry_run ? fix_workspace_changed(s->ws, &paths) : 0;
    for (size_t i = 0; i < n; i++) {
      const char *data;
      size_t len;
      /* a dry run's edits live only in the session: a shadow without them would check the disk */
      st = fix_workspace_read(s->ws, paths[i], &data, &len, &s->err);
      if (!st)
        st = fix_shadow_put(sh, paths[i], data, len, &s->err);
      if (st)
        return st;
    }
  }
  return FIX_OK;
}

/* The name an "unknown name" diagnostic is about ('X' undeclared, use of undeclared identifier 'X',
 * unknown type name 'X', implicit declaration of function 'X', 'X' was not declared in this scope),
 * into buf: UNKNOWN_IMPLICIT for C's implicit declaration, UNKNOWN_NAME for the others, 0 for any
 * other diagnostic. The parsers have made every quote ASCII. */
int unknown_name(const struct fix_diag *d, char *buf, size_t cap) {
  static const char *const marks[] = {"implicit declaration of function '", "' undeclared", "use of undeclared identifier '",
                                      "unknown type name '", "' was not declared in this scope", NULL};
  const char *m = d->message;
  for (size_t i = 0; m && marks[i]; i++) {
    const char *q = strstr(m, marks[i]);
    if (!q)
      continue;
    const char *a = marks[i][0] == '\'' ? NULL : q + strlen(marks[i]);
    if (!a) { /* the name ends where the mark starts */
      const char *open = q;
      while (open > m && open[-1] != '\'')
        open--;
      if (open == m)
        return 0;
      a = open;
    }
    size_t k = strcspn(a, "'");
    if (!k || k >= cap || !a[k])
      return 0;
    memcpy(buf, a, k);
    buf[k] = '\0';
    return i == 0 ? UNKNOWN_IMPLICIT : UNKNOWN_NAME;
  }
  return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The names l's errors report unknown, sorted, one entry per report. */
static void unknown_names(const struct fix_diag_list *l, struct fix_strv *out) {
  char b[128];
  for (size_t i = 0; i < l->n; i++)
    if (l->v[i].severity >= FIX_SEV_ERROR && unknown_name(&l->v[i], b, sizeof b))
      fix_strv_push(out, b);
  if (out->n > 1)
    qsort(out->v, out->n, sizeof *out->v, cmp_str);
}

/* Whether some name is reported unknown more often in `after` than in `before`: an edit that put in
 * another unknown name (ts_decode_utf16 for ts_decode_utf8, both undeclared while their header is
 * not included), though its report's identity (no line) is an old one's. Sorted runs: linear after
 * the sort, for a build with thousands of such reports. */
static int unknown_grew(const struct fix_diag_list *before, const struct fix_diag_list *after) {
  struct fix_strv a = {0}, b = {0};
  unknown_names(after, &a);
  int grew = 0;
  if (a.n) {
    unknown_names(before, &b);
    size_t j = 0;
    for (size_t i = 0; i < a.n && !grew;) {
      size_t ri = i;
      while (ri < a.n && !strcmp(a.v[ri], a.v[i]))
        ri++;
      while (j < b.n && strcmp(b.v[j], a.v[i]) < 0)
        j++;
      size_t rj = j;
      while (rj < b.n && !strcmp(b.v[rj], a.v[i]))
        rj++;
      grew = ri - i > rj - j;
      i = ri;
      j = rj;
    }
  }
  fix_strv_free(&a);
  fix_strv_free(&b);
  return grew;
}

/* Error count and identities of `l` not in `known` and not in the group. */
static void score(struct session *s, struct candidate *c, const struct fix_diag_list *before, const char *target_id,
                  const struct fix_diag *target) {
  c->errors = errors_of(&c->after);
  c->target_gone = !has_error_ident(&c->after, target_id);
  c->new_errors = 0;
  c->new_elsewhere = 0;
  free(c->first_new);
  free(c->first_new_line);
  c->first_new = c->first_new_line = NULL;
  c->exposed = 0;
  for (size_t i = 0; i < c->after.n; i++) {
    if (c->after.v[i].severity < FIX_SEV_ERROR)
      continue;
    if (exposed_later(before, &c->after.v[i])) { /* the crate type-checks now: not new, not counted */
      c->exposed++;
      c->errors--;
      continue;
    }
    char *id = fix_diag_identity(&c->after.v[i]);
    if (id && !has_error_ident(before, id) && !fix_strv_contains(&s->group.idents, id)) {
      c->new_errors++;
      if (!c->after.v[i].pos.file || !fix_strv_contains(&c->fs.paths, c->after.v[i].pos.file))
        c->new_elsewhere++;
      if (!c->first_new) {
        const struct fix_diag *d = &c->after.v[i];
        struct fix_buf b;
        fix_buf_init(&b, 0);
        render_diag(s, d, &b);
        c->first_new = fix_buf_take(&b);
        char *loc = short_loc(s, &d->pos);
        c->first_new_line = fix_asprintf("%s: %s%s%s%s", loc ? loc : "?", d->message ? d->message : "",
                                         d->code ? " [" : "", d->code ? d->code : "", d->code ? "]" : "");
        free(loc);
      }
    }
    free(id);
  }
  /* an unknown name reported more often than before is a new error */
  if (unknown_grew(before, &c->after))
    c->new_errors++;
  /* what compiling does not show (veto.c): only for an edit that removed its error (the others
   * are not kept anyway, and their feedback is that the error remains) */
  c->new_warnings = 0;
  if (c->target_gone && !c->rejected) {
    const struct fix_diag *about[1] = {target};
    c->rejected = veto_check(s, &c->fs, before, &c->after, about, target ? 1 : 0, &c->new_warnings, c->exclusive);
  }
  c->size = 0;
  for (size_t k = 0; k < c->fs.paths.n; k++) {
    const char *old;
    size_t olen;
    if (text_of(s, NULL, c->fs.paths.v[k], &old, &olen) == FIX_OK)
      c->size += olen > c->fs.texts[k].len ? olen - c->fs.texts[k].len : c->fs.texts[k].len - olen;
    c->size += 1;
  }
}

/* better(a, b): target gone, then fewer new errors, then fewer errors, then a smaller edit; an
 * unsafe compiler fix-it must beat the model's candidates outright (a tie goes to the model's) */
static int better(const struct candidate *a, const struct candidate *b) {
  int same = a->target_gone == b->target_gone && a->new_errors == b->new_errors && a->errors == b->errors &&
             !a->new_warnings == !b->new_warnings;
  if (same && a->repair_why && b->repair_why)
    return a->rank < b->rank; /* among repairs, the better ranked */
  if (same && !a->repair_why != !b->repair_why)
    return !a->repair_why; /* a compiler's fix-it or the model's edit before a guess of fix's */
  if (!a->fixit_why != !b->fixit_why && same)
    return !a->fixit_why;
  if (a->target_gone != b->target_gone)
    return a->target_gone > b->target_gone;
  if (!a->new_warnings != !b->new_warnings) /* a new warning ranks below every edit without one */
    return !a->new_warnings;
  if (a->new_errors != b->new_errors)
    return a->new_errors < b->new_errors;
  if (a->errors != b->errors)
    return a->errors < b->errors;
  return a->size < b->size;
}



enum fix_status candidates_prepare(struct session *s, const struct fix_compile_cmd *cmd, const struct fix_diag *target,
                                   struct candidate *cs, size_t nc, const struct fix_compile_cmd **tus, size_t *ntus,
                                   struct fix_diag_list *before, int *by_build) {
  *ntus = 0;
  *by_build = 0;
  size_t nvalid = 0;
  for (size_t i = 0; i < nc; i++)
    nvalid += !cs[i].rejected;
  if (!nvalid)
    return FIX_OK;
  enum fix_status st = FIX_OK;
  struct fileset all = {0};
  for (size_t i = 0; i < nc; i++) /* the union of edited files decides the TU set */
    for (size_t k = 0; !cs[i].rejected && k < cs[i].fs.paths.n; k++)
      if (!fix_strv_contains(&all.paths, cs[i].fs.paths.v[k]))
        fix_strv_push(&all.paths, cs[i].fs.paths.v[k]);
  *ntus = affected(s, cmd, &all, tus);
  fix_strv_free(&all.paths);
  for (size_t t = 0; t < *ntus && !st; t++)
    st = session_baseline(s, tus[t], before);
  for (size_t t = 0; t < *ntus && !st; t++)
    *by_build |= session_untrusted(s, tus[t]);
  if (target && link_error(target))
    *by_build = 1; /* no check links: only the build shows the link step */
  if (!st && *by_build && s->build_diags) { /* judged against the whole build, by rebuilding */
    fix_diag_list_free(before);
    for (size_t i = 0; i < s->build_diags->n; i++)
      fix_diag_list_copy_in(before, &s->build_diags->v[i]);
  }
  for (size_t i = 0; *by_build && s->o->dry_run && i < nc; i++)
    if (!cs[i].rejected)
      cs[i].rejected = fix_strdup("its translation unit's check does not reproduce the build, and a dry run cannot rebuild");
  for (size_t i = 0; i < nc; i++) {
    cs[i].cmds = tus;
    cs[i].ncmds = *ntus;
  }
  if (!st && !*by_build)
    st = ensure_shadows(s, (int)nvalid);
  return st;
}

/* Checks the valid candidates of cs and scores them against `before`: in parallel, one shadow
 * per running candidate; or one after another by rebuilding (by_build). */
enum fix_status candidates_evaluate(struct session *s, struct candidate *cs, size_t nc, const struct fix_diag_list *before,
                                const char *target_id, const struct fix_diag *target, int by_build) {
  enum fix_status st = FIX_OK;
  for (size_t i = 0; !st && i < nc;) {
    double batch_t0 = fix_now(), build_s0 = s->st->build_s; /* a rebuild's time counts as the build's */
    pthread_t th[MAX_SHADOWS];
    struct candidate *run[MAX_SHADOWS];
    int nr = 0;
    for (; i < nc && nr < (by_build ? 1 : s->nshadows); i++) {
      if (cs[i].rejected)
        continue;
      run[nr] = &cs[i];
      if (by_build) {
        double t0 = fix_now();
        cs[i].st = trial_by_build(s, &cs[i].fs, &cs[i].after);
        cs[i].check_s = fix_now() - t0;
        th[nr++] = 0;
        continue;
      }
      cs[i].sh = s->shadows[nr];
      cs[i].cancel = fix_cancel_bound();
      if (pthread_create(&th[nr], NULL, run_candidate, &cs[i]) != 0)
        run_candidate(&cs[i]), th[nr] = 0;
      nr++;
    }
    for (int k = 0; k < nr; k++) {
      if (th[k])
        pthread_join(th[k], NULL);
      s->st->checks += run[k]->checks;
      s->st->check_s += run[k]->check_s;
      s->st->candidates += !run[k]->fixit_why && !run[k]->repair_why; /* the model's; fix-its and repairs count apart */
      if (run[k]->st == FIX_ERR_INTERRUPTED)
        st = fix_err_set(&s->err, FIX_ERR_INTERRUPTED, "interrupted");
      else if (run[k]->st && !run[k]->rejected)
        run[k]->rejected = fix_asprintf("the edit could not be checked (%s)", fix_status_str(run[k]->st));
      if (!run[k]->rejected)
        score(s, run[k], before, target_id, target);
    }
    double waited = fix_now() - batch_t0 - (s->st->build_s - build_s0);
    s->st->check_wall_s += waited > 0 ? waited : 0;
  }
  return st;
}

struct candidate *candidates_best(struct candidate *cs, size_t nc) {
  struct candidate *best = NULL;
  for (size_t i = 0; i < nc; i++)
    if (!cs[i].rejected && (!best || better(&cs[i], best)))
      best = &cs[i];
  return best;
}

enum fix_status candidates_complete(struct session *s, struct candidate *cs, size_t nc,
                                    const struct fix_diag_list *before, const char *target_id,
                                    const struct fix_diag *target, int by_build) {
  enum fix_status st = FIX_OK;
  for (size_t i = 0; i < nc && !st; i++) {
    struct candidate *c = &cs[i];
    for (int round = 0; round < 3 && !st && !c->rejected && c->target_gone && c->new_errors + c->exposed > 0; round++) {
      struct fileset more;
      int n = fixits_complete(s, &c->fs, before, &c->after, &more);
      if (!n)
        break;
      struct candidate t = {0};
      t.fs = more;
      fix_diag_list_init(&t.after);
      if (by_build) { /* like candidates_evaluate: one rebuild judges the whole build */
        st = trial_by_build(s, &t.fs, &t.after);
      } else {
        for (size_t k = 0; k < c->ncmds && !st; k++)
          st = trial(s, c->cmds[k], &t.fs, &t.after); /* checks counted by session_check */
      }
      s->st->fixits_tried += n;
      if (!st)
        score(s, &t, before, target_id, target);
      if (!st && !t.rejected && t.target_gone && t.new_errors <= c->new_errors && t.new_errors + t.exposed < c->new_errors + c->exposed &&
          t.errors + t.exposed < c->errors + c->exposed) {
        fileset_free(&c->fs);
        fix_diag_list_free(&c->after);
        free(c->first_new);
        free(c->first_new_line);
        c->fs = t.fs;
        c->after = t.after;
        c->errors = t.errors;
        c->new_errors = t.new_errors;
        c->new_elsewhere = t.new_elsewhere;
        c->exposed = t.exposed;
        c->first_new = t.first_new;
        c->first_new_line = t.first_new_line;
        c->size = t.size;
        c->new_warnings = t.new_warnings;
        c->completed += n;
      } else {
        fileset_free(&t.fs);
        fix_diag_list_free(&t.after);
        free(t.first_new);
        free(t.first_new_line);
        free(t.rejected);
        break;
      }
    }
  }
  return st;
}
