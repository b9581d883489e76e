/* commands.c — how each file of the project is really compiled, as far as the session knows.
 *
 * Sources, best first (fix_cmd_source): what the build was seen running (interception), a
 * compile_commands.json on disk (or, for the language server, the one the last `fix` run
 * recorded), the commands the build echoed, a guess. A check stands in for the build only once it
 * has shown it reproduces it: the first check of a translation unit on files the last build saw
 * must report the errors the build reported there (same files and lines). When it does not, fix
 * says so once and judges that unit's candidates by rebuilding instead (steps.c). Plain rustc
 * crates (no cargo) are re-run with JSON diagnostics, which bring rustc's suggestions and tell
 * which files make up the crate. */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

const struct fix_compile_cmd *session_cmd_for(struct session *s, const char *tu) {
  if (fix_str_ends(tu, ".rs") && s->rust.args.n)
    return &s->rust;
  const struct fix_compile_cmd *c = fix_compdb_lookup(&s->db, tu);
  if (c)
    return c;
  if (fix_str_ends(tu, ".rs"))
    return NULL;
  struct fix_compile_cmd g;
  if (fix_compile_cmd_guess(s->vcs.root, tu, &g) != FIX_OK) {
    fix_compile_cmd_free(&g);
    return NULL;
  }
  char *rel = fix_path_relative(s->vcs.root, tu);
  say(s, "no compile command seen for %s; checking it with a guess ('%s -I<root> -c')", rel ? rel : tu, g.args.v[0]);
  free(rel);
  fix_compdb_add(&s->db, &g);
  fix_compile_cmd_free(&g);
  return fix_compdb_lookup(&s->db, tu);
}

/* Said once per process and project where the session has nobody to say it to (the language
 * server's diagnostics: a check on every open and every save). */
static pthread_mutex_t notice_mu = PTHREAD_MUTEX_INITIALIZER;
static struct fix_strv notices_said;

static void notice_once(struct session *s, const char *line) {
  if (s->sinks && s->sinks->say) {
    say(s, "%s", line);
    return;
  }
  char *key = fix_asprintf("%s\n%s", s->vcs.root, line);
  pthread_mutex_lock(&notice_mu);
  int fresh = key && !fix_strv_contains(&notices_said, key);
  if (fresh)
    fix_strv_push(&notices_said, key);
  pthread_mutex_unlock(&notice_mu);
  if (fresh)
    fix_log(FIX_LOG_WARN, "%s", line);
  free(key);
}

static char *joined(const struct fix_strv *v) {
  struct fix_buf b;
  fix_buf_init(&b, 0);
  for (size_t i = 0; i < v->n; i++) {
    if (i)
      fix_buf_puts(&b, ", ");
    fix_buf_puts(&b, v->v[i]);
  }
  return fix_buf_take(&b);
}

/* A compile database found in the tree (or named with -p / "compdb") is the repository's: until
 * the project is trusted (`fix trust`: trust.c), its entries run only a compiler installed
 * outside the project, without the flags that load or run other code (fix_compdb_sanitize). The
 * database fix recorded itself is used as recorded: the repository cannot write there, and it
 * holds only compilers the build the user ran through fix was seen running, which that build
 * could have done (and did) anyway. */
static void untrusted_compdb(struct session *s, const char *dbpath) {
  if (fix_project_trust_state(s->vcs.root) >= 0)
    return;
  struct fix_strv refused = {0}, dropped = {0};
  size_t before = s->db.n;
  if (fix_compdb_sanitize(&s->db, s->vcs.root, &refused, &dropped)) {
    size_t gone = before - s->db.n;
    char *r = joined(&refused), *d = joined(&dropped);
    char *part1 = gone ? fix_asprintf("%zu command%s not used (%s: not a compiler installed outside the project; "
                                      "%s checked with a guess)",
                                      gone, gone == 1 ? " is" : "s are", r ? r : "?",
                                      gone == 1 ? "its file is" : "their files are")
                       : NULL;
    char *part2 = dropped.n ? fix_asprintf("flags that load or run other code are left out (%s)", d ? d : "?") : NULL;
    char *line = fix_asprintf("%s is the repository's and the project is not trusted: %s%s%s; 'fix trust' uses it as "
                              "written",
                              dbpath, part1 ? part1 : "", part1 && part2 ? ", and " : "", part2 ? part2 : "");
    if (line)
      notice_once(s, line);
    free(line);
    free(part1);
    free(part2);
    free(r);
    free(d);
  }
  fix_strv_free(&refused);
  fix_strv_free(&dropped);
}

void session_load_compdb(struct session *s) {
  char *dbpath = fix_compdb_find(s->vcs.root, s->o->compdb);
  int recorded = 0;
  if (!dbpath) { /* what the last `fix` or `fix compdb` run saw the build compile */
    char *rec = fix_recorded_compdb_path(s->vcs.root);
    if (rec && fix_file_exists(rec)) {
      dbpath = rec;
      recorded = 1;
    } else {
      free(rec);
    }
  }
  if (!dbpath)
    return;
  enum fix_status st = fix_compdb_load(dbpath, &s->db, &s->err);
  if (!recorded) /* (a load that failed part way may have kept some entries) */
    untrusted_compdb(s, dbpath);
  if (st)
    say(s, "warning: %s", s->err.msg);
  else if (s->o->verbose)
    say(s, "compile commands: %s (%zu entries)", dbpath, s->db.n);
  free(dbpath);
}

void session_learn(struct session *s, const struct fix_build_result *b) {
  fix_compdb_add_records(&s->db, &b->records);
  fix_compdb_from_log(b->log.data, b->log.len, s->cwd, &s->db, NULL);
  fix_recorded_compdb_save(s->vcs.root, &b->records);
  /* cargo run by the build (make around cargo): its crates are checked with cargo (a cargo build
   * of the user's own is checked with its own flags: repair() sets that up) */
  if (fix_toolchain_detect(s->argv) == FIX_TC_CARGO)
    return;
  for (size_t i = 0; !s->rust.args.n && i < b->records.n; i++) {
    const char *m = b->records.v[i].cargo_manifest_dir;
    char *rel = m ? fix_path_relative(s->vcs.root, m) : NULL;
    if (rel) {
      const char *check[] = {"cargo", "check", "--message-format=json", NULL};
      fix_rust_check_cmd(check, m, &s->rust);
    }
    free(rel);
  }
}

/* The errors `l` reports in files of cmd's unit, as "file:line" keys; with `excusable`, only
 * those a syntax-only check cannot be expected to show: warnings made errors (-Werror=...) that
 * need the compiler's later passes (-Wreturn-type at a function's end, -Wmaybe-uninitialized). */
static void error_keys(const struct fix_compile_cmd *cmd, const struct fix_diag_list *l, int excusable,
                       struct fix_strv *out) {
  for (size_t i = 0; i < l->n; i++) {
    const struct fix_diag *d = &l->v[i];
    const char *tu = fix_diag_tu(d);
    if (d->severity < FIX_SEV_ERROR || !tu || !d->pos.file || link_error(d))
      continue; /* (a check never links: the link step's errors are the build's alone) */
    int mine = cmd->kind == FIX_CMD_CC ? !strcmp(tu, cmd->file)
                                       : !strcmp(d->pos.file, cmd->file) || fix_strv_contains(&cmd->deps, d->pos.file);
    if (!mine || (excusable && !(cmd->kind == FIX_CMD_CC && d->code && fix_str_starts(d->code, "-W"))))
      continue;
    char *k = fix_asprintf("%s:%d", d->pos.file, d->pos.line);
    if (k && !fix_strv_contains(out, k))
      fix_strv_push(out, k);
    free(k);
  }
}

/* Called with a check of cmd's unit on the files as the last build saw them. The check stands for
 * the build when every error it reports is one the build reported, and every error of the build
 * it misses is one a syntax-only check cannot show. A wrong command shows up as errors the build
 * never had (a header not found, an undefined macro) or as errors missing from the check (code
 * switched off by a -D it lacks). */
static void judge(struct session *s, const struct fix_compile_cmd *cmd, const struct fix_diag_list *check) {
  if (!s->build_diags || cmd->kind == FIX_CMD_CARGO || fix_strv_contains(&s->trust_seen, cmd->file))
    return;
  if (s->ws && fix_workspace_nwrites(s->ws) != s->build_writes)
    return; /* files changed since the build: nothing to compare with */
  fix_strv_push(&s->trust_seen, cmd->file);
  struct fix_strv want = {0}, got = {0}, excused = {0};
  error_keys(cmd, s->build_diags, 0, &want);
  error_keys(cmd, s->build_diags, 1, &excused);
  error_keys(cmd, check, 0, &got);
  size_t extra = 0, missing = 0;
  for (size_t i = 0; i < got.n; i++)
    extra += !fix_strv_contains(&want, got.v[i]);
  for (size_t i = 0; i < want.n; i++)
    missing += !fix_strv_contains(&got, want.v[i]) && !fix_strv_contains(&excused, want.v[i]);
  if (extra || missing) {
    fix_strv_push(&s->untrusted, cmd->file);
    char *rel = fix_path_relative(s->vcs.root, cmd->file);
    say(s, "the fast check of %s does not reproduce the build (%zu error line%s the build did not report, %zu it did "
           "not show)%s",
        rel ? rel : cmd->file, extra, extra == 1 ? "" : "s", missing,
        s->o->dry_run ? ": its edits cannot be judged in a dry run" : ": its edits are judged by rebuilding");
    free(rel);
  }
  fix_strv_free(&want);
  fix_strv_free(&got);
  fix_strv_free(&excused);
}

int session_untrusted(const struct session *s, const struct fix_compile_cmd *cmd) {
  return cmd && fix_strv_contains(&s->untrusted, cmd->file);
}

enum fix_status session_baseline(struct session *s, const struct fix_compile_cmd *cmd, struct fix_diag_list *out) {
  size_t before = out->n;
  enum fix_status st = session_check(s, cmd, out);
  if (!st) {
    struct fix_diag_list mine = {out->v ? out->v + before : NULL, out->n - before, out->n - before};
    judge(s, cmd, &mine);
  }
  return st;
}

/* Diagnostics of `l` in the files of crate `c`. */
static int in_crate(const struct fix_compile_cmd *c, const struct fix_diag *d) {
  return d->pos.file && (!strcmp(d->pos.file, c->file) || fix_strv_contains(&c->deps, d->pos.file));
}

enum fix_status session_rust_crates(struct session *s, struct fix_diag_list *cur) {
  for (size_t i = 0; !s->rust.args.n && i < s->db.n; i++) {
    struct fix_compile_cmd *c = s->db.v[i];
    if (c->kind != FIX_CMD_RUSTC || !c->failed || c->deps.n)
      continue;
    struct fix_diag_list j;
    fix_diag_list_init(&j);
    double t0 = fix_now();
    enum fix_status st = fix_check_tu_files(s->shadow, c, s->o->check_timeout_s, &j, &c->deps, &s->err);
    s->st->checks++;
    s->st->check_s += fix_now() - t0;
    s->st->check_wall_s += fix_now() - t0;
    if (st) {
      fix_diag_list_free(&j);
      return st;
    }
    if (!c->deps.n)
      fix_strv_push(&c->deps, c->file);
    char *rel = fix_path_relative(s->vcs.root, c->file);
    say(s, "reading crate %s again with rustc's JSON diagnostics (%zu file%s)", rel ? rel : c->file, c->deps.n,
        c->deps.n == 1 ? "" : "s");
    free(rel);
    judge(s, c, &j);
    /* the structured diagnostics replace what was read from the build's text for this crate */
    struct fix_diag_list keep;
    fix_diag_list_init(&keep);
    for (size_t k = 0; k < cur->n; k++)
      if (!in_crate(c, &cur->v[k]) || cur->v[k].compiler != FIX_CC_RUSTC)
        fix_diag_list_copy_in(&keep, &cur->v[k]);
    for (size_t k = 0; k < j.n; k++)
      fix_diag_list_copy_in(&keep, &j.v[k]);
    fix_diag_list_free(cur);
    *cur = keep;
    fix_diag_list_free(&j);
  }
  return FIX_OK;
}

enum fix_status session_unreported(struct session *s, struct fix_diag_list *cur) {
  for (size_t i = 0; i < s->db.n; i++) {
    const struct fix_compile_cmd *c = s->db.v[i];
    if (c->kind != FIX_CMD_CC || c->source != FIX_SRC_RECORDED || !c->failed)
      continue;
    char *rel = fix_path_relative(s->vcs.root, c->file);
    int reported = 0;
    for (size_t k = 0; k < cur->n && !reported; k++)
      reported = cur->v[k].severity >= FIX_SEV_ERROR && fix_diag_tu(&cur->v[k]) && !strcmp(fix_diag_tu(&cur->v[k]), c->file);
    if (rel && !reported) {
      struct fix_diag_list more;
      fix_diag_list_init(&more);
      enum fix_status st = session_baseline(s, c, &more);
      if (st) {
        free(rel);
        fix_diag_list_free(&more);
        return st;
      }
      if (fix_diag_list_count(&more, FIX_SEV_ERROR)) {
        say(s, "compiling %s failed, and its errors could not be read from the build's output (parallel compiles "
               "can garble each other's lines, and some builds hide them); compiled again: %zu error%s", rel,
            fix_diag_list_count(&more, FIX_SEV_ERROR), fix_diag_list_count(&more, FIX_SEV_ERROR) == 1 ? "" : "s");
        for (size_t k = 0; k < more.n; k++)
          fix_diag_list_copy_in(cur, &more.v[k]);
      }
      fix_diag_list_free(&more);
    }
    free(rel);
  }
  return FIX_OK;
}

void session_explain(struct session *s, const struct fix_diag_list *cur) {
  int shown = 0, total = 0;
  for (size_t i = 0; i < cur->n; i++) {
    const struct fix_diag *d = &cur->v[i];
    if (d->severity < FIX_SEV_ERROR || link_error(d))
      continue; /* the link step's errors: link.c repairs them, explain.c names what it cannot */
    const char *why = NULL;
    char *own = NULL;
    const char *f = d->pos.file;
    if (!f) {
      why = "no source location (a linker or driver error)";
    } else if (f[0] != '/' || !fix_file_exists(f)) {
      own = fix_asprintf("the file %s was not found (where did the compiler run?)", f);
    } else {
      char *rel = fix_path_relative(s->vcs.root, f);
      if (!rel)
        own = fix_asprintf("%s is outside the project", f);
      free(rel);
    }
    if (!why && !own)
      continue;
    total++;
    if (shown++ < 5) {
      char *loc = short_loc(s, &d->pos);
      say(s, "cannot act on %s: %s: %s", loc ? loc : "?", d->message ? d->message : "", why ? why : own);
      free(loc);
    }
    free(own);
  }
  if (total > shown)
    say(s, "... and %d more errors fix cannot act on", total - shown);
}
