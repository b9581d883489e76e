/* reply.h — private to the patch module: model replies as "hunks" (replace these lines with those),
 * the three format parsers that produce them, and the matcher that anchors them in a file. */
#ifndef FIX_PATCH_REPLY_H
#define FIX_PATCH_REPLY_H

#include "fix/patch.h"

struct hunk {
  char *path;            /* as the model wrote it */
  struct fix_strv orig;  /* lines to replace, without newlines */
  struct fix_strv repl;  /* replacement lines */
  int hint_line;         /* 1-based line where orig starts according to the model (0: unknown) */
  int insert_at;         /* orig empty: insert before this 1-based line (0: not an insertion) */
  int block;             /* 1-based ordinal, for messages */
  int has_orig;          /* the format had an original section (even if empty) */
};

struct hunks {
  struct hunk *v;
  size_t n;
};

struct hunk *hunks_push(struct hunks *h);
void hunks_free(struct hunks *h);
/* Splits text into lines (no newlines kept); the text has no CR. */
enum fix_status split_lines(const char *text, size_t len, struct fix_strv *out);
/* A file name as models write it: without quotes, backticks, bold markers, "File:" or a trailing ':'.
 * Caller frees. */
char *clean_path(const char *s);

enum fix_status fmt_changelog_parse(const struct fix_strv *lines, struct hunks *out, struct fix_err *err);
enum fix_status fmt_search_replace_parse(const struct fix_strv *lines, struct hunks *out, struct fix_err *err);
enum fix_status fmt_udiff_parse(const struct fix_strv *lines, struct hunks *out, struct fix_err *err);

/* Finds h->orig in the file text and returns the byte range to replace and the replacement (in
 * the file's newline style and indentation). `name` is the file as shown in messages. */
enum fix_status match_hunk(const char *text, size_t len, const struct hunk *h, const char *name, size_t *start,
                           size_t *end, char **replacement, struct fix_err *err);

#endif
