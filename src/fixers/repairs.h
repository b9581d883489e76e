/* repairs.h — the model-free repairs (src/fixers): generators the repair session (src/repair) calls and judges. */
#ifndef FIX_REPAIR_REPAIRS_H
#define FIX_REPAIR_REPAIRS_H

#include "fix/diag.h"
#include "fix/intent.h"
#include "fix/patch.h"

#include <stddef.h>

/* The standard header that declares `name`: C (cxx 0), or C++ (cxx 1; `qualified`: it was
 * written std::name). NULL when the table does not know it. */
const char *repair_std_header(const char *name, int cxx, int qualified);

/* One generated repair: a single edit, why (shown to the user), and its rank (lower first). */
struct repair {
  char *file;
  size_t start, end;
  char *text;
  char *why;
  int rank;
  int exclusive; /* one of alternatives only the code's meaning can choose between (which argument
                    to drop): when two of equal evidence compile cleanly, neither is kept */
  int evidence;  /* how strongly the names support this alternative */
};

struct repair_list {
  struct repair *v;
  size_t n;
};

/* What a generator may read: the file the diagnostic is in, and a way to read others. */
struct repair_env {
  const char *root;                      /* the project root (edits stay inside it) */
  const char *const *include_dirs;       /* the TU's -I directories, absolute (NULL-terminated) */
  const char *const *headers;            /* the project's header files, absolute (NULL-terminated) */
  int (*read)(void *ud, const char *path, const char **text, size_t *len); /* 0 on success */
  void *ud;
  const struct fix_intent *intent;       /* the developer's change (may be NULL): completed, not undone */
  const char *const *unknown;            /* names the build reports undeclared or unknown (NULL-terminated,
                                            may be NULL): never a misspelling's replacement */
};

/* The repairs for diagnostic `d` (whose file's text is `text`), best first, at most `max`. */
void repairs_generate(const struct repair_env *env, const struct fix_diag *d, const char *text, size_t len,
                      size_t max, struct repair_list *out);
void repair_list_free(struct repair_list *l);

/* Whether header text h declares `name` at file scope (a tag, a typedef, a macro, a prototype, an
 * extern variable). */
int repair_header_declares(const char *h, size_t n, const char *name);

/* Damerau-Levenshtein distance (optimal string alignment) of a and b, capped at cap + 1. */
int repair_distance(const char *a, size_t an, const char *b, size_t bn, int cap);

#endif
