/* fix/intent.h — what the developer was doing: the working tree's change against the last commit,
 * read with tree-sitter on both sides (src/intent/).
 *
 * A build breaks mid-change: a function, field, type or macro renamed in its declaration and
 * definition with uses left behind; a parameter removed, added or moved in a signature with calls
 * left behind. The repairs complete such a change (rename the use, drop the argument at the removed
 * parameter's place, pass the variable named like the new parameter, reorder the arguments)
 * instead of undoing it. Ownership: fix_intent_free frees everything. */
#ifndef FIX_INTENT_H
#define FIX_INTENT_H

#include "fix/base.h"
#include "fix/context.h"

enum fix_intent_kind {
  FIX_INTENT_RENAME,
  FIX_INTENT_PARAM_REMOVED,
  FIX_INTENT_PARAM_ADDED,
  FIX_INTENT_PARAMS_REORDERED,
  FIX_INTENT_MOVED /* an item taken out of one file and put, same kind and name, into another */
};

struct fix_intent_change {
  enum fix_intent_kind kind;
  const char *what; /* static: the item's kind ("function", "field", "fn", "macro", ...) */
  char *from, *to;  /* RENAME: the last component of the name before and after ("qty", "quantity");
                       MOVED: from is the item's name, to NULL */
  char *fn;         /* PARAM_*: the callable's last name component */
  int index;        /* PARAM_REMOVED, PARAM_ADDED: the parameter's 0-based position (ADDED: in the new list) */
  int nparams;      /* PARAM_*: how many parameters it had before the change (what old calls pass) */
  char *param;      /* PARAM_REMOVED, PARAM_ADDED: the parameter's name ("" when unnamed) */
  char *type;       /* PARAM_ADDED: the new parameter's type ("unsigned flags" -> "unsigned") */
  int *order;       /* PARAMS_REORDERED: order[j] = the old position of the new j-th parameter */
  int self_param;   /* PARAM_*: the first parameter is Rust's self (a method call passes it before the dot) */
  char *file;       /* the file the developer changed (absolute); MOVED: where the item is now */
  char *origin;     /* MOVED: the file it was in (absolute) */
};

struct fix_intent {
  struct fix_intent_change *v;
  size_t n;
  char *diff; /* `git diff HEAD` of the changed files (capped at 64 KiB; NULL without git) */
  struct fix_strv gone, added; /* "kind\tname\tfile" of top-level items that left or joined a file:
                                  fix_intent_moves pairs them across files */
};

/* The change in the working tree of the git repository at `root` (staged and unstaged, against
 * HEAD; files added or deleted since and untracked sources count as empty on the other side). No repository or no HEAD: an empty intent, FIX_OK. */
FIX_MUST_USE enum fix_status fix_intent_read(const char *root, struct fix_intent *out, struct fix_err *err);
/* The changes between two versions of one file, appended to `it` (what fix_intent_read does for each
 * changed file). FIX_ERR_PARSE when the language has no grammar. */
FIX_MUST_USE enum fix_status fix_intent_compare(enum fix_lang lang, const char *file, const char *before, size_t blen,
                                                const char *after, size_t alen, struct fix_intent *it,
                                                struct fix_err *err);
/* Pairs the items that left one compared file with those that joined another (same kind and name,
 * each once): FIX_INTENT_MOVED changes. fix_intent_read calls it after comparing every file. */
void fix_intent_moves(struct fix_intent *it);
void fix_intent_free(struct fix_intent *it);
/* The move of the item named `name` (its last component), or NULL. */
const struct fix_intent_change *fix_intent_moved(const struct fix_intent *it, const char *name);
/* The hunks of the developer's diff (it->diff) that mention one of `names` (NULL-terminated; whole
 * words), each with its file's header, appended to `out` up to about `max` bytes. Returns how many
 * hunks were kept. */
size_t fix_intent_hunks(const struct fix_intent *it, const char *const *names, size_t max, struct fix_buf *out);
/* The rename whose old name is `from`, or NULL. */
const struct fix_intent_change *fix_intent_rename_of(const struct fix_intent *it, const char *from);
/* The parameter removal of callable `fn` that had `nparams` parameters, or NULL. */
const struct fix_intent_change *fix_intent_param_removed(const struct fix_intent *it, const char *fn, int nparams);
/* The change of `fn`'s parameter list (removed, added or reordered) that had `nparams` before, or NULL. */
const struct fix_intent_change *fix_intent_signature(const struct fix_intent *it, const char *fn, int nparams);

#endif
