/* internal.h — private to src/context: tree-sitter parsing, the one traversal of a file's items,
 * and the declaration index built from it. */
#ifndef FIX_CONTEXT_INTERNAL_H
#define FIX_CONTEXT_INTERNAL_H

#include "fix/context.h"

#include <tree_sitter/api.h>

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

/* A parser for the language (a 5 s timeout), NULL when it has no grammar. The caller deletes it. */
TSParser *ctx_parser(enum fix_lang lang);

/* The tree of `text`, or NULL when the language has no grammar or the parser gives up. The caller
 * deletes the tree and *parser. */
TSTree *ctx_parse(enum fix_lang lang, const char *text, size_t len, TSParser **parser);

/* 1-based first and last line of a node (a node ending at column 0 ends on the line before);
 * returns the number of lines. */
int ctx_rows(TSNode n, int *first, int *last);

/* Indexes the declarations of a file (top level, and inside namespaces, extern "C", preprocessor
 * blocks). Returns -1 when the file cannot be parsed. Built by the same traversal as
 * fix_context_items (items.c). */
int ctx_index_decls(enum fix_lang lang, const char *text, size_t len, struct decls *out);
void ctx_decls_free(struct decls *d);

#endif
