/* config.c — settings from defaults, the user file, the project file, FIX_* variables and the
 * command line, in increasing precedence, each remembering where it came from. */
#include "fix/repair.h"
#include "fix/engine.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
  const char *name;
  const char *env;
} keys[FIX_CFG_NKEYS] = {
    [FIX_CFG_FIXITS] = {"fixits", "FIX_FIXITS"},
    [FIX_CFG_MAX_ITERATIONS] = {"max_iterations", "FIX_MAX_ITERATIONS"},
    [FIX_CFG_CANDIDATES] = {"candidates", "FIX_CANDIDATES"},
    [FIX_CFG_BUILD_TIMEOUT] = {"build_timeout", "FIX_BUILD_TIMEOUT"},
    [FIX_CFG_CHECK_TIMEOUT] = {"check_timeout", "FIX_CHECK_TIMEOUT"},
    [FIX_CFG_COMPDB] = {"compdb", "FIX_COMPDB"},
    [FIX_CFG_BACKEND] = {"backend", "FIX_BACKEND"},
    [FIX_CFG_MODEL] = {"model", "FIX_MODEL"},
    [FIX_CFG_ALLOW_DIRTY] = {"allow_dirty", "FIX_ALLOW_DIRTY"},
    [FIX_CFG_ALLOW_NO_VCS] = {"allow_no_vcs", "FIX_ALLOW_NO_VCS"},
    [FIX_CFG_COLOR] = {"color", "FIX_COLOR"},
    [FIX_CFG_EDIT_FORMAT] = {"edit_format", "FIX_EDIT_FORMAT"},
    [FIX_CFG_BASE_URL] = {"base_url", "FIX_BASE_URL"},
    [FIX_CFG_API_KEY] = {"api_key", "FIX_API_KEY"},
    [FIX_CFG_TEMPERATURE] = {"temperature", "FIX_TEMPERATURE"},
    [FIX_CFG_MAX_TOKENS] = {"max_tokens", "FIX_MAX_TOKENS"},
    [FIX_CFG_TIME_BUDGET] = {"time_budget", "FIX_TIME_BUDGET"},
    [FIX_CFG_REPLAY] = {"replay", "FIX_REPLAY"},
    [FIX_CFG_RECORD] = {"record", "FIX_RECORD"},
    [FIX_CFG_CONTEXT_TOKENS] = {"context_tokens", "FIX_CONTEXT_TOKENS"},
    [FIX_CFG_ATTEMPTS] = {"attempts", "FIX_ATTEMPTS"},
    [FIX_CFG_LLM_TIMEOUT] = {"llm_timeout", "FIX_LLM_TIMEOUT"},
    [FIX_CFG_UNSAFE_FIXES] = {"unsafe_fixes", "FIX_UNSAFE_FIXES"},
    [FIX_CFG_ALLOW_READONLY] = {"allow_readonly", "FIX_ALLOW_READONLY"},
    [FIX_CFG_SELECT] = {"select", "FIX_SELECT"},
    [FIX_CFG_IGNORE] = {"ignore", "FIX_IGNORE"},
    [FIX_CFG_CONSTRAIN] = {"constrain", "FIX_CONSTRAIN"},
    [FIX_CFG_REPAIRS] = {"repairs", "FIX_REPAIRS"},
    [FIX_CFG_GPU] = {"gpu", "FIX_GPU"},
    [FIX_CFG_INTENT] = {"intent", "FIX_INTENT"},
};

const char *fix_cfg_key_name(enum fix_cfg_key k) { return k < FIX_CFG_NKEYS ? keys[k].name : "?"; }
const char *fix_cfg_env_name(enum fix_cfg_key k) { return k < FIX_CFG_NKEYS ? keys[k].env : "?"; }

const char *fix_cfg_source_str(enum fix_cfg_source s) {
  static const char *n[] = {"default",      "user config", "project config",
                            "environment", "command line", "the ecosystem's environment variable"};
  return n[s];
}

void fix_options_defaults(struct fix_options *o) {
  memset(o, 0, sizeof *o);
  o->fixits = 1;
  o->allow_dirty = 1; /* the developer's tree as they left it: the journal keeps their text */
  o->max_iterations = 8;
  o->candidates = 3;
  o->check_timeout_s = 120;
  o->color = -1; /* auto */
  o->backend = fix_strdup("local");
  o->edit_format = fix_strdup("search-replace");
  o->temperature = 0.4;
  o->max_tokens = 1024;
  o->attempts = 3;
  o->llm_timeout_s = 300;
  o->constrain = 1;
  o->repairs = 1;
  o->intent = 1;
}

void fix_options_free(struct fix_options *o) {
  free(o->compdb);
  free(o->backend);
  free(o->model);
  free(o->gpu);
  free(o->journal_dir);
  free(o->edit_format);
  free(o->base_url);
  free(o->api_key);
  free(o->replay);
  free(o->record);
  free(o->sarif);
  free(o->patch);
  free(o->select);
  free(o->ignore);
  free(o->only);
  o->sarif = o->patch = o->select = o->ignore = o->only = o->gpu = NULL;
  o->compdb = o->backend = o->model = o->journal_dir = o->edit_format = o->base_url = o->api_key = o->replay =
      o->record = NULL;
}

static void set_str(char **dst, const char *v) {
  free(*dst);
  *dst = *v ? fix_strdup(v) : NULL;
}

static int parse_bool(const char *v, int *out) {
  if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on"))
    return *out = 1, 0;
  if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off"))
    return *out = 0, 0;
  return -1;
}

static int parse_int(const char *v, int lo, int hi, int *out) {
  long x;
  if (fix_parse_long(v, lo, hi, &x))
    return -1;
  *out = (int)x;
  return 0;
}

static int parse_secs(const char *v, double *out) { return fix_parse_double(v, 0, 1e7, out) ? -1 : 0; }

enum fix_status fix_options_set(struct fix_options *o, enum fix_cfg_key key, const char *v, enum fix_cfg_source src,
                                struct fix_err *err) {
  int bad = 0;
  switch (key) {
  case FIX_CFG_FIXITS: bad = parse_bool(v, &o->fixits); break;
  case FIX_CFG_ALLOW_DIRTY: bad = parse_bool(v, &o->allow_dirty); break;
  case FIX_CFG_ALLOW_NO_VCS: bad = parse_bool(v, &o->allow_no_vcs); break;
  case FIX_CFG_UNSAFE_FIXES: bad = parse_bool(v, &o->unsafe_fixes); break;
  case FIX_CFG_ALLOW_READONLY: bad = parse_bool(v, &o->allow_readonly); break;
  case FIX_CFG_SELECT: set_str(&o->select, v); break;
  case FIX_CFG_CONSTRAIN: bad = parse_bool(v, &o->constrain); break;
  case FIX_CFG_REPAIRS: bad = parse_bool(v, &o->repairs); break;
  case FIX_CFG_INTENT: bad = parse_bool(v, &o->intent); break;
  case FIX_CFG_GPU: {
    int dev;
    bad = fix_gpu_parse(v, &dev);
    if (!bad)
      set_str(&o->gpu, v);
    break;
  }
  case FIX_CFG_IGNORE: set_str(&o->ignore, v); break;
  case FIX_CFG_MAX_ITERATIONS: bad = parse_int(v, 0, 1000, &o->max_iterations); break;
  case FIX_CFG_CANDIDATES: bad = parse_int(v, 1, FIX_MAX_CANDIDATES, &o->candidates); break;
  case FIX_CFG_BUILD_TIMEOUT: bad = parse_secs(v, &o->build_timeout_s); break;
  case FIX_CFG_CHECK_TIMEOUT: bad = parse_secs(v, &o->check_timeout_s); break;
  case FIX_CFG_COLOR:
    if (!strcmp(v, "auto"))
      o->color = -1;
    else if (!strcmp(v, "always"))
      o->color = 1;
    else if (!strcmp(v, "never"))
      o->color = 0;
    else
      bad = parse_bool(v, &o->color);
    break;
  case FIX_CFG_BACKEND:
    if (strcmp(v, "local") && strcmp(v, "openai") && strcmp(v, "ollama") && strcmp(v, "replay") && strcmp(v, "none"))
      bad = 1;
    else
      free(o->backend), o->backend = fix_strdup(v);
    break;
  case FIX_CFG_COMPDB: set_str(&o->compdb, v); break;
  case FIX_CFG_MODEL: set_str(&o->model, v); break;
  case FIX_CFG_BASE_URL: {
    /* refused before anything is sent: curl would guess at "http://host:/v1" or "host:11434", or
     * speak another protocol; the error shows the URL without its credentials (fix_err_set) */
    fix_secret_add_url(v);
    struct fix_err why;
    if (*v && fix_url_check(v, &why) != FIX_OK)
      return fix_err_set(err, FIX_ERR_CONFIG, "invalid base_url '%s' (from %s): %s", v, fix_cfg_source_str(src), why.msg);
    set_str(&o->base_url, v);
    break;
  }
  case FIX_CFG_API_KEY: set_str(&o->api_key, v); break;
  case FIX_CFG_REPLAY: set_str(&o->replay, v); break;
  case FIX_CFG_RECORD: set_str(&o->record, v); break;
  case FIX_CFG_EDIT_FORMAT:
    if (strcmp(v, "search-replace") && strcmp(v, "changelog") && strcmp(v, "udiff"))
      bad = 1;
    else
      set_str(&o->edit_format, v);
    break;
  case FIX_CFG_TEMPERATURE: bad = parse_secs(v, &o->temperature) || o->temperature > 2; break;
  case FIX_CFG_MAX_TOKENS: bad = parse_int(v, 16, 1 << 20, &o->max_tokens); break;
  case FIX_CFG_TIME_BUDGET: bad = parse_secs(v, &o->time_budget_s); break;
  case FIX_CFG_CONTEXT_TOKENS: bad = parse_int(v, 0, 1 << 24, &o->context_tokens); break;
  case FIX_CFG_ATTEMPTS: bad = parse_int(v, 1, 100, &o->attempts); break;
  case FIX_CFG_LLM_TIMEOUT: bad = parse_secs(v, &o->llm_timeout_s); break;
  case FIX_CFG_NKEYS: bad = 1; break;
  }
  if (bad)
    return fix_err_set(err, FIX_ERR_CONFIG, "invalid value '%s' for %s (from %s)",
                       key == FIX_CFG_API_KEY ? "(hidden)" : v, fix_cfg_key_name(key), fix_cfg_source_str(src));
  o->src[key] = src;
  return FIX_OK;
}

void fix_options_conventions(struct fix_options *o) {
  if (o->src[FIX_CFG_BASE_URL] != FIX_CFG_DEFAULT || !o->backend)
    return;
  const char *var = !strcmp(o->backend, "openai") ? "OPENAI_BASE_URL" : !strcmp(o->backend, "ollama") ? "OLLAMA_HOST" : NULL;
  const char *v = var ? getenv(var) : NULL;
  if (!v || !*v)
    return;
  o->base_url_var = var;
  free(o->base_url);
  o->base_url = strstr(v, "://") ? fix_strdup(v) : fix_asprintf("http://%s", v); /* OLLAMA_HOST=0.0.0.0:11434 */
  fix_secret_add_url(o->base_url); /* (checked when the backend opens: fix_llm_open) */
  o->src[FIX_CFG_BASE_URL] = FIX_CFG_CONVENTION;
}

char *fix_options_get(const struct fix_options *o, enum fix_cfg_key key) {
  switch (key) {
  case FIX_CFG_FIXITS: return fix_strdup(o->fixits ? "true" : "false");
  case FIX_CFG_ALLOW_DIRTY: return fix_strdup(o->allow_dirty ? "true" : "false");
  case FIX_CFG_ALLOW_NO_VCS: return fix_strdup(o->allow_no_vcs ? "true" : "false");
  case FIX_CFG_MAX_ITERATIONS: return fix_asprintf("%d", o->max_iterations);
  case FIX_CFG_CANDIDATES: return fix_asprintf("%d", o->candidates);
  case FIX_CFG_BUILD_TIMEOUT: return fix_asprintf("%g", o->build_timeout_s);
  case FIX_CFG_CHECK_TIMEOUT: return fix_asprintf("%g", o->check_timeout_s);
  case FIX_CFG_COLOR: return fix_strdup(o->color < 0 ? "auto" : o->color ? "always" : "never");
  case FIX_CFG_BACKEND: return fix_strdup(o->backend ? o->backend : "");
  case FIX_CFG_COMPDB: return fix_strdup(o->compdb ? o->compdb : "");
  case FIX_CFG_MODEL: return fix_strdup(o->model ? o->model : "");
  case FIX_CFG_EDIT_FORMAT: return fix_strdup(o->edit_format ? o->edit_format : "");
  case FIX_CFG_BASE_URL: return fix_strdup(o->base_url ? o->base_url : "");
  case FIX_CFG_API_KEY: return fix_strdup(o->api_key ? "(set)" : "");
  case FIX_CFG_REPLAY: return fix_strdup(o->replay ? o->replay : "");
  case FIX_CFG_RECORD: return fix_strdup(o->record ? o->record : "");
  case FIX_CFG_TEMPERATURE: return fix_asprintf("%g", o->temperature);
  case FIX_CFG_MAX_TOKENS: return fix_asprintf("%d", o->max_tokens);
  case FIX_CFG_TIME_BUDGET: return fix_asprintf("%g", o->time_budget_s);
  case FIX_CFG_CONTEXT_TOKENS: return fix_asprintf("%d", o->context_tokens);
  case FIX_CFG_ATTEMPTS: return fix_asprintf("%d", o->attempts);
  case FIX_CFG_LLM_TIMEOUT: return fix_asprintf("%g", o->llm_timeout_s);
  case FIX_CFG_UNSAFE_FIXES: return fix_strdup(o->unsafe_fixes ? "true" : "false");
  case FIX_CFG_ALLOW_READONLY: return fix_strdup(o->allow_readonly ? "true" : "false");
  case FIX_CFG_SELECT: return fix_strdup(o->select ? o->select : "");
  case FIX_CFG_IGNORE: return fix_strdup(o->ignore ? o->ignore : "");
  case FIX_CFG_CONSTRAIN: return fix_strdup(o->constrain ? "true" : "false");
  case FIX_CFG_REPAIRS: return fix_strdup(o->repairs ? "true" : "false");
  case FIX_CFG_INTENT: return fix_strdup(o->intent ? "true" : "false");
  case FIX_CFG_GPU: return fix_strdup(o->gpu ? o->gpu : "auto");
  case FIX_CFG_NKEYS: break;
  }
  return fix_strdup("");
}

char *fix_config_user_path(void) {
  const char *x = getenv("XDG_CONFIG_HOME");
  if (x && *x)
    return fix_asprintf("%s/fix/config.json", x);
  const char *h = getenv("HOME");
  return fix_asprintf("%s/.config/fix/config.json", h && *h ? h : "/nonexistent");
}

char *fix_config_project_path(const char *root) { return fix_path_join(root, ".fix.json"); }

/* A setting an untrusted project file may not make (trust.c says why). */
static int needs_trust(enum fix_cfg_key k, const char *v, const char *root) {
  if (k == FIX_CFG_BASE_URL || k == FIX_CFG_API_KEY || k == FIX_CFG_ALLOW_DIRTY || k == FIX_CFG_ALLOW_NO_VCS ||
      k == FIX_CFG_ALLOW_READONLY)
    return 1;
  if (k == FIX_CFG_RECORD || k == FIX_CFG_REPLAY) {
    char *c = NULL;
    int outside = fix_path_contain(root, root, v, &c, NULL) != FIX_OK;
    free(c);
    return outside;
  }
  return 0;
}

static enum fix_status load_file(struct fix_options *o, const char *path, enum fix_cfg_source src,
                                 const char *root, struct fix_err *err) {
  struct fix_buf b;
  enum fix_status st = fix_file_read(path, 1u << 20, &b, NULL);
  if (st == FIX_ERR_NOT_FOUND)
    return FIX_OK;
  if (st)
    return fix_err_set(err, FIX_ERR_CONFIG, "cannot read %s", path);
  const char *end = NULL;
  cJSON *j = b.data ? cJSON_ParseWithLengthOpts(b.data, b.len, &end, 0) : NULL;
  if (!j) { /* where it stopped making sense: line and column (bytes, 1-based) */
    int line = 1, col = 1;
    for (const char *p = b.data; p && end && p < end && p < b.data + b.len; p++) {
      if (*p == '\n')
        line++, col = 1;
      else
        col++;
    }
    fix_buf_free(&b);
    return fix_err_set(err, FIX_ERR_CONFIG, "%s:%d:%d: not valid JSON", path, line, col);
  }
  fix_buf_free(&b);
  if (!cJSON_IsObject(j)) {
    cJSON_Delete(j);
    return fix_err_set(err, FIX_ERR_CONFIG, "%s: not a JSON object", path);
  }
  const cJSON *it;
  st = FIX_OK;
  int trust = src == FIX_CFG_PROJECT ? fix_project_trust_state(root) : 0;
  struct fix_buf refused;
  fix_buf_init(&refused, 0);
  cJSON_ArrayForEach(it, j) {
    int k = 0;
    while (k < FIX_CFG_NKEYS && strcmp(keys[k].name, it->string))
      k++;
    if (k == FIX_CFG_NKEYS) {
      fix_log(FIX_LOG_WARN, "%s: unknown setting '%s' ignored", path, it->string);
      continue;
    }
    char tmp[64];
    const char *v = NULL;
    if (cJSON_IsString(it))
      v = it->valuestring;
    else if (cJSON_IsBool(it))
      v = cJSON_IsTrue(it) ? "true" : "false";
    else if (cJSON_IsNumber(it)) {
      snprintf(tmp, sizeof tmp, "%g", it->valuedouble);
      v = tmp;
    }
    if (!v) {
      st = fix_err_set(err, FIX_ERR_CONFIG, "%s: setting '%s' must be a string, number or boolean", path, it->string);
      break;
    }
    if (src == FIX_CFG_PROJECT && trust != 0 && needs_trust((enum fix_cfg_key)k, v, root)) {
      fix_buf_printf(&refused, "%s%s", refused.len ? ", " : "", it->string);
      continue;
    }
    st = fix_options_set(o, (enum fix_cfg_key)k, v, src, err);
    if (st) {
      size_t l = strlen(err ? err->msg : "");
      if (err && l < sizeof err->msg - 8)
        snprintf(err->msg + l, sizeof err->msg - l, " in %s", path);
      break;
    }
  }
  cJSON_Delete(j);
  if (refused.len)
    fix_log(FIX_LOG_WARN, "%s sets %s: ignored, because %s (check it, then run 'fix trust' in the project to allow it)",
            path, refused.data, trust > 0 ? "it changed since you trusted the project" : "this project is not trusted");
  fix_buf_free(&refused);
  return st;
}

enum fix_status fix_options_load(struct fix_options *o, const char *project_root, struct fix_err *err) {
  char *user = fix_config_user_path();
  enum fix_status st = user ? load_file(o, user, FIX_CFG_USER, NULL, err) : FIX_OK;
  free(user);
  if (!st && project_root) {
    char *proj = fix_config_project_path(project_root);
    st = proj ? load_file(o, proj, FIX_CFG_PROJECT, project_root, err) : FIX_OK;
    free(proj);
  }
  for (int k = 0; !st && k < FIX_CFG_NKEYS; k++) {
    const char *v = getenv(keys[k].env);
    if (v)
      st = fix_options_set(o, (enum fix_cfg_key)k, v, FIX_CFG_ENV, err);
  }
  return st;
}
