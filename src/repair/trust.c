/* trust.c — what a project's own .fix.json may decide.
 *
 * A repository you clone is not you. Its .fix.json may tune how fix works on it (iterations,
 * candidates, edit format, timeouts), but it may not, unless you trust the project:
 *  - send your credentials somewhere (base_url, api_key),
 *  - write or read files outside the project (record, replay),
 *  - switch off your safety nets (allow_dirty, allow_no_vcs).
 * Such settings are ignored, with one warning naming them. `fix trust` (like direnv's `allow`,
 * VS Code's workspace trust, git's safe.directory) records the project root and a hash of its
 * .fix.json in $XDG_CONFIG_HOME/fix/trusted.json; a .fix.json changed since is untrusted again
 * until trusted anew. */
#include "fix/repair.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *trust_path(void) {
  char *user = fix_config_user_path(); /* .../fix/config.json */
  char *dir = user ? fix_path_dirname(user) : NULL;
  char *p = dir ? fix_path_join(dir, "trusted.json") : NULL;
  free(user);
  free(dir);
  return p;
}

static char *config_hash(const char *root) {
  char *proj = fix_config_project_path(root);
  struct fix_buf b;
  char *h = NULL;
  if (proj && fix_file_read(proj, 1u << 20, &b, NULL) == FIX_OK) {
    h = fix_asprintf("%016llx", (unsigned long long)fix_hash64(b.data ? b.data : "", b.len));
    fix_buf_free(&b);
  } else {
    h = fix_strdup("none");
  }
  free(proj);
  return h;
}

static cJSON *load(void) {
  char *p = trust_path();
  struct fix_buf b;
  cJSON *j = NULL;
  if (p && fix_file_read(p, 4u << 20, &b, NULL) == FIX_OK) {
    j = cJSON_ParseWithLength(b.data, b.len);
    fix_buf_free(&b);
  }
  free(p);
  if (!cJSON_IsObject(j)) {
    cJSON_Delete(j);
    j = cJSON_CreateObject();
  }
  if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "trusted"))) {
    cJSON_DeleteItemFromObjectCaseSensitive(j, "trusted");
    cJSON_AddArrayToObject(j, "trusted");
  }
  return j;
}

/* -1: not trusted; 0: trusted; 1: trusted once, but .fix.json changed since */
int fix_project_trust_state(const char *root) {
  cJSON *j = load();
  char *h = config_hash(root);
  int state = -1;
  const cJSON *e;
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(j, "trusted")) {
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(e, "root"), *c = cJSON_GetObjectItemCaseSensitive(e, "config");
    if (cJSON_IsString(r) && !strcmp(r->valuestring, root))
      state = cJSON_IsString(c) && h && !strcmp(c->valuestring, h) ? 0 : 1;
  }
  free(h);
  cJSON_Delete(j);
  return state;
}

enum fix_status fix_project_trust(const char *root, int trust, struct fix_err *err) {
  cJSON *j = load();
  cJSON *arr = cJSON_GetObjectItemCaseSensitive(j, "trusted");
  for (int i = cJSON_GetArraySize(arr) - 1; i >= 0; i--) {
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(arr, i), "root");
    if (cJSON_IsString(r) && !strcmp(r->valuestring, root))
      cJSON_DeleteItemFromArray(arr, i);
  }
  if (trust) {
    char *h = config_hash(root);
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "root", root);
    cJSON_AddStringToObject(e, "config", h ? h : "none");
    cJSON_AddItemToArray(arr, e);
    free(h);
  }
  char *text = cJSON_Print(j);
  cJSON_Delete(j);
  char *p = trust_path();
  char *dir = p ? fix_path_dirname(p) : NULL;
  enum fix_status st = !text || !p || !dir ? fix_err_set(err, FIX_ERR_NOMEM, "out of memory") : fix_mkdirs(dir, err);
  if (!st)
    st = fix_file_write_atomic(p, text, strlen(text), err);
  free(text);
  free(p);
  free(dir);
  return st;
}
