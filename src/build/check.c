/* check.c — re-check one translation unit, fast, inside the shadow tree.
 *
 * The TU's own command is reused with its output and dependency-file flags removed and
 * -fsyntax-only added, so the check sees exactly the flags (and -Werror) of the real build. Every
 * argument naming the project root is pointed at the shadow; diagnostics come back with shadow
 * paths mapped to the project. LC_ALL=C keeps messages (and so identities) locale-independent. */
#include "fix/build.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Flags that produce files (or need a following argument that does). */
static int drop_flag(const char *a, int *skip_next) {
  static const char *with_arg[] = {"-o", "-MF", "-MT", "-MQ", "-Xclang-output"};
  for (size_t i = 0; i < sizeof with_arg / sizeof *with_arg; i++)
    if (!strcmp(a, with_arg[i])) {
      *skip_next = 1;
      return 1;
    }
  static const char *alone[] = {"-c", "-S", "-E", "-M", "-MM", "-MD", "-MMD", "-MP", "-fsyntax-only", "-save-temps",
                                "-pipe"};
  for (size_t i = 0; i < sizeof alone / sizeof *alone; i++)
    if (!strcmp(a, alone[i]))
      return 1;
  if (fix_str_starts(a, "-o") || fix_str_starts(a, "-MF") || fix_str_starts(a, "-fdiagnostics-color") ||
      fix_str_starts(a, "-fcolor-diagnostics") || fix_str_starts(a, "-fdiagnostics-format"))
    return 1;
  return 0;
}

enum fix_status fix_compile_cmd_check_args(const struct fix_compile_cmd *c, int drop_file, struct fix_strv *out) {
  int skip = 0;
  for (size_t i = 1; i < c->args.n; i++) {
    const char *a = c->args.v[i];
    if (skip) {
      skip = 0;
      continue;
    }
    if (drop_flag(a, &skip))
      continue;
    if (drop_file && a[0] != '-' && fix_is_source_file(a)) {
      char *j = fix_path_join(c->dir, a);
      char *n = j ? fix_path_normalize(j) : NULL;
      int same = n && !strcmp(n, c->file);
      free(j);
      free(n);
      if (same)
        continue;
    }
    if (fix_strv_push(out, a))
      return FIX_ERR_NOMEM;
  }
  return FIX_OK;
}

/* Replaces occurrences of `root` (as a path prefix) inside `a` with `to`. */
static char *rewrite(const char *a, const char *root, const char *to) {
  size_t rl = strlen(root);
  struct fix_buf b;
  fix_buf_init(&b, 0);
  fix_buf_append(&b, "", 0);
  const char *p = a;
  for (;;) {
    const char *hit = strstr(p, root);
    while (hit && hit[rl] != '/' && hit[rl] != '\0')
      hit = strstr(hit + 1, root);
    if (!hit) {
      fix_buf_puts(&b, p);
      break;
    }
    fix_buf_append(&b, p, (size_t)(hit - p));
    fix_buf_puts(&b, to);
    p = hit + rl;
  }
  return fix_buf_take(&b);
}

/* The end of a check: interruption and timeout become errors; the diagnostics `parse` reads
 * get the project's paths back; a failure without an error diagnostic counts as one error. */
static enum fix_status collect(enum fix_status st, struct fix_spawn_result *sr, const struct fix_compile_cmd *cmd,
                               const char *what, double timeout_s, const char *cwd, const char *sdir,
                               const char *root, struct fix_diag_list *out, struct fix_err *err) {
  if (!st && sr->interrupted)
    st = fix_err_set(err, FIX_ERR_INTERRUPTED, "interrupted");
  else if (!st && sr->timed_out)
    st = fix_err_set(err, FIX_ERR_TIMEOUT, "checking %s took longer than %.0f s", cmd->file, timeout_s);
  if (!st) {
    size_t before = out->n;
    st = cmd->kind == FIX_CMD_CC ? fix_diag_parse_text(sr->out.data, sr->out.len, fix_compile_cmd_compiler(cmd), out, err)
                                 : fix_diag_parse_rustc_json(sr->out.data, sr->out.len, out, err);
    if (!st) {
      struct fix_diag_list tail = {out->v ? out->v + before : NULL, out->n - before, out->n - before};
      fix_diag_list_normalize(&tail, cwd);
      fix_diag_list_map_prefix(&tail, sdir, root);
      if (sr->exit_code != 0 && fix_diag_list_count(&tail, FIX_SEV_ERROR) == 0) {
        /* the tool failed without a diagnostic we understand: count it as one error */
        struct fix_diag *d = fix_diag_list_push(out);
        if (d) {
          d->severity = FIX_SEV_ERROR;
          d->compiler = cmd->kind == FIX_CMD_CC ? FIX_CC_UNKNOWN : FIX_CC_RUSTC;
          d->message = fix_asprintf("%s exited with status %d without a diagnostic", what, sr->exit_code);
          d->pos.file = fix_strdup(cmd->file);
        }
      }
    }
  }
  fix_buf_free(&sr->out);
  return st;
}

/* The source files a rustc dep-info file lists ("path:" lines), made absolute against `cwd`,
 * with the shadow's prefix mapped back to the project. */
static void read_dep_info(const char *path, const char *cwd, const char *sdir, const char *root,
                          struct fix_strv *files) {
  struct fix_buf b;
  if (fix_file_read(path, 64u << 20, &b, NULL) != FIX_OK)
    return;
  size_t off = 0;
  while (b.data && off < b.len) {
    const char *nl = memchr(b.data + off, '\n', b.len - off);
    size_t n = nl ? (size_t)(nl - (b.data + off)) : b.len - off;
    const char *l = b.data + off;
    off += n + 1;
    if (n < 2 || l[n - 1] != ':')
      continue;
    struct fix_buf f; /* "a\ b.rs" is "a b.rs" */
    fix_buf_init(&f, 0);
    for (size_t i = 0; i + 1 < n; i++) {
      if (l[i] == '\\' && i + 2 < n)
        i++;
      fix_buf_append(&f, &l[i], 1);
    }
    char *name = fix_buf_take(&f);
    char *abs = name ? fix_path_join(cwd, name) : NULL;
    char *norm = abs ? fix_path_normalize(abs) : NULL;
    if (norm && fix_str_ends(norm, ".rs")) {
      size_t sl = strlen(sdir);
      char *mapped = !strncmp(norm, sdir, sl) && norm[sl] == '/' ? fix_asprintf("%s%s", root, norm + sl) : NULL;
      const char *p = mapped ? mapped : norm;
      if (!fix_strv_contains(files, p))
        fix_strv_push(files, p);
      free(mapped);
    }
    free(name);
    free(abs);
    free(norm);
  }
  fix_buf_free(&b);
}

/* A copy of directory `from` at `to` (through a temporary name: never half there). */
static int copy_tree(const char *from, const char *to) {
  char *tmp = fix_asprintf("%s.tmp%ld", to, (long)getpid());
  const char *rm[] = {"rm", "-rf", tmp, NULL}, *cp[] = {"cp", "-a", "--reflink=auto", from, tmp, NULL};
  struct fix_spawn_result r;
  int ok = tmp && fix_spawn_quiet(rm, NULL, NULL, 60, &r, NULL) == FIX_OK;
  if (ok)
    fix_buf_free(&r.out);
  ok = ok && fix_spawn_quiet(cp, NULL, NULL, 300, &r, NULL) == FIX_OK;
  if (ok) {
    ok = r.exit_code == 0 && rename(tmp, to) == 0;
    fix_buf_free(&r.out);
  }
  if (!ok && tmp)
    fix_rmtree(tmp);
  free(tmp);
  return ok;
}

/* Each parallel candidate has a shadow, and each shadow its own cargo target dir: cold, every one
 * of them built the dependencies again at once (textwrap: 10 checks 43.6 s, 0.8 s of builds). A
 * cold target dir now starts as a copy of the project's seed; the first check of a project with no
 * seed runs alone, and its target dir becomes the seed. */
static pthread_mutex_t warm_mu = PTHREAD_MUTEX_INITIALIZER;

/* Whether `target` is cold; when it is, the lock is held on return (*seed set: copy the check's
 * target dir there after the check) unless the seed was copied in. */
static int warm_target(struct fix_shadow *sh, const char *target, char **seed) {
  *seed = NULL;
  char *debug = fix_path_join(target, "debug");
  int cold = debug && !fix_dir_exists(debug);
  free(debug);
  if (!cold)
    return 0;
  pthread_mutex_lock(&warm_mu);
  char *s = fix_shadow_seed(sh), *st = s ? fix_path_join(s, "target") : NULL;
  if (st && fix_dir_exists(st) && copy_tree(st, target)) {
    free(s), free(st);
    pthread_mutex_unlock(&warm_mu);
    return 0;
  }
  free(s);
  *seed = st; /* the check runs with the lock held: the others wait for its dependencies */
  return 1;
}

/* After the cold check: its target dir becomes the seed (when the check ran), and the others go on. */
static void seed_from(const char *target, char *seed, int keep) {
  char *dir = keep ? fix_strdup(seed) : NULL;
  char *slash = dir ? strrchr(dir, '/') : NULL;
  if (slash)
    *slash = '\0';
  if (dir && fix_mkdirs(dir, NULL) == FIX_OK && !fix_dir_exists(seed))
    (void)copy_tree(target, seed);
  free(dir);
  free(seed);
  pthread_mutex_unlock(&warm_mu);
}

/* cargo check / rustc in the shadow: JSON diagnostics, a target dir of the shadow's own. */
static enum fix_status check_rust(struct fix_shadow *sh, const struct fix_compile_cmd *cmd, double timeout_s,
                                  struct fix_diag_list *out, struct fix_strv *files, struct fix_err *err) {
  const char *sdir = fix_shadow_dir(sh), *root = fix_shadow_root(sh);
  const char *cache = fix_shadow_cache(sh);
  struct fix_strv argv = {0};
  char *outdir = fix_asprintf("%s/rustc-out", cache ? cache : sdir);
  char *depinfo = files && outdir ? fix_asprintf("%s/crate-%016llx.d", outdir,
                                                 (unsigned long long)fix_hash64(cmd->file, strlen(cmd->file)))
                                  : NULL;
  for (size_t i = 0; i < cmd->args.n; i++) {
    if (depinfo && !strcmp(cmd->args.v[i], "--emit=metadata")) {
      fix_strv_push_own(&argv, fix_asprintf("--emit=metadata,dep-info=%s", depinfo));
      continue;
    }
    fix_strv_push_own(&argv, rewrite(cmd->args.v[i], root, sdir));
  }
  if (cmd->kind == FIX_CMD_RUSTC) {
    fix_strv_push(&argv, "--out-dir");
    fix_strv_push(&argv, outdir ? outdir : sdir);
    /* rustc writes the dep-info before it makes --out-dir */
    if (outdir && fix_mkdirs(outdir, err) != FIX_OK) {
      fix_strv_free(&argv);
      free(outdir);
      free(depinfo);
      return err ? err->status : FIX_ERR_IO;
    }
  }
  char *cwd = rewrite(cmd->dir, root, sdir);
  char *tdir = fix_asprintf("%s/target", cache ? cache : sdir);
  char *target = tdir ? fix_asprintf("CARGO_TARGET_DIR=%s", tdir) : NULL;
  const char *env[] = {"LC_ALL=C", "CARGO_TERM_COLOR=never", target, NULL};
  struct fix_spawn_result sr;
  memset(&sr, 0, sizeof sr);
  char *seed = NULL;
  int seeding = cmd->kind == FIX_CMD_CARGO && cache && target && warm_target(sh, tdir, &seed);
  enum fix_status st = cwd && target ? fix_spawn_quiet((const char *const *)argv.v, cwd, env, timeout_s, &sr, err)
                                     : fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  if (seeding)
    seed_from(tdir, seed, st == FIX_OK);
  st = collect(st, &sr, cmd, argv.v[0], timeout_s, cwd, sdir, root, out, err);
  if (!st && depinfo && cwd)
    read_dep_info(depinfo, cwd, sdir, root, files);
  fix_strv_free(&argv);
  free(cwd);
  free(target);
  free(tdir);
  free(outdir);
  free(depinfo);
  return st;
}

/* The wrong-code warnings a strict check enables (fix_shadow_set_strict), by compiler and
 * language: each is a flag every gcc since 5 and every clang since 3.9 knows (an unknown -W flag
 * is an error to gcc), clang's with -Wno-unknown-warning-option all the same. */
static enum fix_status strict_flags(const struct fix_compile_cmd *cmd, struct fix_strv *argv) {
  for (size_t i = 1; i < cmd->args.n; i++)
    if (!strcmp(cmd->args.v[i], "-Werror") || !strcmp(cmd->args.v[i], "-w"))
      return FIX_OK;
  const char *cc = cmd->args.n ? cmd->args.v[0] : "cc";
  const char *base = strrchr(cc, '/');
  base = base ? base + 1 : cc;
  int clang = strstr(base, "clang") != NULL;
  int cxx = strstr(base, "++") != NULL;
  const char *f = cmd->file ? strrchr(cmd->file, '.') : NULL;
  if (f && strcmp(f, ".c") && strcmp(f, ".m"))
    cxx = 1; /* .cc .cpp .cxx .C .mm */
  for (size_t i = 1; i + 1 < cmd->args.n; i++)
    if (!strcmp(cmd->args.v[i], "-x"))
      cxx = !strncmp(cmd->args.v[i + 1], "c++", 3);
  static const char *const both[] = {"-Wreturn-type", "-Wformat", "-Wnonnull", "-Wunused-value", "-Wuninitialized",
                                     "-Warray-bounds", NULL};
  static const char *const c_only[] = {"-Wint-conversion", "-Wincompatible-pointer-types",
                                       "-Wimplicit-function-declaration", "-Wimplicit-int", NULL};
  enum fix_status st = FIX_OK;
  for (size_t i = 0; both[i] && !st; i++)
    st = fix_strv_push(argv, both[i]);
  for (size_t i = 0; !cxx && c_only[i] && !st; i++)
    st = fix_strv_push(argv, c_only[i]);
  if (!st)
    st = fix_strv_push(argv, clang ? "-Wreturn-stack-address" : "-Wreturn-local-addr");
  if (!st && clang)
    st = fix_strv_push(argv, "-Wno-unknown-warning-option");
  return st;
}

enum fix_status fix_check_tu(struct fix_shadow *sh, const struct fix_compile_cmd *cmd, double timeout_s,
                             struct fix_diag_list *out, struct fix_err *err) {
  return fix_check_tu_files(sh, cmd, timeout_s, out, NULL, err);
}

enum fix_status fix_check_tu_files(struct fix_shadow *sh, const struct fix_compile_cmd *cmd, double timeout_s,
                                   struct fix_diag_list *out, struct fix_strv *files, struct fix_err *err) {
  if (cmd->kind != FIX_CMD_CC)
    return check_rust(sh, cmd, timeout_s, out, cmd->kind == FIX_CMD_RUSTC ? files : NULL, err);
  const char *sdir = fix_shadow_dir(sh);
  struct fix_strv argv = {0};
  enum fix_status st = FIX_OK;
  const char *root = fix_shadow_root(sh);
  struct fix_strv rest = {0};
  st = fix_strv_push_own(&argv, rewrite(cmd->args.n ? cmd->args.v[0] : "cc", root, sdir));
  if (!st)
    st = fix_compile_cmd_check_args(cmd, 0, &rest);
  for (size_t i = 0; i < rest.n && !st; i++)
    st = fix_strv_push_own(&argv, rewrite(rest.v[i], root, sdir));
  fix_strv_free(&rest);
  if (!st && fix_shadow_strict(sh))
    st = strict_flags(cmd, &argv);
  if (!st)
    st = fix_strv_push(&argv, "-fsyntax-only");
  if (!st)
    st = fix_strv_push(&argv, "-fdiagnostics-parseable-fixits");
  char *cwd = rewrite(cmd->dir, root, sdir);
  if (st || !cwd) {
    fix_strv_free(&argv);
    free(cwd);
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  }
  const char *env[] = {"LC_ALL=C", "LANG=C", "GCC_COLORS=", NULL};
  struct fix_spawn_result sr;
  memset(&sr, 0, sizeof sr);
  st = fix_spawn_quiet((const char *const *)argv.v, cwd, env, timeout_s, &sr, err);
  st = collect(st, &sr, cmd, argv.v[0], timeout_s, cwd, sdir, root, out, err);
  fix_strv_free(&argv);
  free(cwd);
  return st;
}
