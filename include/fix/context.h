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

/* ---- items: what an edit destroyed ----
 *
 * The items of a file, from the same traversal as fix_context_defined, with what a reviewer
 * compares before and after an edit. Items inside ERROR nodes of a broken parse are skipped;
 * containers (namespaces, extern "C", preprocessor blocks) are looked through. Items come in file
 * order, an item before the members that name it as parent. */
struct fix_item {
  const char *kind; /* static: C/C++ "function", "method", "struct", "class", "union", "enum", "typedef",
                       "type" (using =), "concept", "field", "global", "macro", "enum_constant";
                       Rust "fn", "impl_fn", "trait_fn", "impl", "trait", "struct", "union", "enum",
                       "variant", "field", "type", "const", "static", "macro", "mod" */
  char *name;       /* owned; qualified: "app::S::f" for methods (in-class or out-of-line, template
                       arguments of the scope dropped), "ns::f", "struct point.x" / "class app::S.n"
                       for fields, "Shape::Circle" for variants, "Order::total" and
                       "<Order as fmt::Display>::fmt" for Rust impl items, "util::clamp" in a mod */
  char *params;     /* owned; the parameter list with whitespace collapsed and comments dropped,
                       "(int depth, FILE *out)"; a variant's fields; NULL for non-callables */
  struct fix_strv param_names; /* owned; each parameter's name, "" when unnamed (prototypes) */
  struct fix_strv param_types; /* owned; each parameter's type without its name, "(void)" has none */
  int first, last;  /* 1-based lines, a template header included */
  int body_lines;   /* non-blank lines of the body that hold more than braces or comments; -1 when
                       there is no body (a prototype, a field, a forward declaration) */
  int empty_body;   /* a body with no statements (only braces, whitespace, comments) */
  int parent;       /* index of the item this one belongs to (the struct of a field, the class of an
                       in-class method, the impl of a Rust method, the typedef naming a struct), -1 */
};

struct fix_items {
  struct fix_item *v;
  size_t n;
};

/* The items of a file into *out (overwritten). FIX_ERR_PARSE when the grammar gives no tree (an
 * unknown language); FIX_ERR_NOMEM. Free with fix_items_free, also after a failure. */
enum fix_status fix_context_items(enum fix_lang lang, const char *text, size_t len, struct fix_items *out,
                                  struct fix_err *err);
/* A file as it is before candidate edits: its text (copied), tree and items, so that each
 * candidate costs only an incremental parse (tree-sitter reuses every subtree outside the span
 * between the common prefix and suffix of the two texts): on a 2,000-line C file a full parse takes
 * several ms, the incremental one a tenth of a ms (collecting the items then costs about one ms).
 * The base is read-only after _new:
 * fix_items_base_edit may run on it from several threads at once. */
struct fix_items_base;
/* FIX_ERR_PARSE (no grammar), FIX_ERR_NOMEM; *out is NULL then. Free with fix_items_base_free. */
enum fix_status fix_items_base_new(enum fix_lang lang, const char *text, size_t len, struct fix_items_base **out,
                                   struct fix_err *err);
/* Whether the base's text parses with syntax errors (ERROR or MISSING nodes), from its own tree. */
int fix_items_base_broken(const struct fix_items_base *base);
/* The items of the base's text: borrowed, valid until fix_items_base_free. */
const struct fix_items *fix_items_base_items(const struct fix_items_base *base);
/* The items of `after`, an edit of the base's text, into *out (overwritten): the same as
 * fix_context_items on it. Free them with fix_items_free. */
enum fix_status fix_items_base_edit(const struct fix_items_base *base, const char *after, size_t alen,
                                    struct fix_items *out, struct fix_err *err);
void fix_items_base_free(struct fix_items_base *base); /* NULL-safe */
/* One candidate in one call: the items of `before` into *b and of `after` into *a (both
 * overwritten, both freed by the caller with fix_items_free), one full parse and one incremental. */
enum fix_status fix_context_items_edit(enum fix_lang lang, const char *before, size_t blen, const char *after,
                                       size_t alen, struct fix_items *b, struct fix_items *a, struct fix_err *err);
/* Frees what the items own; NULL-safe, leaves *it empty. */
void fix_items_free(struct fix_items *it);

/* What an edit from `before` to `after` destroyed, as one human sentence per item appended to
 * `out` (an identical sentence once): "removes function 'lib_weighted'", "removes the declaration of
 * function 'f'", "removes the definition of function 'f'" (a prototype is left), "renames function
 * 'emit_line' to 'emit_lin'", "empties the body of 'main'", "removes most of the body of 'f' (2 of 9
 * lines left)", "removes parameter 'flags' of 'emit_line'", "changes the parameters of 'f' from
 * '(int a)' to '(long a)'", "removes field 'qty' of struct 'order'", "removes variant 'Dot' of enum
 * 'Shape'". The members of a removed item are not listed again.
 *
 * Items are matched by kind and name, wherever they are (a move is fine); a C++ overload by its
 * parameter types too. A callable that is gone while a new one of the same kind, parameter types
 * and about the same body size appears was renamed. Parameters are compared by type (renaming one
 * is fine). A body that had statements and has none is emptied; one of 6 or more lines that keeps
 * less than half of them has lost most of itself. Not destroyed: a removed duplicate (its twin of
 * the same kind, name and parameter types stays), a removed declaration whose definition stays,
 * new items, other changes inside bodies. Items whose name, or its last component
 * ("bump" of "app::Counter::bump", "qty" of "struct order.qty"), is in `allowed` (NULL-terminated,
 * may be NULL: the names the error is about) are exempt: a change to those is the repair's
 * business. Returns the number of sentences added. */
int fix_items_destroyed(const struct fix_items *before, const struct fix_items *after, const char *const *allowed,
                        struct fix_strv *out);

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
