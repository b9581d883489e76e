/* test_build.c — compile commands (JSON, build logs, guesses), the shadow tree, and single-TU
 * checks that see edited headers exactly as the project would. Uses the installed cc. */
#include "check.h"
#include "tmpfiles.h"
#include "fix/build.h"

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
  struct fix_build_opts o = {argv, dir, -1, -1, 60, 0, 0, NULL};
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
  test_shadow_check();
  test_guess_and_toolchain();
  test_build_run();
  fix_rmtree(tmp);
  free(tmp);
  return check_summary();
}
