/* journal.c — the undo journal on disk, and `fix undo`. */
#include "journal.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void journal_hash(const char *data, size_t len, char out[40]) {
  snprintf(out, 40, "%016llx-%zu", (unsigned long long)fix_hash64(data, len), len);
}

void journal_free(struct journal *j) {
  if (!j)
    return;
  for (size_t i = 0; i < j->n; i++) {
    free(j->files[i].path);
    free(j->files[i].orig_name);
  }
  free(j->files);
  free(j->dir);
  free(j->root);
  memset(j, 0, sizeof *j);
}

char *fix_journal_dir_for(const char *root) { return fix_state_dir_for("journal", root); }

enum fix_status journal_save(struct journal *j, struct fix_err *err) {
  cJSON *o = cJSON_CreateObject();
  cJSON *files = cJSON_CreateArray();
  if (!o || !files) {
    cJSON_Delete(o);
    cJSON_Delete(files);
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  }
  cJSON_AddNumberToObject(o, "version", 1);
  cJSON_AddStringToObject(o, "root", j->root);
  cJSON_AddStringToObject(o, "state", j->state);
  cJSON_AddNumberToObject(o, "started", j->started);
  cJSON_AddNumberToObject(o, "writes", j->writes);
  cJSON_AddItemToObject(o, "files", files);
  for (size_t i = 0; i < j->n; i++) {
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "path", j->files[i].path);
    cJSON_AddBoolToObject(f, "existed", j->files[i].existed);
    cJSON_AddStringToObject(f, "orig", j->files[i].orig_name);
    cJSON_AddStringToObject(f, "orig_hash", j->files[i].orig_hash);
    if (j->files[i].written_hash[0])
      cJSON_AddStringToObject(f, "written_hash", j->files[i].written_hash);
    else
      cJSON_AddNullToObject(f, "written_hash");
    if (j->files[i].pending_hash[0])
      cJSON_AddStringToObject(f, "pending_hash", j->files[i].pending_hash);
    cJSON_AddItemToArray(files, f);
  }
  char *text = cJSON_Print(o);
  cJSON_Delete(o);
  if (!text)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  char *path = fix_path_join(j->dir, "journal.json");
  enum fix_status st = !path ? fix_err_set(err, FIX_ERR_NOMEM, "out of memory")
                       : fix_fault("journal") ? fix_err_errno(err, FIX_ERR_IO, "cannot write the undo journal %s", path)
                                              : fix_file_write_atomic(path, text, strlen(text), err);
  if (st && path && err && !strstr(err->msg, "undo journal")) {
    char why[sizeof err->msg];
    snprintf(why, sizeof why, "%s", err->msg);
    fix_err_set(err, st, "cannot write the undo journal: %s", why);
  }
  free(path);
  free(text);
  return st;
}

enum fix_status journal_begin(struct journal *j, const char *jdir, const char *root, struct fix_err *err) {
  memset(j, 0, sizeof *j);
  unsigned seq = 1;
  enum fix_status st = fix_mkdirs(jdir, err);
  if (!st)
    st = history_prepare(jdir, &seq, err);
  if (st)
    return st;
  char name[32];
  snprintf(name, sizeof name, "s-%06u", seq);
  j->dir = fix_path_join(jdir, name);
  j->root = fix_strdup(root);
  j->started = (double)time(NULL);
  snprintf(j->state, sizeof j->state, "active");
  if (!j->dir || !j->root)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  fix_rmtree(j->dir); /* (a directory left by a session that died before its first save) */
  char *orig = fix_path_join(j->dir, "orig");
  st = orig ? fix_mkdirs(orig, err) : FIX_ERR_NOMEM;
  free(orig);
  if (!st)
    st = journal_save(j, err);
  return st;
}

enum fix_status journal_add(struct journal *j, const char *path, int existed, const char *data, size_t len,
                            struct fix_err *err) {
  struct journal_file *v = realloc(j->files, (j->n + 1) * sizeof *v);
  if (!v)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  j->files = v;
  struct journal_file *f = &v[j->n];
  memset(f, 0, sizeof *f);
  f->path = fix_strdup(path);
  f->existed = existed;
  f->orig_name = fix_asprintf("orig/%zu", j->n);
  if (!f->path || !f->orig_name) {
    free(f->path);
    free(f->orig_name);
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  }
  journal_hash(data, len, f->orig_hash);
  j->n++;
  char *op = fix_path_join(j->dir, f->orig_name);
  enum fix_status st = op ? fix_file_write_atomic(op, data, len, err) : FIX_ERR_NOMEM;
  free(op);
  if (!st)
    st = journal_save(j, err);
  if (st)
    j->n--, free(f->path), free(f->orig_name);
  return st;
}

enum fix_status journal_add_copy(struct journal *j, const struct journal_file *f, const char *from_dir,
                                 struct fix_err *err) {
  char *src = fix_path_join(from_dir, f->orig_name);
  struct fix_buf b;
  enum fix_status st = src ? fix_file_read(src, 1u << 30, &b, err) : FIX_ERR_NOMEM;
  free(src);
  if (st)
    return st;
  st = journal_add(j, f->path, f->existed, b.data, b.len, err);
  fix_buf_free(&b);
  if (!st) {
    struct journal_file *n = &j->files[j->n - 1];
    memcpy(n->orig_hash, f->orig_hash, sizeof n->orig_hash);
    memcpy(n->written_hash, f->written_hash, sizeof n->written_hash);
    memcpy(n->pending_hash, f->pending_hash, sizeof n->pending_hash);
  }
  return st;
}

enum fix_status journal_load(struct journal *j, const char *dir, struct fix_err *err) {
  memset(j, 0, sizeof *j);
  char *path = fix_path_join(dir, "journal.json");
  struct fix_buf b;
  enum fix_status st = path ? fix_file_read(path, 64u << 20, &b, err) : FIX_ERR_NOMEM;
  free(path);
  if (st == FIX_ERR_NOT_FOUND)
    return fix_err_set(err, st, "no fix session to undo for this project");
  if (st)
    return st;
  cJSON *o = cJSON_ParseWithLength(b.data, b.len);
  fix_buf_free(&b);
  const cJSON *root = cJSON_GetObjectItemCaseSensitive(o, "root");
  const cJSON *state = cJSON_GetObjectItemCaseSensitive(o, "state");
  const cJSON *files = cJSON_GetObjectItemCaseSensitive(o, "files");
  if (!cJSON_IsString(root) || !cJSON_IsString(state) || !cJSON_IsArray(files)) {
    cJSON_Delete(o);
    return fix_err_set(err, FIX_ERR_PARSE, "the undo journal in %s is damaged", dir);
  }
  j->dir = fix_strdup(dir);
  j->root = fix_strdup(root->valuestring);
  snprintf(j->state, sizeof j->state, "%s", state->valuestring);
  const cJSON *started = cJSON_GetObjectItemCaseSensitive(o, "started");
  const cJSON *writes = cJSON_GetObjectItemCaseSensitive(o, "writes");
  j->started = cJSON_IsNumber(started) ? started->valuedouble : 0;
  j->writes = cJSON_IsNumber(writes) && writes->valuedouble >= 0 ? (unsigned)writes->valuedouble : 0;
  const cJSON *f;
  cJSON_ArrayForEach(f, files) {
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(f, "path");
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(f, "existed");
    const cJSON *orig = cJSON_GetObjectItemCaseSensitive(f, "orig");
    const cJSON *oh = cJSON_GetObjectItemCaseSensitive(f, "orig_hash");
    const cJSON *wh = cJSON_GetObjectItemCaseSensitive(f, "written_hash");
    const cJSON *ph = cJSON_GetObjectItemCaseSensitive(f, "pending_hash");
    if (!cJSON_IsString(p) || !cJSON_IsString(orig) || !cJSON_IsString(oh) || strstr(orig->valuestring, "..")) {
      st = fix_err_set(err, FIX_ERR_PARSE, "the undo journal in %s is damaged", dir);
      break;
    }
    struct journal_file *v = realloc(j->files, (j->n + 1) * sizeof *v);
    if (!v) {
      st = fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
      break;
    }
    j->files = v;
    struct journal_file *jf = &v[j->n++];
    memset(jf, 0, sizeof *jf);
    jf->path = fix_strdup(p->valuestring);
    jf->existed = cJSON_IsTrue(ex);
    jf->orig_name = fix_strdup(orig->valuestring);
    snprintf(jf->orig_hash, sizeof jf->orig_hash, "%s", oh->valuestring);
    if (cJSON_IsString(wh))
      snprintf(jf->written_hash, sizeof jf->written_hash, "%s", wh->valuestring);
    if (cJSON_IsString(ph))
      snprintf(jf->pending_hash, sizeof jf->pending_hash, "%s", ph->valuestring);
  }
  cJSON_Delete(o);
  if (st)
    journal_free(j);
  return st;
}

/* A crash inside fix_file_write_atomic can leave its temporary file (".NAME.fix-XXXXXX") beside
 * the project file: undo removes those of the files it restores. */
static void remove_stale_temps(const char *path) {
  char *dir = fix_path_dirname(path);
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  char *prefix = fix_asprintf(".%s.fix-", base);
  DIR *d = dir ? opendir(dir) : NULL;
  struct dirent *e;
  while (d && prefix && (e = readdir(d))) {
    if (fix_str_starts(e->d_name, prefix) && strlen(e->d_name) == strlen(prefix) + 6) {
      char *p = fix_path_join(dir, e->d_name);
      if (p)
        unlink(p);
      free(p);
    }
  }
  if (d)
    closedir(d);
  free(prefix);
  free(dir);
}

enum fix_status journal_undo_session(const char *dir, int force, size_t *restored, struct fix_err *err) {
  *restored = 0;
  struct journal j;
  enum fix_status st = journal_load(&j, dir, err);
  if (st)
    return st;
  if (!strcmp(j.state, "undone")) {
    journal_free(&j);
    return fix_err_set(err, FIX_ERR_NOT_FOUND, "this fix session was already undone");
  }
  /* First verify every file, so that a refusal changes nothing. A file fix wrote is as fix left
   * it when it hashes to written_hash, or (a crash in the middle of a write) to pending_hash or
   * still to the original. */
  for (size_t i = 0; i < j.n && !st; i++) {
    struct journal_file *f = &j.files[i];
    if ((!f->written_hash[0] && !f->pending_hash[0]) || force)
      continue;
    struct fix_buf cur;
    enum fix_status rs = fix_file_read(f->path, 1u << 30, &cur, NULL);
    char h[40] = "";
    if (rs == FIX_OK)
      journal_hash(cur.data, cur.len, h);
    fix_buf_free(&cur);
    int ok = rs == FIX_OK ? (!strcmp(h, f->written_hash) || !strcmp(h, f->pending_hash) ||
                             (f->existed && !strcmp(h, f->orig_hash)))
                          : rs == FIX_ERR_NOT_FOUND && (!f->existed || !strcmp(f->pending_hash, "absent") ||
                                                        !f->written_hash[0]);
    if (!ok)
      st = fix_err_set(err, FIX_ERR_CONFLICT, "%s was changed after fix edited it; not undoing (use --force)", f->path);
  }
  for (size_t i = 0; i < j.n && !st; i++) {
    struct journal_file *f = &j.files[i];
    remove_stale_temps(f->path);
    if (!f->written_hash[0] && !f->pending_hash[0])
      continue; /* fix never wrote it, or already put it back */
    if (!f->existed) {
      if (unlink(f->path) != 0 && errno != ENOENT)
        st = fix_err_errno(err, FIX_ERR_IO, "cannot remove %s", f->path);
    } else {
      char *op = fix_path_join(dir, f->orig_name);
      struct fix_buf orig;
      st = op ? fix_file_read(op, 1u << 30, &orig, err) : FIX_ERR_NOMEM;
      free(op);
      if (!st) {
        char h[40];
        journal_hash(orig.data, orig.len, h);
        if (strcmp(h, f->orig_hash) != 0)
          st = fix_err_set(err, FIX_ERR_PARSE, "the journal's copy of %s is damaged", f->path);
        else
          st = fix_file_write_atomic(f->path, orig.data, orig.len, err);
      }
      fix_buf_free(&orig);
    }
    if (!st) {
      fix_log(FIX_LOG_INFO, "restored %s", f->path);
      f->written_hash[0] = f->pending_hash[0] = '\0';
      (*restored)++;
      st = journal_save(&j, err);
    }
  }
  if (!st) {
    snprintf(j.state, sizeof j.state, "undone");
    st = journal_save(&j, err);
  }
  journal_free(&j);
  return st;
}
