/* test_lsp.c — the language server's protocol layer: framing (split, malformed, oversized and
 * truncated input), positions in UTF-8/UTF-16/UTF-32 with é, € and 😀, URIs, minimal edits, and
 * the server's answers to out-of-order and malformed messages (with the work threads off). */
#include "check.h"
#include "fix/lsp.h"

#include "../../src/lsp/internal.h"

#include <fcntl.h>
#include <unistd.h>

/* ---- framing ---- */

static enum fix_status read_one(struct fix_lsp_reader *r, struct fix_buf *b) { return fix_lsp_read(r, b, NULL); }

static void test_framing(void) {
  struct fix_lsp_reader r;
  struct fix_buf b;
  fix_buf_init(&b, 0);

  fix_lsp_reader_init(&r, -1, 0);
  const char *two = "Content-Length: 2\r\n\r\n{}Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"
                    "content-length:3\r\n\r\n[1]\n\ncontent-LENGTH: 1\n\n5";
  fix_lsp_reader_feed(&r, two, strlen(two));
  CHECK(read_one(&r, &b) == FIX_OK && b.len == 2 && !memcmp(b.data, "{}", 2));
  CHECK(read_one(&r, &b) == FIX_OK && b.len == 3 && !memcmp(b.data, "[1]", 3));
  CHECK(read_one(&r, &b) == FIX_OK && b.len == 1 && b.data[0] == '5'); /* bare LF headers */
  CHECK(read_one(&r, &b) == FIX_ERR_NOT_FOUND);
  fix_lsp_reader_free(&r);

  /* malformed headers are skipped up to the next Content-Length */
  fix_lsp_reader_init(&r, -1, 0);
  const char *bad = "Foo: bar\r\n\r\nxx\r\nContent-Length: 1x\r\n\r\nContent-Length: 2\r\n\r\nok"
                    "Content-Length: 1\r\nContent-Length: 1\r\n\r\nzContent-Length: 1\r\n\r\nq";
  fix_lsp_reader_feed(&r, bad, strlen(bad));
  struct fix_err err;
  CHECK(fix_lsp_read(&r, &b, &err) == FIX_ERR_PARSE);
  CHECK(strstr(err.msg, "Content-Length") != NULL);
  CHECK(read_one(&r, &b) == FIX_ERR_PARSE); /* 1x */
  CHECK(read_one(&r, &b) == FIX_OK && b.len == 2 && !memcmp(b.data, "ok", 2));
  CHECK(read_one(&r, &b) == FIX_ERR_PARSE); /* repeated header */
  CHECK(read_one(&r, &b) == FIX_OK && b.len == 1 && b.data[0] == 'q');
  fix_lsp_reader_free(&r);

  /* a body over the cap is skipped without being held; the next message still arrives */
  fix_lsp_reader_init(&r, -1, 16);
  struct fix_buf big;
  fix_buf_init(&big, 0);
  fix_buf_puts(&big, "Content-Length: 100\r\n\r\n");
  for (int i = 0; i < 100; i++)
    fix_buf_puts(&big, "x");
  fix_buf_puts(&big, "Content-Length: 4\r\n\r\nnull");
  fix_lsp_reader_feed(&r, big.data, big.len);
  CHECK(fix_lsp_read(&r, &b, &err) == FIX_ERR_TOO_BIG);
  CHECK(strstr(err.msg, "100 bytes") != NULL);
  CHECK(read_one(&r, &b) == FIX_OK && b.len == 4);
  fix_buf_free(&big);
  fix_lsp_reader_free(&r);

  /* a header block that never ends */
  fix_lsp_reader_init(&r, -1, 0);
  for (int i = 0; i < 1000; i++)
    fix_lsp_reader_feed(&r, "X-Pad: 0123456789\r\n", 19);
  CHECK(read_one(&r, &b) == FIX_ERR_PARSE);
  fix_lsp_reader_free(&r);

  /* truncated input, through a real pipe read in small pieces by the kernel */
  int fds[2];
  CHECK(pipe(fds) == 0);
  const char *cut = "Content-Length: 10\r\n\r\n{\"a\":";
  CHECK(write(fds[1], cut, strlen(cut)) == (ssize_t)strlen(cut));
  close(fds[1]);
  fix_lsp_reader_init(&r, fds[0], 0);
  CHECK(fix_lsp_read(&r, &b, &err) == FIX_ERR_IO);
  CHECK(strstr(err.msg, "5 of 10") != NULL);
  fix_lsp_reader_free(&r);
  close(fds[0]);

  CHECK(pipe(fds) == 0);
  CHECK(write(fds[1], "Content-Len", 11) == 11);
  close(fds[1]);
  fix_lsp_reader_init(&r, fds[0], 0);
  CHECK(fix_lsp_read(&r, &b, &err) == FIX_ERR_IO);
  CHECK(strstr(err.msg, "header") != NULL);
  fix_lsp_reader_free(&r);
  close(fds[0]);

  /* writing frames what it writes */
  CHECK(pipe(fds) == 0);
  CHECK(fix_lsp_write(fds[1], "{\"x\":\"\xc3\xa9\"}", 10, NULL) == FIX_OK);
  close(fds[1]);
  fix_lsp_reader_init(&r, fds[0], 0);
  CHECK(read_one(&r, &b) == FIX_OK && b.len == 10);
  fix_lsp_reader_free(&r);
  close(fds[0]);
  fix_buf_free(&b);
}

/* ---- positions ---- */

/* "aé€😀b" CRLF "x" LF: a(1 byte) é(2) €(3) 😀(4, two UTF-16 units) b(1) */
static const char T[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80" "b\r\nx\n";

static void test_positions(void) {
  size_t n = strlen(T);
  CHECK_EQ_INT(fix_lsp_offset(T, n, 0, 5, FIX_LSP_UTF16), 10);  /* b */
  CHECK_EQ_INT(fix_lsp_offset(T, n, 0, 10, FIX_LSP_UTF8), 10);
  CHECK_EQ_INT(fix_lsp_offset(T, n, 0, 4, FIX_LSP_UTF32), 10);
  CHECK_EQ_INT(fix_lsp_offset(T, n, 0, 3, FIX_LSP_UTF16), 6);   /* 😀 */
  CHECK_EQ_INT(fix_lsp_offset(T, n, 0, 4, FIX_LSP_UTF16), 6);   /* inside the pair: before it */
  CHECK_EQ_INT(fix_lsp_offset(T, n, 0, 2, FIX_LSP_UTF16), 3);   /* € */
  CHECK_EQ_INT(fix_lsp_offset(T, n, 0, 99, FIX_LSP_UTF16), 11); /* clamped before \r\n */
  CHECK_EQ_INT(fix_lsp_offset(T, n, 1, 0, FIX_LSP_UTF16), 13);
  CHECK_EQ_INT(fix_lsp_offset(T, n, 1, 1, FIX_LSP_UTF16), 14);
  CHECK_EQ_INT(fix_lsp_offset(T, n, 2, 0, FIX_LSP_UTF16), 15);  /* the empty last line */
  CHECK_EQ_INT(fix_lsp_offset(T, n, 9, 0, FIX_LSP_UTF16), 15);
  long l, c;
  fix_lsp_position(T, n, 10, FIX_LSP_UTF16, &l, &c);
  CHECK(l == 0 && c == 5);
  fix_lsp_position(T, n, 10, FIX_LSP_UTF8, &l, &c);
  CHECK(l == 0 && c == 10);
  fix_lsp_position(T, n, 10, FIX_LSP_UTF32, &l, &c);
  CHECK(l == 0 && c == 4);
  fix_lsp_position(T, n, 12, FIX_LSP_UTF16, &l, &c); /* between \r and \n */
  CHECK(l == 0 && c == 6);
  fix_lsp_position(T, n, 14, FIX_LSP_UTF16, &l, &c);
  CHECK(l == 1 && c == 1);
  /* every character boundary round-trips in every encoding */
  static const size_t bounds[] = {0, 1, 3, 6, 10, 11, 13, 14, 15};
  for (int e = 0; e < 3; e++)
    for (size_t i = 0; i < sizeof bounds / sizeof *bounds; i++) {
      fix_lsp_position(T, n, bounds[i], (enum fix_lsp_encoding)e, &l, &c);
      CHECK_EQ_INT(fix_lsp_offset(T, n, l, c, (enum fix_lsp_encoding)e), bounds[i]);
    }
  /* invalid UTF-8 counts one unit a byte and still round-trips */
  const char bad[] = "\xff\xc3x";
  fix_lsp_position(bad, 3, 2, FIX_LSP_UTF16, &l, &c);
  CHECK(l == 0 && c == 2);
  CHECK_EQ_INT(fix_lsp_offset(bad, 3, 0, 2, FIX_LSP_UTF16), 2);
}

static void test_uris(void) {
  char *u = fix_lsp_path_to_uri("/tmp/a b/caf\xc3\xa9#1.c");
  CHECK_EQ_STR(u, "file:///tmp/a%20b/caf%C3%A9%231.c");
  char *p = fix_lsp_uri_to_path(u);
  CHECK_EQ_STR(p, "/tmp/a b/caf\xc3\xa9#1.c");
  free(u);
  free(p);
  p = fix_lsp_uri_to_path("file://localhost/x%2fy");
  CHECK_EQ_STR(p, "/x/y");
  free(p);
  CHECK(fix_lsp_uri_to_path("untitled:Untitled-1") == NULL);
  CHECK(fix_lsp_uri_to_path("file://server/share/x") == NULL);
  CHECK(fix_lsp_uri_to_path("file:///a%00b") == NULL);
  CHECK(fix_lsp_uri_to_path("file:///a%G0") == NULL);
  CHECK(fix_lsp_uri_to_path("file:///a%4") == NULL);
}

static void test_min_edit(void) {
  size_t a, ae, be;
  lsp_min_edit("cuont", 5, "count", 5, &a, &ae, &be);
  CHECK(a == 1 && ae == 3 && be == 3);
  /* é (C3 A9) -> è (C3 A8): the shared lead byte is not split off */
  lsp_min_edit("a\xc3\xa9z", 4, "a\xc3\xa8z", 4, &a, &ae, &be);
  CHECK(a == 1 && ae == 3 && be == 3);
  lsp_min_edit("aaa", 3, "aaaa", 4, &a, &ae, &be);
  CHECK(a == 3 && ae == 3 && be == 4);
  lsp_min_edit("", 0, "x", 1, &a, &ae, &be);
  CHECK(a == 0 && ae == 0 && be == 1);
  /* 😀 -> 😁 (F0 9F 98 80 -> F0 9F 98 81) */
  lsp_min_edit("\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x81", 4, &a, &ae, &be);
  CHECK(a == 0 && ae == 4 && be == 4);
}

/* ---- the server, without work threads ---- */

static int out_fd;
static off_t out_pos;

static void send(struct fix_lsp_server *s, const char *json) { fix_lsp_server_handle(s, json, strlen(json)); }

/* The next message the server wrote, parsed (NULL when none). */
static cJSON *next_out(void) {
  off_t end = lseek(out_fd, 0, SEEK_END);
  if (end <= out_pos)
    return NULL;
  struct fix_lsp_reader r;
  fix_lsp_reader_init(&r, -1, 0);
  char *buf = malloc((size_t)(end - out_pos));
  CHECK(pread(out_fd, buf, (size_t)(end - out_pos), out_pos) == end - out_pos);
  fix_lsp_reader_feed(&r, buf, (size_t)(end - out_pos));
  struct fix_buf b;
  fix_buf_init(&b, 0);
  cJSON *m = NULL;
  if (fix_lsp_read(&r, &b, NULL) == FIX_OK) {
    m = cJSON_ParseWithLength(b.data, b.len);
    char head[64];
    out_pos += (off_t)snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", b.len) + (off_t)b.len;
  }
  fix_buf_free(&b);
  fix_lsp_reader_free(&r);
  free(buf);
  return m;
}

static int error_code(const cJSON *m) {
  const cJSON *e = cJSON_GetObjectItem(m, "error");
  const cJSON *c = cJSON_GetObjectItem(e, "code");
  return cJSON_IsNumber(c) ? c->valueint : 0;
}

static struct fix_lsp_server *start(void) {
  char tmpl[] = "/tmp/fix-lsp-out-XXXXXX";
  out_fd = mkstemp(tmpl);
  unlink(tmpl);
  out_pos = 0;
  struct fix_lsp_opts o = {0};
  o.in_fd = -1;
  o.out_fd = out_fd;
  o.no_work = 1;
  struct fix_lsp_server *s;
  CHECK(fix_lsp_server_new(&o, &s, NULL) == FIX_OK);
  return s;
}

static void stop(struct fix_lsp_server *s) {
  fix_lsp_server_free(s);
  close(out_fd);
}

static const char *doc_text(struct fix_lsp_server *srv, const char *uri) {
  struct doc *d = lsp_doc((struct server *)srv, uri);
  return d && d->text.data ? d->text.data : "";
}

static void test_server_protocol(void) {
  struct fix_lsp_server *s = start();
  cJSON *m;
  send(s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"textDocument/codeAction\",\"params\":{}}");
  CHECK(error_code(m = next_out()) == -32002);
  cJSON_Delete(m);
  send(s, "{\"jsonrpc\":\"2.0\",\"id\":");
  CHECK(error_code(m = next_out()) == -32700);
  CHECK(cJSON_IsNull(cJSON_GetObjectItem(m, "id")));
  cJSON_Delete(m);
  send(s, "[1,2]");
  CHECK(error_code(m = next_out()) == -32600);
  cJSON_Delete(m);
  send(s, "{\"jsonrpc\":\"2.0\",\"id\":{\"x\":1},\"method\":\"initialize\"}");
  CHECK(error_code(m = next_out()) == -32600);
  cJSON_Delete(m);
  /* Neovim 0.7 style: clangd's offsetEncoding, no positionEncodings */
  send(s, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"initialize\",\"params\":{\"rootUri\":null,"
          "\"capabilities\":{\"offsetEncoding\":[\"utf-8\",\"utf-16\"],\"textDocument\":{\"codeAction\":"
          "{\"resolveSupport\":{\"properties\":[\"edit\"]}}}}}}");
  m = next_out();
  CHECK_EQ_STR(cJSON_GetObjectItem(m, "result") ? cJSON_GetObjectItem(cJSON_GetObjectItem(m, "result"), "offsetEncoding")->valuestring : NULL, "utf-8");
  const cJSON *caps = cJSON_GetObjectItem(cJSON_GetObjectItem(m, "result"), "capabilities");
  CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(caps, "positionEncoding")), "utf-8");
  CHECK(cJSON_GetObjectItem(cJSON_GetObjectItem(caps, "textDocumentSync"), "change")->valueint == 2);
  cJSON_Delete(m);
  send(s, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"initialize\",\"params\":{}}");
  CHECK(error_code(m = next_out()) == -32600);
  cJSON_Delete(m);
  send(s, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"textDocument/hover\",\"params\":{}}");
  CHECK(error_code(m = next_out()) == -32601);
  cJSON_Delete(m);
  send(s, "{\"jsonrpc\":\"2.0\",\"method\":\"$/unknownNotification\",\"params\":{}}");
  send(s, "{\"jsonrpc\":\"2.0\",\"id\":\"fix-1\",\"result\":null}"); /* a reply to us: ignored */
  CHECK((m = next_out()) == NULL);

  /* incremental sync in utf-8 units: replace € (3 bytes) */
  const char *uri = "file:///nonexistent/dir/x.c";
  send(s, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":"
          "\"file:///nonexistent/dir/x.c\",\"languageId\":\"c\",\"version\":1,\"text\":\"a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
          "b\\nint x;\\n\"}}}");
  CHECK_EQ_STR(doc_text(s, uri), "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80" "b\nint x;\n");
  send(s, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":{\"uri\":"
          "\"file:///nonexistent/dir/x.c\",\"version\":2},\"contentChanges\":[{\"range\":{\"start\":{\"line\":0,"
          "\"character\":3},\"end\":{\"line\":0,\"character\":6}},\"text\":\"E\"}]}}");
  CHECK_EQ_STR(doc_text(s, uri), "a\xc3\xa9" "E\xf0\x9f\x98\x80" "b\nint x;\n");
  /* an older version arrives late: dropped */
  send(s, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":{\"uri\":"
          "\"file:///nonexistent/dir/x.c\",\"version\":2},\"contentChanges\":[{\"text\":\"stale\"}]}}");
  CHECK_EQ_STR(doc_text(s, uri), "a\xc3\xa9" "E\xf0\x9f\x98\x80" "b\nint x;\n");
  /* out-of-range and reversed ranges clamp; a change to a document never opened is ignored */
  send(s, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":{\"uri\":"
          "\"file:///nonexistent/dir/x.c\",\"version\":3},\"contentChanges\":[{\"range\":{\"start\":{\"line\":9,"
          "\"character\":0},\"end\":{\"line\":1,\"character\":99}},\"text\":\"Z\"}]}}");
  CHECK_EQ_STR(doc_text(s, uri), "a\xc3\xa9" "E\xf0\x9f\x98\x80" "b\nint x;Z");
  send(s, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":{\"uri\":"
          "\"file:///other.c\",\"version\":3},\"contentChanges\":[{\"text\":\"x\"}]}}");
  send(s, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":{}}}");
  CHECK((m = next_out()) == NULL);

  /* code actions: "Fix with AI" for an error the client sends, resolved lazily */
  send(s, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"textDocument/codeAction\",\"params\":{\"textDocument\":{\"uri\":"
          "\"file:///nonexistent/dir/x.c\"},\"range\":{\"start\":{\"line\":1,\"character\":0},\"end\":{\"line\":1,"
          "\"character\":3}},\"context\":{\"diagnostics\":[{\"range\":{\"start\":{\"line\":1,\"character\":4},"
          "\"end\":{\"line\":1,\"character\":5}},\"severity\":1,\"message\":\"boom\"}]}}}");
  m = next_out();
  const cJSON *acts = cJSON_GetObjectItem(m, "result");
  CHECK(cJSON_GetArraySize(acts) == 1);
  const cJSON *act = cJSON_GetArrayItem(acts, 0);
  CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(act, "title")), "Fix with AI");
  CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(act, "kind")), "quickfix");
  const cJSON *data = cJSON_GetObjectItem(act, "data");
  CHECK(cJSON_GetObjectItem(data, "version")->valueint == 3);
  CHECK(cJSON_GetObjectItem(data, "line")->valueint == 2 && cJSON_GetObjectItem(data, "col")->valueint == 5);
  CHECK(cJSON_GetObjectItem(act, "command") == NULL);
  cJSON_Delete(m);
  /* context.only without quickfix: nothing */
  send(s, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"textDocument/codeAction\",\"params\":{\"textDocument\":{\"uri\":"
          "\"file:///nonexistent/dir/x.c\"},\"range\":{\"start\":{\"line\":0,\"character\":0},\"end\":{\"line\":0,"
          "\"character\":0}},\"context\":{\"only\":[\"refactor\"],\"diagnostics\":[{\"range\":{\"start\":{\"line\":0,"
          "\"character\":0},\"end\":{\"line\":0,\"character\":1}},\"severity\":1,\"message\":\"x\"}]}}}");
  m = next_out();
  CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(m, "result")) == 0);
  cJSON_Delete(m);
  send(s, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"textDocument/codeAction\",\"params\":{}}");
  CHECK(error_code(m = next_out()) == -32602);
  cJSON_Delete(m);
  send(s, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"workspace/executeCommand\",\"params\":{\"command\":\"fix.repair\","
          "\"arguments\":[{\"uri\":1}]}}");
  CHECK(error_code(m = next_out()) == -32602);
  cJSON_Delete(m);
  /* a resolve of something that is not ours comes back unchanged */
  send(s, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"codeAction/resolve\",\"params\":{\"title\":\"t\"}}");
  m = next_out();
  CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(m, "result"), "title")), "t");
  cJSON_Delete(m);
  /* cancelling what is not running is harmless */
  send(s, "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":12345}}");
  send(s, "{\"jsonrpc\":\"2.0\",\"method\":\"window/workDoneProgress/cancel\",\"params\":{\"token\":\"nope\"}}");
  send(s, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didClose\",\"params\":{\"textDocument\":{\"uri\":"
          "\"file:///nonexistent/dir/x.c\"}}}");
  m = next_out(); /* its diagnostics are cleared */
  CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(m, "method")), "textDocument/publishDiagnostics");
  cJSON_Delete(m);
  send(s, "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"shutdown\"}");
  m = next_out();
  CHECK(m && cJSON_IsNull(cJSON_GetObjectItem(m, "result")));
  cJSON_Delete(m);
  send(s, "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"textDocument/codeAction\",\"params\":{}}");
  CHECK(error_code(m = next_out()) == -32600);
  cJSON_Delete(m);
  CHECK(!fix_lsp_server_done(s));
  send(s, "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}");
  CHECK(fix_lsp_server_done(s));
  stop(s);

  /* a client without resolve support gets a command; utf-16 is the default encoding */
  s = start();
  send(s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":{\"general\":"
          "{\"positionEncodings\":[\"utf-16\"]}}}}");
  m = next_out();
  caps = cJSON_GetObjectItem(cJSON_GetObjectItem(m, "result"), "capabilities");
  CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(caps, "positionEncoding")), "utf-16");
  CHECK(cJSON_GetObjectItem(cJSON_GetObjectItem(m, "result"), "offsetEncoding") == NULL);
  cJSON_Delete(m);
  send(s, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":"
          "\"file:///nonexistent/y.c\",\"languageId\":\"c\",\"version\":7,\"text\":\"\xf0\x9f\x98\x80 int\\n\"}}}");
  send(s, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"textDocument/codeAction\",\"params\":{\"textDocument\":{\"uri\":"
          "\"file:///nonexistent/y.c\"},\"range\":{\"start\":{\"line\":0,\"character\":3},\"end\":{\"line\":0,"
          "\"character\":3}},\"context\":{\"diagnostics\":[{\"range\":{\"start\":{\"line\":0,\"character\":3},"
          "\"end\":{\"line\":0,\"character\":6}},\"severity\":1,\"message\":\"x\"}]}}}");
  m = next_out();
  act = cJSON_GetArrayItem(cJSON_GetObjectItem(m, "result"), 0);
  const cJSON *cmd = cJSON_GetObjectItem(act, "command");
  CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cmd, "command")), "fix.repair");
  data = cJSON_GetArrayItem(cJSON_GetObjectItem(cmd, "arguments"), 0);
  /* UTF-16 character 3 is after "😀 " (4 + 1 bytes): byte column 6 */
  CHECK(cJSON_GetObjectItem(data, "col") && cJSON_GetObjectItem(data, "col")->valueint == 6);
  CHECK(cJSON_GetObjectItem(data, "version")->valueint == 7);
  cJSON_Delete(m);
  /* exit without shutdown */
  send(s, "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}");
  CHECK(fix_lsp_server_done(s));
  stop(s);
}

int main(void) {
  test_framing();
  test_positions();
  test_uris();
  test_min_edit();
  test_server_protocol();
  return check_summary();
}
