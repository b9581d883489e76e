/* internal.h — private to the repair module: the state of one session and its reporting helpers. */
#ifndef FIX_REPAIR_INTERNAL_H
#define FIX_REPAIR_INTERNAL_H

#include "fix/build.h"
#include "fix/patch.h"
#include "fix/repair.h"

#include <cjson/cJSON.h>

struct session {
  const struct fix_options *o;
  const struct fix_repair_sinks *sinks;
  struct fix_repair_stats *st;
  const char *const *argv;
  const char *cwd;
  struct fix_vcs vcs;
  struct fix_workspace *ws;
  struct fix_shadow *shadow;
  struct fix_compdb db;
  struct fix_err err;
};

void say(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Emits a JSON event {"event": type, ...fields of obj}; takes ownership of obj (may be NULL). */
void emit(struct session *s, const char *type, cJSON *obj);
cJSON *diag_to_json(const struct fix_diag *d);
/* "file:line:col" relative to the project root when inside it. Caller frees. */
char *short_loc(struct session *s, const struct fix_pos *p);

/* Runs a fast check of one TU in the shadow, with timing and stats. */
enum fix_status session_check(struct session *s, const struct fix_compile_cmd *cmd, struct fix_diag_list *out);
/* The compile command for a TU (from the database, else a guess added to it). Borrowed. */
const struct fix_compile_cmd *session_cmd_for(struct session *s, const char *tu);
/* Makes the shadow's copy of `path` match the workspace (after a commit or a rejected trial). */
enum fix_status session_shadow_sync(struct session *s, const char *path);

/* The compiler fix-it pass over the TUs that have errors. *kept = number of accepted steps. */
enum fix_status fixits_pass(struct session *s, const struct fix_diag_list *build_diags, int *kept);

#endif
