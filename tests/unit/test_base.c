/* test_base.c — buffers and caps, shell words, paths and containment, atomic writes, processes. */
#include "check.h"
#include "fix/base.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_buf(void) {
  struct fix_buf b;
  fix_buf_init(&b, 8);
  CHECK(fix_buf_puts(&b, "abcd") == FIX_OK);
  CHECK(fix_buf_puts(&b, "efgh") == FIX_OK);
  CHECK(fix_buf_puts(&b, "i") == FIX_ERR_TOO_BIG); /* the cap holds ... */
  CHECK_EQ_STR(b.data, "abcdefgh");                /* ... and a failed append changes nothing */
  fix_buf_clear(&b);
  CHECK(fix_buf_printf(&b, "%d-%s", 42, "x") == FIX_OK);
  CHECK_EQ_STR(b.data, "42-x");
  char *t = fix_buf_take(&b);
  CHECK_EQ_STR(t, "42-x");
  CHECK(b.data == NULL && b.len == 0);
  free(t);
  fix_buf_free(&b);
  fix_buf_free(NULL);
}

static void test_shell(void) {
  struct fix_strv w = {0};
  CHECK(fix_shell_split("cc -DNAME='\"a b\"' \"x y.c\" -I dir\\ with\\ space -c", &w, NULL) == FIX_OK);
  CHECK_EQ_INT(w.n, 6);
  if (w.n == 6) {
    CHECK_EQ_STR(w.v[1], "-DNAME=\"a b\"");
    CHECK_EQ_STR(w.v[2], "x y.c");
    CHECK_EQ_STR(w.v[4], "dir with space");
  }
  fix_strv_free(&w);
  struct fix_err err;
  CHECK(fix_shell_split("cc 'unterminated", &w, &err) == FIX_ERR_PARSE);
  fix_strv_free(&w);
  char *q = fix_shell_quote("it's");
  CHECK_EQ_STR(q, "'it'\\''s'");
  free(q);
}

static void test_paths(void) {
  char *n = fix_path_normalize("/a/./b//c/../d/");
  CHECK_EQ_STR(n, "/a/b/d");
  free(n);
  n = fix_path_normalize("x/../../y");
  CHECK_EQ_STR(n, "../y");
  free(n);
  char *r = fix_path_relative("/a/b", "/a/b/c/d.c");
  CHECK_EQ_STR(r, "c/d.c");
  free(r);
  CHECK(fix_path_relative("/a/b", "/a/bc/d") == NULL);

  char *root = fix_mkdtemp("fix-test-root");
  char *outside = fix_mkdtemp("fix-test-out");
  char real_root[4096], real_out[4096];
  CHECK(realpath(root, real_root) && realpath(outside, real_out));
  char *sub = fix_path_join(real_root, "sub");
  CHECK(fix_mkdirs(sub, NULL) == FIX_OK);
  char *link = fix_path_join(real_root, "escape");
  CHECK(symlink(real_out, link) == 0);
  char *out = NULL;
  struct fix_err err;
  CHECK(fix_path_contain(real_root, real_root, "sub/new.c", &out, &err) == FIX_OK); /* need not exist */
  char *want = fix_path_join(real_root, "sub/new.c");
  CHECK_EQ_STR(out, want);
  free(want);
  free(out);
  CHECK(fix_path_contain(real_root, real_root, "../etc/passwd", &out, &err) == FIX_ERR_OUTSIDE_ROOT);
  CHECK(fix_path_contain(real_root, real_root, "sub/../../x", &out, &err) == FIX_ERR_OUTSIDE_ROOT);
  CHECK(fix_path_contain(real_root, real_root, "escape/file.c", &out, &err) == FIX_ERR_OUTSIDE_ROOT);
  CHECK(fix_path_contain(real_root, real_root, "/etc/passwd", &out, &err) == FIX_ERR_OUTSIDE_ROOT);
  CHECK(strstr(err.msg, "outside the project root") != NULL);
  fix_rmtree(root);
  fix_rmtree(outside);
  CHECK(!fix_dir_exists(root));
  free(sub);
  free(link);
  free(root);
  free(outside);
}

static void test_atomic_write(void) {
  char *dir = fix_mkdtemp("fix-test-write");
  char *f = fix_path_join(dir, "a.sh");
  CHECK(fix_file_write_atomic(f, "one\n", 4, NULL) == FIX_OK);
  chmod(f, 0755);
  CHECK(fix_file_write_atomic(f, "two\n", 4, NULL) == FIX_OK);
  struct stat st;
  CHECK(stat(f, &st) == 0 && (st.st_mode & 0777) == 0755); /* permissions survive */
  struct fix_buf b;
  CHECK(fix_file_read(f, 100, &b, NULL) == FIX_OK);
  CHECK_EQ_STR(b.data, "two\n");
  fix_buf_free(&b);
  CHECK(fix_file_read(f, 2, &b, NULL) == FIX_ERR_TOO_BIG);
  char *missing = fix_path_join(dir, "nope");
  struct fix_err err;
  CHECK(fix_file_read(missing, 100, &b, &err) == FIX_ERR_NOT_FOUND);
  CHECK(strstr(err.msg, "nope") != NULL);
  char *nodir = fix_path_join(dir, "no/such/dir/x");
  CHECK(fix_file_write_atomic(nodir, "x", 1, &err) == FIX_ERR_IO);
  /* a device or FIFO (`-o /dev/null`) is never renamed over: as root that would replace it */
  char *fifo = fix_path_join(dir, "fifo");
  CHECK(mkfifo(fifo, 0600) == 0);
  CHECK(fix_file_write_atomic(fifo, "x", 1, &err) == FIX_ERR_IO && strstr(err.msg, "not a regular file"));
  CHECK(stat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
  free(fifo);
  fix_rmtree(dir);
  free(f);
  free(missing);
  free(nodir);
  free(dir);
}

struct sink_count {
  size_t lines, bytes, last;
  int in_order;
};

static void count_line(void *ud, int stream, const char *line, size_t n) {
  struct sink_count *c = ud;
  c->lines++;
  c->bytes += n;
  size_t v = (size_t)strtoul(line, NULL, 10);
  if (v != c->last + 1)
    c->in_order = 0;
  c->last = v;
}

/* Past the cap with keep_tail: the head, a line saying how much was left out, the tail from a whole
 * line; the sink saw every line, whole and in order. */
static void test_spawn_tail(void) {
  struct fix_spawn_opts o = {0};
  struct fix_spawn_result r;
  o.stdout_fd = o.stderr_fd = -1;
  const char *a[] = {"sh", "-c", "i=1; while [ $i -le 20000 ]; do echo $i; i=$((i+1)); done", NULL};
  o.argv = a;
  o.capture_max = 4000;
  o.keep_tail = 1;
  struct sink_count c = {0, 0, 0, 1};
  o.sink = count_line;
  o.sink_ud = &c;
  CHECK(fix_spawn_run(&o, &r, NULL) == FIX_OK);
  CHECK_EQ_INT(c.lines, 20000);
  CHECK(c.in_order);
  CHECK(r.truncated);
  CHECK(r.out.len <= 4000 + 256);
  CHECK(!strncmp(r.out.data, "1\n2\n3\n", 6));
  CHECK(strstr(r.out.data, "bytes of the build's output were not kept here]\n") != NULL);
  CHECK(r.out.len > 6 && !strcmp(r.out.data + r.out.len - 6, "20000\n"));
  const char *tail = strstr(r.out.data, "not kept here]\n");
  CHECK(tail && strtoul(tail + 15, NULL, 10) > 19000); /* the tail starts on a whole line */
  /* every byte is kept or counted (the marker line, and a newline ending a cut head, are fix's) */
  size_t marker = tail ? (size_t)(tail + 15 - strstr(r.out.data, "[fix:")) : 0;
  CHECK(r.dropped + r.out.len - marker == c.bytes || r.dropped + r.out.len - marker == c.bytes + 1);
  fix_buf_free(&r.out);
  /* without keep_tail: the head only */
  o.keep_tail = 0;
  c = (struct sink_count){0, 0, 0, 1};
  CHECK(fix_spawn_run(&o, &r, NULL) == FIX_OK);
  CHECK(r.truncated && r.out.len <= 4000 && c.lines == 20000 && r.dropped + r.out.len == c.bytes);
  fix_buf_free(&r.out);
}

static void test_spawn(void) {
  struct fix_spawn_opts o = {0};
  struct fix_spawn_result r;
  o.stdout_fd = o.stderr_fd = -1;
  const char *a1[] = {"sh", "-c", "echo out; echo err >&2; exit 3", NULL};
  o.argv = a1;
  CHECK(fix_spawn_run(&o, &r, NULL) == FIX_OK);
  CHECK_EQ_INT(r.exit_code, 3);
  CHECK(strstr(r.out.data, "out\n") && strstr(r.out.data, "err\n"));
  fix_buf_free(&r.out);

  const char *a2[] = {"definitely-not-a-command-xyz", NULL};
  o.argv = a2;
  struct fix_err err;
  CHECK(fix_spawn_run(&o, &r, &err) == FIX_ERR_SPAWN);
  CHECK(strstr(err.msg, "definitely-not-a-command-xyz") != NULL);
  fix_buf_free(&r.out);

  const char *a3[] = {"sh", "-c", "echo \"$FIX_T\"; pwd", NULL};
  const char *env[] = {"FIX_T=hello", NULL};
  o.argv = a3;
  o.env_set = env;
  o.cwd = "/";
  CHECK(fix_spawn_run(&o, &r, NULL) == FIX_OK);
  CHECK_EQ_STR(r.out.data, "hello\n/\n");
  fix_buf_free(&r.out);
  o.env_set = NULL;
  o.cwd = NULL;

  /* a timeout stops the whole process group, grandchildren included */
  const char *a4[] = {"sh", "-c", "sleep 30 & sleep 30; echo never", NULL};
  o.argv = a4;
  o.timeout_s = 0.3;
  double t0 = fix_now();
  CHECK(fix_spawn_run(&o, &r, NULL) == FIX_OK);
  CHECK(r.timed_out);
  CHECK(fix_now() - t0 < 5);
  CHECK(strstr(r.out.data, "never") == NULL);
  fix_buf_free(&r.out);
  o.timeout_s = 0;

  /* the capture cap truncates but the child still runs to the end */
  const char *a5[] = {"sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x; echo; exit 0", NULL};
  o.argv = a5;
  o.capture_max = 1000;
  CHECK(fix_spawn_run(&o, &r, NULL) == FIX_OK);
  CHECK(r.truncated);
  CHECK(r.out.len <= 1000);
  CHECK_EQ_INT(r.exit_code, 0);
  fix_buf_free(&r.out);
  o.capture_max = 0;

  /* an interruption (as from SIGINT) stops the child promptly */
  fix_interrupt_raise(SIGINT);
  const char *a6[] = {"sleep", "30", NULL};
  o.argv = a6;
  t0 = fix_now();
  CHECK(fix_spawn_run(&o, &r, NULL) == FIX_OK);
  CHECK(r.interrupted);
  CHECK(fix_now() - t0 < 5);
  fix_buf_free(&r.out);
  fix_interrupt_clear();
}

/* Endpoint URLs: credentials masked wherever they are quoted, the API path put before the query,
 * malformed URLs refused with what is wrong. */
static void redacted(const char *in, const char *want) {
  char buf[512];
  snprintf(buf, sizeof buf, "%s", in);
  fix_redact(buf);
  CHECK_EQ_STR(buf, want);
  fix_redact(buf); /* twice: the same */
  CHECK_EQ_STR(buf, want);
}

static void test_urls(void) {
  redacted("openai: cannot connect to http://alice:hunter2pass@127.0.0.1:18099/v1/chat/completions: refused",
           "openai: cannot connect to http://alice:***@127.0.0.1:18099/v1/chat/completions: refused");
  redacted("https://ghp_tokenvalue1@example.com/x", "https://***@example.com/x");
  redacted("http://a:b@h/", "http://a:*@h/");
  redacted("http://alice:@h/", "http://alice:@h/");
  redacted("POST /v1?api-key=abcdef123/chat/completions HTTP/1.1", "POST /v1?api-key=*** HTTP/1.1");
  redacted("from http://h/v1/chat/completions?api-key=K123456789&api-version=2024-02-01: HTTP 404",
           "from http://h/v1/chat/completions?api-key=***&api-version=2024-02-01: HTTP 404");
  redacted("x?API_KEY=aa&Token=bbbb&apikey=c&key=dddd&access_token=e1&password=p4ss&secret=s3cret&sig=abc%3D&monkey=m",
           "x?API_KEY=**&Token=***&apikey=*&key=***&access_token=**&password=***&secret=***&sig=***&monkey=m");
  redacted("\"url\": \"http://u:pw12345@h:1/v1?token=t0k3n\"", "\"url\": \"http://u:***@h:1/v1?token=***\"");
  redacted("mail alice@example.com, see https://example.com/a?b=c", "mail alice@example.com, see https://example.com/a?b=c");
  redacted("what? key=value", "what? key=value");

  char *u = fix_url_join("http://alice:pw@127.0.0.1:18099/v1?api-key=K", "/chat/completions");
  CHECK_EQ_STR(u, "http://alice:pw@127.0.0.1:18099/v1/chat/completions?api-key=K");
  free(u);
  u = fix_url_join("https://h/v1//", "/chat/completions");
  CHECK_EQ_STR(u, "https://h/v1/chat/completions");
  free(u);
  u = fix_url_join("http://h:11434?token=t", "/api/chat");
  CHECK_EQ_STR(u, "http://h:11434/api/chat?token=t");
  free(u);
  u = fix_url_join("http://h", "/api/chat");
  CHECK_EQ_STR(u, "http://h/api/chat");
  free(u);

  struct fix_err e;
  const char *good[] = {"http://127.0.0.1:18099/v1", "https://api.openai.com/v1", "HTTP://h", "http://h:1/",
                        "http://alice:pw@h:65535/v1?api-key=K&x=y", "http://[::1]:8080/v1", "http://my-host.local_x/v1"};
  for (size_t i = 0; i < sizeof good / sizeof *good; i++)
    CHECK(fix_url_check(good[i], &e) == FIX_OK);
  struct {
    const char *url, *why;
  } bad[] = {{"http://127.0.0.1:/v1", "port after ':' is empty"},
             {"127.0.0.1:8080/v1", "no scheme"},
             {"localhost:11434", "no scheme"},
             {"ftp://h/v1", "'ftp' is not http"},
             {"file:///etc/passwd", "'file' is not http"},
             {"http:///v1", "no host"},
             {"http://alice:pw@/v1", "no host"},
             {"http://:8080/v1", "no host"},
             {"http://h:0/v1", "'0' is not a number from 1 to 65535"},
             {"http://h:65536/v1", "'65536' is not a number"},
             {"http://h:99999999999999999999/v1", "is not a number"},
             {"http://h:8o/v1", "'8o' is not a number"},
             {"http://h/v1#frag", "fragment"},
             {"http://h /v1", "spaces"},
             {"http://[::1/v1", "IPv6"},
             {"http://h^x/v1", "'^'"},
             {"", "empty"}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    e.msg[0] = '\0';
    CHECK(fix_url_check(bad[i].url, &e) == FIX_ERR_CONFIG);
    if (!strstr(e.msg, bad[i].why))
      fprintf(stderr, "  %s: %s\n", bad[i].url, e.msg);
    CHECK(strstr(e.msg, bad[i].why) != NULL);
  }

  /* registered from the URL: an echo in another shape is masked too */
  fix_secret_add_url("http://bob:Sup3rSecretPw@h/v1?foo=1&api-key=QueryKey987&x=2");
  char echo[] = "server says: user bob, password Sup3rSecretPw, key QueryKey987 invalid";
  fix_redact(echo);
  CHECK(!strstr(echo, "Sup3rSecretPw") && !strstr(echo, "QueryKey987") && strstr(echo, "user bob"));
}

static int collect(void *ud, size_t off) {
  struct fix_buf *b = ud;
  fix_buf_printf(b, "%zu ", off);
  return 0;
}

static void test_word_scan(void) {
  const char *t = "qty = o.qty; // qty\n/* qty */ s = \"qty\"; c = 'q'; x_qty + qty2 + qtyy; fn f<'a>(q: &'a T) { qty }";
  struct fix_buf b = {0};
  size_t n = fix_word_scan(t, strlen(t), "qty", 1, collect, &b);
  CHECK_EQ_INT((int)n, 3); /* not in comments, strings or longer words; after a Rust lifetime still code */
  CHECK_EQ_STR(b.data, "0 8 92 ");
  fix_buf_free(&b);
  CHECK_EQ_INT((int)fix_word_scan(t, strlen(t), "qty", 0, NULL, NULL), 6); /* text mode: comments and strings too */
  CHECK_EQ_INT((int)fix_word_scan(t, strlen(t), "", 1, NULL, NULL), 0);
  CHECK(fix_is_ident("_a1") && !fix_is_ident("1a") && !fix_is_ident("") && !fix_is_ident("a-b") && !fix_is_ident(NULL));
}

int main(void) {
  test_buf();
  test_shell();
  test_paths();
  test_atomic_write();
  test_spawn();
  test_spawn_tail();
  test_urls();
  test_word_scan();
  return check_summary();
}
