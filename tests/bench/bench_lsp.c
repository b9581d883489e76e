/* bench_lsp.c — how fast the language server's hot paths are:
 *   - framing: reading Content-Length messages (MB/s, µs a message);
 *   - typing: an incremental didChange on a 5,000-line document with non-ASCII text, positions
 *     in UTF-16 (µs a keystroke; the budget for "instant" is well under 1 ms);
 *   - codeAction: the answer to a request with a diagnostic (µs);
 *   - diagnostics on open: didOpen to publishDiagnostics with the real compiler, against running
 *     the same compiler command directly (the reference: fix's overhead on top of it).
 * Usage: bench_lsp [ITERATIONS-SCALE] */
#include "fix/lsp.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* a setup step that must work */
static void must(enum fix_status st) {
  if (st) {
    fprintf(stderr, "bench: setup failed: %s\n", fix_status_str(st));
    exit(1);
  }
}

static double best_of(double a, double b) { return a < b ? a : b; }

static void bench_framing(int scale) {
  struct fix_buf in;
  fix_buf_init(&in, 0);
  int n = 20000 * scale;
  const char *body = "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":{\"uri\":"
                     "\"file:///p/a.c\",\"version\":7},\"contentChanges\":[{\"range\":{\"start\":{\"line\":12,"
                     "\"character\":4},\"end\":{\"line\":12,\"character\":4}},\"text\":\"x\"}]}}";
  for (int i = 0; i < n; i++)
    fix_buf_printf(&in, "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
  double best = 1e9;
  for (int rep = 0; rep < 3; rep++) {
    struct fix_lsp_reader r;
    fix_lsp_reader_init(&r, -1, 0);
    fix_lsp_reader_feed(&r, in.data, in.len);
    struct fix_buf b;
    fix_buf_init(&b, 0);
    double t0 = fix_now();
    int got = 0;
    while (fix_lsp_read(&r, &b, NULL) == FIX_OK)
      got++;
    best = best_of(best, fix_now() - t0);
    if (got != n)
      printf("framing: read %d of %d messages!\n", got, n);
    fix_buf_free(&b);
    fix_lsp_reader_free(&r);
  }
  printf("framing:      %8.1f MB/s, %6.2f us a message (%d messages of %zu bytes)\n", in.len / best / 1e6,
         best / n * 1e6, n, strlen(body));
  fix_buf_free(&in);
}

static void send(struct fix_lsp_server *s, const char *json) { fix_lsp_server_handle(s, json, strlen(json)); }

static void bench_typing(int scale) {
  int devnull = open("/dev/null", O_WRONLY);
  struct fix_lsp_opts o = {0};
  o.in_fd = -1;
  o.out_fd = devnull;
  o.no_work = 1;
  struct fix_lsp_server *s;
  if (fix_lsp_server_new(&o, &s, NULL) != FIX_OK)
    return;
  send(s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":{}}}");
  struct fix_buf doc, msg;
  fix_buf_init(&doc, 0);
  fix_buf_init(&msg, 0);
  for (int i = 0; i < 5000; i++)
    fix_buf_printf(&doc, "  int v%d = f(%d); /* caf\\u00e9 \\u20ac \\ud83d\\ude00 */\\n", i, i);
  fix_buf_printf(&msg, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":"
                       "\"file:///nonexistent/big.c\",\"languageId\":\"c\",\"version\":1,\"text\":\"%s\"}}}", doc.data);
  send(s, msg.data);
  int n = 2000 * scale;
  double t0 = fix_now();
  for (int i = 0; i < n; i++) {
    fix_buf_clear(&msg);
    int line = (int)((i * 7919L) % 5000);
    fix_buf_printf(&msg, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":{\"uri\":"
                         "\"file:///nonexistent/big.c\",\"version\":%d},\"contentChanges\":[{\"range\":{\"start\":{"
                         "\"line\":%d,\"character\":40},\"end\":{\"line\":%d,\"character\":40}},\"text\":\"x\"}]}}",
                   i + 2, line, line);
    send(s, msg.data);
  }
  double typing = (fix_now() - t0) / n;
  const char *ca = "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"textDocument/codeAction\",\"params\":{\"textDocument\":"
                   "{\"uri\":\"file:///nonexistent/big.c\"},\"range\":{\"start\":{\"line\":4000,\"character\":2},\"end\":"
                   "{\"line\":4000,\"character\":2}},\"context\":{\"diagnostics\":[{\"range\":{\"start\":{\"line\":4000,"
                   "\"character\":6},\"end\":{\"line\":4000,\"character\":11}},\"severity\":1,\"message\":\"x\"}]}}}";
  int m = 500 * scale;
  t0 = fix_now();
  for (int i = 0; i < m; i++)
    send(s, ca);
  double action = (fix_now() - t0) / m;
  printf("typing:       %8.1f us a keystroke (incremental didChange, UTF-16, 5,000-line document of %zu KiB)\n",
         typing * 1e6, doc.len / 1024);
  printf("codeAction:   %8.1f us an answer (line 4,000 of that document)\n", action * 1e6);
  fix_buf_free(&doc);
  fix_buf_free(&msg);
  fix_lsp_server_free(s);
  close(devnull);
}

/* didOpen -> publishDiagnostics with the real compiler, against the compiler alone. */
static void bench_diagnostics(void) {
  char *dir = fix_mkdtemp("fix-bench-lsp");
  if (!dir)
    return;
  char *file = fix_path_join(dir, "main.c");
  const char *src = "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n\nint main(void) {\n"
                    "  int count = 3;\n  printf(\"%d\\n\", cuont);\n  return 0;\n}\n";
  must(fix_file_write_atomic(file, src, strlen(src), NULL));
  char *db = fix_path_join(dir, "compile_commands.json");
  char *dbtext = fix_asprintf("[{\"directory\":\"%s\",\"file\":\"%s\",\"arguments\":[\"cc\",\"-Wall\",\"-c\","
                              "\"main.c\",\"-o\",\"main.o\"]}]", dir, file);
  must(fix_file_write_atomic(db, dbtext, strlen(dbtext), NULL));

  double compiler = 1e9;
  for (int i = 0; i < 5; i++) {
    const char *argv[] = {"cc", "-Wall", "-fsyntax-only", "main.c", NULL};
    struct fix_spawn_result r;
    double t0 = fix_now();
    if (fix_spawn_quiet(argv, dir, NULL, 0, &r, NULL) == FIX_OK)
      compiler = best_of(compiler, fix_now() - t0);
    fix_buf_free(&r.out);
  }

  int fds[2];
  if (pipe(fds) != 0)
    return;
  struct fix_lsp_opts o = {0};
  o.in_fd = -1;
  o.out_fd = fds[1];
  struct fix_lsp_server *s;
  if (fix_lsp_server_new(&o, &s, NULL) != FIX_OK)
    return;
  struct fix_buf msg, body;
  fix_buf_init(&msg, 0);
  fix_buf_init(&body, 0);
  fix_buf_printf(&msg, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"rootUri\":\"file://%s\","
                       "\"capabilities\":{},\"initializationOptions\":{\"backend\":\"none\"}}}", dir);
  send(s, msg.data);
  struct fix_lsp_reader r;
  fix_lsp_reader_init(&r, fds[0], 0);
  fix_lsp_read(&r, &body, NULL); /* the initialize result */
  double best = 1e9, sum = 0;
  int runs = 5;
  for (int i = 0; i < runs; i++) {
    fix_buf_clear(&msg);
    fix_buf_printf(&msg, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{"
                         "\"uri\":\"file://%s\",\"languageId\":\"c\",\"version\":%d,\"text\":\"#include <stdio.h>\\n"
                         "#include <stdlib.h>\\n#include <string.h>\\n\\nint main(void) {\\n  int count = 3;\\n"
                         "  printf(\\\"%%d\\\\n\\\", cuont);\\n  return 0;\\n}\\n\"}}}", file, i + 1);
    double t0 = fix_now();
    send(s, msg.data);
    while (fix_lsp_read(&r, &body, NULL) == FIX_OK && !strstr(body.data, "publishDiagnostics"))
      ;
    double t = fix_now() - t0;
    best = best_of(best, t);
    sum += t;
  }
  printf("diagnostics:  %8.1f ms didOpen to publishDiagnostics (best of %d; mean %.1f ms); the compiler alone "
         "(cc -fsyntax-only) %.1f ms: fix adds %.1f ms\n", best * 1e3, runs, sum / runs * 1e3, compiler * 1e3,
         (best - compiler) * 1e3);
  fix_lsp_server_free(s);
  fix_lsp_reader_free(&r);
  close(fds[0]);
  close(fds[1]);
  fix_buf_free(&msg);
  fix_buf_free(&body);
  fix_rmtree(dir);
  free(dir);
  free(file);
  free(db);
  free(dbtext);
}

int main(int argc, char **argv) {
  int scale = argc > 1 ? atoi(argv[1]) : 1;
  if (scale < 1)
    scale = 1;
  bench_framing(scale);
  bench_typing(scale);
  bench_diagnostics();
  return 0;
}
