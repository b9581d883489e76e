/* groups.h — eval results grouped by language, category or error code; shared by the summary
 * tables, the HTML report and `--compare`. Internal to src/eval. */
#ifndef FIX_EVAL_GROUPS_H
#define FIX_EVAL_GROUPS_H

#include "fix/eval.h"

enum eval_key { EVAL_BY_LANGUAGE, EVAL_BY_CATEGORY, EVAL_BY_CODE };

struct eval_group {
  char key[96];
  int n, rep, exact;
};

/* The groups sorted by key (*out: caller frees); returns how many. Codes count each case once per
 * code it lists. */
int eval_groups(const struct fix_eval_results *r, enum eval_key k, struct eval_group **out);
/* Whether directory `path` is a build's output (a CMake or Meson build tree, a cache-tagged dir). */
int eval_build_output(const char *path);
/* Source files below root/rel (relative paths), a build's outputs left out (run.c). */
void eval_sources(const char *root, const char *rel, struct fix_strv *out, int depth);
/* E0382, clippy::name, -Wformat: a code rather than a message. */
int eval_is_code(const char *e);

#endif
