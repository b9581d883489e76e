/* fix/prompt.h — prompt templates: plain text files in prompts/, loaded at run time.
 *
 * A template has a "[system]" and a "[user]" section. In them, {{name}} is replaced by a value,
 * {{#name}}...{{/name}} is kept only when the value is non-empty, and {{> part}} includes the file
 * part.txt (the edit formats' specifications are shared this way). An unknown placeholder is an
 * error, so a typo in a user's template is caught rather than sent to a model.
 *
 * Lookup order for "c-changelog" (then "changelog" partials alike): $FIX_PROMPTS_DIR, then
 * $XDG_CONFIG_HOME/fix/prompts (the user's overrides), then the installed copy beside the binary
 * (../share/fix/prompts), then the source tree's prompts/ (for a build directory). */
#ifndef FIX_PROMPT_H
#define FIX_PROMPT_H

#include "fix/base.h"

struct fix_kv {
  const char *name;
  const char *value;
};

/* Finds and reads template `name` (without .txt). *origin (caller frees) says which file. */
enum fix_status fix_prompt_load(const char *name, char **text, char **origin, struct fix_err *err);
/* Renders a loaded template into its system and user messages (caller frees both). */
enum fix_status fix_prompt_render(const char *tmpl, const struct fix_kv *vars, size_t nvars, char **system,
                                  char **user, struct fix_err *err);
/* The directories searched, in order (for messages and `fix config`). Appends to out. */
void fix_prompt_dirs(struct fix_strv *out);

#endif
