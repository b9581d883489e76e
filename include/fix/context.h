/* fix/context.h — what a model needs to see around a diagnostic, found with tree-sitter.
 *
 * For each location a diagnostic and its notes mention: the enclosing item (function, struct,
 * class, impl ...); the declarations of the identifiers the message names or that appear on the
 * error line (struct/class definitions, prototypes, typedefs, macros), from the same file and the
 * project headers it includes; the file's include lines. Files that do not parse fall back to a
 * window of lines. A token budget bounds the whole; what is cut is cut whole, least important
 * first (include lines, then declarations from the error line, then those the message names, then
 * the items of notes; the error's own item last, shrunk to a window if it alone is too big).
 *
 * Languages are recognised by file name; grammars (C, C++, Rust) are compiled into fix from the
 * pinned npm packages. Line numbers are 1-based. Ownership: a fix_context owns its parts. */
#ifndef FIX_CONTEXT_H
#define FIX_CONTEXT_H

#include "fix/base.h"

enum fix_lang { FIX_LANG_UNKNOWN = 0, FIX_LANG_C, FIX_LANG_CPP, FIX_LANG_RUST };

enum fix_lang fix_lang_from_path(const char *path);
const char *fix_lang_str(enum fix_lang l);

/* The item enclosing `line`: the outermost function, struct/union/enum/class, typedef,
 * declaration or macro around it (Rust: fn, impl, trait, struct, enum ...), looking through
 * namespaces, extern "C" and preprocessor blocks. With max_lines > 0, an item longer than that is
 * replaced by the largest item inside it that contains the line and fits (a method of a big class
 * or impl). FIX_ERR_NOT_FOUND when the line is between items; FIX_ERR_PARSE when the grammar
 * gives no tree. *kind is static. */
enum fix_status fix_context_enclosing(enum fix_lang lang, const char *text, size_t len, int line, int max_lines,
                                      int *first, int *last, const char **kind, struct fix_err *err);

/* What a file defines: functions, types, macros, declarations, Rust items and methods, as "kind
 * name" strings, each once (appended to out). -1 when the file cannot be parsed. Used to tell a
 * repair from a deletion of the problem. */
int fix_context_defined(enum fix_lang lang, const char *text, size_t len, struct fix_strv *out);

/* Whether the parse of `text` has syntax errors (ERROR or MISSING nodes): -1 when it cannot parse. */
int fix_context_has_syntax_errors(enum fix_lang lang, const char *text, size_t len);

/* ---- collecting context for a diagnostic ---- */

enum fix_ctx_prio {
  FIX_CTXP_ERROR_ITEM = 0, /* the item around the error itself */
  FIX_CTXP_NOTE_ITEM,      /* items around the other locations */
  FIX_CTXP_MESSAGE_DECL,   /* declarations of identifiers the message names */
  FIX_CTXP_LINE_DECL,      /* declarations of identifiers on the error line */
  FIX_CTXP_INCLUDES,       /* #include / use lines */
};

struct fix_ctx_part {
  char *file;     /* absolute */
  int first, last;
  enum fix_ctx_prio prio;
  char *why;      /* "function_definition around the error", "declaration of 'point'" */
};

struct fix_context {
  struct fix_ctx_part *v;
  size_t n;
  int tokens;     /* estimated size of the rendered context */
  int dropped;    /* parts cut to fit the budget */
};

struct fix_ctx_loc {
  const char *file; /* absolute */
  int line;
};

struct fix_ctx_request {
  const char *root;                  /* project root: nothing outside it is shown */
  const struct fix_ctx_loc *locs;    /* the error first, then its notes' locations */
  size_t nlocs;
  const char *message;               /* the diagnostic's message */
  const char *const *include_dirs;   /* absolute -I directories (NULL-terminated, may be NULL) */
  const char *const *extra_files;    /* more files to search for declarations (Rust: the crate's) */
  int budget_tokens;                 /* 0: unlimited */
  int window;                        /* fallback ±lines (0: 12) */
  int max_item_lines;                /* items longer than this are windowed (0: 80) */
};

enum fix_status fix_context_collect(const struct fix_ctx_request *req, fix_text_lookup lookup, void *ud,
                                    struct fix_context *out, struct fix_err *err);
/* Renders the parts: per file a header line (path relative to root), then "NNN | code" lines,
 * "..." between gaps; the error's file first. Appends to out. */
enum fix_status fix_context_render(const struct fix_context *c, const char *root, fix_text_lookup lookup, void *ud,
                                   struct fix_buf *out);
void fix_context_free(struct fix_context *c);
/* Every distinct file the context shows (absolute). Appends to out. */
void fix_context_files(const struct fix_context *c, struct fix_strv *out);

#endif
