/* results.c — eval results as JSON (write, read, merge shards) and the summary tables. */
#include "fix/eval.h"

#include "groups.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *fix_eval_to_json(const struct fix_eval_results *r) {
  cJSON *j = cJSON_CreateObject();
  cJSON_AddStringToObject(j, "tool", r->tool ? r->tool : "");
  cJSON_AddNumberToObject(j, "wall_seconds", r->wall_s);
  size_t rep = 0;
  for (size_t i = 0; i < r->n; i++)
    rep += r->v[i].repaired;
  cJSON_AddNumberToObject(j, "cases", (double)r->n);
  cJSON_AddNumberToObject(j, "repaired", (double)rep);
  cJSON *cs = cJSON_AddArrayToObject(j, "results");
  for (size_t i = 0; i < r->n; i++) {
    const struct fix_case_result *c = &r->v[i];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", c->id);
    cJSON_AddStringToObject(o, "language", c->language ? c->language : "");
    cJSON_AddStringToObject(o, "category", c->category ? c->category : "");
    cJSON *e = cJSON_AddArrayToObject(o, "errors");
    for (size_t k = 0; k < c->errors.n; k++)
      cJSON_AddItemToArray(e, cJSON_CreateString(c->errors.v[k]));
    cJSON_AddBoolToObject(o, "fixits_only", c->fixits_only);
    cJSON_AddBoolToObject(o, "repaired", c->repaired);
    cJSON_AddBoolToObject(o, "build_passed", c->build_passed);
    cJSON_AddBoolToObject(o, "check_passed", c->check_passed);
    cJSON_AddBoolToObject(o, "items_kept", c->items_kept);
    if (c->missing)
      cJSON_AddStringToObject(o, "missing", c->missing);
    cJSON_AddBoolToObject(o, "exact", c->exact);
    if (c->error)
      cJSON_AddStringToObject(o, "error", c->error);
    cJSON_AddNumberToObject(o, "tool_exit", c->tool_exit);
    cJSON_AddNumberToObject(o, "iterations", c->iterations);
    cJSON_AddNumberToObject(o, "model_calls", c->model_calls);
    cJSON_AddNumberToObject(o, "repairs_kept", c->repairs_kept);
    cJSON_AddNumberToObject(o, "tokens_in", (double)c->tokens_in);
    cJSON_AddNumberToObject(o, "tokens_out", (double)c->tokens_out);
    cJSON_AddNumberToObject(o, "seconds", c->total_s);
    cJSON_AddNumberToObject(o, "tool_seconds", c->tool_s);
    cJSON_AddNumberToObject(o, "build_seconds", c->build_s);
    cJSON_AddNumberToObject(o, "check_seconds", c->check_s);
    cJSON_AddNumberToObject(o, "model_seconds", c->model_s);
    cJSON_AddNumberToObject(o, "runner_seconds", c->runner_s);
    cJSON_AddItemToArray(cs, o);
  }
  char *text = cJSON_Print(j);
  cJSON_Delete(j);
  return text;
}

/* A count or a duration read back: a number in [0, max], anything else (missing, negative,
 * infinite, NaN, too large for the field) is 0. */
static double num(const cJSON *v, double max) {
  if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) || !(v->valuedouble <= max))
    return 0;
  return v->valuedouble;
}

enum fix_status fix_eval_from_json(const char *text, size_t len, const char *origin, struct fix_eval_results *out,
                                   struct fix_err *err) {
  memset(out, 0, sizeof *out);
  if (len > FIX_EVAL_RESULTS_MAX)
    return fix_err_set(err, FIX_ERR_TOO_BIG, "%s: larger than %zu bytes", origin, FIX_EVAL_RESULTS_MAX);
  cJSON *j = cJSON_ParseWithLength(text, len);
  const cJSON *cs = cJSON_GetObjectItemCaseSensitive(j, "results");
  if (!cJSON_IsArray(cs)) {
    cJSON_Delete(j);
    return fix_err_set(err, FIX_ERR_PARSE, "%s: not a fix eval results file (no \"results\" array)", origin);
  }
  size_t n = (size_t)cJSON_GetArraySize(cs);
  out->v = calloc(n + 1, sizeof *out->v);
  const cJSON *tool = cJSON_GetObjectItemCaseSensitive(j, "tool");
  out->tool = fix_strdup(cJSON_IsString(tool) ? tool->valuestring : "");
  const cJSON *w = cJSON_GetObjectItemCaseSensitive(j, "wall_seconds");
  out->wall_s = cJSON_IsNumber(w) ? w->valuedouble : 0;
  const cJSON *o;
  enum fix_status st = out->v ? FIX_OK : fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  const cJSON *list = st ? NULL : cs;
  cJSON_ArrayForEach(o, list) {
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
    if (!cJSON_IsString(id)) {
      st = fix_err_set(err, FIX_ERR_PARSE, "%s: result %zu has no id", origin, out->n + 1);
      break;
    }
    struct fix_case_result *c = &out->v[out->n++];
#define STR(name) (cJSON_IsString(cJSON_GetObjectItem(o, name)) ? fix_strdup(cJSON_GetObjectItem(o, name)->valuestring) : NULL)
#define NUM(name) num(cJSON_GetObjectItem(o, name), 1e12)
#define BOOL(name) cJSON_IsTrue(cJSON_GetObjectItem(o, name))
    c->id = fix_strdup(id->valuestring);
    c->language = STR("language");
    c->category = STR("category");
    c->missing = STR("missing");
    c->error = STR("error");
    const cJSON *e, *errs = cJSON_GetObjectItem(o, "errors");
    const cJSON *earr = cJSON_IsArray(errs) ? errs : NULL;
    cJSON_ArrayForEach(e, earr) if (cJSON_IsString(e)) fix_strv_push(&c->errors, e->valuestring);
    c->fixits_only = BOOL("fixits_only");
    c->repaired = BOOL("repaired");
    c->build_passed = BOOL("build_passed");
    c->check_passed = BOOL("check_passed");
    c->items_kept = BOOL("items_kept");
    c->exact = BOOL("exact");
    c->tool_exit = (int)num(cJSON_GetObjectItem(o, "tool_exit"), 255);
    c->iterations = (int)num(cJSON_GetObjectItem(o, "iterations"), 1e9);
    c->model_calls = (int)num(cJSON_GetObjectItem(o, "model_calls"), 1e9);
    c->repairs_kept = (int)num(cJSON_GetObjectItem(o, "repairs_kept"), 1e9);
    c->tokens_in = (long)NUM("tokens_in");
    c->tokens_out = (long)NUM("tokens_out");
    c->total_s = NUM("seconds");
    c->tool_s = NUM("tool_seconds");
    c->build_s = NUM("build_seconds");
    c->check_s = NUM("check_seconds");
    c->model_s = NUM("model_seconds");
    c->runner_s = NUM("runner_seconds");
#undef STR
#undef NUM
#undef BOOL
  }
  cJSON_Delete(j);
  if (st)
    fix_eval_results_free(out);
  return st;
}

static int by_id(const void *a, const void *b) {
  return strcmp(((const struct fix_case_result *)a)->id, ((const struct fix_case_result *)b)->id);
}

enum fix_status fix_eval_merge(struct fix_eval_results *into, struct fix_eval_results *from, struct fix_err *err) {
  for (size_t i = 0; i < from->n; i++)
    for (size_t k = 0; k < into->n; k++)
      if (!strcmp(from->v[i].id, into->v[k].id))
        return fix_err_set(err, FIX_ERR_CONFLICT, "case %s is in two of the merged results", from->v[i].id);
  if (into->tool && from->tool && strcmp(into->tool, from->tool) != 0)
    return fix_err_set(err, FIX_ERR_CONFLICT, "the results were made by different tools: '%s' and '%s'", into->tool,
                       from->tool);
  struct fix_case_result *nv = realloc(into->v, (into->n + from->n + 1) * sizeof *nv);
  if (!nv)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  into->v = nv;
  memcpy(into->v + into->n, from->v, from->n * sizeof *nv);
  into->n += from->n;
  if (!into->tool) {
    into->tool = from->tool;
    from->tool = NULL;
  }
  if (from->wall_s > into->wall_s)
    into->wall_s = from->wall_s; /* shards run side by side */
  free(from->v);
  from->v = NULL;
  from->n = 0;
  qsort(into->v, into->n, sizeof *into->v, by_id);
  return FIX_OK;
}

/* Error codes look like E0382, clippy::name or -Wformat; anything else is a message. */
int eval_is_code(const char *e) {
  return (e[0] == 'E' && strlen(e) == 5 && strspn(e + 1, "0123456789") == 4) || !strncmp(e, "clippy::", 8) ||
         (e[0] == '-' && e[1] == 'W');
}

static void add_group(struct eval_group *g, int *n, const char *key, const struct fix_case_result *c) {
  int i = 0;
  while (i < *n && strcmp(g[i].key, key))
    i++;
  if (i == *n) {
    snprintf(g[i].key, sizeof g[i].key, "%s", key);
    g[i].n = g[i].rep = g[i].exact = 0;
    (*n)++;
  }
  g[i].n++;
  g[i].rep += c->repaired;
  g[i].exact += c->exact;
}

static int group_cmp(const void *a, const void *b) {
  return strcmp(((const struct eval_group *)a)->key, ((const struct eval_group *)b)->key);
}

int eval_groups(const struct fix_eval_results *r, enum eval_key k, struct eval_group **out) {
  size_t cap = 1;
  for (size_t i = 0; i < r->n; i++)
    cap += k == EVAL_BY_CODE ? r->v[i].errors.n : 1;
  struct eval_group *g = calloc(cap, sizeof *g);
  int n = 0;
  for (size_t i = 0; g && i < r->n; i++) {
    const struct fix_case_result *c = &r->v[i];
    if (k == EVAL_BY_LANGUAGE)
      add_group(g, &n, c->language ? c->language : "?", c);
    else if (k == EVAL_BY_CATEGORY)
      add_group(g, &n, c->category ? c->category : "?", c);
    else
      for (size_t e = 0; e < c->errors.n; e++)
        if (eval_is_code(c->errors.v[e]))
          add_group(g, &n, c->errors.v[e], c);
  }
  if (g)
    qsort(g, (size_t)n, sizeof *g, group_cmp);
  *out = g;
  return g ? n : 0;
}

static void table(struct fix_buf *out, const char *title, const struct fix_eval_results *r, enum eval_key k) {
  struct eval_group *g;
  int n = eval_groups(r, k, &g);
  if (n) {
    fix_buf_printf(out, "%-32s %6s %9s %7s %6s\n", title, "cases", "repaired", "", "exact");
    for (int i = 0; i < n; i++)
      fix_buf_printf(out, "%-32.32s %6d %9d %6.1f%% %6d\n", g[i].key, g[i].n, g[i].rep, 100.0 * g[i].rep / g[i].n,
                     g[i].exact);
    fix_buf_puts(out, "\n");
  }
  free(g);
}

void fix_eval_summary(const struct fix_eval_results *r, struct fix_buf *out) {
  int rep = 0, errors = 0, by_repairs = 0, by_model = 0, alone = 0;
  double tool = 0, runner = 0, build = 0, check = 0, model = 0;
  long tin = 0, tout = 0;
  for (size_t i = 0; i < r->n; i++) {
    const struct fix_case_result *c = &r->v[i];
    rep += c->repaired;
    by_repairs += c->repaired && c->repairs_kept > 0;
    by_model += c->repaired && c->model_calls > 0;
    alone += c->repaired && !c->model_calls && !c->repairs_kept;
    tool += c->tool_s;
    runner += c->runner_s;
    build += c->build_s;
    check += c->check_s;
    model += c->model_s;
    tin += c->tokens_in;
    tout += c->tokens_out;
    errors += c->error != NULL;
  }
  table(out, "language", r, EVAL_BY_LANGUAGE);
  table(out, "category", r, EVAL_BY_CATEGORY);
  table(out, "error code", r, EVAL_BY_CODE);
  if (r->n)
    fix_buf_printf(out, "tool: %s; %.1f s wall; per case: repair %.2f s (builds %.2f, checks %.2f, model %.2f), the "
                        "runner's own work %.3f s; tokens in %ld, out %ld%s\n",
                   r->tool ? r->tool : "?", r->wall_s, tool / r->n, build / r->n, check / r->n, model / r->n,
                   runner / r->n, tin, tout, errors ? "; some cases could not run (see the results)" : "");
  if (rep) /* a case may need both fix's repairs and the model */
    fix_buf_printf(out, "repaired with: compiler fix-its alone %d; fix's own repairs %d; the model %d\n", alone,
                   by_repairs, by_model);
  fix_buf_printf(out, "eval: %d/%zu repaired (%.1f%%)\n", rep, r->n, r->n ? 100.0 * rep / r->n : 0);
}
