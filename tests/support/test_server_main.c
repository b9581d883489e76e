/* test_server_main.c — the scripted loopback server as a program, for end-to-end tests:
 *   fix_test_server SCRIPT.json PORT-FILE
 * SCRIPT.json: [{"status": 200, "content_type": "...", "body": "...", "headers": "...",
 *                "delay_ms": 0, "cut_after": -1}, ...]. The port is written to PORT-FILE; the
 * server runs until SIGTERM or 120 s, then writes the request count to stdout. */
#include "http_server.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t done;
static void on_term(int sig) { done = 1; }

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: fix_test_server SCRIPT.json PORT-FILE\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f)
    return 2;
  static char buf[1 << 20];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  cJSON *j = cJSON_Parse(buf);
  int count = cJSON_GetArraySize(j);
  if (!cJSON_IsArray(j) || count < 1)
    return 2;
  struct ts_response *r = calloc((size_t)count, sizeof *r);
  for (int i = 0; i < count; i++) {
    cJSON *e = cJSON_GetArrayItem(j, i);
    cJSON *v;
    r[i].status = (v = cJSON_GetObjectItem(e, "status")) ? v->valueint : 200;
    r[i].content_type = (v = cJSON_GetObjectItem(e, "content_type")) ? v->valuestring : "application/json";
    r[i].body = (v = cJSON_GetObjectItem(e, "body")) ? v->valuestring : "";
    r[i].headers = (v = cJSON_GetObjectItem(e, "headers")) ? v->valuestring : NULL;
    r[i].delay_ms = (v = cJSON_GetObjectItem(e, "delay_ms")) ? v->valueint : 0;
    r[i].cut_after = (v = cJSON_GetObjectItem(e, "cut_after")) ? v->valueint : -1;
  }
  struct ts_server *s = ts_start(r, (size_t)count);
  if (!s)
    return 1;
  signal(SIGTERM, on_term);
  signal(SIGINT, on_term);
  FILE *pf = fopen(argv[2], "w");
  if (pf) {
    fprintf(pf, "%d\n", ts_port(s));
    fclose(pf);
  }
  for (int t = 0; t < 1200 && !done; t++)
    usleep(100000);
  printf("%d\n", ts_requests(s));
  ts_stop(s);
  free(r);
  cJSON_Delete(j);
  return 0;
}
