/* replay.c — answers from a file of recorded replies: {"replies": ["...", ...], "delay_ms": N}
 * (or a bare JSON array). Each completion takes the next replies in order; running out is an
 * error, never a silent repeat. Used by tests, and to reproduce a reported session from the file
 * written with --record. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct replay {
  struct fix_strv replies;
  size_t next;
  int delay_ms;
};

enum fix_status fix_llm_replay_load(struct fix_llm *llm, struct fix_err *err);

enum fix_status fix_llm_replay_load(struct fix_llm *llm, struct fix_err *err) {
  if (!llm->cfg.replay_path)
    return fix_err_set(err, FIX_ERR_CONFIG, "the replay backend needs a file of recorded replies (--replay FILE)");
  struct fix_buf b;
  enum fix_status st = fix_file_read(llm->cfg.replay_path, 64u << 20, &b, err);
  if (st)
    return st;
  cJSON *j = cJSON_ParseWithLength(b.data, b.len);
  fix_buf_free(&b);
  const cJSON *arr = cJSON_IsArray(j) ? j : cJSON_GetObjectItemCaseSensitive(j, "replies");
  if (!cJSON_IsArray(arr)) {
    cJSON_Delete(j);
    return fix_err_set(err, FIX_ERR_PARSE, "%s: expected {\"replies\": [...]} or a JSON array of strings",
                       llm->cfg.replay_path);
  }
  struct replay *r = calloc(1, sizeof *r);
  if (!r) {
    cJSON_Delete(j);
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  }
  const cJSON *it;
  cJSON_ArrayForEach(it, arr) {
    if (!cJSON_IsString(it)) {
      st = fix_err_set(err, FIX_ERR_PARSE, "%s: every reply must be a string", llm->cfg.replay_path);
      break;
    }
    fix_strv_push(&r->replies, it->valuestring);
  }
  const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, "delay_ms");
  if (cJSON_IsNumber(d) && d->valuedouble > 0) /* at most an hour: a huge value must not overflow int */
    r->delay_ms = d->valuedouble < 3600000 ? (int)d->valuedouble : 3600000;
  cJSON_Delete(j);
  if (st) {
    fix_strv_free(&r->replies);
    free(r);
    return st;
  }
  llm->impl = r;
  return FIX_OK;
}

static enum fix_status replay_complete(struct fix_llm *llm, const struct fix_llm_request *req,
                                       struct fix_llm_reply *reply, struct fix_err *err) {
  struct replay *r = llm->impl;
  if (r->delay_ms) {
    /* the recorded replies "arrive" evenly over the delay, as a streaming server's would */
    long chars = 0;
    for (int i = 0; i < req->n && r->next + (size_t)i < r->replies.n; i++)
      chars += (long)strlen(r->replies.v[r->next + (size_t)i]);
    double t0 = fix_now(), end = t0 + r->delay_ms / 1000.0;
    while (fix_now() < end) {
      if (fix_interrupted())
        return fix_err_set(err, FIX_ERR_INTERRUPTED, "replay: interrupted");
      if (req->progress)
        req->progress(req->progress_ud, fix_llm_estimate_tokens_n((long)(chars * (fix_now() - t0) / (end - t0))));
      struct timespec ts = {0, 10 * 1000 * 1000};
      nanosleep(&ts, NULL);
    }
  }
  for (int i = 0; i < req->n; i++) {
    if (r->next >= r->replies.n) {
      if (i > 0)
        break; /* fewer candidates than asked: a real server can do that too */
      return fix_err_set(err, FIX_ERR_NOT_FOUND, "replay: all %zu recorded replies in %s have been used",
                         r->replies.n, llm->cfg.replay_path);
    }
    fix_strv_push(&reply->texts, r->replies.v[r->next++]);
  }
  reply->requests = 1;
  return FIX_OK;
}

static void replay_destroy(struct fix_llm *llm) {
  struct replay *r = llm->impl;
  if (r)
    fix_strv_free(&r->replies);
  free(r);
}

const struct fix_llm_vtbl fix_llm_replay = {"replay", 16000, replay_complete, replay_destroy};
