/* http.c — one JSON POST with a streamed reply, over libcurl, with retries.
 *
 * The body is split into lines as it arrives (SSE "data:" lines, NDJSON objects) and handed to the
 * backend's parser; the whole body is also kept (capped) for error messages and for servers that
 * answer without streaming. Retries: 408, 409, 429 and 5xx statuses and connections dropped
 * mid-reply, with exponential backoff or the server's Retry-After (up to 60 s); not timeouts or
 * refused connections, which a retry would only make slower to report. */
#include "internal.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

struct xfer {
  struct http_result *res;
  struct fix_buf line;
  http_line_fn on_line;
  void *ud;
  int stopped;   /* the parser asked to stop */
  int too_big;
};

static size_t on_data(char *p, size_t size, size_t nmemb, void *ud) {
  struct xfer *x = ud;
  size_t n = size * nmemb;
  if (x->stopped)
    return 0;
  if (fix_buf_append(&x->res->body, p, n) != FIX_OK) {
    x->too_big = 1;
    return 0;
  }
  for (size_t i = 0; i < n; i++) {
    if (p[i] == '\n') {
      size_t len = x->line.len;
      if (len && x->line.data[len - 1] == '\r')
        len--;
      if (x->on_line && x->on_line(x->ud, x->line.data ? x->line.data : "", len)) {
        x->stopped = 1;
        return 0;
      }
      fix_buf_clear(&x->line);
    } else if (fix_buf_append(&x->line, &p[i], 1) != FIX_OK) {
      x->too_big = 1;
      return 0;
    }
  }
  return n;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud) {
  struct xfer *x = ud;
  size_t n = size * nmemb;
  if (n > 12 && !strncasecmp(p, "Retry-After:", 12)) {
    char *end;
    double v = strtod(p + 12, &end);
    if (end != p + 12 && v >= 0)
      x->res->retry_after_s = v;
  }
  return n;
}

static int on_progress(void *ud, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d) { return fix_interrupted() != 0; }

void http_result_free(struct http_result *r) { fix_buf_free(&r->body); }

char *http_url_shown(const char *url) {
  char *u = fix_strdup(url ? url : "");
  fix_redact(u);
  return u ? u : fix_strdup("the endpoint");
}

/* The server's own error text ({"error":{"message":..}} or {"error":".."}), one line, short. */
static void server_message(const struct http_result *r, char *out, size_t cap) {
  out[0] = '\0';
  cJSON *j = r->body.data ? cJSON_ParseWithLength(r->body.data, r->body.len) : NULL;
  const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
  const char *m = cJSON_IsString(e) ? e->valuestring : NULL;
  if (!m && cJSON_IsObject(e)) {
    const cJSON *mm = cJSON_GetObjectItemCaseSensitive(e, "message");
    m = cJSON_IsString(mm) ? mm->valuestring : NULL;
  }
  if (m) {
    size_t k = 0;
    out[k++] = ':';
    out[k++] = ' ';
    for (const char *s = m; *s && k + 4 < cap && k < 200; s++)
      out[k++] = (*s == '\n' || *s == '\r') ? ' ' : *s;
    out[k] = '\0';
  }
  cJSON_Delete(j);
}

static int content_type_ok(const char *ct) {
  return !*ct || strstr(ct, "json") || strstr(ct, "event-stream") || strstr(ct, "ndjson");
}

static void nap(double s) {
  double end = fix_now() + s;
  while (!fix_interrupted() && fix_now() < end) {
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
}

enum fix_status http_post_json(struct fix_llm *llm, const char *who, const char *url, const char *json,
                               int with_key, http_line_fn on_line, http_reset_fn reset, void *ud,
                               struct http_result *res, int *requests, struct fix_err *err) {
  pthread_once(&curl_once, curl_init);
  memset(res, 0, sizeof *res);
  fix_buf_init(&res->body, FIX_HTTP_MAX);
  CURL *c = curl_easy_init();
  if (!c)
    return fix_err_set(err, FIX_ERR_NOMEM, "%s: cannot create an HTTP handle", who);
  char *shown = http_url_shown(url);
  const char *su = shown ? shown : "the endpoint";
  struct curl_slist *h = NULL;
  h = curl_slist_append(h, "Content-Type: application/json");
  h = curl_slist_append(h, "Accept: text/event-stream, application/x-ndjson, application/json");
  const char *key = llm->cfg.api_key ? llm->cfg.api_key : getenv("OPENAI_API_KEY");
  char *auth = with_key && key && *key ? fix_asprintf("Authorization: Bearer %s", key) : NULL;
  if (auth)
    h = curl_slist_append(h, auth);
  struct xfer x = {0};
  x.res = res;
  x.on_line = on_line;
  x.ud = ud;
  fix_buf_init(&x.line, FIX_HTTP_MAX);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &x);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &x);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(llm->cfg.connect_timeout_s * 1000));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(llm->cfg.timeout_s * 1000));
  curl_easy_setopt(c, CURLOPT_USERAGENT, "fix/0.1");
  enum fix_status st = FIX_OK;
  *requests = 0;
  for (int attempt = 0;; attempt++) {
    if (reset)
      reset(ud);
    fix_buf_clear(&res->body);
    fix_buf_clear(&x.line);
    x.stopped = x.too_big = 0;
    res->retry_after_s = -1;
    res->status = 0;
    res->content_type[0] = '\0';
    (*requests)++;
    CURLcode cc = curl_easy_perform(c);
    if (!x.stopped && cc == CURLE_OK && x.line.len && on_line) /* a last line without a newline */
      on_line(ud, x.line.data, x.line.len);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
    char *ct = NULL;
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
    if (ct)
      snprintf(res->content_type, sizeof res->content_type, "%s", ct);
    if (fix_interrupted()) {
      st = fix_err_set(err, FIX_ERR_INTERRUPTED, "%s: interrupted", who);
      break;
    }
    if (x.too_big) {
      st = fix_err_set(err, FIX_ERR_TOO_BIG, "%s: reply from %s exceeds %zu bytes", who, su, (size_t)FIX_HTTP_MAX);
      break;
    }
    int retry = 0;
    char smsg[256];
    if (cc == CURLE_OK || (cc == CURLE_WRITE_ERROR && x.stopped)) {
      long s = res->status;
      if (s >= 200 && s < 300) {
        if (!content_type_ok(res->content_type))
          st = fix_err_set(err, FIX_ERR_PARSE, "%s: unexpected content type '%s' from %s (is the base URL an API "
                           "endpoint?)", who, res->content_type, su);
        break;
      }
      server_message(res, smsg, sizeof smsg);
      retry = s == 408 || s == 409 || s == 429 || s >= 500;
      if (!retry || attempt >= llm->cfg.max_retries) {
        if (s == 401)
          st = fix_err_set(err, FIX_ERR_CONFIG, "%s: authentication failed (HTTP 401)%s; check OPENAI_API_KEY or the "
                           "api_key setting", who, smsg);
        else if (s == 403)
          st = fix_err_set(err, FIX_ERR_CONFIG, "%s: access denied (HTTP 403)%s", who, smsg);
        else if (s == 404)
          st = fix_err_set(err, FIX_ERR_CONFIG, "%s: not found (HTTP 404) at %s%s; check the base URL and the model "
                           "name '%s'", who, su, smsg, llm->cfg.model ? llm->cfg.model : "");
        else if (s == 429)
          st = fix_err_set(err, FIX_ERR_UNSUPPORTED, "%s: rate limited (HTTP 429) after %d attempts%s", who,
                           *requests, smsg);
        else
          st = fix_err_set(err, FIX_ERR_UNSUPPORTED, "%s: HTTP %ld from %s%s%s", who, s, su, smsg,
                           retry ? " (retries exhausted)" : "");
        break;
      }
    } else {
      retry = cc == CURLE_PARTIAL_FILE || cc == CURLE_RECV_ERROR || cc == CURLE_SEND_ERROR || cc == CURLE_GOT_NOTHING;
      if (!retry || attempt >= llm->cfg.max_retries) {
        if (cc == CURLE_OPERATION_TIMEDOUT)
          st = fix_err_set(err, FIX_ERR_TIMEOUT, "%s: no complete reply from %s within %.0f s", who, su,
                           llm->cfg.timeout_s);
        else if (cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST)
          st = fix_err_set(err, FIX_ERR_CONFIG, "%s: cannot connect to %s: %s", who, su, curl_easy_strerror(cc));
        else
          st = fix_err_set(err, FIX_ERR_IO, "%s: request to %s failed: %s%s", who, su, curl_easy_strerror(cc),
                           retry ? " (retries exhausted)" : "");
        break;
      }
    }
    double wait = llm->cfg.retry_base_s * (double)(1u << (attempt < 5 ? attempt : 5));
    if (wait > 30)
      wait = 30;
    if (res->retry_after_s >= 0) {
      if (res->retry_after_s > 60) {
        st = fix_err_set(err, FIX_ERR_UNSUPPORTED, "%s: the server asks to retry after %.0f s; giving up", who,
                         res->retry_after_s);
        break;
      }
      wait = res->retry_after_s;
    }
    fix_log(FIX_LOG_DEBUG, "%s: retrying in %.1f s (attempt %d)", who, wait, attempt + 1);
    nap(wait);
  }
  fix_buf_free(&x.line);
  curl_slist_free_all(h);
  if (auth) {
    memset(auth, 0, strlen(auth)); /* the key does not linger in freed memory */
    free(auth);
  }
  curl_easy_cleanup(c);
  free(shown);
  return st;
}
