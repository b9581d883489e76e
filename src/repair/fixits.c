/* fixits.c — the deterministic pass: the compilers' own fix-its, verified one check at a time.
 *
 * For each translation unit with errors, fix-its are gathered from the project's compiler (its
 * -fdiagnostics-parseable-fixits output, which for gcc includes the "#include <stdio.h>" hints on
 * notes) and from clang through libclang, whatever the project compiles with: the union is what
 * lets fix beat either compiler alone. Each candidate is applied in the shadow and the TU is
 * re-checked with the project's own compiler and flags; it is kept only when the error count went
 * down and no new error identity appeared. After a kept candidate, fix-its are gathered afresh
 * (positions move, and new errors may carry new fix-its). The first round also tries every
 * non-conflicting candidate at once, which costs one check when they are all good. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ROUNDS 64

struct cand {
  struct fix_edit_list edits;
  int machine;        /* rustc says MachineApplicable */
  const char *unsafe; /* why it is unsafe (static), or NULL: safe */
  struct fix_pos at;  /* position of the diagnostic it fixes (borrowed file) */
  char *label;  /* the diagnostic it fixes */
  char *where;  /* its location, for messages */
  char *ident;  /* identity of that diagnostic */
  char *key;    /* identity of the edit set, for de-duplication and "already tried" */
  const char *origin;
  int merged;   /* merge_all took it */
};

struct cands {
  struct cand *v;
  size_t n;
};

static void cand_free(struct cand *c) {
  fix_edit_list_free(&c->edits);
  free(c->label);
  free(c->where);
  free(c->ident);
  free(c->key);
}

static void cands_free(struct cands *c) {
  for (size_t i = 0; i < c->n; i++)
    cand_free(&c->v[i]);
  free(c->v);
  c->v = NULL;
  c->n = 0;
}

/* `text` with "\n" as "\r\n" when the file's first line ends in CRLF; NULL when nothing changes. */
static char *crlf_text(const char *data, size_t len, const char *text) {
  const char *nl = memchr(data, '\n', len);
  if (!text || !nl || nl == data || nl[-1] != '\r' || !strchr(text, '\n'))
    return NULL;
  struct fix_buf b;
  fix_buf_init(&b, 0);
  for (const char *p = text; *p; p++) {
    if (*p == '\n' && (p == text || p[-1] != '\r'))
      fix_buf_append(&b, "\r", 1);
    fix_buf_append(&b, p, 1);
  }
  return fix_buf_take(&b);
}

/* Turns a diagnostic's fix-its into edits against text_of(base), classed safe or unsafe:
 *  - rustc's: safe when MachineApplicable (cargo fix's rule), else unsafe;
 *  - gcc's and clang's: unsafe when an edit lies in a conditional-compilation branch the diagnostic
 *    is not in; an #include insertion is first moved to file scope (after the last #include outside
 *    every #if block), unless the file keeps all its includes inside one;
 *  - any fix-it that is one of several alternatives the compiler offers for one diagnostic.
 * `nalt` is how many fix-it suggestions the owner diagnostic carries. */
/* A "did you mean" fix-it for a name the compiler does not know (unknown_name) that
 * replaces X itself, while a project header declares X: the header is not included, and the
 * similar name gcc offers (cmark_link for cmark_chunk) would compile to the wrong thing. */
static int undeclared_declared(struct session *s, const struct fix_diag *owner, const struct fix_edit *e,
                               const struct fileset *base) {
  char name[128];
  int got = unknown_name(owner, name, sizeof name);
  const char *data;
  size_t len;
  if (!got || text_of(s, base, e->file, &data, &len) != FIX_OK || e->end > len || e->end - e->start != strlen(name) ||
      memcmp(data + e->start, name, e->end - e->start))
    return 0;
  return session_header_declaring(s, name, e->file) != NULL;
}

static void add_cand(struct session *s, struct cands *cs, const struct fileset *base, const struct fix_diag *owner,
                     const struct fix_diag *src, const char *origin, int nalt) {
  if (!src->nfixits)
    return;
  for (size_t i = 0; i < src->nfixits; i++)
    if (src->fixits[i].applicability == FIX_APPLY_PLACEHOLDERS)
      return; /* rustc's "HasPlaceholders": text for a human to fill in, never applied */
  struct cand c = {0};
  struct fix_buf key;
  fix_buf_init(&key, 0);
  int rust = owner->compiler == FIX_CC_RUSTC;
  for (size_t i = 0; i < src->nfixits; i++) {
    const struct fix_fixit *f = &src->fixits[i];
    const char *data;
    size_t len;
    if (!f->range.begin.file || text_of(s, base, f->range.begin.file, &data, &len) != FIX_OK)
      goto reject; /* outside the project, or not a file */
    long a = fix_text_offset(data, len, f->range.begin.line, f->range.begin.col);
    long b = fix_text_offset(data, len, f->range.end.line, f->range.end.col);
    if (a < 0 || b < a)
      goto reject;
    rust |= fix_str_ends(f->range.begin.file, ".rs");
    if (!rust) {
      long at = owner->pos.file && !strcmp(owner->pos.file, f->range.begin.file)
                    ? fix_text_offset(data, len, owner->pos.line, owner->pos.col > 0 ? owner->pos.col : 1)
                    : -1;
      size_t ua = (size_t)a, ub = (size_t)b;
      const char *why = fix_fixit_place(data, len, f->text, &ua, &ub, at);
      a = (long)ua, b = (long)ub;
      if (!c.unsafe)
        c.unsafe = why;
    }
    char *crlf = crlf_text(data, len, f->text); /* a CRLF file gets CRLF lines */
    int bad = fix_edit_list_push(&c.edits, f->range.begin.file, (size_t)a, (size_t)b, crlf ? crlf : f->text) != FIX_OK;
    free(crlf);
    if (bad)
      goto reject;
    fix_buf_printf(&key, "%s:%ld-%ld:%s\n", f->range.begin.file, a, b, f->text);
  }
  c.key = fix_buf_take(&key);
  for (size_t i = 0; i < cs->n; i++)
    if (!strcmp(cs->v[i].key, c.key)) {
      cand_free(&c); /* the same edit from another compiler */
      return;
    }
  c.machine = src->fixits[0].applicability == FIX_APPLY_MACHINE;
  if (!c.unsafe)
    c.unsafe = fix_fixit_unsafe(src, rust, nalt);
  if (!c.unsafe && !rust && c.edits.n == 1 && undeclared_declared(s, owner, &c.edits.v[0], base))
    c.unsafe = "the name it replaces is declared in a project header: an #include is missing, not a spelling";
  c.at.line = owner->pos.line;
  c.at.col = owner->pos.col;
  c.label = fix_strdup(owner->message ? owner->message : "");
  c.where = short_loc(s, &owner->pos);
  c.ident = fix_diag_identity(owner);
  c.origin = origin;
  struct cand *v = realloc(cs->v, (cs->n + 1) * sizeof *v);
  if (!v || !c.label || !c.where || !c.ident) {
    cand_free(&c);
    return;
  }
  cs->v = v;
  cs->v[cs->n++] = c;
  return;
reject:
  fix_buf_free(&key);
  cand_free(&c);
}

static void collect_one(struct session *s, struct cands *cs, const struct fileset *base, const struct fix_diag *d,
                        const char *origin) {
  int nalt = fix_diag_suggestions(d);
  add_cand(s, cs, base, d, d, origin, nalt);
  for (size_t k = 0; k < d->nnotes; k++)
    add_cand(s, cs, base, d, &d->notes[k], origin, nalt);
}

static void collect(struct session *s, struct cands *cs, const struct fileset *base, const struct fix_diag_list *l,
                    const char *origin) {
  for (size_t i = 0; i < l->n; i++) {
    const struct fix_diag *d = &l->v[i];
    if (session_acts_on(s, d))
      collect_one(s, cs, base, d, origin);
  }
}

/* Unsafe fix-its are left to the model pass (where they compete with the model's candidates),
 * unless --unsafe-fixes: dropped from `cs` here, and remembered for the summary. */
static void drop_unsafe(struct session *s, struct cands *cs) {
  if (s->o->unsafe_fixes)
    return;
  size_t w = 0;
  for (size_t i = 0; i < cs->n; i++) {
    if (!cs->v[i].unsafe) {
      cs->v[w++] = cs->v[i];
      continue;
    }
    char *note = fix_asprintf("%s: %s (%s)", cs->v[i].where, cs->v[i].label, cs->v[i].unsafe);
    if (note && !fix_strv_contains(&s->unsafe_left_ids, cs->v[i].ident)) { /* one line per diagnostic */
      fix_strv_push(&s->unsafe_left, note);
      fix_strv_push(&s->unsafe_left_ids, cs->v[i].ident);
    }
    free(note);
    cand_free(&cs->v[i]);
  }
  cs->n = w;
}

size_t fixits_unsafe_sets(struct session *s, const struct fix_diag *d, struct fileset **out, const char ***why) {
  *out = NULL;
  *why = NULL;
  struct cands cs = {0};
  collect_one(s, &cs, NULL, d, "fix-it");
  size_t n = 0;
  struct fileset *sets = calloc(cs.n ? cs.n : 1, sizeof *sets);
  const char **whys = calloc(cs.n ? cs.n : 1, sizeof *whys);
  for (size_t i = 0; sets && whys && i < cs.n; i++)
    if (cs.v[i].unsafe && fileset_apply(s, NULL, &cs.v[i].edits, &sets[n]) == FIX_OK)
      whys[n++] = cs.v[i].unsafe;
  cands_free(&cs);
  if (!n) {
    free(sets);
    free(whys);
    return 0;
  }
  *out = sets;
  *why = whys;
  return n;
}

static void note_unsafe_applied(struct session *s, const struct cand *c) {
  if (!c->unsafe)
    return;
  char *note = fix_asprintf("%s: %s (%s)", c->where, c->label, c->unsafe);
  if (note && !fix_strv_contains(&s->unsafe_applied, note))
    fix_strv_push(&s->unsafe_applied, note);
  free(note);
}

/* Earlier errors first: after a syntax error the compiler's later complaints (and their fix-its)
 * are often artefacts of its recovery, while the first error is the cause. */
static int cmp_cand(const void *a, const void *b) {
  const struct cand *x = a, *y = b;
  if (x->at.line != y->at.line)
    return x->at.line < y->at.line ? -1 : 1;
  return (x->at.col > y->at.col) - (x->at.col < y->at.col);
}

static void libclang_diags(struct session *s, const struct fix_compile_cmd *cmd, struct fix_diag_list *out) {
  struct fix_strv args = {0};
  if (fix_compile_cmd_check_args(cmd, 1, &args) != FIX_OK) {
    fix_strv_free(&args);
    return;
  }
  /* every error and its fix-it: clang stops at 20 by default, and 300 missing ';' then took a check
   * each after the first 19 */
  fix_strv_push(&args, "-ferror-limit=0");
  /* in dry-run mode the session's edits exist only in memory */
  const char **paths;
  size_t n = s->o->dry_run ? fix_workspace_changed(s->ws, &paths) : 0;
  struct fix_unsaved *uv = n ? calloc(n, sizeof *uv) : NULL;
  size_t nuv = 0;
  for (size_t i = 0; uv && i < n; i++) {
    uv[nuv].path = paths[i];
    if (fix_workspace_read(s->ws, paths[i], &uv[nuv].data, &uv[nuv].len, NULL) == FIX_OK)
      nuv++; /* else libclang reads the disk, which the next check corrects */
  }
  double t0 = fix_now();
  struct fix_err e;
  if (fix_diag_from_libclang(cmd->file, (const char *const *)args.v, args.n, cmd->dir, uv, uv ? nuv : 0, out, &e))
    fix_log(FIX_LOG_DEBUG, "libclang: %s", e.msg);
  fix_diag_list_normalize(out, cmd->dir);
  s->st->check_s += fix_now() - t0;
  s->st->check_wall_s += fix_now() - t0;
  free(uv);
  fix_strv_free(&args);
}

static void rejected(struct session *s, const struct cand *c, int before, int after) {
  if (s->o->verbose)
    say(s, "rolled back fix-it  %s: %s  [%s]  errors %d -> %d", c->where, c->label, c->origin, before, after);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "kind", "fixit");
  cJSON_AddStringToObject(o, "origin", c->origin);
  cJSON_AddStringToObject(o, "diagnostic", c->label);
  cJSON_AddStringToObject(o, "location", c->where);
  cJSON_AddNumberToObject(o, "errors_before", before);
  cJSON_AddNumberToObject(o, "errors_after", after);
  emit(s, "edit_rolled_back", o);
}

/* A fix-it's edit judged like any other (veto.c): no wrong-code warning added, nothing destroyed
 * that the errors of `before` do not name. 1 when refused (said with -v). */
static int vetoed(struct session *s, const struct fileset *fs, const struct fix_diag_list *before,
                  const struct fix_diag_list *after, const char *where) {
  const struct fix_diag **about = calloc(before->n + 1, sizeof *about);
  size_t n = 0;
  for (size_t i = 0; about && i < before->n; i++)
    if (before->v[i].severity >= FIX_SEV_ERROR)
      about[n++] = &before->v[i];
  char *why = veto_check(s, fs, before, after, about, n, NULL, 0);
  free(about);
  if (why && s->o->verbose)
    say(s, "refused fix-it  %s: %s", where, why);
  free(why);
  return why != NULL;
}

/* Every candidate that does not conflict with those before it, applied together (rustc's
 * MachineApplicable ones only, when machine_only: rustfix's rule; a later overlapping one loses). */
struct span_ref {
  const char *file;
  size_t start, end, cand;
};

static int cmp_span(const void *a, const void *b) {
  const struct span_ref *x = a, *y = b;
  int c = strcmp(x->file, y->file);
  if (c)
    return c;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;
  return x->cand < y->cand ? -1 : x->cand > y->cand;
}

/* Every candidate whose edits touch another's (overlapping ranges, or two insertions at one place)
 * and comes after it: conflict[i] set. One sort, so 10,000 fix-its cost what one does (the merge
 * re-applied the growing set for each candidate before: quadratic, minutes). */
static void conflicts(const struct cands *cs, const int *eligible, unsigned char *conflict) {
  size_t n = 0;
  for (size_t i = 0; i < cs->n; i++)
    n += eligible[i] ? cs->v[i].edits.n : 0;
  struct span_ref *v = n ? malloc(n * sizeof *v) : NULL;
  if (n && !v) {
    for (size_t i = 0; i < cs->n; i++)
      conflict[i] = i > 0; /* no memory: one at a time */
    return;
  }
  size_t k = 0;
  for (size_t i = 0; i < cs->n; i++)
    for (size_t e = 0; eligible[i] && e < cs->v[i].edits.n; e++)
      v[k++] = (struct span_ref){cs->v[i].edits.v[e].file, cs->v[i].edits.v[e].start, cs->v[i].edits.v[e].end, i};
  if (n)
    qsort(v, n, sizeof *v, cmp_span);
  /* sweep: the furthest end so far, and the earliest candidate reaching it */
  for (size_t a = 0; a < n;) {
    size_t b = a + 1, reach = v[a].end, first = v[a].cand;
    while (b < n && !strcmp(v[b].file, v[a].file) &&
           (v[b].start < reach || (v[b].start == reach && v[b].start == v[b].end && reach == v[b - 1].end &&
                                   v[b - 1].start == v[b - 1].end && v[b - 1].start == v[b].start))) {
      reach = v[b].end > reach ? v[b].end : reach;
      first = v[b].cand < first ? v[b].cand : first;
      b++;
    }
    for (size_t j = a; j < b; j++) /* a cluster: all but its earliest candidate wait */
      if (v[j].cand != first)
        conflict[v[j].cand] = 1;
    a = b;
  }
  free(v);
}

static int merge_all(struct session *s, const struct fileset *base, struct cands *cs, struct fileset *out,
                     int machine_only, int min) {
  struct fix_edit_list acc = {0};
  int merged = 0;
  int *eligible = calloc(cs->n ? cs->n : 1, sizeof *eligible);
  unsigned char *conflict = calloc(cs->n ? cs->n : 1, 1);
  if (!eligible || !conflict) {
    free(eligible);
    free(conflict);
    return 0;
  }
  for (size_t i = 0; i < cs->n; i++) {
    cs->v[i].merged = 0;
    eligible[i] = !((machine_only && !cs->v[i].machine) || cs->v[i].unsafe); /* unsafe ones: one at a time */
  }
  conflicts(cs, eligible, conflict);
  for (size_t i = 0; i < cs->n; i++) {
    if (!eligible[i] || conflict[i])
      continue;
    for (size_t k = 0; k < cs->v[i].edits.n; k++)
      fix_edit_list_push(&acc, cs->v[i].edits.v[k].file, cs->v[i].edits.v[k].start, cs->v[i].edits.v[k].end,
                         cs->v[i].edits.v[k].text);
    cs->v[i].merged = 1;
    merged++;
  }
  free(eligible);
  free(conflict);
  if (merged < min || fileset_apply(s, base, &acc, out) != FIX_OK)
    merged = 0;
  fix_edit_list_free(&acc);
  return merged;
}

int fixits_complete(struct session *s, const struct fileset *fs, const struct fix_diag_list *before,
                    const struct fix_diag_list *after, struct fileset *out) {
  struct cands next = {0};
  collect(s, &next, fs, after, "fix-it");
  size_t w = 0;
  for (size_t i = 0; i < next.n; i++) {
    int exposed = !has_error_ident(before, next.v[i].ident) && !fix_strv_contains(&s->group.idents, next.v[i].ident);
    if (exposed && (!next.v[i].unsafe || s->o->unsafe_fixes))
      next.v[w++] = next.v[i];
    else
      cand_free(&next.v[i]);
  }
  next.n = w;
  int merged = next.n ? merge_all(s, fs, &next, out, 0, 1) : 0;
  cands_free(&next);
  return merged;
}

/* A candidate removed its own error but exposed others (a syntax error hid them): try it together
 * with each fix-it the new state offers. On success *fs becomes the combination. */
static int lookahead(struct session *s, const struct fix_compile_cmd *cmd, const struct fix_diag_list *before,
                     const struct fix_diag_list *after, struct fileset *fs, struct fix_diag_list *after2) {
  struct cands next = {0};
  collect(s, &next, fs, after, fix_compiler_str(fix_compile_cmd_compiler(cmd)));
  drop_unsafe(s, &next);
  int ok = 0;
  for (size_t i = 0; i < next.n && !ok; i++) {
    if (has_error_ident(before, next.v[i].ident))
      continue; /* only chase the errors this candidate exposed */
    struct fileset combo;
    if (fileset_apply(s, fs, &next.v[i].edits, &combo) != FIX_OK)
      continue;
    s->st->fixits_tried++;
    fix_diag_list_init(after2);
    if (trial(s, cmd, &combo, after2) == FIX_OK && improves(before, after2) &&
        !vetoed(s, &combo, before, after2, next.v[i].where)) {
      fileset_free(fs);
      *fs = combo;
      ok = 1;
      note_unsafe_applied(s, &next.v[i]);
    } else {
      fileset_free(&combo);
      fix_diag_list_free(after2);
    }
  }
  cands_free(&next);
  return ok;
}

static enum fix_status tu_pass(struct session *s, const char *tu, int *kept) {
  const struct fix_compile_cmd *cmd = session_cmd_for(s, tu);
  if (!cmd)
    return FIX_OK;
  struct fix_diag_list before;
  fix_diag_list_init(&before);
  enum fix_status st = session_baseline(s, cmd, &before);
  if (!st && session_untrusted(s, cmd)) {
    /* its check does not show what the build shows: the fix-its the build offered, judged by
     * rebuilding (a dry run cannot) */
    fix_diag_list_free(&before);
    if (s->o->dry_run || !s->build_diags)
      return FIX_OK;
    for (size_t i = 0; i < s->build_diags->n; i++)
      fix_diag_list_copy_in(&before, &s->build_diags->v[i]);
  }
  struct fix_strv tried = {0};
  for (int round = 0; !st && round < MAX_ROUNDS && errors_of(&before) > 0; round++) {
    if (fix_interrupted())
      return fix_err_set(&s->err, FIX_ERR_INTERRUPTED, "interrupted");
    struct cands cs = {0};
    collect(s, &cs, NULL, &before, fix_compiler_str(fix_compile_cmd_compiler(cmd)));
    if (cmd->kind == FIX_CMD_CC && !session_untrusted(s, cmd)) { /* clang's fix-its too, whatever compiles the project */
      struct fix_diag_list lc;
      fix_diag_list_init(&lc);
      libclang_diags(s, cmd, &lc);
      collect(s, &cs, NULL, &lc, "clang");
      fix_diag_list_free(&lc);
    }
    /* drop what was already tried and rejected */
    size_t w = 0;
    for (size_t i = 0; i < cs.n; i++) {
      if (fix_strv_contains(&tried, cs.v[i].key)) {
        cand_free(&cs.v[i]);
      } else {
        cs.v[w++] = cs.v[i];
      }
    }
    cs.n = w;
    size_t before_drop = cs.n;
    drop_unsafe(s, &cs);
    if (cs.n < before_drop && !fix_strv_contains(&s->unsafe_tus, cmd->file))
      fix_strv_push(&s->unsafe_tus, cmd->file); /* the model pass (or its stand-in) looks here */
    if (cs.n > 1)
      qsort(cs.v, cs.n, sizeof *cs.v, cmp_cand);
    if (!cs.n) {
      cands_free(&cs);
      break;
    }
    int progressed = 0;
    /* all of them together first, every round (a round's fix-its may expose the next round's) */
    if (cs.n > 1 || (round == 0 && cmd->kind != FIX_CMD_CC)) {
      struct fileset all;
      int merged = merge_all(s, NULL, &cs, &all, cmd->kind != FIX_CMD_CC, cmd->kind != FIX_CMD_CC ? 1 : 2);
      if (merged > (cmd->kind != FIX_CMD_CC ? 0 : 1)) {
        struct fix_diag_list after;
        fix_diag_list_init(&after);
        s->st->fixits_tried += merged;
        st = trial(s, cmd, &all, &after);
        if (!st && improves(&before, &after) && !vetoed(s, &all, &before, &after, tu)) {
          struct fix_buf where; /* every file they edit, not just the unit's */
          fix_buf_init(&where, 0);
          for (size_t k = 0; k < all.paths.n; k++) {
            char *rel = fix_path_relative(s->vcs.root, all.paths.v[k]);
            fix_buf_printf(&where, "%s%s", k ? ", " : "", rel ? rel : all.paths.v[k]);
            free(rel);
          }
          char *label = fix_asprintf("%d fix-its together", merged);
          for (size_t i = 0; i < cs.n; i++) /* each one's edits belong to its own diagnostic (SARIF) */
            if (cs.v[i].merged)
              steps_note_edits(s, &cs.v[i].edits, cs.v[i].ident);
          st = commit(s, &all, "fix-it", where.data ? where.data : tu, label ? label : "",
                      cmd->kind != FIX_CMD_CC ? "rustc" : "gcc+clang", errors_of(&before), errors_of(&after));
          fix_buf_free(&where);
          free(label);
          if (!st) {
            s->st->fixits_kept += merged;
            (*kept)++;
            fix_diag_list_free(&before);
            before = after;
            fix_diag_list_init(&after);
            progressed = 1;
          }
        }
        fix_diag_list_free(&after);
        fileset_free(&all);
      }
    }
    for (size_t i = 0; !st && !progressed && i < cs.n; i++) {
      struct cand *c = &cs.v[i];
      struct fileset fs;
      fix_strv_push(&tried, c->key);
      if (fileset_apply(s, NULL, &c->edits, &fs) != FIX_OK)
        continue;
      struct fix_diag_list after;
      fix_diag_list_init(&after);
      s->st->fixits_tried++;
      st = trial(s, cmd, &fs, &after);
      int ok = !st && improves(&before, &after);
      int extra = 0, refused = 0;
      if (ok && vetoed(s, &fs, &before, &after, c->where))
        ok = 0, refused = 1;
      if (!st && !ok && !refused && !has_error_ident(&after, c->ident) && errors_of(&after) <= errors_of(&before)) {
        struct fix_diag_list after2;
        if (lookahead(s, cmd, &before, &after, &fs, &after2)) {
          fix_diag_list_free(&after);
          after = after2;
          ok = extra = 1;
        } else if (errors_of(&after) < errors_of(&before) && exposed_in(&before, &after, &fs) &&
                   !vetoed(s, &fs, &before, &after, c->where)) {
          /* its error is gone and fewer are left; the new ones (a syntax error hid them) are in the
           * file it edited: the next round, or the model, takes them on */
          ok = 1;
        }
      }
      if (ok) {
        char *origin = c->unsafe ? fix_asprintf("%s, unsafe: %s", c->origin, c->unsafe) : NULL;
        commit_target(s, c->ident);
        st = commit(s, &fs, "fix-it", c->where, c->label, origin ? origin : c->origin, errors_of(&before),
                    errors_of(&after));
        free(origin);
        if (!st)
          note_unsafe_applied(s, c);
        if (!st) {
          s->st->fixits_kept += 1 + extra;
          (*kept)++;
          fix_diag_list_free(&before);
          before = after;
          fix_diag_list_init(&after);
          progressed = 1;
        }
      } else if (!st) {
        rejected(s, c, errors_of(&before), errors_of(&after));
      }
      fix_diag_list_free(&after);
      fileset_free(&fs);
    }
    cands_free(&cs);
    if (!progressed)
      break;
  }
  fix_strv_free(&tried);
  fix_diag_list_free(&before);
  return st;
}

enum fix_status fixits_pass(struct session *s, const struct fix_diag_list *build_diags, int *kept) {
  *kept = 0;
  fix_strv_free(&s->unsafe_tus);
  struct fix_strv tus = {0};
  for (size_t i = 0; i < build_diags->n; i++) {
    const struct fix_diag *d = &build_diags->v[i];
    const char *tu = fix_diag_tu(d);
    if (d->severity < FIX_SEV_ERROR || !tu || tu[0] != '/' || !session_acts_on(s, d))
      continue;
    char *rel = fix_path_relative(s->vcs.root, tu);
    if (rel && !fix_strv_contains(&tus, tu))
      fix_strv_push(&tus, tu);
    free(rel);
  }
  enum fix_status st = FIX_OK;
  const struct fix_compile_cmd **done = calloc(tus.n ? tus.n : 1, sizeof *done);
  size_t ndone = 0;
  for (size_t i = 0; done && i < tus.n && !st; i++) {
    const struct fix_compile_cmd *c = session_cmd_for(s, tus.v[i]);
    int seen = 0;
    for (size_t k = 0; k < ndone; k++)
      seen |= c && done[k] == c;
    if (seen)
      continue; /* Rust: one check covers every .rs file */
    if (c)
      done[ndone++] = c;
    st = tu_pass(s, tus.v[i], kept);
  }
  free(done);
  fix_strv_free(&tus);
  return st;
}
