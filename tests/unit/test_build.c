/* test_build.c — compile commands (JSON, build logs, guesses), the shadow tree, and single-TU
 * checks that see edited headers exactly as the project would. Uses the installed cc. */
#include "check.h"
#include "tmpfiles.h"
#include "fix/build.h"

#include <sys/stat.h>

static char *tmp;

static void put(const char *rel, const char *text) { put_file(tmp, rel, text); }

static void test_compdb(void) {
  char *json = fix_asprintf("[{\"directory\": \"%s/build\", \"file\": \"../src/a.c\", \"arguments\": [\"cc\", \"-Iinc\", "
                            "\"-c\", \"../src/a.c\", \"-o\", \"a.o\"]},\n"
                            " {\"directory\": \"%s\", \"file\": \"src/b.c\", \"command\": \"gcc -DX='\\\"a b\\\"' -c "
                            "src/b.c\"},\n {\"file\": 3}]",
                            tmp, tmp);
  put("build/compile_commands.json", json);
  free(json);
  char *found = fix_compdb_find(tmp, NULL);
  char *want = fix_path_join(tmp, "build/compile_commands.json");
  CHECK_EQ_STR(found, want);
  struct fix_compdb db = {0};
  struct fix_err err;
  CHECK(fix_compdb_load(found, &db, &err) == FIX_OK);
  CHECK_EQ_INT(db.n, 2);
  char *a = fix_path_join(tmp, "src/a.c");
  const struct fix_compile_cmd *c = fix_compdb_lookup(&db, a);
  CHECK(c != NULL);
  if (c) {
    struct fix_strv args = {0};
    CHECK(fix_compile_cmd_check_args(c, 1, &args) == FIX_OK);
    CHECK_EQ_INT(args.n, 1); /* -Iinc: compiler, -c, -o a.o and the source are dropped */
    fix_strv_free(&args);
  }
  char *b = fix_path_join(tmp, "src/b.c");
  c = fix_compdb_lookup(&db, b);
  CHECK(c && c->args.n == 4 && !strcmp(c->args.v[1], "-DX=\"a b\""));
  fix_compdb_free(&db);
  put("bad.json", "{not json");
  char *bad = fix_path_join(tmp, "bad.json");
  CHECK(fix_compdb_load(bad, &db, &err) == FIX_ERR_PARSE);
  fix_compdb_free(&db);
  free(bad);
  free(a);
  free(b);
  free(found);
  free(want);
}

static void test_from_log(void) {
  const char *log = "make -C lib\n"
                    "make[1]: Entering directory '/proj/lib'\n"
                    "gcc -O2 -Wall -c util.c -o util.o\n"
                    "make[1]: Leaving directory '/proj/lib'\n"
                    "x86_64-linux-gnu-gcc-12 -Iinclude -c src/main.c\n"
                    "echo cc -c fake.c && true\n"
                    "ar rcs libx.a util.o\n"
                    "g++ -std=c++17 -c 'dir with space/w.cpp' -MD -MF w.d\n";
  struct fix_compdb db = {0};
  CHECK(fix_compdb_from_log(log, strlen(log), "/proj", &db, NULL) == FIX_OK);
  CHECK_EQ_INT(db.n, 3);
  CHECK(fix_compdb_lookup(&db, "/proj/lib/util.c") != NULL);
  const struct fix_compile_cmd *m = fix_compdb_lookup(&db, "/proj/src/main.c");
  CHECK(m && !strcmp(m->dir, "/proj"));
  CHECK(fix_compdb_lookup(&db, "/proj/dir with space/w.cpp") != NULL);
  fix_compdb_free(&db);
}

static void test_shadow_check(void) {
  put("p/include/api.h", "int api(int);\n");
  put("p/src/local.h", "#define LOCAL 1\n");
  put("p/src/main.c", "#include \"api.h\"\n#include \"local.h\"\nint main(void) { return api(LOCAL); }\n");
  char *root = fix_path_join(tmp, "p");
  char *mainc = fix_path_join(root, "src/main.c");
  char *api = fix_path_join(root, "include/api.h");
  char *local = fix_path_join(root, "src/local.h");
  struct fix_compile_cmd cmd = {0};
  cmd.dir = fix_strdup(root);
  cmd.file = fix_strdup(mainc);
  fix_strv_push(&cmd.args, "cc");
  fix_strv_push_own(&cmd.args, fix_asprintf("-I%s/include", root));
  fix_strv_push(&cmd.args, "-c");
  fix_strv_push(&cmd.args, "src/main.c");
  fix_strv_push(&cmd.args, "-o");
  fix_strv_push(&cmd.args, "main.o");
  CHECK_EQ_INT(fix_compile_cmd_compiler(&cmd), FIX_CC_GCC);
  struct fix_shadow *sh = NULL;
  struct fix_err err;
  CHECK(fix_shadow_new(root, &sh, &err) == FIX_OK);
  struct fix_diag_list l;
  fix_diag_list_init(&l);
  CHECK(fix_check_tu(sh, &cmd, 60, &l, &err) == FIX_OK);
  CHECK_EQ_INT(fix_diag_list_count(&l, FIX_SEV_ERROR), 0);
  fix_diag_list_free(&l);
  /* an edit to a header found through -I, and one found beside the includer, both seen */
  const char *bad_api = "int api(int, int);\n";
  CHECK(fix_shadow_put(sh, api, bad_api, strlen(bad_api), &err) == FIX_OK);
  fix_diag_list_init(&l);
  CHECK(fix_check_tu(sh, &cmd, 60, &l, &err) == FIX_OK);
  CHECK_EQ_INT(fix_diag_list_count(&l, FIX_SEV_ERROR), 1);
  CHECK(l.n && l.v[0].pos.file && !strcmp(l.v[0].pos.file, mainc)); /* mapped back to the project */
  fix_diag_list_free(&l);
  CHECK(fix_shadow_reset(sh, api, &err) == FIX_OK);
  const char *bad_local = "#define LOCAL undefined_thing\n";
  CHECK(fix_shadow_put(sh, local, bad_local, strlen(bad_local), &err) == FIX_OK);
  fix_diag_list_init(&l);
  CHECK(fix_check_tu(sh, &cmd, 60, &l, &err) == FIX_OK);
  CHECK_EQ_INT(fix_diag_list_count(&l, FIX_SEV_ERROR), 1);
  fix_diag_list_free(&l);
  CHECK(fix_shadow_reset(sh, local, &err) == FIX_OK);
  fix_diag_list_init(&l);
  CHECK(fix_check_tu(sh, &cmd, 60, &l, &err) == FIX_OK);
  CHECK_EQ_INT(fix_diag_list_count(&l, FIX_SEV_ERROR), 0);
  fix_diag_list_free(&l);
  /* the project itself was never touched, and no object file was written */
  struct fix_buf b;
  CHECK(fix_file_read(api, 100, &b, NULL) == FIX_OK);
  CHECK_EQ_STR(b.data, "int api(int);\n");
  fix_buf_free(&b);
  char *obj = fix_path_join(root, "main.o");
  CHECK(!fix_file_exists(obj));
  free(obj);
  /* outside the root is refused */
  CHECK(fix_shadow_put(sh, "/etc/hosts", "x", 1, &err) == FIX_ERR_OUTSIDE_ROOT);
  char *sdir = fix_strdup(fix_shadow_dir(sh));
  fix_shadow_free(sh);
  CHECK(!fix_dir_exists(sdir));
  free(sdir);
  fix_compile_cmd_free(&cmd);
  free(root);
  free(mainc);
  free(api);
  free(local);
}

static void test_guess_and_toolchain(void) {
  struct fix_compile_cmd g;
  CHECK(fix_compile_cmd_guess("/r", "/r/x.cpp", &g) == FIX_OK);
  CHECK(g.args.n >= 4 && !strcmp(g.args.v[g.args.n - 1], "/r/x.cpp"));
  fix_compile_cmd_free(&g);
  const char *mk[] = {"/usr/bin/make", "-j8", NULL};
  const char *cm[] = {"cmake", "--build", "b", NULL};
  const char *cg[] = {"cargo", "build", NULL};
  CHECK_EQ_INT(fix_toolchain_detect(mk), FIX_TC_MAKE);
  CHECK_EQ_INT(fix_toolchain_detect(cm), FIX_TC_CMAKE);
  CHECK_EQ_INT(fix_toolchain_detect(cg), FIX_TC_CARGO);
}

static void test_build_run(void) {
  put("r/a.c", "int main(void) { return undefined_x; }\n");
  char *dir = fix_path_join(tmp, "r");
  const char *argv[] = {"cc", "-c", "a.c", "-o", "/dev/null", NULL};
  struct fix_build_opts o = {argv, dir, -1, -1, 60, 0, 0, NULL, NULL, NULL};
  struct fix_build_result r;
  struct fix_err err;
  CHECK(fix_build_run(&o, &r, &err) == FIX_OK);
  CHECK(r.exit_code != 0);
  CHECK_EQ_INT(fix_diag_list_count(&r.diags, FIX_SEV_ERROR), 1);
  char *a = fix_path_join(dir, "a.c");
  CHECK(r.diags.n && !strcmp(r.diags.v[0].pos.file, a)); /* absolute after normalisation */
  free(a);
  fix_build_result_free(&r);
  free(dir);
}

static char *joined(const struct fix_strv *v) {
  struct fix_buf b;
  fix_buf_init(&b, 0);
  for (size_t i = 0; i < v->n; i++)
    fix_buf_printf(&b, "%s%s", i ? " " : "", v->v[i]);
  return fix_buf_take(&b);
}

static void test_rust_check_cmd(void) {
  struct fix_compile_cmd c;
  const char *a1[] = {"cargo", "+stable", "build", "-p", "app", "--features", "x", "--release", "-j", "8", NULL};
  CHECK(fix_rust_check_cmd(a1, "/w", &c) == FIX_OK);
  char *j = joined(&c.args);
  CHECK_EQ_STR(j, "cargo +stable check --message-format=json -p app --features x --release");
  CHECK_EQ_INT(c.kind, FIX_CMD_CARGO);
  CHECK_EQ_INT(fix_compile_cmd_compiler(&c), FIX_CC_RUSTC);
  free(j);
  fix_compile_cmd_free(&c);
  const char *a2[] = {"cargo", "clippy", "--all-targets", "--", "-D", "warnings", NULL};
  CHECK(fix_rust_check_cmd(a2, "/w", &c) == FIX_OK);
  j = joined(&c.args);
  CHECK_EQ_STR(j, "cargo clippy --message-format=json --all-targets -- -D warnings");
  free(j);
  fix_compile_cmd_free(&c);
  const char *a3[] = {"cargo", "test", "--no-run", "--", "--nocapture", NULL};
  CHECK(fix_rust_check_cmd(a3, "/w", &c) == FIX_OK);
  j = joined(&c.args);
  CHECK_EQ_STR(j, "cargo check --message-format=json --tests");
  free(j);
  fix_compile_cmd_free(&c);
  const char *a4[] = {"rustc", "--edition", "2021", "-o", "app", "src/main.rs", NULL};
  CHECK(fix_rust_check_cmd(a4, "/w", &c) == FIX_OK);
  CHECK_EQ_STR(c.file, "/w/src/main.rs");
  j = joined(&c.args);
  CHECK_EQ_STR(j, "rustc --edition 2021 src/main.rs --error-format=json --json=diagnostic-rendered-ansi --emit=metadata");
  free(j);
  fix_compile_cmd_free(&c);
  const char *a5[] = {"make", NULL};
  CHECK(fix_rust_check_cmd(a5, "/w", &c) == FIX_ERR_NOT_FOUND);
}

/* A repository's compile_commands.json in a project not trusted: which compilers may run, and
 * which flags stay. PATH is set to a directory of fake compilers outside the project. */
static char *words(const struct fix_strv *v) {
  struct fix_buf b;
  fix_buf_init(&b, 0);
  for (size_t i = 0; i < v->n; i++) {
    if (i)
      fix_buf_puts(&b, " ");
    fix_buf_puts(&b, v->v[i]);
  }
  return fix_buf_take(&b);
}

static int accepted(const char *dir, const char *root, const char *const *argv) {
  return fix_compiler_trusted(argv, dir, root);
}

static void test_sanitize(void) {
  char *root = fix_path_join(tmp, "proj");
  char *bin = fix_path_join(tmp, "bin"); /* the user's own tools: on PATH, outside the project */
  put("proj/cc", "#!/bin/sh\ntouch PWNED\n");
  put("proj/evil", "#!/bin/sh\ntouch PWNED\n");
  put("proj/tools/gcc", "#!/bin/sh\ntouch PWNED\n");
  put("bin/gcc", "#!/bin/sh\nexit 0\n");
  put("bin/ccache", "#!/bin/sh\nexit 0\n");
  put("elsewhere/gcc", "#!/bin/sh\nexit 0\n");
  const char *exe[] = {"proj/cc", "proj/evil", "proj/tools/gcc", "bin/gcc", "bin/ccache", "elsewhere/gcc"};
  for (size_t i = 0; i < sizeof exe / sizeof *exe; i++) {
    char *p = fix_path_join(tmp, exe[i]);
    CHECK(p && chmod(p, 0755) == 0);
    free(p);
  }
  char *old_path = getenv("PATH") ? fix_strdup(getenv("PATH")) : NULL;
  char *path = fix_asprintf("%s:/usr/bin:/bin", bin);
  setenv("PATH", path, 1);
  char *other = fix_path_join(tmp, "elsewhere/gcc");
  char *inproj = fix_path_join(root, "tools/gcc");
  struct {
    const char *argv[4];
    int ok;
  } compilers[] = {
      {{"gcc", "-c", "main.c"}, 1},                  /* PATH's, outside the project */
      {{"/usr/bin/gcc-12", "-c", "main.c"}, 1},      /* a system directory */
      {{"x86_64-linux-gnu-gcc", "-c", "main.c"}, 1}, /* cross-prefixed */
      {{"aarch64-linux-gnu-g++-12", "-c", "m.cc"}, 1},
      {{"clang++", "-c", "m.cc"}, 1},
      {{"/opt/rh/gcc-toolset-12/root/usr/bin/gcc", "-c", "main.c"}, 1},
      {{"ccache", "gcc", "-c"}, 1},
      {{"/usr/bin/sccache", "clang", "-c"}, 1},
      {{"rustc", "src/lib.rs"}, 1},
      {{"./cc", "-c", "main.c"}, 0},      /* in the project */
      {{"tools/gcc", "-c", "main.c"}, 0}, /* in the project */
      {{inproj, "-c", "main.c"}, 0},
      {{other, "-c", "main.c"}, 0},      /* named gcc, but not where compilers are installed */
      {{"/tmp/x/gcc", "-c", "main.c"}, 0},
      {{"ccache", "./evil", "-c"}, 0},   /* a launcher runs what follows it */
      {{"ccache", "sh", "-c"}, 0},
      {{"ccache", "./cc", "-c"}, 0},
      {{"/bin/sh", "-c", "id"}, 0},
      {{"sh", "-c", "id"}, 0},
      {{"python3", "x.py"}, 0},
      {{"./evil.sh", "-c", "main.c"}, 0},
      {{"", "-c"}, 0},
  };
  for (size_t i = 0; i < sizeof compilers / sizeof *compilers; i++) {
    int got = accepted(root, root, compilers[i].argv);
    if (got != compilers[i].ok)
      fprintf(stderr, "compiler %s %s: %d\n", compilers[i].argv[0], compilers[i].argv[1], got);
    CHECK_EQ_INT(got, compilers[i].ok);
  }
  /* a PATH that reaches into the project ("." or its own bin directory) finds the project's gcc */
  char *path2 = fix_asprintf("%s/tools:%s", root, path);
  setenv("PATH", path2, 1);
  const char *gcc[] = {"gcc", "-c", "main.c", NULL};
  CHECK(!accepted(root, root, gcc));
  setenv("PATH", ".:/usr/bin:/bin", 1);
  char *tools = fix_path_join(root, "tools");
  CHECK(!accepted(tools, root, gcc));
  setenv("PATH", path, 1);
  CHECK(accepted(tools, root, gcc));
  free(path2);
  free(tools);

  /* flags: each unsafe one dropped (with its argument), the rest kept in order */
  struct {
    const char *in;
    const char *out;
  } flags[] = {
      {"gcc -wrapper /bin/sh,-c,id -c main.c", "gcc -c main.c"},
      {"gcc -B /tmp/x -Bevil/ -c main.c", "gcc -c main.c"},
      {"gcc --prefix=evil/ --prefix evil -c main.c", "gcc -c main.c"},
      {"gcc -specs=evil.specs --specs=nano.specs --specs x.specs -c main.c", "gcc -c main.c"},
      {"gcc -fplugin=./evil.so -fplugin-arg-evil-x=1 -iplugindir=. -c main.c", "gcc -c main.c"},
      {"clang -fpass-plugin=./p.so -c main.c", "clang -c main.c"},
      {"clang -Xclang -load -Xclang ./p.so -Xclang -add-plugin -Xclang p -c main.c", "clang -c main.c"},
      {"clang -Xclang -plugin-arg-p -Xclang v -Xclang=-load -Xclang=./p.so -c main.c", "clang -c main.c"},
      {"clang -Xclang -fno-pch-timestamp -c main.c", "clang -Xclang -fno-pch-timestamp -c main.c"},
      {"clang -cc1 -load ./p.so -plugin p -fsyntax-only main.c", "clang -cc1 -fsyntax-only main.c"},
      {"clang -mllvm -load=./p.so -mllvm -inline-threshold=10 -c main.c", "clang -mllvm -inline-threshold=10 -c main.c"},
      {"clang --gcc-toolchain=/tmp/tc -gcc-toolchain /tmp/tc --gcc-install-dir=/x -c main.c", "clang -c main.c"},
      {"clang -ccc-install-dir /x -fuse-ld=./ld.evil --ld-path=/x/ld -fuse-ld=lld -c main.c", "clang -fuse-ld=lld -c main.c"},
      {"clang --config ./evil.cfg --config=evil.cfg --config-user-dir=. -c main.c", "clang -c main.c"},
      {"gcc @args.rsp -c main.c @/tmp/x", "gcc -c main.c"},
      {"gcc -Xlinker -rpath -Wl,-z,now -Xassembler x -Wa,-adhln -c main.c", "gcc -c main.c"},
      {"gcc -Wp,-D_FORTIFY_SOURCE=2 -Wp,-fplugin=./p.so -Wp,-MD,x.d -c main.c", "gcc -Wp,-D_FORTIFY_SOURCE=2 -c main.c"},
      {"gcc -Xpreprocessor -DX -Xpreprocessor -fplugin=p.so -c main.c", "gcc -Xpreprocessor -DX -c main.c"},
      {"clang -Xarch_x86_64 -fplugin=p.so -Xopenmp-target -x -c main.c", "clang -c main.c"},
      {"gcc -aux-info /home/u/.bashrc -MJ x.json -save-temps=obj -dumpdir /x -c main.c", "gcc -c main.c"},
      {"gcc -fdump-tree-all=/x/y -fdump-tree-original -ftime-trace=/x -c main.c", "gcc -fdump-tree-original -c main.c"},
      /* what decides the diagnostics stays */
      {"gcc -Iinc -I inc2 -isystem sys -DX=1 -UY -std=c11 -O2 -Wall -Werror=format -fno-common -m64 --sysroot=/sr "
       "-isysroot /sr -include cfg.h -fprofile-arcs -x c -c main.c -o main.o",
       "gcc -Iinc -I inc2 -isystem sys -DX=1 -UY -std=c11 -O2 -Wall -Werror=format -fno-common -m64 --sysroot=/sr "
       "-isysroot /sr -include cfg.h -fprofile-arcs -x c -c main.c -o main.o"},
      {"ccache gcc -B x -DX -c main.c", "ccache gcc -DX -c main.c"},
  };
  for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
    struct fix_compile_cmd c = {0};
    c.dir = fix_strdup(root);
    c.file = fix_path_join(root, "main.c");
    c.source = FIX_SRC_COMPDB;
    CHECK(fix_shell_split(flags[i].in, &c.args, NULL) == FIX_OK);
    struct fix_strv refused = {0}, dropped = {0};
    int r = fix_compile_cmd_sanitize(&c, root, &refused, &dropped);
    char *got = words(&c.args);
    int same = !strcmp(flags[i].in, flags[i].out);
    if (!got || strcmp(got, flags[i].out) || r != !same)
      fprintf(stderr, "sanitize '%s' -> %d '%s'\n", flags[i].in, r, got ? got : "(null)");
    CHECK_EQ_STR(got, flags[i].out);
    CHECK_EQ_INT(r, !same);
    CHECK_EQ_INT(refused.n, 0);
    CHECK(same ? dropped.n == 0 : dropped.n > 0);
    free(got);
    fix_strv_free(&refused);
    fix_strv_free(&dropped);
    fix_compile_cmd_free(&c);
  }

  /* rustc: where proc macros and codegen backends come from */
  struct fix_compile_cmd rc = {0};
  rc.dir = fix_strdup(root);
  rc.file = fix_path_join(root, "src/lib.rs");
  rc.kind = FIX_CMD_RUSTC;
  rc.source = FIX_SRC_COMPDB;
  CHECK(fix_shell_split("rustc --edition 2021 -Zcodegen-backend=./b.so -L dependency=target/deps --extern "
                        "m=target/deps/libm.so --extern d=target/deps/libd.rlib -C linker=./ld --cfg test src/lib.rs",
                        &rc.args, NULL) == FIX_OK);
  CHECK_EQ_INT(fix_compile_cmd_sanitize(&rc, root, NULL, NULL), 1);
  char *rj = words(&rc.args);
  CHECK_EQ_STR(rj, "rustc --edition 2021 --extern d=target/deps/libd.rlib --cfg test src/lib.rs");
  free(rj);
  fix_compile_cmd_free(&rc);

  /* a whole database: the script entry goes (its file then gets a guess), the -wrapper flag goes,
   * each named once */
  char *json = fix_asprintf(
      "[{\"directory\": \"%s\", \"file\": \"main.c\", \"arguments\": [\"gcc\", \"-wrapper\", \"/bin/sh,-c,id\", \"-c\", "
      "\"main.c\"]},\n {\"directory\": \"%s\", \"file\": \"b.c\", \"arguments\": [\"gcc\", \"-wrapper\", \"x\", \"-c\", "
      "\"b.c\"]},\n {\"directory\": \"%s\", \"file\": \"c.c\", \"command\": \"./evil -c c.c\"},\n"
      " {\"directory\": \"%s\", \"file\": \"d.c\", \"command\": \"gcc -Wall -c d.c\"}]",
      root, root, root, root);
  struct fix_compdb db = {0};
  CHECK(fix_compdb_parse(json, strlen(json), "compile_commands.json", &db, NULL) == FIX_OK);
  struct fix_strv refused = {0}, dropped = {0};
  CHECK_EQ_INT(fix_compdb_sanitize(&db, root, &refused, &dropped), 3);
  CHECK_EQ_INT(db.n, 3);
  CHECK_EQ_INT(refused.n, 1);
  CHECK(refused.n == 1 && !strcmp(refused.v[0], "./evil"));
  CHECK(dropped.n == 1 && !strcmp(dropped.v[0], "-wrapper"));
  char *cfile = fix_path_join(root, "c.c"), *mfile = fix_path_join(root, "main.c");
  CHECK(fix_compdb_lookup(&db, cfile) == NULL);
  const struct fix_compile_cmd *m = fix_compdb_lookup(&db, mfile);
  CHECK(m && m->args.n == 3);
  free(cfile);
  free(mfile);
  fix_strv_free(&refused);
  fix_strv_free(&dropped);
  fix_compdb_free(&db);
  free(json);

  if (old_path)
    setenv("PATH", old_path, 1);
  else
    unsetenv("PATH");
  free(old_path);
  free(path);
  free(other);
  free(inproj);
  free(bin);
  free(root);
}

int main(void) {
  test_rust_check_cmd();
  tmp = fix_mkdtemp("fix-test-build");
  char real[4096];
  if (!tmp || !realpath(tmp, real))
    return 1;
  free(tmp);
  tmp = fix_strdup(real);
  test_compdb();
  test_from_log();
  test_sanitize();
  test_shadow_check();
  test_guess_and_toolchain();
  test_build_run();
  fix_rmtree(tmp);
  free(tmp);
  return check_summary();
}
