/* http_server.c — see http_server.h. One thread, one connection at a time ("Connection: close"). */
#include "http_server.h"

#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct ts_server {
  int fd, port;
  struct ts_response *script;
  size_t n;
  int served;
  volatile int stop;
  pthread_t th;
  pthread_mutex_t mu;
  char *bodies, *headers;
  size_t blen, hlen;
};

static void append(char **buf, size_t *len, const char *p, size_t n) {
  char *b = realloc(*buf, *len + n + 1);
  if (!b)
    return;
  memcpy(b + *len, p, n);
  *len += n;
  b[*len] = '\0';
  *buf = b;
}

static void send_all(int fd, const char *p, size_t n) {
  while (n) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w <= 0)
      return;
    p += w;
    n -= (size_t)w;
  }
}

static void serve(struct ts_server *s, int c) {
  char *req = NULL;
  size_t len = 0;
  char chunk[4096];
  size_t hdr_end = 0, want = 0;
  for (;;) {
    struct pollfd p = {c, POLLIN, 0};
    if (poll(&p, 1, 5000) <= 0)
      break;
    ssize_t r = recv(c, chunk, sizeof chunk, 0);
    if (r <= 0)
      break;
    append(&req, &len, chunk, (size_t)r);
    if (!hdr_end && req) {
      char *e = strstr(req, "\r\n\r\n");
      if (e) {
        hdr_end = (size_t)(e - req) + 4;
        char *cl = strcasestr(req, "Content-Length:");
        want = cl && cl < e ? (size_t)atol(cl + 15) : 0;
      }
    }
    if (hdr_end && len >= hdr_end + want)
      break;
  }
  pthread_mutex_lock(&s->mu);
  if (req && hdr_end) {
    append(&s->headers, &s->hlen, req, hdr_end);
    append(&s->bodies, &s->blen, req + hdr_end, len - hdr_end);
    append(&s->bodies, &s->blen, "\n----\n", 6);
  }
  const struct ts_response *r = &s->script[(size_t)s->served < s->n ? (size_t)s->served : s->n - 1];
  s->served++;
  pthread_mutex_unlock(&s->mu);
  free(req);
  if (r->delay_ms > 0) {
    struct timespec ts = {r->delay_ms / 1000, (long)(r->delay_ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
  }
  const char *body = r->body ? r->body : "";
  size_t bl = strlen(body);
  char head[1024];
  int hn = snprintf(head, sizeof head, "HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%sConnection: close\r\n\r\n",
                    r->status, r->content_type ? r->content_type : "application/json", bl, r->headers ? r->headers : "");
  send_all(c, head, (size_t)hn);
  send_all(c, body, r->cut_after >= 0 && (size_t)r->cut_after < bl ? (size_t)r->cut_after : bl);
  shutdown(c, SHUT_RDWR);
  close(c);
}

static void *loop(void *ud) {
  struct ts_server *s = ud;
  while (!s->stop) {
    struct pollfd p = {s->fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0)
      continue;
    int c = accept(s->fd, NULL, NULL);
    if (c >= 0)
      serve(s, c);
  }
  return NULL;
}

struct ts_server *ts_start(const struct ts_response *script, size_t n) {
  struct ts_server *s = calloc(1, sizeof *s);
  if (!s || !n)
    return NULL;
  s->script = malloc(n * sizeof *script);
  memcpy(s->script, script, n * sizeof *script);
  s->n = n;
  pthread_mutex_init(&s->mu, NULL);
  s->fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t al = sizeof a;
  if (bind(s->fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(s->fd, 16) != 0 ||
      getsockname(s->fd, (struct sockaddr *)&a, &al) != 0) {
    close(s->fd);
    free(s->script);
    free(s);
    return NULL;
  }
  s->port = ntohs(a.sin_port);
  pthread_create(&s->th, NULL, loop, s);
  return s;
}

int ts_port(const struct ts_server *s) { return s->port; }

int ts_requests(struct ts_server *s) {
  pthread_mutex_lock(&s->mu);
  int n = s->served;
  pthread_mutex_unlock(&s->mu);
  return n;
}

const char *ts_bodies(struct ts_server *s) { return s->bodies ? s->bodies : ""; }
const char *ts_headers(struct ts_server *s) { return s->headers ? s->headers : ""; }

void ts_stop(struct ts_server *s) {
  if (!s)
    return;
  s->stop = 1;
  pthread_join(s->th, NULL);
  close(s->fd);
  free(s->script);
  free(s->bodies);
  free(s->headers);
  pthread_mutex_destroy(&s->mu);
  free(s);
}
