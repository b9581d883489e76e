/* report.c — progress lines and JSON events of a session. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void say(struct session *s, const char *fmt, ...) {
  if (!s->sinks || !s->sinks->say)
    return;
  char line[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  s->sinks->say(s->sinks->ud, line);
}

void emit(struct session *s, const char *type, cJSON *obj) {
  if (!s->sinks || !s->sinks->event) {
    cJSON_Delete(obj);
    return;
  }
  cJSON *e = cJSON_CreateObject();
  if (!e) {
    cJSON_Delete(obj);
    return;
  }
  cJSON_AddStringToObject(e, "event", type);
  if (obj) {
    cJSON *it = obj->child;
    while (it) {
      cJSON *next = it->next;
      cJSON_DetachItemViaPointer(obj, it);
      cJSON_AddItemToObject(e, it->string, it);
      it = next;
    }
    cJSON_Delete(obj);
  }
  char *text = cJSON_PrintUnformatted(e);
  cJSON_Delete(e);
  if (text)
    s->sinks->event(s->sinks->ud, text);
  free(text);
}

static cJSON *pos_json(const struct fix_pos *p) {
  cJSON *o = cJSON_CreateObject();
  if (p->file)
    cJSON_AddStringToObject(o, "file", p->file);
  cJSON_AddNumberToObject(o, "line", p->line);
  cJSON_AddNumberToObject(o, "column", p->col);
  return o;
}

cJSON *diag_to_json(const struct fix_diag *d) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "severity", fix_severity_str(d->severity));
  cJSON_AddStringToObject(o, "compiler", fix_compiler_str(d->compiler));
  if (d->pos.file)
    cJSON_AddItemToObject(o, "location", pos_json(&d->pos));
  cJSON_AddStringToObject(o, "message", d->message ? d->message : "");
  if (d->code)
    cJSON_AddStringToObject(o, "code", d->code);
  if (d->nfixits) {
    cJSON *a = cJSON_AddArrayToObject(o, "fixits");
    for (size_t i = 0; i < d->nfixits; i++) {
      cJSON *f = cJSON_CreateObject();
      cJSON_AddItemToObject(f, "start", pos_json(&d->fixits[i].range.begin));
      cJSON_AddItemToObject(f, "end", pos_json(&d->fixits[i].range.end));
      cJSON_AddStringToObject(f, "text", d->fixits[i].text);
      cJSON_AddItemToArray(a, f);
    }
  }
  if (d->nnotes) {
    cJSON *a = cJSON_AddArrayToObject(o, "notes");
    for (size_t i = 0; i < d->nnotes; i++)
      cJSON_AddItemToArray(a, diag_to_json(&d->notes[i]));
  }
  return o;
}

char *short_loc(struct session *s, const struct fix_pos *p) {
  if (!p->file)
    return fix_strdup("(no location)");
  char *rel = s->vcs.root ? fix_path_relative(s->vcs.root, p->file) : NULL;
  char *r = p->col > 0 ? fix_asprintf("%s:%d:%d", rel ? rel : p->file, p->line, p->col)
                        : fix_asprintf("%s:%d", rel ? rel : p->file, p->line); /* a linker's: no column */
  free(rel);
  return r;
}
