/* run.c — running cases: a private copy each, the repair tool with a timeout, then the runner's
 * own verdict (rebuild, behaviour check, reference items kept, exact match).
 *
 * Cases run on -j worker threads; each spawns processes only, so cases never share state. The
 * tool's caches and journal are redirected into the case's scratch directory, removed after. */
#include "fix/context.h"
#include "fix/eval.h"
#include "groups.h"
#include "warm.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void fix_eval_results_free(struct fix_eval_results *r) {
  for (size_t i = 0; i < r->n; i++) {
    struct fix_case_result *c = &r->v[i];
    free(c->id);
    free(c->language);
    free(c->category);
    fix_strv_free(&c->errors);
    free(c->missing);
    free(c->error);
  }
  free(r->v);
  free(r->tool);
  memset(r, 0, sizeof *r);
}

#define EVAL_CHECK_TIMEOUT_S 60

static enum fix_status run(const char *const *argv, const char *cwd, const char *const *env, double timeout_s,
                           struct fix_spawn_result *res) {
  memset(res, 0, sizeof *res);
  return fix_spawn_quiet(argv, cwd, env, timeout_s, res, NULL);
}

/* Whether `name`, a directory at the top of the tree `root`, is listed in root/.gitignore as a
 * whole ("build", "build/", "/build", "/build/"). */
static int ignored_at_top(const char *root, const char *name) {
  char *gi = fix_path_join(root, ".gitignore");
  struct fix_buf b;
  int hit = 0;
  if (gi && fix_file_read(gi, 1u << 20, &b, NULL) == FIX_OK) {
    size_t nl = strlen(name);
    for (const char *l = b.data ? b.data : ""; *l && !hit;) {
      size_t len = strcspn(l, "\r\n");
      const char *p = l;
      size_t n = len;
      if (n && *p == '/')
        p++, n--;
      if (n && p[n - 1] == '/')
        n--;
      hit = n == nl && !memcmp(p, name, nl);
      l += len;
      l += strspn(l, "\r\n");
    }
    fix_buf_free(&b);
  }
  free(gi);
  return hit;
}

/* Whether directory `path` is a build's output: a CMake or Meson build tree, or a directory tagged
 * as a cache (cargo's target/). */
int eval_build_output(const char *path) {
  static const char *const marks[] = {"CMakeCache.txt", "CACHEDIR.TAG", "meson-private"};
  for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
    char *m = fix_path_join(path, marks[i]);
    int hit = m && (fix_file_exists(m) || fix_dir_exists(m));
    free(m);
    if (hit)
      return 1;
  }
  return 0;
}

/* Source files below `dir` (relative paths), for items and exact matching. A build's outputs are
 * left out: a directory that is a build tree (build_output) anywhere, and the top-level build/ or
 * target/ the tree's .gitignore names; a src/build/ of sources is listed like any other. */
void eval_sources(const char *root, const char *rel, struct fix_strv *out, int depth) {
  char *dir = rel[0] ? fix_path_join(root, rel) : fix_strdup(root);
  DIR *d = dir ? opendir(dir) : NULL;
  struct dirent *e;
  while (d && depth < 8 && (e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    char *r = rel[0] ? fix_asprintf("%s/%s", rel, e->d_name) : fix_strdup(e->d_name);
    char *p = fix_path_join(root, r);
    int top_out = !rel[0] && (!strcmp(e->d_name, "build") || !strcmp(e->d_name, "target"));
    if (p && fix_dir_exists(p) && (eval_build_output(p) || (top_out && ignored_at_top(root, e->d_name)))) {
      free(p);
      free(r);
      continue;
    }
    if (p && fix_dir_exists(p))
      eval_sources(root, r, out, depth + 1);
    else if (r && fix_lang_from_path(r) != FIX_LANG_UNKNOWN)
      fix_strv_push(out, r);
    free(p);
    free(r);
  }
  if (d)
    closedir(d);
  free(dir);
}

/* Text with every run of white space folded to one space. */
static char *fold(const char *s, size_t n) {
  char *o = malloc(n + 1);
  size_t k = 0;
  int sp = 0;
  for (size_t i = 0; o && i < n; i++) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
      sp = 1;
      continue;
    }
    if (sp && k)
      o[k++] = ' ';
    sp = 0;
    o[k++] = s[i];
  }
  if (o)
    o[k] = '\0';
  return o;
}

/* Items of the reference kept, and whether the sources equal it. The reference is fixed/, laid
 * over the case's base tree when it has one (a mutation case: fixed/ holds the one file). */
static void score(const char *base, const char *fixed, const char *work, struct fix_case_result *r) {
  struct fix_strv files = {0};
  eval_sources(fixed, "", &files, 0);
  size_t own = files.n;
  if (base) {
    struct fix_strv more = {0};
    eval_sources(base, "", &more, 0);
    for (size_t i = 0; i < more.n; i++)
      if (!fix_strv_contains(&files, more.v[i]))
        fix_strv_push(&files, more.v[i]);
    fix_strv_free(&more);
  }
  r->items_kept = 1;
  r->exact = 1;
  for (size_t i = 0; i < files.n; i++) {
    char *a = fix_path_join(i < own ? fixed : base, files.v[i]), *b = fix_path_join(work, files.v[i]);
    struct fix_buf ra, rb;
    int have_a = fix_file_read(a, 64u << 20, &ra, NULL) == FIX_OK;
    int have_b = fix_file_read(b, 64u << 20, &rb, NULL) == FIX_OK;
    if (have_a) {
      enum fix_lang lang = fix_lang_from_path(files.v[i]);
      struct fix_strv want = {0}, got = {0};
      fix_context_defined(lang, ra.data, ra.len, &want);
      if (have_b)
        fix_context_defined(lang, rb.data, rb.len, &got);
      for (size_t k = 0; k < want.n; k++)
        if (!fix_strv_contains(&got, want.v[k])) {
          r->items_kept = 0;
          if (!r->missing)
            r->missing = fix_asprintf("%s: %s", files.v[i], want.v[k]);
        }
      fix_strv_free(&want);
      fix_strv_free(&got);
      char *fa = fold(ra.data, ra.len), *fb = have_b ? fold(rb.data, rb.len) : NULL;
      if (!fa || !fb || strcmp(fa, fb) != 0)
        r->exact = 0;
      free(fa);
      free(fb);
    }
    if (have_a)
      fix_buf_free(&ra);
    if (have_b)
      fix_buf_free(&rb);
    free(a);
    free(b);
  }
  fix_strv_free(&files);
}

/* The numbers of fix's "summary" event (its last JSON line). */
static void read_summary(const char *out, struct fix_case_result *r) {
  const char *p = out, *last = NULL;
  while ((p = strstr(p, "{\"event\":\"summary\""))) {
    last = p;
    p++;
  }
  if (!last)
    return;
  const char *e = strchr(last, '\n');
  cJSON *j = cJSON_ParseWithLength(last, e ? (size_t)(e - last) : strlen(last));
  if (!j)
    return;
#define NUM(name) (cJSON_IsNumber(cJSON_GetObjectItem(j, name)) ? cJSON_GetObjectItem(j, name)->valuedouble : 0)
  int builds = (int)NUM("builds");
  r->iterations = builds > 0 ? builds - 1 : 0;
  r->model_calls = (int)NUM("model_calls");
  r->repairs_kept = (int)NUM("repairs_kept");
  r->tokens_in = (long)NUM("tokens_in");
  r->tokens_out = (long)NUM("tokens_out");
  r->build_s += NUM("build_seconds");
  r->check_s += NUM("check_seconds");
  r->model_s += NUM("model_seconds");
#undef NUM
  cJSON_Delete(j);
}

/* Copies tree `from` of case c into a fresh scratch directory; *work is the copy. */
static int run_ok(const char *const *argv, const char *cwd) {
  struct fix_spawn_result res;
  static const char *const env[] = {"GIT_AUTHOR_NAME=fix", "GIT_AUTHOR_EMAIL=fix@localhost", "GIT_COMMITTER_NAME=fix",
                                    "GIT_COMMITTER_EMAIL=fix@localhost", "GIT_CONFIG_GLOBAL=/dev/null",
                                    "GIT_CONFIG_NOSYSTEM=1", NULL};
  if (run(argv, cwd, env, 120, &res) != FIX_OK)
    return 0;
  int ok = res.exit_code == 0;
  fix_buf_free(&res.out);
  return ok;
}

/* A case with a head/ tree (the refactor category: a change in progress) runs in a git repository
 * whose last commit is head/ and whose working tree is broken/, as the developer left it. */
static int put_head(const struct fix_case *c, const char *work) {
  char *head = fix_asprintf("%s/head/.", c->dir);
  int ok = 1;
  if (head && fix_dir_exists(head)) {
    const char *cp[] = {"cp", "-a", head, work, NULL}, *init[] = {"git", "init", "-q", ".", NULL},
               *add[] = {"git", "add", "-A", NULL}, *commit[] = {"git", "commit", "-qm", "head", NULL},
               *clear[] = {"find", ".", "-mindepth", "1", "-maxdepth", "1", "!", "-name", ".git", "-exec", "rm", "-rf",
                           "{}", "+", NULL};
    ok = run_ok(cp, NULL) && run_ok(init, work) && run_ok(add, work) && run_ok(commit, work) && run_ok(clear, work);
  }
  free(head);
  return ok;
}

static char *copy_tree(const struct fix_case *c, const char *from, char **work) {
  char *scratch = fix_mkdtemp("fix-eval");
  *work = scratch ? fix_path_join(scratch, "work") : NULL;
  char *src = fix_asprintf("%s/%s/.", c->dir, from);
  const char *cp[] = {"cp", "-a", src, *work, NULL};
  char *base = c->base ? fix_asprintf("%s/.", c->base) : NULL;
  const char *cpb[] = {"cp", "-a", base, *work, NULL}; /* a mutation case: the tree, then its one file */
  int ok = *work && src && fix_mkdirs(*work, NULL) == FIX_OK && (strcmp(from, "broken") || put_head(c, *work)) &&
           (!c->base || (base && run_ok(cpb, NULL))) && run_ok(cp, NULL);
  free(base);
  if (ok && !strcmp(from, "broken")) {
    /* `cp -a` keeps the corpus's times: a broken/ file as long as its head/ version, with the same
     * mtime and a ctime in the same second, looks unchanged to git (the stat data match). The index
     * forgets the stat data and learns them again from the contents. */
    char *git = fix_path_join(*work, ".git");
    const char *forget[] = {"git", "read-tree", "HEAD", NULL}, *learn[] = {"git", "update-index", "-q", "--refresh", NULL};
    if (git && fix_dir_exists(git)) {
      ok = run_ok(forget, *work);
      (void)run_ok(learn, *work); /* exits 1 when a file differs, as the changed ones do */
    }
    free(git);
  }
  free(src);
  if (!ok && scratch) {
    fix_rmtree(scratch);
    free(scratch);
    scratch = NULL;
  }
  return scratch;
}

/* The environment of everything a case runs: caches, journal and cargo's target directory in
 * the case's scratch directory (removed with it), plain output. */
struct case_env {
  char *cache, *state, *target;
  const char *v[7];
};

static void env_init(struct case_env *e, const char *scratch) {
  e->cache = fix_asprintf("XDG_CACHE_HOME=%s/cache", scratch);
  e->state = fix_asprintf("XDG_STATE_HOME=%s/state", scratch);
  e->target = fix_asprintf("CARGO_TARGET_DIR=%s/target", scratch);
  const char *v[] = {e->cache, e->state, e->target, "NO_COLOR=1", "CARGO_TERM_COLOR=never", "LC_ALL=C", NULL};
  memcpy(e->v, v, sizeof v);
  if (!e->cache || !e->state || !e->target)
    e->v[0] = NULL;
}

static void env_free(struct case_env *e) {
  free(e->cache);
  free(e->state);
  free(e->target);
}

/* Whether fix's options choose the replay backend without a file of replies (--backend replay, or
 * FIX_BACKEND=replay where no --backend is given; no --replay, no FIX_REPLAY): then each case
 * answers from its own recorded replies. */
static int case_replies_wanted(const char *const *args) {
  const char *backend = getenv("FIX_BACKEND"), *file = getenv("FIX_REPLAY");
  if (file && *file)
    return 0;
  for (size_t i = 0; args && args[i]; i++) {
    if (!strcmp(args[i], "--replay") || !strncmp(args[i], "--replay=", 9))
      return 0;
    if (!strcmp(args[i], "--backend") && args[i + 1])
      backend = args[++i];
    else if (!strncmp(args[i], "--backend=", 10))
      backend = args[i] + 10;
  }
  return backend && !strcmp(backend, "replay");
}

/* A mutation case in the worker's warm tree (warm.c): the base built once there, the case's file
 * written over it with a new time. 0: run the case cold. */
static int warm_case(const struct fix_case *c, struct eval_warm *w) {
  int st = eval_warm_ready(w, c->base);
  if (st < 0)
    return 0;
  struct case_env ce = {0};
  struct fix_spawn_result res;
  env_init(&ce, w->scratch);
  if (st == 1) { /* the whole build, once; its result is the case's to find */
    if (run((const char *const *)c->build.v, w->work, ce.v, 600, &res) == FIX_OK)
      fix_buf_free(&res.out);
    eval_warm_built(w);
  }
  env_free(&ce);
  char *state = fix_path_join(w->scratch, "state"), *src = fix_asprintf("%s/broken/.", c->dir);
  if (state)
    fix_rmtree(state); /* each case's journal starts empty */
  const char *cp[] = {"cp", "-R", src, w->work, NULL}; /* not -a: the file gets a new time */
  int ok = src && run_ok(cp, NULL);
  free(state);
  free(src);
  if (!ok)
    eval_warm_drop(w);
  return ok;
}

static void run_case(const struct fix_case *c, const struct fix_eval_opts *o, struct eval_warm *w,
                     struct fix_case_result *r) {
  double t0 = fix_now(), spent = 0;
  r->id = fix_strdup(c->id);
  r->language = fix_strdup(c->language);
  r->category = fix_strdup(c->category);
  r->fixits_only = c->fixits_only;
  for (size_t i = 0; i < c->errors.n; i++)
    fix_strv_push(&r->errors, c->errors.v[i]);
  int warm = w && c->base && warm_case(c, w);
  char *work = NULL, *scratch = warm ? fix_strdup(w->scratch) : copy_tree(c, "broken", &work);
  if (warm)
    work = fix_strdup(w->work);
  char *fixed = fix_path_join(c->dir, "fixed");
  struct case_env ce = {0};
  const char *const *env = ce.v;
  struct fix_spawn_result res;
  if (!scratch) {
    r->error = fix_strdup("cannot copy the broken tree into a scratch directory");
    goto done;
  }
  env_init(&ce, scratch);

  /* the repair tool */
  struct fix_strv argv = {0};
  if (o->baseline && strcmp(c->language, "rust") != 0) {
    r->error = fix_strdup("the cargo-fix baseline is for Rust cases");
    goto done;
  } else if (o->baseline) {
    /* cargo's own fixer; for a case built with clippy, clippy's (`cargo fix` ignores lints) */
    int clippy = c->build.n > 1 && !strcmp(c->build.v[0], "cargo") && !strcmp(c->build.v[1], "clippy");
    const char *a[] = {"cargo", clippy ? "clippy" : "fix", "--broken-code", "--allow-no-vcs", "--allow-dirty",
                       "--allow-staged", clippy ? "--fix" : NULL, NULL};
    for (size_t i = 0; a[i]; i++)
      fix_strv_push(&argv, a[i]);
  } else {
    int own_replies = case_replies_wanted(o->fix_args);
    if (own_replies && !c->replies) {
      r->error = fix_strdup("the replay backend without --replay answers from a case's own replies "
                            "(case.json \"replies\"), and this case has none");
      goto done;
    }
    const char *a[] = {o->fix_bin, "--json", "--allow-no-vcs", NULL};
    for (size_t i = 0; a[i]; i++)
      fix_strv_push(&argv, a[i]);
    for (size_t i = 0; o->fix_args && o->fix_args[i]; i++)
      fix_strv_push(&argv, o->fix_args[i]);
    if (own_replies) {
      fix_strv_push(&argv, "--replay");
      fix_strv_push(&argv, c->replies);
    }
    if (o->oracle) { /* the known-good edit for every model call: all but the model measured */
      char *reply = fix_eval_oracle_reply(c->dir), *file = fix_path_join(scratch, "oracle.json");
      cJSON *j = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(j, "replies");
      for (int k = 0; reply && arr && k < 64; k++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(reply));
      char *text = reply ? cJSON_PrintUnformatted(j) : NULL;
      int ok = text && file && fix_file_write_atomic(file, text, strlen(text), NULL) == FIX_OK;
      cJSON_Delete(j);
      free(text);
      free(reply);
      if (!ok) {
        free(file);
        fix_strv_free(&argv);
        r->error = fix_strdup("the oracle has no edit for this case (broken/ and fixed/ have the same sources)");
        goto done;
      }
      const char *a2[] = {"--backend", "replay", "--replay", file, NULL};
      for (size_t i = 0; a2[i]; i++)
        fix_strv_push(&argv, a2[i]);
      free(file);
    }
    fix_strv_push(&argv, "--");
    for (size_t i = 0; i < c->build.n; i++)
      fix_strv_push(&argv, c->build.v[i]);
  }
  double t1 = fix_now();
  enum fix_status st = run((const char *const *)argv.v, work, env, o->timeout_s > 0 ? o->timeout_s : 600, &res);
  r->tool_s = fix_now() - t1;
  spent += r->tool_s;
  fix_strv_free(&argv);
  r->tool_exit = res.exit_code;
  if (st != FIX_OK)
    r->error = fix_asprintf("cannot run the repair tool (exit %d)", res.exit_code);
  else if (res.timed_out)
    r->error = fix_asprintf("the repair ran past %.0f s", o->timeout_s > 0 ? o->timeout_s : 600);
  if (res.out.data && !o->baseline)
    read_summary(res.out.data, r);
  fix_buf_free(&res.out);

  /* the runner's own verdict */
  t1 = fix_now();
  if (run((const char *const *)c->build.v, work, env, 600, &res) == FIX_OK && !res.timed_out)
    r->build_passed = res.exit_code == 0;
  double b = fix_now() - t1;
  r->build_s += b;
  spent += b;
  fix_buf_free(&res.out);
  r->check_passed = 1;
  if (r->build_passed && c->check.n) {
    t1 = fix_now();
    /* a case's check runs in well under a second: a repaired program that hangs (an unsafe edit
     * turned a loop's condition into an assignment) fails after a minute, not ten */
    r->check_passed = run((const char *const *)c->check.v, work, env, EVAL_CHECK_TIMEOUT_S, &res) == FIX_OK && !res.timed_out &&
                      res.exit_code == 0;
    double k = fix_now() - t1;
    r->check_s += k;
    spent += k;
    fix_buf_free(&res.out);
  } else if (!r->build_passed) {
    r->check_passed = 0;
  }
  score(c->base, fixed, work, r);
  r->repaired = r->build_passed && r->check_passed && r->items_kept && !r->error;
done:
  if (warm && !eval_warm_reset(w))
    eval_warm_drop(w);
  else if (scratch && !warm)
    fix_rmtree(scratch);
  r->total_s = fix_now() - t0;
  r->runner_s = r->total_s - spent;
  free(scratch);
  free(work);
  free(fixed);
  env_free(&ce);
}

enum fix_status fix_case_validate(const struct fix_case *c, char **why) {
  *why = NULL;
  char *work = NULL, *scratch = copy_tree(c, "broken", &work);
  struct fix_spawn_result res;
  struct case_env ce = {0};
  const char *const *env = ce.v;
  if (scratch)
    env_init(&ce, scratch);
  if (!scratch) {
    *why = fix_strdup("cannot copy broken/");
  } else if (run((const char *const *)c->build.v, work, env, 600, &res) != FIX_OK) {
    *why = fix_strdup("the build command cannot run");
  } else {
    if (res.exit_code == 0)
      *why = fix_strdup("broken/ builds");
    for (size_t i = 0; !*why && i < c->errors.n; i++)
      if (!res.out.data || !strstr(res.out.data, c->errors.v[i]))
        *why = fix_asprintf("broken/ does not report \"%s\"", c->errors.v[i]);
    fix_buf_free(&res.out);
  }
  if (scratch)
    fix_rmtree(scratch);
  free(scratch);
  free(work);
  env_free(&ce);
  memset(&ce, 0, sizeof ce);
  if (*why)
    return FIX_ERR_CONFLICT;
  scratch = copy_tree(c, "fixed", &work);
  if (scratch)
    env_init(&ce, scratch);
  if (!scratch) {
    *why = fix_strdup("cannot copy fixed/");
  } else if (run((const char *const *)c->build.v, work, env, 600, &res) != FIX_OK || res.exit_code != 0) {
    *why = fix_asprintf("fixed/ does not build:\n%s", res.out.data ? res.out.data : "");
    fix_buf_free(&res.out);
  } else {
    fix_buf_free(&res.out);
    if (c->check.n && (run((const char *const *)c->check.v, work, env, EVAL_CHECK_TIMEOUT_S, &res) != FIX_OK || res.exit_code != 0))
      *why = fix_asprintf("fixed/ fails its check:\n%s", res.out.data ? res.out.data : "");
    if (c->check.n)
      fix_buf_free(&res.out);
  }
  if (scratch)
    fix_rmtree(scratch);
  free(scratch);
  free(work);
  env_free(&ce);
  return *why ? FIX_ERR_CONFLICT : FIX_OK;
}

/* A pool of `jobs` threads handing out case indexes; `one` does case i. */
struct pool {
  size_t n;
  void (*one)(struct pool *p, size_t i, size_t slot);
  size_t next, done, slots;
  struct eval_warm warm[64]; /* one per worker (run_one's) */
  pthread_mutex_t mu;
  /* fix_eval_run's */
  const struct fix_corpus *c;
  const size_t *pick;
  const struct fix_eval_opts *o;
  struct fix_case_result *res;
  /* fix_eval_validate's */
  char **why;
};

static const struct fix_case *pool_case(const struct pool *p, size_t i) { return &p->c->v[p->pick ? p->pick[i] : i]; }

static void *worker(void *ud) {
  struct pool *p = ud;
  pthread_mutex_lock(&p->mu);
  size_t slot = p->slots++;
  pthread_mutex_unlock(&p->mu);
  for (;;) {
    pthread_mutex_lock(&p->mu);
    size_t i = p->next++;
    pthread_mutex_unlock(&p->mu);
    if (i >= p->n || fix_interrupted())
      break;
    p->one(p, i, slot);
  }
  eval_warm_drop(&p->warm[slot]);
  return NULL;
}

static void pool_run(struct pool *p, int jobs) {
  pthread_t th[64];
  int started = 0;
  jobs = jobs < 1 ? 1 : jobs > 64 ? 64 : jobs;
  for (int i = 0; i < jobs; i++)
    if (pthread_create(&th[i], NULL, worker, p) == 0)
      started++;
  if (!started)
    worker(p);
  for (int i = 0; i < started; i++)
    pthread_join(th[i], NULL);
}

static void run_one(struct pool *p, size_t i, size_t slot) {
  run_case(pool_case(p, i), p->o, p->o->cold ? NULL : &p->warm[slot], &p->res[i]);
  pthread_mutex_lock(&p->mu);
  p->done++;
  if (p->o->progress)
    p->o->progress(p->o->ud, &p->res[i], p->done, p->n);
  pthread_mutex_unlock(&p->mu);
}

static void validate_one(struct pool *p, size_t i, size_t slot) {
  (void)slot;
  char *why = NULL;
  fix_case_validate(pool_case(p, i), &why);
  p->why[i] = why ? why : fix_strdup("");
}

enum fix_status fix_eval_validate(const struct fix_corpus *c, const size_t *pick, size_t npick, int jobs, char ***why) {
  size_t n = pick ? npick : c->n;
  struct pool p = {.n = n, .one = validate_one, .mu = PTHREAD_MUTEX_INITIALIZER, .c = c, .pick = pick};
  *why = p.why = calloc(n + 1, sizeof *p.why);
  if (!p.why)
    return FIX_ERR_NOMEM;
  pool_run(&p, jobs);
  pthread_mutex_destroy(&p.mu);
  return fix_interrupted() ? FIX_ERR_INTERRUPTED : FIX_OK;
}

enum fix_status fix_eval_run(const struct fix_corpus *c, const size_t *pick, size_t npick,
                             const struct fix_eval_opts *o, struct fix_eval_results *out, struct fix_err *err) {
  memset(out, 0, sizeof *out);
  size_t n = pick ? npick : c->n;
  struct pool p = {.n = n, .one = run_one, .mu = PTHREAD_MUTEX_INITIALIZER, .c = c, .pick = pick, .o = o,
                   .res = calloc(n + 1, sizeof *p.res)};
  if (!p.res)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  double t0 = fix_now();
  pool_run(&p, o->jobs);
  out->v = p.res;
  out->n = p.done;
  /* an interrupted run keeps the cases that finished, in order */
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (p.res[i].id) {
      if (k != i)
        p.res[k] = p.res[i], memset(&p.res[i], 0, sizeof p.res[i]);
      k++;
    }
  }
  out->n = k;
  out->wall_s = fix_now() - t0;
  out->tool = o->baseline ? fix_strdup("cargo fix --broken-code (cargo clippy --fix for clippy cases)") : NULL;
  if (!out->tool) {
    struct fix_buf t;
    fix_buf_init(&t, 0);
    fix_buf_puts(&t, o->oracle ? "fix --oracle (the known-good edit for every model call)" : "fix");
    for (size_t i = 0; o->fix_args && o->fix_args[i]; i++)
      fix_buf_printf(&t, " %s", o->fix_args[i]);
    out->tool = fix_buf_take(&t);
  }
  pthread_mutex_destroy(&p.mu);
  if (fix_interrupted())
    return fix_err_set(err, FIX_ERR_INTERRUPTED, "interrupted after %zu of %zu cases", k, n);
  return FIX_OK;
}
