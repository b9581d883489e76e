/* test_pull.c — `fix model pull` against a real loopback HTTP server: a connection that drops
 * mid-body is resumed with a Range request; a partial download left by an earlier run is resumed;
 * a server that ignores Range starts the file over (never glued onto the old bytes); a SHA-256
 * mismatch removes the download; HTTP errors and refused connections are clear errors. */
#include "check.h"
#include "fix/llm.h"
#include "http_server.h"

#include <sys/stat.h>
#include <unistd.h>

static char body[1001];
static char *dir;

static char *sha_of(const char *data) {
  char *p = fix_asprintf("%s/sha-input", dir);
  CHECK(fix_file_write_atomic(p, data, strlen(data), NULL) == FIX_OK);
  char hex[65] = "";
  CHECK(fix_sha256_file(p, hex, NULL) == FIX_OK);
  unlink(p);
  free(p);
  return fix_strdup(hex);
}

static int file_is(const char *path, const char *want) {
  struct fix_buf b;
  if (fix_file_read(path, 1 << 20, &b, NULL) != FIX_OK)
    return 0;
  int ok = b.len == strlen(want) && !memcmp(b.data, want, b.len);
  fix_buf_free(&b);
  return ok;
}

static uint64_t last_have, last_total;
static void progress(void *ud, uint64_t have, uint64_t total) {
  (void)ud;
  last_have = have, last_total = total;
}

static enum fix_status pull(struct ts_server *s, const char *sha, const char *out, char **path, struct fix_err *err) {
  char url[128];
  snprintf(url, sizeof url, "http://127.0.0.1:%d/models/tiny.gguf", ts_port(s));
  return fix_model_pull(url, sha, out, progress, NULL, path, err);
}

static void test_resume_after_drop(void) {
  char *sha = sha_of(body), etag[128], range[96];
  snprintf(etag, sizeof etag, "X-Linked-ETag: \"%s\"\r\n", sha);
  snprintf(range, sizeof range, "Content-Range: bytes 300-999/1000\r\n");
  struct ts_response script[] = {
      {200, "application/octet-stream", body, etag, 0, 300}, /* drops after 300 bytes */
      {206, "application/octet-stream", body + 300, range, 0, -1},
  };
  struct ts_server *s = ts_start(script, 2);
  char *out = fix_asprintf("%s/a.gguf", dir), *path = NULL;
  struct fix_err err = {0};
  CHECK(pull(s, NULL, out, &path, &err) == FIX_OK); /* verified against the announced SHA-256 */
  CHECK(path && !strcmp(path, out));
  CHECK(file_is(out, body));
  CHECK_EQ_INT(ts_requests(s), 2);
  CHECK(strstr(ts_headers(s), "Range: bytes=300-") != NULL);
  CHECK(last_have == 1000 && last_total == 1000);
  char *part = fix_asprintf("%s.part", out);
  CHECK(access(part, F_OK) != 0);
  ts_stop(s);
  free(part), free(path), free(out), free(sha);
}

static void test_resume_partial_and_ignored_range(void) {
  char *out = fix_asprintf("%s/b.gguf", dir), *part = fix_asprintf("%s.part", out), *path = NULL;
  struct fix_err err = {0};
  /* an earlier run left 500 bytes */
  CHECK(fix_file_write_atomic(part, body, 500, NULL) == FIX_OK);
  struct ts_response r206 = {206, "application/octet-stream", body + 500, "Content-Range: bytes 500-999/1000\r\n", 0, -1};
  struct ts_server *s = ts_start(&r206, 1);
  char *sha = sha_of(body);
  CHECK(pull(s, sha, out, &path, &err) == FIX_OK);
  CHECK(file_is(out, body));
  CHECK_EQ_INT(ts_requests(s), 1);
  CHECK(strstr(ts_headers(s), "Range: bytes=500-") != NULL);
  ts_stop(s);
  free(path), path = NULL;
  unlink(out);
  /* a server that ignores Range sends the whole file: it replaces the partial bytes */
  CHECK(fix_file_write_atomic(part, body, 500, NULL) == FIX_OK);
  struct ts_response r200 = {200, "application/octet-stream", body, NULL, 0, -1};
  s = ts_start(&r200, 1);
  CHECK(pull(s, NULL, out, &path, &err) == FIX_OK);
  CHECK(file_is(out, body));
  ts_stop(s);
  free(path), free(part), free(out), free(sha);
}

static void test_failures(void) {
  char *out = fix_asprintf("%s/c.gguf", dir), *part = fix_asprintf("%s.part", out), *path = NULL;
  struct fix_err err = {0};
  /* SHA-256 mismatch: the download is removed, nothing takes the name */
  struct ts_response r200 = {200, "application/octet-stream", body, NULL, 0, -1};
  struct ts_server *s = ts_start(&r200, 1);
  CHECK(pull(s, "0000000000000000000000000000000000000000000000000000000000000000", out, &path, &err) ==
        FIX_ERR_CONFLICT);
  CHECK(strstr(err.msg, "SHA-256 mismatch") != NULL);
  CHECK(access(out, F_OK) != 0 && access(part, F_OK) != 0 && path == NULL);
  ts_stop(s);
  /* 404 */
  struct ts_response r404 = {404, "text/plain", "no such model", NULL, 0, -1};
  s = ts_start(&r404, 1);
  CHECK(pull(s, NULL, out, &path, &err) == FIX_ERR_NOT_FOUND && strstr(err.msg, "404"));
  CHECK(access(out, F_OK) != 0);
  ts_stop(s);
  /* a server that keeps dropping: gives up, keeps the bytes for a later resume, says so */
  struct ts_response drop = {200, "application/octet-stream", body, NULL, 0, 100};
  s = ts_start(&drop, 1);
  CHECK(pull(s, NULL, out, &path, &err) == FIX_ERR_IO && strstr(err.msg, "run again to resume"));
  CHECK(access(out, F_OK) != 0);
  ts_stop(s);
  unlink(part);
  /* nothing listening */
  CHECK(fix_model_pull("http://127.0.0.1:9/x.gguf", NULL, out, NULL, NULL, &path, &err) == FIX_ERR_IO);
  CHECK(strstr(err.msg, "cannot connect") != NULL);
  /* neither a URL nor a known name */
  CHECK(fix_model_pull("no-such-model", NULL, out, NULL, NULL, &path, &err) == FIX_ERR_ARG);
  free(part), free(out);
}

int main(void) {
  for (int i = 0; i < 1000; i++)
    body[i] = (char)('a' + (i * 7 + i / 26) % 26);
  dir = fix_mkdtemp("fix-test-pull");
  if (!dir)
    return 1;
  test_resume_after_drop();
  test_resume_partial_and_ignored_range();
  test_failures();
  fix_rmtree(dir);
  free(dir);
  return check_summary();
}
