/* test_intercept.c — seeing every compiler a build runs: compiler names, response files (pipes
 * left alone), the wrapper's records, recorded commands in the compile database (ranks, failed
 * invocations, several sources, launchers, rustc), LD_PRELOAD without fix and the programs that
 * need it (sanitizer runtimes), keep-going flags per build tool, compile_commands.json written and
 * read back, and a live build through fix_intercept_new/fix_build_run. */
#include "check.h"
#include "tmpfiles.h"
#include "fix/build.h"
#include "fix/repair.h"
#include "../../src/build/intercept/common.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *tmp;

static void put(const char *rel, const char *text) { put_file(tmp, rel, text); }

static void test_names(void) {
  const char *yes[] = {"gcc", "/usr/bin/gcc", "g++", "cc", "c++", "clang", "clang++", "gcc-12", "clang-14",
                       "clang++-14.0", "x86_64-linux-gnu-gcc-12", "x86_64-linux-gnu-g++", "/opt/my tools/cc"};
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
    if (fix_ic_compiler(yes[i]) != FIX_IC_CC)
      fprintf(stderr, "not a compiler: %s\n", yes[i]);
    CHECK_EQ_INT(fix_ic_compiler(yes[i]), FIX_IC_CC);
  }
  CHECK_EQ_INT(fix_ic_compiler("rustc"), FIX_IC_RUSTC);
  CHECK_EQ_INT(fix_ic_compiler("/root/.cargo/bin/rustc"), FIX_IC_RUSTC);
  const char *no[] = {"gcc-ar", "gcc-nm", "clang-tidy", "clang-format", "cc1", "cc1plus", "ccache", "distcc", "ld",
                      "make", "collect2", "rustdoc", "cargo", "gccgo-x", "", "-", "rustc-wrapper"};
  for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
    if (fix_ic_compiler(no[i]) != FIX_IC_NONE)
      fprintf(stderr, "taken for a compiler: %s\n", no[i]);
    CHECK_EQ_INT(fix_ic_compiler(no[i]), FIX_IC_NONE);
  }
  char *a1[] = {"ccache", "gcc", "-c", "x.c", NULL}, *a2[] = {"gcc", "-c", "x.c", NULL},
       *a3[] = {"ccache", "-s", NULL}, *a4[] = {"sh", "-c", "gcc x.c", NULL};
  CHECK_EQ_INT(fix_ic_compiler_index("/usr/bin/ccache", a1), 1);
  CHECK_EQ_INT(fix_ic_compiler_index("/usr/bin/gcc-12", a2), 0);
  CHECK_EQ_INT(fix_ic_compiler_index("/usr/bin/ccache", a3), -1);
  CHECK_EQ_INT(fix_ic_compiler_index("/bin/sh", a4), -1);
  /* ccache's masquerade directory: the path is ccache's gcc symlink */
  CHECK_EQ_INT(fix_ic_compiler_index("/usr/lib/ccache/gcc", a2), 0);
  /* the executable decides, not argv[0]: `exec -a gcc /bin/echo hi` runs echo */
  char *a5[] = {"gcc", "hi", NULL}, *a6[] = {"ccache", "gcc", "-c", "x.c", NULL};
  CHECK_EQ_INT(fix_ic_compiler_index("/bin/echo", a5), -1);
  CHECK_EQ_INT(fix_ic_compiler_index("/bin/sh", a6), -1);
  CHECK_EQ_INT(fix_ic_compiler_index(NULL, a2), -1);
}

/* LD_PRELOAD without fix's library, and which programs must run without it */
static void test_preload_env(void) {
  char out[256];
  CHECK_EQ_INT(fix_ic_preload_without_ours("/x/libfix_intercept.so:/u/liba.so /u/libb.so", out, sizeof out), 21);
  CHECK_EQ_STR(out, "/u/liba.so:/u/libb.so");
  fix_ic_preload_without_ours("libfix_intercept.so", out, sizeof out);
  CHECK_EQ_STR(out, "");
  fix_ic_preload_without_ours("/u/notlibfix_intercept.so::/x/libfix_intercept.so", out, sizeof out);
  CHECK_EQ_STR(out, "/u/notlibfix_intercept.so");
  CHECK(!fix_ic_links_sanitizer("/bin/sh"));
  CHECK(!fix_ic_links_sanitizer("/nonexistent"));
  CHECK(!fix_ic_links_sanitizer(tmp)); /* a directory */
  /* a 32-bit program: its header says so (no multilib here to build one; the header is what is read) */
  put("elf32", "\x7f" "ELF\x01\x01\x01" "123456789abcdefghij");
  put("elf64", "\x7f" "ELF\x02\x01\x01" "123456789abcdefghij");
  char *e32 = fix_path_join(tmp, "elf32"), *e64 = fix_path_join(tmp, "elf64");
  CHECK(fix_ic_elf32(e32) && !fix_ic_elf32(e64) && !fix_ic_elf32("/bin/sh") && !fix_ic_elf32(tmp));
  CHECK(fix_ic_without_preload(e32) && !fix_ic_without_preload(e64) && !fix_ic_without_preload("/bin/sh") &&
        !fix_ic_links_sanitizer(e32));
  free(e32), free(e64);
  put("san/m.c", "int main(void) { return 0; }\n");
  struct {
    const char *cc, *flag, *out;
  } progs[] = {{"gcc", "-fsanitize=address", "asan-gcc"}, /* DT_NEEDED libasan.so */
               {"gcc", "-fsanitize=thread", "tsan-gcc"},
               {"clang", "-fsanitize=address", "asan-clang"}, /* the runtime linked in: __asan_init */
               {"clang", "-fsanitize=memory", "msan-clang"},
               {"gcc", "-fsanitize=undefined", "ubsan-gcc"}, /* UBSan does not need to come first */
               {"gcc", "-O0", "plain"}};
  for (size_t i = 0; i < sizeof progs / sizeof *progs; i++) {
    char *cmd = fix_asprintf("cd '%s/san' && %s %s -o %s m.c 2>/dev/null", tmp, progs[i].cc, progs[i].flag,
                             progs[i].out);
    int built = system(cmd) == 0;
    free(cmd);
    if (!built) {
      fprintf(stderr, "note: %s %s cannot build here: not checked\n", progs[i].cc, progs[i].flag);
      continue;
    }
    char *path = fix_asprintf("%s/san/%s", tmp, progs[i].out);
    int want = strncmp(progs[i].out, "ubsan", 5) && strcmp(progs[i].out, "plain");
    if (fix_ic_links_sanitizer(path) != want)
      fprintf(stderr, "%s: a sanitizer runtime %s\n", progs[i].out, want ? "not seen" : "seen");
    CHECK_EQ_INT(fix_ic_links_sanitizer(path), want);
    free(path);
  }
}

static void test_response_files(void) {
  put("rsp/a.rsp", "-DA=1 'two words' \"dq \\\"x\\\"\" back\\ slash @b.rsp\n-c");
  put("rsp/b.rsp", "-DB=2 @a.rsp"); /* a cycle: stops at the depth limit */
  put("rsp/r.args", "--edition\n2021\n--cfg\nfeature=\"x\"\n");
  put("rsp/s.args", "--crate-type lib '--cfg=a b'");
  char *dir = fix_path_join(tmp, "rsp");
  char *argv[] = {"gcc", "@a.rsp", "x.c", "@missing.rsp", NULL};
  char **ex = fix_ic_expand_argv(argv, dir, FIX_IC_CC);
  CHECK(ex != NULL);
  if (ex) {
    CHECK_EQ_STR(ex[0], "gcc");
    CHECK_EQ_STR(ex[1], "-DA=1");
    CHECK_EQ_STR(ex[2], "two words");
    CHECK_EQ_STR(ex[3], "dq \"x\"");
    CHECK_EQ_STR(ex[4], "back slash");
    CHECK_EQ_STR(ex[5], "-DB=2");
    size_t n = 0;
    while (ex[n])
      n++;
    CHECK(n > 8 && n < 200); /* the cycle is cut */
    CHECK_EQ_STR(ex[n - 2], "x.c");
    CHECK_EQ_STR(ex[n - 1], "@missing.rsp"); /* unreadable: left for the compiler to report */
    fix_ic_free_argv(ex);
  }
  /* a named pipe is not read again (nobody writes to it now: opening it would wait for ever), nor
   * a device; in a child with an alarm, so that a hang fails instead of stalling the test */
  char *fifo = fix_path_join(dir, "args.fifo");
  CHECK(mkfifo(fifo, 0600) == 0);
  pid_t pid = fork();
  if (pid == 0) {
    alarm(10);
    char *fargv[] = {"gcc", "@args.fifo", "@/dev/null", "@a.rsp", NULL};
    char **fx = fix_ic_expand_argv(fargv, dir, FIX_IC_CC);
    _exit(fx && !strcmp(fx[1], "@args.fifo") && !strcmp(fx[2], "@/dev/null") && !strcmp(fx[3], "-DA=1") ? 0 : 1);
  }
  int st = 0;
  CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
  if (!WIFEXITED(st))
    fprintf(stderr, "expanding a fifo response file: killed by signal %d (a hang)\n", WTERMSIG(st));
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  free(fifo);
  char *rargv[] = {"rustc", "@r.args", "@shell:s.args", "main.rs", NULL};
  ex = fix_ic_expand_argv(rargv, dir, FIX_IC_RUSTC);
  CHECK(ex != NULL);
  if (ex) {
    const char *want[] = {"rustc", "--edition", "2021", "--cfg", "feature=\"x\"", "--crate-type", "lib", "--cfg=a b",
                          "main.rs"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
      CHECK_EQ_STR(ex[i], want[i]);
    CHECK(ex[sizeof want / sizeof *want] == NULL);
    fix_ic_free_argv(ex);
  }
  free(dir);
}

static void test_records(void) {
  const char *log =
      "{\"dir\":\"/p/build\",\"argv\":[\"cc\",\"-DOK\",\"-c\",\"../src/a.c\",\"-o\",\"a.o\"],\"status\":0}\n"
      "garbage line\n"
      "{\"dir\":\"relative\",\"argv\":[\"cc\",\"x.c\"],\"status\":0}\n" /* not absolute: skipped */
      "{\"dir\":\"/p/build\",\"argv\":[\"cc\",\"-DFAILED\",\"-c\",\"../src/a.c\",\"-o\",\"a2.o\"],\"status\":1}\n"
      "{\"dir\":\"/p\",\"argv\":[\"gcc\",\"-O2\",\"-o\",\"app\",\"m.c\",\"n.c\",\"lib.a\"],\"status\":0}\n"
      "{\"dir\":\"/p\",\"argv\":[\"rustc\",\"--edition\",\"2021\",\"src/main.rs\",\"-o\",\"app\"],\"status\":1}\n"
      "{\"dir\":\"/p/crate\",\"argv\":[\"rustc\",\"src/lib.rs\"],\"status\":1,\"cargo_manifest_dir\":\"/p/crate\"}\n"
      "{\"dir\":\"/p\",\"argv\":[\"rustc\",\"-vV\"],\"status\":0}\n"
      "{\"dir\":\"/p\",\"argv\":[\"cc\",\"-E\",\"pre.c\"],\"status\":0}\n"
      "{\"dir\":\"/p\",\"argv\":[\"cc\",\"z.c\"],\"status\":1e300}\n"
      "{\"dir\":\"/p\",\"argv\":[],\"status\":0}\n";
  struct fix_exec_log l;
  CHECK(fix_exec_log_parse(log, strlen(log), &l, NULL) == FIX_OK);
  CHECK_EQ_INT(l.n, 8);
  CHECK_EQ_INT(l.v[1].status, 1);
  CHECK_EQ_INT(l.v[7].status, 255); /* out of range: clamped */
  CHECK(l.v[4].cargo_manifest_dir != NULL);
  struct fix_compdb db = {0};
  /* a worse source first: the recorded command replaces it in place */
  struct fix_compile_cmd guess = {0};
  CHECK(fix_compile_cmd_guess("/p", "/p/src/a.c", &guess) == FIX_OK);
  CHECK(fix_compdb_add(&db, &guess) == FIX_OK);
  const struct fix_compile_cmd *held = fix_compdb_lookup(&db, "/p/src/a.c");
  fix_compdb_add_records(&db, &l);
  const struct fix_compile_cmd *a = fix_compdb_lookup(&db, "/p/src/a.c");
  CHECK(a == held); /* the same address: pointers the repair loop holds stay valid */
  CHECK(a && a->source == FIX_SRC_RECORDED && a->failed);
  CHECK(a && fix_strv_contains(&a->args, "-DFAILED")); /* the invocation that failed */
  CHECK(a && !strcmp(a->dir, "/p/build"));
  const struct fix_compile_cmd *m = fix_compdb_lookup(&db, "/p/m.c");
  CHECK(m && !fix_strv_contains(&m->args, "n.c") && fix_strv_contains(&m->args, "m.c"));
  CHECK(fix_compdb_lookup(&db, "/p/n.c") != NULL);
  CHECK(fix_compdb_lookup(&db, "/p/pre.c") == NULL); /* -E compiles nothing */
  const struct fix_compile_cmd *r = fix_compdb_lookup(&db, "/p/src/main.rs");
  CHECK(r && r->kind == FIX_CMD_RUSTC && r->failed);
  CHECK(r && fix_strv_contains(&r->args, "--error-format=json") && !fix_strv_contains(&r->args, "app"));
  CHECK(fix_compdb_lookup(&db, "/p/src/util.rs") == r); /* a module under the crate root */
  CHECK(fix_compdb_lookup(&db, "/p/crate/src/lib.rs") == NULL); /* cargo's: checked with cargo */
  /* a guess never replaces a recorded command */
  CHECK(fix_compdb_add(&db, &guess) == FIX_OK);
  CHECK(fix_compdb_lookup(&db, "/p/src/a.c")->source == FIX_SRC_RECORDED);
  /* written as compile_commands.json and read back */
  char *out = fix_path_join(tmp, "cc.json");
  CHECK(fix_compdb_write(&db, out, 0, NULL) == FIX_OK);
  struct fix_compdb back = {0};
  CHECK(fix_compdb_load(out, &back, NULL) == FIX_OK);
  size_t cc = 0;
  for (size_t i = 0; i < db.n; i++)
    cc += db.v[i]->kind == FIX_CMD_CC;
  CHECK_EQ_INT(back.n, cc);
  const struct fix_compile_cmd *a2 = fix_compdb_lookup(&back, "/p/src/a.c");
  CHECK(a2 && a2->args.n == a->args.n);
  struct fix_buf text;
  CHECK(fix_file_read(out, 1 << 20, &text, NULL) == FIX_OK);
  CHECK(text.data && strstr(text.data, "\"output\":\t\"/p/build/a2.o\"") != NULL);
  fix_buf_free(&text);
  fix_compdb_free(&back);
  /* with rustc (fix's own database): the crate comes back as a rustc check */
  CHECK(fix_compdb_write(&db, out, 1, NULL) == FIX_OK);
  CHECK(fix_compdb_load(out, &back, NULL) == FIX_OK);
  r = fix_compdb_lookup(&back, "/p/src/main.rs");
  CHECK(r && r->kind == FIX_CMD_RUSTC);
  fix_compdb_free(&back);
  free(out);
  fix_compile_cmd_free(&guess);
  fix_compdb_free(&db);
  fix_exec_log_free(&l);
}

static char *joined(char **v) {
  struct fix_buf b;
  fix_buf_init(&b, 0);
  for (size_t i = 0; v && v[i]; i++)
    fix_buf_printf(&b, "%s%s", i ? " " : "", v[i]);
  free(v);
  return fix_buf_take(&b);
}

static void kg(const char *cwd, const char *const *argv, const char *want) {
  const char *added = NULL;
  char *got = joined(fix_build_keep_going(argv, cwd, &added));
  if (strcmp(got, want) != 0)
    fprintf(stderr, "keep-going: got '%s', want '%s'\n", got, want);
  CHECK_EQ_STR(got, want);
  CHECK((added != NULL) == (want[0] != '\0'));
  free(got);
}

static void test_keep_going(void) {
  unsetenv("MAKEFLAGS");
  kg(tmp, (const char *[]){"make", NULL}, "make -k");
  kg(tmp, (const char *[]){"make", "-j8", "all", NULL}, "make -k -j8 all");
  kg(tmp, (const char *[]){"make", "-kj8", NULL}, "");
  kg(tmp, (const char *[]){"make", "-j8", "-S", NULL}, "");
  kg(tmp, (const char *[]){"make", "--keep-going", NULL}, "");
  kg(tmp, (const char *[]){"make", "-fmakefile.k", NULL}, "make -k -fmakefile.k"); /* k in a file name */
  setenv("MAKEFLAGS", "k -j4", 1);
  kg(tmp, (const char *[]){"make", NULL}, "");
  unsetenv("MAKEFLAGS");
  kg(tmp, (const char *[]){"ninja", "-C", "build", NULL}, "ninja -k 0 -C build");
  kg(tmp, (const char *[]){"ninja", "-k", "3", NULL}, "");
  /* cargo: only one that knows --keep-going (1.74 on; Debian 12's 0.66 refuses it) */
  put("new/cargo", "#!/bin/sh\necho 'cargo 1.95.0 (f2d3ce0bd 2026-03-21)'\n");
  put("old/cargo", "#!/bin/sh\necho 'cargo 0.66.0'\n");
  char *newc = fix_path_join(tmp, "new/cargo"), *oldc = fix_path_join(tmp, "old/cargo");
  chmod(newc, 0755), chmod(oldc, 0755);
  char *w1 = fix_asprintf("%s build --keep-going --release", newc), *w2 = fix_asprintf("%s +nightly check --keep-going", newc);
  kg(tmp, (const char *[]){newc, "build", "--release", NULL}, w1);
  kg(tmp, (const char *[]){newc, "+nightly", "check", NULL}, w2);
  kg(tmp, (const char *[]){newc, "test", NULL}, ""); /* cargo test has no --keep-going */
  kg(tmp, (const char *[]){newc, "build", "--keep-going", NULL}, "");
  kg(tmp, (const char *[]){oldc, "build", NULL}, "");
  char *w3 = fix_asprintf("%s build --keep-going", newc); /* asked again after the old one */
  kg(tmp, (const char *[]){newc, "build", NULL}, w3);
  free(w1), free(w2), free(w3), free(newc), free(oldc);
  kg(tmp, (const char *[]){"sh", "build.sh", NULL}, "");
  put("bm/CMakeCache.txt", "# cache\nCMAKE_GENERATOR:INTERNAL=Unix Makefiles\n");
  put("bn/CMakeCache.txt", "# cache\nCMAKE_GENERATOR:INTERNAL=Ninja\n");
  kg(tmp, (const char *[]){"cmake", "--build", "bm", NULL}, "cmake --build bm -- -k");
  kg(tmp, (const char *[]){"cmake", "--build", "bm", "--", "-j4", NULL}, "cmake --build bm -- -j4 -k");
  kg(tmp, (const char *[]){"cmake", "--build", "bm", "--", "-k", NULL}, "");
  kg(tmp, (const char *[]){"cmake", "--build", "bn", NULL}, "cmake --build bn -- -k 0");
  kg(tmp, (const char *[]){"cmake", "--build", "nowhere", NULL}, "");
}

/* a real build through the library: sh running gcc from a subdirectory, quietly */
static void test_live(void) {
  setenv("FIX_INTERCEPT_LIB", FIX_BUILD_DIR "/libfix_intercept.so", 1);
  setenv("FIX_INTERCEPT_EXEC", FIX_BUILD_DIR "/fix-intercept-exec", 1);
  put("live/sub/a.c", "int f(void) { return undefined_y; }\n");
  put("live/sub/b.c", "int g(void) { return 2; }\n");
  put("live/build.sh", "cd sub && gcc -DLIVE=1 -c a.c -o a.o 2>/dev/null; gcc -c b.c -o b.o; exit 3\n");
  const char *argv[] = {"sh", "build.sh", NULL};
  char *notice = NULL;
  struct fix_intercept *ic = fix_intercept_new(argv, &notice);
  if (notice)
    fprintf(stderr, "notice: %s\n", notice);
  CHECK(ic != NULL && notice == NULL);
  char *dir = fix_path_join(tmp, "live");
  struct fix_build_opts o = {argv, dir, -1, -1, 60, 0, 0, ic, NULL, NULL};
  struct fix_build_result r;
  CHECK(fix_build_run(&o, &r, NULL) == FIX_OK);
  CHECK_EQ_INT(r.exit_code, 3);
  CHECK_EQ_INT(r.records.n, 2);
  CHECK_EQ_INT(r.diags.n, 0); /* the script hid gcc's output */
  char *sub = fix_path_join(dir, "sub");
  for (size_t i = 0; i < r.records.n; i++)
    CHECK_EQ_STR(r.records.v[i].dir, sub);
  CHECK(r.records.n == 2 && r.records.v[0].status == 1 && r.records.v[1].status == 0);
  CHECK(r.records.n && fix_strv_contains(&r.records.v[0].argv, "-DLIVE=1"));
  fix_build_result_free(&r);
  /* a second build starts with an empty record */
  CHECK(fix_build_run(&o, &r, NULL) == FIX_OK);
  CHECK_EQ_INT(r.records.n, 2);
  fix_build_result_free(&r);
  fix_intercept_free(ic);
  /* turned off, and a library that cannot load: no interception, and a notice for the latter */
  setenv("FIX_INTERCEPT", "0", 1);
  ic = fix_intercept_new(argv, &notice);
  CHECK(ic == NULL && notice == NULL);
  unsetenv("FIX_INTERCEPT");
  setenv("FIX_INTERCEPT_LIB", "/nonexistent/libfix_intercept.so", 1);
  ic = fix_intercept_new(argv, &notice);
  CHECK(ic == NULL && notice && strstr(notice, "does not load"));
  free(notice);
  unsetenv("FIX_INTERCEPT_LIB");
  unsetenv("FIX_INTERCEPT_EXEC");
  free(sub);
  free(dir);
}

/* the language server, with no compile_commands.json, checks with the flags `fix compdb` recorded */
static void test_lsp_uses_recorded(void) {
  put("lsp/src/main.c", "int value(void) { return SCALE * 2; }\n");
  put("lsp/Makefile", "all:\n\t@cd src && cc -DSCALE=3 -c main.c -o main.o\n");
  char *dir = fix_path_join(tmp, "lsp");
  char *state = fix_path_join(tmp, "state");
  setenv("XDG_STATE_HOME", state, 1);
  char *git = fix_asprintf("cd '%s' && git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm i", dir);
  CHECK(system(git) == 0);
  char *file = fix_path_join(dir, "src/main.c");
  struct fix_options o;
  fix_options_defaults(&o);
  struct fix_diag_list l;
  fix_diag_list_init(&l);
  CHECK(fix_repair_diagnose(&o, dir, file, NULL, 0, &l, NULL) == FIX_OK);
  CHECK(fix_diag_list_count(&l, FIX_SEV_ERROR) > 0); /* a guess: SCALE is undeclared */
  fix_diag_list_free(&l);
  char *rec = fix_asprintf("cd '%s' && '%s' compdb -o - -- make >/dev/null 2>&1", dir, FIX_BIN);
  CHECK(system(rec) == 0);
  fix_diag_list_init(&l);
  CHECK(fix_repair_diagnose(&o, dir, file, NULL, 0, &l, NULL) == FIX_OK);
  CHECK_EQ_INT(fix_diag_list_count(&l, FIX_SEV_ERROR), 0);
  fix_diag_list_free(&l);
  fix_options_free(&o);
  unsetenv("XDG_STATE_HOME");
  free(rec);
  free(git);
  free(file);
  free(state);
  free(dir);
}

int main(void) {
  tmp = fix_mkdtemp("fix-test-intercept");
  char real[4096];
  if (!tmp || !realpath(tmp, real))
    return 1;
  free(tmp);
  tmp = fix_strdup(real);
  test_names();
  test_preload_env();
  test_response_files();
  test_records();
  test_keep_going();
  test_live();
  test_lsp_uses_recorded();
  fix_rmtree(tmp);
  free(tmp);
  return check_summary();
}
