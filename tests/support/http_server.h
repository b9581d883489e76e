/* http_server.h — a scripted HTTP/1.1 server on 127.0.0.1 for tests: it answers each request with
 * the next scripted response (the last one repeats) and can misbehave on cue: wait before the
 * first byte, cut the connection mid-body, send any status, headers and content type. */
#ifndef FIX_TEST_HTTP_SERVER_H
#define FIX_TEST_HTTP_SERVER_H

#include <stddef.h>

struct ts_response {
  int status;
  const char *content_type;
  const char *body;
  const char *headers;  /* extra header lines, each ending in \r\n (may be NULL) */
  int delay_ms;         /* before the status line */
  int cut_after;        /* close after this many body bytes (Content-Length still says all); -1: never */
};

struct ts_server;

/* Starts serving on an ephemeral port. The script is copied. NULL on failure. */
struct ts_server *ts_start(const struct ts_response *script, size_t n);
int ts_port(const struct ts_server *s);
int ts_requests(struct ts_server *s);
/* All request bodies received so far, each followed by "\n----\n" (borrowed until ts_stop). */
const char *ts_bodies(struct ts_server *s);
/* All request header blocks received so far (borrowed until ts_stop). */
const char *ts_headers(struct ts_server *s);
void ts_stop(struct ts_server *s);

#endif
