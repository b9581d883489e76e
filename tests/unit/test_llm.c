/* test_llm.c — the backends against a real loopback HTTP server that misbehaves on cue:
 * streaming, n candidates (and servers that ignore n), 429 with Retry-After, 500 then success,
 * a slow first byte, a connection cut mid-stream, malformed JSON, the wrong content type, 401 and
 * 404; Ollama's NDJSON; the replay backend; the key never appearing in a message or log. */
#include "check.h"
#include "fix/llm.h"
#include "http_server.h"

static char logged[65536];
static void capture(void *ud, enum fix_log_level l, const char *m) {
  strncat(logged, m, sizeof logged - strlen(logged) - 2);
  strcat(logged, "\n");
}

static const char *KEY = "sk-test-SECRET-123";

static struct fix_llm *open_at(const char *backend, struct ts_server *s, double timeout) {
  char url[128];
  snprintf(url, sizeof url, "http://127.0.0.1:%d/v1", s ? ts_port(s) : 9);
  if (!strcmp(backend, "ollama"))
    snprintf(url, sizeof url, "http://127.0.0.1:%d", s ? ts_port(s) : 9);
  struct fix_llm_config c = {0};
  c.backend = backend;
  c.base_url = url;
  c.model = "test-model";
  c.api_key = KEY;
  c.timeout_s = timeout;
  c.max_retries = 3;
  c.retry_base_s = 0.05;
  struct fix_llm *llm = NULL;
  struct fix_err err;
  CHECK(fix_llm_open(&c, &llm, &err) == FIX_OK);
  return llm;
}

static enum fix_status ask(struct fix_llm *llm, int n, struct fix_llm_reply *r, struct fix_err *err) {
  struct fix_llm_msg m[] = {{"system", "You fix code."}, {"user", "Fix: int x = 1"}};
  struct fix_llm_request req = {m, 2, n, 0.2, 256, NULL, NULL, NULL};
  return fix_llm_complete(llm, &req, r, err);
}

#define SSE(i, t) "data: {\"choices\":[{\"index\":" #i ",\"delta\":{\"content\":\"" t "\"}}]}\n\n"

static void test_openai_stream(void) {
  struct ts_response ok = {200, "text/event-stream",
                           ": keep-alive\n\n" SSE(0, "int x") SSE(1, "int y") SSE(0, " = 1;") SSE(1, " = 2;")
                           "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":7}}\n\n"
                           "data: [DONE]\n\n",
                           NULL, 0, -1};
  struct ts_server *s = ts_start(&ok, 1);
  struct fix_llm *llm = open_at("openai", s, 10);
  struct fix_llm_reply r;
  struct fix_err err;
  CHECK(ask(llm, 2, &r, &err) == FIX_OK);
  CHECK_EQ_INT(r.texts.n, 2);
  if (r.texts.n == 2) {
    CHECK_EQ_STR(r.texts.v[0], "int x = 1;");
    CHECK_EQ_STR(r.texts.v[1], "int y = 2;");
  }
  CHECK_EQ_INT(r.tokens_in, 42);
  CHECK_EQ_INT(r.tokens_out, 7);
  CHECK(!r.tokens_estimated);
  CHECK(strstr(ts_bodies(s), "\"model\":\"test-model\"") && strstr(ts_bodies(s), "\"n\":2") &&
        strstr(ts_bodies(s), "\"stream\":true") && strstr(ts_bodies(s), "\"max_tokens\":256"));
  CHECK(strstr(ts_headers(s), "POST /v1/chat/completions") != NULL);
  CHECK(strstr(ts_headers(s), "Authorization: Bearer sk-test-SECRET-123") != NULL);
  fix_llm_reply_free(&r);
  fix_llm_free(llm);
  ts_stop(s);
}

static void test_openai_n_fallback_and_plain_json(void) {
  /* a server that ignores n and answers without streaming */
  struct ts_response one = {200, "application/json",
                            "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"fixed\"}}]}", NULL, 0, -1};
  struct ts_server *s = ts_start(&one, 1);
  struct fix_llm *llm = open_at("openai", s, 10);
  struct fix_llm_reply r;
  struct fix_err err;
  CHECK(ask(llm, 3, &r, &err) == FIX_OK);
  CHECK_EQ_INT(r.texts.n, 3);
  CHECK_EQ_INT(ts_requests(s), 3);
  CHECK(r.tokens_estimated);
  fix_llm_reply_free(&r);
  fix_llm_free(llm);
  ts_stop(s);
}

static void test_retries(void) {
  struct ts_response script[] = {
      {429, "application/json", "{\"error\":{\"message\":\"slow down\"}}", "Retry-After: 1\r\n", 0, -1},
      {500, "application/json", "{\"error\":\"boom\"}", NULL, 0, -1},
      {200, "text/event-stream", SSE(0, "ok") "data: [DONE]\n\n", NULL, 0, -1},
  };
  struct ts_server *s = ts_start(script, 3);
  struct fix_llm *llm = open_at("openai", s, 10);
  struct fix_llm_reply r;
  struct fix_err err;
  double t0 = fix_now();
  CHECK(ask(llm, 1, &r, &err) == FIX_OK);
  double dt = fix_now() - t0;
  CHECK(dt >= 0.95); /* Retry-After: 1 was honoured */
  CHECK(dt < 5);
  CHECK_EQ_INT(r.requests, 3);
  CHECK(r.texts.n == 1 && !strcmp(r.texts.v[0], "ok"));
  fix_llm_reply_free(&r);
  fix_llm_free(llm);
  ts_stop(s);

  /* retries run out: one clear line */
  struct ts_response always = {503, "text/plain", "unavailable", NULL, 0, -1};
  s = ts_start(&always, 1);
  llm = open_at("openai", s, 10);
  CHECK(ask(llm, 1, &r, &err) != FIX_OK);
  CHECK(strstr(err.msg, "HTTP 503") && strstr(err.msg, "retries exhausted"));
  CHECK_EQ_INT(ts_requests(s), 4);
  fix_llm_free(llm);
  ts_stop(s);
}

static void test_cut_and_slow(void) {
  const char *stream = SSE(0, "partial answer that goes on") SSE(0, " and on") "data: [DONE]\n\n";
  struct ts_response script[] = {
      {200, "text/event-stream", stream, NULL, 0, 40}, /* disconnect mid-stream */
      {200, "text/event-stream", stream, NULL, 0, -1},
  };
  struct ts_server *s = ts_start(script, 2);
  struct fix_llm *llm = open_at("openai", s, 10);
  struct fix_llm_reply r;
  struct fix_err err;
  CHECK(ask(llm, 1, &r, &err) == FIX_OK);
  CHECK(r.texts.n == 1 && !strcmp(r.texts.v[0], "partial answer that goes on and on")); /* nothing doubled */
  CHECK_EQ_INT(ts_requests(s), 2);
  fix_llm_reply_free(&r);
  fix_llm_free(llm);
  ts_stop(s);

  struct ts_response slow = {200, "text/event-stream", stream, NULL, 3000, -1};
  s = ts_start(&slow, 1);
  llm = open_at("openai", s, 0.5);
  double t0 = fix_now();
  CHECK(ask(llm, 1, &r, &err) == FIX_ERR_TIMEOUT);
  CHECK(fix_now() - t0 < 2.5);
  CHECK(strstr(err.msg, "within") != NULL);
  CHECK_EQ_INT(ts_requests(s), 1); /* a timeout is reported, not retried */
  fix_llm_free(llm);
  ts_stop(s);
}

static void test_bad_replies(void) {
  struct ts_response bad_json = {200, "text/event-stream", "data: {\"choices\": [ oops\n\n", NULL, 0, -1};
  struct ts_server *s = ts_start(&bad_json, 1);
  struct fix_llm *llm = open_at("openai", s, 10);
  struct fix_llm_reply r;
  struct fix_err err;
  CHECK(ask(llm, 1, &r, &err) == FIX_ERR_PARSE);
  CHECK(strstr(err.msg, "malformed") != NULL);
  fix_llm_free(llm);
  ts_stop(s);

  struct ts_response html = {200, "text/html", "<html>login</html>", NULL, 0, -1};
  s = ts_start(&html, 1);
  llm = open_at("openai", s, 10);
  CHECK(ask(llm, 1, &r, &err) == FIX_ERR_PARSE);
  CHECK(strstr(err.msg, "content type 'text/html'") != NULL);
  fix_llm_free(llm);
  ts_stop(s);

  struct ts_response unauth = {401, "application/json", "{\"error\":{\"message\":\"Incorrect API key\"}}", NULL, 0, -1};
  s = ts_start(&unauth, 1);
  llm = open_at("openai", s, 10);
  CHECK(ask(llm, 1, &r, &err) == FIX_ERR_CONFIG);
  CHECK(strstr(err.msg, "HTTP 401") && strstr(err.msg, "OPENAI_API_KEY") && strstr(err.msg, "Incorrect API key"));
  CHECK(strstr(err.msg, KEY) == NULL);
  CHECK_EQ_INT(ts_requests(s), 1); /* not retried */
  fix_llm_free(llm);
  ts_stop(s);

  struct ts_response missing = {404, "application/json", "{}", NULL, 0, -1};
  s = ts_start(&missing, 1);
  llm = open_at("openai", s, 10);
  CHECK(ask(llm, 1, &r, &err) == FIX_ERR_CONFIG);
  CHECK(strstr(err.msg, "HTTP 404") && strstr(err.msg, "test-model"));
  fix_llm_free(llm);
  ts_stop(s);

  /* nothing listening */
  llm = open_at("openai", NULL, 5);
  CHECK(ask(llm, 1, &r, &err) == FIX_ERR_CONFIG);
  CHECK(strstr(err.msg, "cannot connect") != NULL);
  fix_llm_free(llm);
}

static void test_ollama(void) {
  struct ts_response ok = {200, "application/x-ndjson",
                           "{\"message\":{\"role\":\"assistant\",\"content\":\"int \"},\"done\":false}\n"
                           "{\"message\":{\"role\":\"assistant\",\"content\":\"x;\"},\"done\":false}\n"
                           "{\"message\":{\"content\":\"\"},\"done\":true,\"prompt_eval_count\":30,\"eval_count\":4}\n",
                           NULL, 0, -1};
  struct ts_server *s = ts_start(&ok, 1);
  struct fix_llm *llm = open_at("ollama", s, 10);
  struct fix_llm_reply r;
  struct fix_err err;
  CHECK(ask(llm, 2, &r, &err) == FIX_OK);
  CHECK(r.texts.n == 2 && !strcmp(r.texts.v[0], "int x;"));
  CHECK_EQ_INT(r.tokens_in, 60);
  CHECK(strstr(ts_headers(s), "POST /api/chat") != NULL);
  CHECK(strstr(ts_headers(s), "Authorization") == NULL); /* the OpenAI key is not sent to Ollama */
  CHECK(strstr(ts_bodies(s), "\"num_predict\":256") != NULL);
  fix_llm_reply_free(&r);
  fix_llm_free(llm);
  ts_stop(s);

  struct ts_response cut = {200, "application/x-ndjson", "{\"message\":{\"content\":\"int\"},\"done\":false}\n", NULL, 0, -1};
  s = ts_start(&cut, 1);
  llm = open_at("ollama", s, 10);
  CHECK(ask(llm, 1, &r, &err) == FIX_ERR_IO);
  CHECK(strstr(err.msg, "ended before") != NULL);
  fix_llm_free(llm);
  ts_stop(s);

  struct ts_response e = {404, "application/json", "{\"error\":\"model 'x' not found\"}", NULL, 0, -1};
  s = ts_start(&e, 1);
  llm = open_at("ollama", s, 10);
  CHECK(ask(llm, 1, &r, &err) == FIX_ERR_CONFIG);
  CHECK(strstr(err.msg, "model 'x' not found") != NULL);
  fix_llm_free(llm);
  ts_stop(s);
}

static void test_replay_and_local(void) {
  char *dir = fix_mkdtemp("fix-test-llm");
  char *f = fix_path_join(dir, "r.json");
  const char *j = "{\"replies\": [\"one\", \"two\", \"three\"]}";
  CHECK(fix_file_write_atomic(f, j, strlen(j), NULL) == FIX_OK);
  struct fix_llm_config c = {0};
  c.backend = "replay";
  c.replay_path = f;
  c.max_retries = -1;
  struct fix_llm *llm;
  struct fix_err err;
  CHECK(fix_llm_open(&c, &llm, &err) == FIX_OK);
  struct fix_llm_reply r;
  CHECK(ask(llm, 2, &r, &err) == FIX_OK);
  CHECK(r.texts.n == 2 && !strcmp(r.texts.v[1], "two"));
  fix_llm_reply_free(&r);
  CHECK(ask(llm, 2, &r, &err) == FIX_OK);
  CHECK(r.texts.n == 1 && !strcmp(r.texts.v[0], "three"));
  fix_llm_reply_free(&r);
  CHECK(ask(llm, 1, &r, &err) == FIX_ERR_NOT_FOUND);
  CHECK(strstr(err.msg, "have been used") != NULL);
  fix_llm_free(llm);
  CHECK(fix_file_write_atomic(f, "{\"replies\": 3}", 14, NULL) == FIX_OK);
  CHECK(fix_llm_open(&c, &llm, &err) == FIX_ERR_PARSE);
  c.replay_path = NULL;
  CHECK(fix_llm_open(&c, &llm, &err) == FIX_ERR_CONFIG);

  struct fix_llm_config l = {0};
  l.backend = "local";
  CHECK(fix_llm_open(&l, &llm, &err) == FIX_ERR_CONFIG);
  CHECK(strstr(err.msg, "--model") && strstr(err.msg, "--backend openai"));
  l.backend = "gpt";
  CHECK(fix_llm_open(&l, &llm, &err) == FIX_ERR_CONFIG);
  fix_rmtree(dir);
  free(f);
  free(dir);
}

/* Credentials in the endpoint URL: the API path goes before the query, the server sees the key
 * where it was put, and neither the password nor the query key appears in a message, the log or
 * the --record file, even when the server echoes them. */
static void test_url_credentials(void) {
  const char *echo = "{\"error\":{\"message\":\"no route for /v1?api-key=QuErYkEy4242/chat/completions (user alice, "
                     "password hunter2pass)\"}}";
  struct ts_response missing = {404, "application/json", echo, NULL, 0, -1};
  struct ts_server *s = ts_start(&missing, 1);
  char url[256];
  snprintf(url, sizeof url, "http://alice:hunter2pass@127.0.0.1:%d/v1?api-key=QuErYkEy4242", ts_port(s));
  struct fix_llm_config c = {0};
  c.backend = "openai";
  c.base_url = url;
  c.model = "test-model";
  c.timeout_s = 10;
  c.max_retries = 0;
  struct fix_llm *llm = NULL;
  struct fix_err err;
  CHECK(fix_llm_open(&c, &llm, &err) == FIX_OK);
  struct fix_llm_reply r;
  CHECK(ask(llm, 1, &r, &err) == FIX_ERR_CONFIG);
  CHECK(strstr(ts_headers(s), "POST /v1/chat/completions?api-key=QuErYkEy4242 HTTP/1.1") != NULL);
  CHECK(strstr(err.msg, "HTTP 404") && strstr(err.msg, "alice:***@127.0.0.1") &&
        strstr(err.msg, "/v1/chat/completions?api-key=***"));
  CHECK(!strstr(err.msg, "hunter2pass") && !strstr(err.msg, "QuErYkEy4242"));
  fix_llm_free(llm);
  ts_stop(s);

  /* nothing listening: "cannot connect" */
  snprintf(url, sizeof url, "http://alice:hunter2pass@127.0.0.1:9/v1?api-key=QuErYkEy4242");
  CHECK(fix_llm_open(&c, &llm, &err) == FIX_OK);
  CHECK(ask(llm, 1, &r, &err) == FIX_ERR_CONFIG);
  CHECK(strstr(err.msg, "cannot connect to http://alice:***@127.0.0.1:9/v1/chat/completions?api-key=***:") != NULL);
  fix_log(FIX_LOG_WARN, "the model backend failed: %s (base %s)", err.msg, url);
  fix_llm_free(llm);

  /* Ollama: the same join */
  struct ts_response ok = {200, "application/x-ndjson",
                           "{\"message\":{\"content\":\"see http://alice:hunter2pass@h/ and ?token=QuErYkEy4242\"},"
                           "\"done\":true}\n",
                           NULL, 0, -1};
  s = ts_start(&ok, 1);
  char *dir = fix_mkdtemp("fix-test-llm-url");
  char *rec = fix_path_join(dir, "rec.json");
  snprintf(url, sizeof url, "http://bob:0ther-pass@127.0.0.1:%d/?token=QuErYkEy4242", ts_port(s));
  c.backend = "ollama";
  c.record_path = rec;
  CHECK(fix_llm_open(&c, &llm, &err) == FIX_OK);
  CHECK(ask(llm, 1, &r, &err) == FIX_OK);
  CHECK(strstr(ts_headers(s), "POST /api/chat?token=QuErYkEy4242 HTTP/1.1") != NULL);
  fix_llm_reply_free(&r);
  struct fix_buf b;
  CHECK(fix_file_read(rec, 1 << 20, &b, NULL) == FIX_OK);
  CHECK(b.data && strstr(b.data, "alice:***@h") && !strstr(b.data, "hunter2pass") && !strstr(b.data, "QuErYkEy4242"));
  fix_buf_free(&b);
  fix_llm_free(llm);
  ts_stop(s);
  fix_rmtree(dir);
  free(rec);
  free(dir);

  /* a malformed URL from OPENAI_BASE_URL / OLLAMA_HOST (not checked when the settings load) */
  c.record_path = NULL;
  c.base_url = "http://127.0.0.1:/v1";
  c.backend = "openai";
  CHECK(fix_llm_open(&c, &llm, &err) == FIX_ERR_CONFIG && llm == NULL);
  CHECK(strstr(err.msg, "invalid base URL") && strstr(err.msg, "port"));
}

int main(void) {
  fix_log_set(capture, NULL, FIX_LOG_DEBUG);
  test_openai_stream();
  test_openai_n_fallback_and_plain_json();
  test_retries();
  test_cut_and_slow();
  test_bad_replies();
  test_ollama();
  test_replay_and_local();
  test_url_credentials();
  CHECK(strstr(logged, KEY) == NULL);
  CHECK(!strstr(logged, "hunter2pass") && !strstr(logged, "QuErYkEy4242") && strstr(logged, "alice:***@"));
  CHECK(strstr(logged, "retrying") != NULL);
  return check_summary();
}
