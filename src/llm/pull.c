/* pull.c — downloading models: resumable (HTTP Range into <file>.part), retried when the
 * connection drops, verified by SHA-256 before the file takes its final name, interruptible. */
#include "internal.h"

#include <curl/curl.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define HF "https://huggingface.co/"

static const struct fix_known_model known[] = {
    {"qwen2.5-coder-0.5b-instruct", HF "Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF/resolve/main/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf", NULL},
    {"qwen2.5-coder-1.5b-instruct", HF "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF/resolve/main/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf", NULL},
    {"qwen2.5-coder-3b-instruct", HF "Qwen/Qwen2.5-Coder-3B-Instruct-GGUF/resolve/main/qwen2.5-coder-3b-instruct-q4_k_m.gguf", NULL},
    {"qwen2.5-coder-7b-instruct", HF "Qwen/Qwen2.5-Coder-7B-Instruct-GGUF/resolve/main/qwen2.5-coder-7b-instruct-q4_k_m.gguf", NULL},
    {NULL, NULL, NULL},
};

const struct fix_known_model *fix_known_models(void) { return known; }

char *fix_models_dir(void) { return fix_cache_dir("models"); }

/* The file name a URL's path ends in (its ?query, which may hold a token, is not part of it).
 * Caller frees. */
static char *basename_of(const char *url) {
  size_t end = strcspn(url, "?#"), at = end;
  while (at && url[at - 1] != '/')
    at--;
  int host = at >= 3 && !strncmp(url + at - 3, "://", 3); /* "https://host": no path */
  return at && at < end && !host ? fix_strndup(url + at, end - at) : fix_strdup("model.gguf");
}

char *fix_model_resolve(const char *what) {
  if (!what)
    return NULL;
  if (fix_file_exists(what))
    return fix_strdup(what);
  char *dir = fix_models_dir();
  char *path = NULL;
  for (const struct fix_known_model *k = known; dir && k->name && !path; k++)
    if (!strcmp(k->name, what)) {
      char *base = basename_of(k->url);
      char *p = base ? fix_asprintf("%s/%s", dir, base) : NULL;
      free(base);
      if (p && fix_file_exists(p))
        path = p;
      else
        free(p);
    }
  free(dir);
  return path;
}

enum fix_status fix_sha256_file(const char *path, char hex[65], struct fix_err *err) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return fix_err_errno(err, FIX_ERR_IO, "cannot open %s", path);
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  unsigned char buf[1 << 16], md[32];
  unsigned int mdlen = 0;
  size_t n;
  EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    EVP_DigestUpdate(ctx, buf, n);
  EVP_DigestFinal_ex(ctx, md, &mdlen);
  EVP_MD_CTX_free(ctx);
  int bad = ferror(f);
  fclose(f);
  if (bad)
    return fix_err_set(err, FIX_ERR_IO, "cannot read %s", path);
  for (int i = 0; i < 32; i++)
    snprintf(hex + 2 * i, 3, "%02x", md[i]);
  return FIX_OK;
}

struct dl {
  FILE *f;
  uint64_t have, total;
  long status;
  char etag[80];
  void (*progress)(void *, uint64_t, uint64_t);
  void *ud;
  int failed_write;
};

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud) {
  struct dl *d = ud;
  size_t n = size * nmemb;
  if (d->status != 200 && d->status != 206)
    return n; /* an error page: not part of the file */
  if (fwrite(p, 1, n, d->f) != n) {
    d->failed_write = 1;
    return 0;
  }
  d->have += n;
  if (d->progress)
    d->progress(d->ud, d->have, d->total);
  return n;
}

static size_t on_head(char *p, size_t size, size_t nmemb, void *ud) {
  struct dl *d = ud;
  size_t n = size * nmemb;
  if (n > 9 && !strncmp(p, "HTTP/", 5)) {
    const char *sp = strchr(p, ' ');
    d->status = sp ? atol(sp + 1) : 0;
    d->total = 0; /* a redirect's headers do not describe the file */
    if (d->status == 200 && d->have) {
      /* the server ignored the range and sends the whole file: start the .part over */
      fflush(d->f);
      if (ftruncate(fileno(d->f), 0) != 0) {
        d->failed_write = 1;
        return 0; /* abort the transfer */
      }
      d->have = 0;
    }
  } else if (n > 16 && !strncasecmp(p, "Content-Length:", 15) && d->total == 0) {
    d->total = d->have + strtoull(p + 15, NULL, 10);
  } else if (n > 14 && !strncasecmp(p, "Content-Range:", 14)) {
    const char *slash = memchr(p, '/', n);
    if (slash)
      d->total = strtoull(slash + 1, NULL, 10);
  } else if (n > 15 && !strncasecmp(p, "X-Linked-ETag:", 14)) {
    const char *v = p + 14;
    while (*v == ' ' || *v == '"')
      v++;
    size_t k = 0;
    while (k < sizeof d->etag - 1 && v[k] && v[k] != '"' && v[k] != '\r' && v[k] != '\n')
      d->etag[k] = v[k], k++;
    d->etag[k] = '\0';
  }
  return n;
}

static int xferinfo(void *ud, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d) { return fix_interrupted() != 0; }

static int is_sha256(const char *s) {
  if (strlen(s) != 64)
    return 0;
  for (const char *p = s; *p; p++)
    if (!strchr("0123456789abcdefABCDEF", *p))
      return 0;
  return 1;
}

enum fix_status fix_model_pull(const char *what, const char *sha256, const char *out,
                               void (*progress)(void *, uint64_t, uint64_t), void *ud, char **path,
                               struct fix_err *err) {
  *path = NULL;
  const char *url = what;
  for (const struct fix_known_model *k = known; k->name; k++)
    if (!strcmp(k->name, what)) {
      url = k->url;
      if (!sha256)
        sha256 = k->sha256;
    }
  fix_secret_add_url(url); /* a signed URL's ?token= or user:password@ is never printed */
  struct fix_err why;
  if (strncmp(url, "https://", 8) && strncmp(url, "http://", 7))
    return fix_err_set(err, FIX_ERR_ARG, "'%s' is neither a known model (fix model list) nor an http(s) URL", what);
  if (fix_url_check(url, &why) != FIX_OK)
    return fix_err_set(err, FIX_ERR_ARG, "'%s' is not a valid URL: %s", what, why.msg);
  char *dest = out ? fix_strdup(out) : NULL;
  if (!dest) {
    char *dir = fix_models_dir();
    char *base = basename_of(url);
    if (dir && base && fix_mkdirs(dir, err) == FIX_OK)
      dest = fix_asprintf("%s/%s", dir, base);
    free(base);
    free(dir);
    if (!dest)
      return err && err->status ? err->status : fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  }
  char *part = fix_asprintf("%s.part", dest);
  CURL *c = curl_easy_init();
  enum fix_status st = c && part ? FIX_OK : fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  struct dl d = {0};
  d.progress = progress;
  d.ud = ud;
  for (int attempt = 0; !st && attempt < 5; attempt++) {
    struct stat sb;
    d.have = stat(part, &sb) == 0 ? (uint64_t)sb.st_size : 0;
    d.total = 0;
    d.status = 0;
    d.f = fopen(part, d.have ? "ab" : "wb");
    if (!d.f) {
      st = fix_err_errno(err, FIX_ERR_IO, "cannot write %s", part);
      break;
    }
    char range[64];
    snprintf(range, sizeof range, "%llu-", (unsigned long long)d.have);
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &d);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_head);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &d);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, xferinfo);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "fix/0.1");
    if (d.have)
      curl_easy_setopt(c, CURLOPT_RANGE, range);
    CURLcode cc = curl_easy_perform(c);
    fclose(d.f);
    if (fix_interrupted()) {
      st = fix_err_set(err, FIX_ERR_INTERRUPTED, "interrupted; %s keeps the %llu bytes so far (run again to resume)",
                       part, (unsigned long long)d.have);
      break;
    }
    if (d.failed_write) {
      st = fix_err_set(err, FIX_ERR_IO, "cannot write %s (disk full?)", part);
      break;
    }
    if (d.status == 416 && d.have) /* nothing left to fetch */
      break;
    if (cc == CURLE_OK && (d.status == 200 || d.status == 206) && (!d.total || d.have >= d.total))
      break;
    if (cc == CURLE_OK && d.status >= 400) {
      st = fix_err_set(err, d.status == 404 ? FIX_ERR_NOT_FOUND : FIX_ERR_IO, "HTTP %ld from %s", d.status, url);
      break;
    }
    if (cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST) {
      st = fix_err_set(err, FIX_ERR_IO, "cannot connect to %s: %s", url, curl_easy_strerror(cc));
      break;
    }
    fix_log(FIX_LOG_INFO, "download stopped at %.1f MiB (%s); resuming", (double)d.have / 1048576.0,
            cc ? curl_easy_strerror(cc) : "short reply");
    if (attempt == 4)
      st = fix_err_set(err, FIX_ERR_IO, "the download of %s kept failing; %s keeps %llu bytes (run again to resume)",
                       url, part, (unsigned long long)d.have);
  }
  if (c)
    curl_easy_cleanup(c);
  if (!st) {
    const char *want = sha256 ? sha256 : is_sha256(d.etag) ? d.etag : NULL;
    char hex[65];
    st = fix_sha256_file(part, hex, err);
    if (!st && want && strcasecmp(hex, want) != 0) {
      unlink(part);
      st = fix_err_set(err, FIX_ERR_CONFLICT, "SHA-256 mismatch for %s: expected %s, got %s (the download was removed)",
                       url, want, hex);
    } else if (!st && !want) {
      char *base = basename_of(url);
      fix_log(FIX_LOG_WARN, "no SHA-256 to verify %s against (got %s)", base ? base : "the download", hex);
      free(base);
    }
    if (!st && rename(part, dest) != 0)
      st = fix_err_errno(err, FIX_ERR_IO, "cannot move %s into place", part);
  }
  if (!st)
    *path = fix_strdup(dest);
  free(part);
  free(dest);
  return st;
}
