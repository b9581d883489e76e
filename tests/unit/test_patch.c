/* test_patch.c — edits, unified diffs, the workspace (journal, marks, rollback, dry-run, dirty and
 * outside-root refusals), `fix undo`, and git state. */
#include "check.h"
#include "fix/patch.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *tmp;

static char *path(const char *rel) { return fix_path_join(tmp, rel); }

static void put(const char *rel, const char *text) {
  char *p = path(rel);
  CHECK(fix_file_write_atomic(p, text, strlen(text), NULL) == FIX_OK);
  free(p);
}

static char *slurp(const char *rel) {
  char *p = path(rel);
  struct fix_buf b;
  char *r = fix_file_read(p, 1 << 20, &b, NULL) == FIX_OK ? fix_buf_take(&b) : NULL;
  free(p);
  return r;
}

static void test_edits(void) {
  const char *t = "int main() { return x }\n";
  struct fix_edit e[] = {
      {"f", 21, 21, ";"},       /* insertion */
      {"f", 20, 21, "0"},       /* replacement, given out of order */
      {"f", 21, 21, ";"},       /* exact duplicate: applied once */
  };
  struct fix_buf out;
  CHECK(fix_edits_apply_text(t, strlen(t), e, 3, &out, NULL) == FIX_OK);
  CHECK_EQ_STR(out.data, "int main() { return 0; }\n");
  fix_buf_free(&out);
  struct fix_edit overlap[] = {{"f", 4, 8, "x"}, {"f", 6, 9, "y"}};
  struct fix_err err;
  CHECK(fix_edits_apply_text(t, strlen(t), overlap, 2, &out, &err) == FIX_ERR_CONFLICT);
  CHECK(strstr(err.msg, "overlapping") != NULL);
  struct fix_edit same_range[] = {{"f", 4, 8, "x"}, {"f", 4, 8, "y"}};
  CHECK(fix_edits_apply_text(t, strlen(t), same_range, 2, &out, &err) == FIX_ERR_CONFLICT);
  struct fix_edit past[] = {{"f", 4, 999, "x"}};
  CHECK(fix_edits_apply_text(t, strlen(t), past, 1, &out, &err) == FIX_ERR_CONFLICT);
}

static void test_diff(void) {
  const char *a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
  const char *b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n11\n12\nthirteen";
  struct fix_buf out;
  fix_buf_init(&out, 0);
  CHECK(fix_diff_unified("x.c", a, strlen(a), b, strlen(b), 0, &out) == FIX_OK);
  CHECK_EQ_STR(out.data, "--- a/x.c\n+++ b/x.c\n"
                         "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
                         "@@ -10,3 +10,4 @@\n 10\n 11\n 12\n+thirteen\n\\ No newline at end of file\n");
  fix_buf_clear(&out);
  CHECK(fix_diff_unified("x.c", a, strlen(a), a, strlen(a), 0, &out) == FIX_OK);
  CHECK(out.len == 0);
  CHECK(fix_diff_unified("x.c", "", 0, "new\n", 4, 1, &out) == FIX_OK);
  CHECK(strstr(out.data, "@@ -0,0 +1,1 @@") && strstr(out.data, "\033[32m+new"));
  fix_buf_free(&out);
}

static void test_workspace(void) {
  put("a.c", "alpha\n");
  put("b.c", "beta\n");
  put("dirty.c", "mine\n");
  struct fix_vcs vcs = {0};
  vcs.root = fix_strdup(tmp);
  fix_strv_push_own(&vcs.dirty, path("dirty.c"));
  char *jdir = path("journal");
  struct fix_workspace_opts o = {&vcs, jdir, 0, 0, 0};
  struct fix_workspace *ws;
  struct fix_err err;
  CHECK(fix_workspace_new(&o, &ws, &err) == FIX_OK);
  char *a = path("a.c"), *b = path("b.c"), *c = path("new/c.c");
  CHECK(fix_workspace_write(ws, a, "ALPHA\n", 6, &err) == FIX_OK);
  char *s = slurp("a.c");
  CHECK_EQ_STR(s, "ALPHA\n");
  free(s);
  s = slurp("journal/s-000001/orig/0");
  CHECK_EQ_STR(s, "alpha\n"); /* the original is in the journal */
  free(s);
  size_t m = fix_workspace_mark(ws);
  CHECK(fix_workspace_write(ws, b, "BETA\n", 5, &err) == FIX_OK);
  CHECK(fix_workspace_write(ws, a, "ALPHA2\n", 7, &err) == FIX_OK);
  CHECK(fix_workspace_rollback(ws, m, &err) == FIX_OK);
  s = slurp("a.c");
  CHECK_EQ_STR(s, "ALPHA\n");
  free(s);
  s = slurp("b.c");
  CHECK_EQ_STR(s, "beta\n");
  free(s);
  /* refusals: uncommitted changes, outside the root */
  char *d = path("dirty.c");
  CHECK(fix_workspace_write(ws, d, "x", 1, &err) == FIX_ERR_DIRTY);
  CHECK(strstr(err.msg, "--allow-dirty") != NULL);
  free(d);
  CHECK(fix_workspace_write(ws, "/etc/passwd", "x", 1, &err) == FIX_ERR_OUTSIDE_ROOT);
  CHECK(fix_workspace_write(ws, "../escape.c", "x", 1, &err) == FIX_ERR_OUTSIDE_ROOT);
  /* multi-file edit lists are all-or-nothing */
  struct fix_edit_list el = {0};
  fix_edit_list_push(&el, b, 0, 1, "B");
  fix_edit_list_push(&el, a, 0, 999, "boom"); /* out of range */
  CHECK(fix_workspace_apply(ws, &el, &err) == FIX_ERR_CONFLICT);
  s = slurp("b.c");
  CHECK_EQ_STR(s, "beta\n");
  free(s);
  fix_edit_list_free(&el);
  /* a new file, then diff and restore_all */
  char *cdir = fix_path_dirname(c);
  CHECK(fix_mkdirs(cdir, NULL) == FIX_OK);
  free(cdir);
  CHECK(fix_workspace_write(ws, c, "new\n", 4, &err) == FIX_OK);
  const char **changed;
  CHECK_EQ_INT(fix_workspace_changed(ws, &changed), 2);
  struct fix_buf diff;
  fix_buf_init(&diff, 0);
  CHECK(fix_workspace_diff(ws, 0, &diff) == FIX_OK);
  CHECK(strstr(diff.data, "-alpha\n+ALPHA\n") && strstr(diff.data, "+++ b/new/c.c"));
  fix_buf_free(&diff);
  CHECK(fix_workspace_restore_all(ws, &err) == FIX_OK);
  s = slurp("a.c");
  CHECK_EQ_STR(s, "alpha\n");
  free(s);
  CHECK(!fix_file_exists(c));
  fix_workspace_free(ws);
  free(a);
  free(b);
  free(c);
  free(jdir);
  fix_vcs_free(&vcs);
}

static void test_undo(void) {
  put("u.c", "original\n");
  struct fix_vcs vcs = {0};
  vcs.root = fix_strdup(tmp);
  char *jdir = path("journal2");
  struct fix_workspace_opts o = {&vcs, jdir, 0, 0, 0};
  struct fix_workspace *ws;
  struct fix_err err;
  char *u = path("u.c");
  CHECK(fix_workspace_new(&o, &ws, &err) == FIX_OK);
  CHECK(fix_workspace_write(ws, u, "fixed\n", 6, &err) == FIX_OK);
  CHECK(fix_workspace_write(ws, u, "fixed twice\n", 12, &err) == FIX_OK);
  fix_workspace_free(ws); /* the session ends; the files stay fixed */
  /* the user edits the file afterwards: undo refuses, then --force */
  put("u.c", "user edit\n");
  size_t n = 0;
  CHECK(fix_journal_undo(jdir, 0, &n, &err) == FIX_ERR_CONFLICT);
  char *s = slurp("u.c");
  CHECK_EQ_STR(s, "user edit\n");
  free(s);
  CHECK(fix_journal_undo(jdir, 1, &n, &err) == FIX_OK);
  CHECK_EQ_INT(n, 1);
  s = slurp("u.c");
  CHECK_EQ_STR(s, "original\n");
  free(s);
  CHECK(fix_journal_undo(jdir, 0, &n, &err) == FIX_ERR_NOT_FOUND); /* already undone */
  /* a damaged journal is an error, not a crash */
  char *jj = fix_path_join(jdir, "s-000001/journal.json");
  CHECK(fix_file_write_atomic(jj, "{\"root\": 1", 10, NULL) == FIX_OK);
  CHECK(fix_journal_undo(jdir, 0, &n, &err) == FIX_ERR_PARSE);
  free(jj);
  char *none = path("no-journal");
  CHECK(fix_journal_undo(none, 0, &n, &err) == FIX_ERR_NOT_FOUND);
  free(none);
  free(u);
  free(jdir);
  fix_vcs_free(&vcs);
}

static void test_dry_run(void) {
  put("d.c", "keep\n");
  struct fix_vcs vcs = {0};
  vcs.root = fix_strdup(tmp);
  char *jdir = path("journal3");
  struct fix_workspace_opts o = {&vcs, jdir, 1, 0, 0};
  struct fix_workspace *ws;
  char *d = path("d.c");
  CHECK(fix_workspace_new(&o, &ws, NULL) == FIX_OK);
  CHECK(fix_workspace_write(ws, d, "changed\n", 8, NULL) == FIX_OK);
  const char *data;
  size_t len;
  CHECK(fix_workspace_read(ws, d, &data, &len, NULL) == FIX_OK && len == 8);
  char *s = slurp("d.c");
  CHECK_EQ_STR(s, "keep\n");
  free(s);
  CHECK(!fix_dir_exists(jdir)); /* no journal either */
  fix_workspace_free(ws);
  free(d);
  free(jdir);
  fix_vcs_free(&vcs);
}

static void test_vcs(void) {
  char *repo = path("repo");
  CHECK(fix_mkdirs(repo, NULL) == FIX_OK);
  char *cmd = fix_asprintf("cd '%s' && git init -q . && echo a > clean.c && echo b > dirty.c && git add . && "
                           "git -c user.email=t@t -c user.name=t commit -qm i && echo changed > dirty.c && "
                           "echo u > untracked.c && mkdir -p sub",
                           repo);
  if (system(cmd) != 0) {
    fprintf(stderr, "git unavailable: skipping vcs checks\n");
  } else {
    struct fix_vcs v;
    char *sub = path("repo/sub");
    CHECK(fix_vcs_open(sub, &v, NULL) == FIX_OK);
    CHECK(v.is_git);
    CHECK_EQ_STR(v.root, repo);
    char *dc = path("repo/dirty.c"), *cc = path("repo/clean.c"), *uc = path("repo/untracked.c");
    CHECK(fix_vcs_is_dirty(&v, dc));
    CHECK(fix_vcs_is_dirty(&v, uc));
    CHECK(!fix_vcs_is_dirty(&v, cc));
    fix_vcs_free(&v);
    free(dc);
    free(cc);
    free(uc);
    free(sub);
  }
  free(cmd);
  struct fix_vcs v;
  char *plain = path("plain");
  CHECK(fix_mkdirs(plain, NULL) == FIX_OK);
  CHECK(fix_vcs_open(plain, &v, NULL) == FIX_OK);
  CHECK(!v.is_git);
  CHECK_EQ_STR(v.root, plain);
  fix_vcs_free(&v);
  free(plain);
  free(repo);
}


/* The undo history: sessions step back one at a time, list themselves, --all goes back to before
 * the oldest; past 20 sessions the oldest is folded into the next and the user's text survives;
 * one session at a time per project. */
static int one_session(struct fix_vcs *vcs, const char *jdir, const char *file, const char *text) {
  struct fix_workspace_opts o = {vcs, jdir, 0, 1, 0};
  struct fix_workspace *ws;
  struct fix_err err;
  if (fix_workspace_new(&o, &ws, &err) != FIX_OK)
    return -1;
  int rc = fix_workspace_write(ws, file, text, strlen(text), &err) == FIX_OK ? 0 : -1;
  fix_workspace_free(ws);
  return rc;
}

static void test_history(void) {
  put("h.c", "the user's text\n");
  put("k.c", "k original\n");
  struct fix_vcs vcs = {0};
  vcs.root = fix_strdup(tmp);
  char *jdir = path("journal-h"), *h = path("h.c"), *k = path("k.c");
  struct fix_err err;
  size_t n = 0;
  CHECK(one_session(&vcs, jdir, h, "fix 1\n") == 0);
  CHECK(one_session(&vcs, jdir, k, "k fix 2\n") == 0);
  CHECK(one_session(&vcs, jdir, h, "fix 3\n") == 0);
  struct fix_journal_session *v;
  CHECK(fix_journal_list(jdir, &v, &n, &err) == FIX_OK);
  CHECK(n == 3 && v[0].seq == 1 && v[2].seq == 3 && v[2].writes == 1 && v[1].files.n == 1 &&
        !strcmp(v[1].files.v[0], k) && !strcmp(v[2].state, "done") && v[2].started > 1e9);
  fix_journal_list_free(v, n);
  /* one step back at a time */
  CHECK(fix_journal_undo(jdir, 0, &n, &err) == FIX_OK && n == 1);
  char *s = slurp("h.c");
  CHECK_EQ_STR(s, "fix 1\n");
  free(s);
  CHECK(fix_journal_undo(jdir, 0, &n, &err) == FIX_OK);
  s = slurp("k.c");
  CHECK_EQ_STR(s, "k original\n");
  free(s);
  CHECK(fix_journal_undo(jdir, 0, &n, &err) == FIX_OK);
  s = slurp("h.c");
  CHECK_EQ_STR(s, "the user's text\n");
  free(s);
  CHECK(fix_journal_undo(jdir, 0, &n, &err) == FIX_ERR_NOT_FOUND && strstr(err.msg, "nothing left to undo"));
  /* a new session drops the undone ones; 25 more sessions keep 20, and undoing them all returns the
   * user's text from before the first (folded, not lost) */
  put("h.c", "the user's second text\n");
  for (int i = 0; i < 25; i++) {
    char t[32];
    snprintf(t, sizeof t, "fix %d\n", 10 + i);
    CHECK(one_session(&vcs, jdir, h, t) == 0);
  }
  CHECK(fix_journal_list(jdir, &v, &n, &err) == FIX_OK);
  CHECK(n == 20 && v[0].seq == 9 && v[19].seq == 28); /* numbers go on rising: 4 to 28 ran */
  fix_journal_list_free(v, n);
  int steps = 0;
  while (fix_journal_undo(jdir, 0, &n, &err) == FIX_OK)
    steps++;
  CHECK_EQ_INT(steps, 20);
  s = slurp("h.c");
  CHECK_EQ_STR(s, "the user's second text\n");
  free(s);
  /* the lock: a second holder is refused, naming the first; free again once released */
  int fd1 = -1, fd2 = -1;
  CHECK(fix_journal_lock(jdir, 0, NULL, NULL, &fd1, &err) == FIX_OK && fd1 >= 0);
  pid_t child = fork();
  if (child == 0) { /* flock is per open file: another process sees it held */
    struct fix_err e;
    int fd;
    _exit(fix_journal_lock(jdir, 0, NULL, NULL, &fd, &e) == FIX_ERR_CONFLICT && strstr(e.msg, "pid") ? 0 : 1);
  }
  int wst = 0;
  CHECK(child > 0 && waitpid(child, &wst, 0) == child && WIFEXITED(wst) && WEXITSTATUS(wst) == 0);
  fix_journal_unlock(fd1);
  CHECK(fix_journal_lock(jdir, 0, NULL, NULL, &fd2, &err) == FIX_OK);
  fix_journal_unlock(fd2);
  free(jdir), free(h), free(k);
  fix_vcs_free(&vcs);
}

/* An executable bit alone does not stop an edit (tarballs give every source one); a script does. */
static void test_policy_executable(void) {
  char *dir = path("pol"), *a = path("pol/plain.cpp"), *b = path("pol/script.c");
  CHECK(fix_mkdirs(dir, NULL) == FIX_OK);
  CHECK(fix_file_write_atomic(a, "int f(void) { return 1; }\n", 26, NULL) == FIX_OK);
  CHECK(fix_file_write_atomic(b, "#!/usr/bin/tcc -run\nint main(void) { return 0; }\n", 48, NULL) == FIX_OK);
  CHECK(chmod(a, 0755) == 0 && chmod(b, 0755) == 0);
  struct fix_err err;
  CHECK(fix_edit_policy(dir, a, &err) == FIX_OK);
  CHECK(fix_edit_policy(dir, b, &err) == FIX_ERR_REFUSED);
  CHECK(strstr(err.msg, "executable script") != NULL);
  free(dir), free(a), free(b);
}

int main(void) {
  char real[4096];
  char *t = fix_mkdtemp("fix-test-patch");
  if (!t || !realpath(t, real))
    return 1;
  free(t);
  tmp = fix_strdup(real);
  test_edits();
  test_diff();
  test_workspace();
  test_undo();
  test_history();
  test_dry_run();
  test_policy_executable();
  test_vcs();
  fix_rmtree(tmp);
  free(tmp);
  return check_summary();
}
