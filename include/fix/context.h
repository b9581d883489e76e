/* fix/context.h — what a model needs to see around a diagnostic, found with tree-sitter.
 *
 * Languages are recognised by file name; grammars (C, C++, Rust) are compiled into fix from the
 * pinned npm packages. Line numbers are 1-based. */
#ifndef FIX_CONTEXT_H
#define FIX_CONTEXT_H

#include "fix/base.h"

enum fix_lang { FIX_LANG_UNKNOWN = 0, FIX_LANG_C, FIX_LANG_CPP, FIX_LANG_RUST };

enum fix_lang fix_lang_from_path(const char *path);
const char *fix_lang_str(enum fix_lang l);

/* The outermost item enclosing `line`: a function, struct/union/enum/class, namespace member,
 * typedef or declaration (Rust: fn, impl, trait, struct, enum, mod item). On success [*first,
 * *last] are its lines and *kind (borrowed, static) its node type. FIX_ERR_NOT_FOUND when the line
 * is between items; FIX_ERR_PARSE when the grammar cannot be loaded or gives no tree. */
enum fix_status fix_context_enclosing(enum fix_lang lang, const char *text, size_t len, int line, int *first,
                                      int *last, const char **kind, struct fix_err *err);

/* Whether the parse of `text` has syntax errors (ERROR or MISSING nodes): -1 when it cannot parse. */
int fix_context_has_syntax_errors(enum fix_lang lang, const char *text, size_t len);

#endif
