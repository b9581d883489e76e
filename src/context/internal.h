/* internal.h — private to src/context: tree-sitter parsing and the declaration index. */
#ifndef FIX_CONTEXT_INTERNAL_H
#define FIX_CONTEXT_INTERNAL_H

#include "fix/context.h"

/* A top-level declaration: what it names and the lines to show for it. */
struct decl {
  char *name;
  int first, last; /* for a function definition: its signature lines only */
  const char *kind;
};

struct decls {
  struct decl *v;
  size_t n;
};

/* Indexes the declarations of a file (top level, and inside namespaces, extern "C", preprocessor
 * blocks). Returns -1 when the file cannot be parsed. */
int ctx_index_decls(enum fix_lang lang, const char *text, size_t len, struct decls *out);
void ctx_decls_free(struct decls *d);

#endif
