/* journal.h — private to the patch module: the on-disk undo journal.
 *
 * Layout of a journal directory:
 *   journal.json   {"version":1,"root":R,"state":"active|restored|undone","files":[
 *                    {"path":P,"existed":B,"orig":"orig/N","orig_hash":H,"written_hash":H|null,
 *                     "pending_hash":H|"absent"|null}]}
 *   orig/N         the original bytes of file N
 * journal.json is rewritten atomically after every change, and orig/N is fsync'd before the
 * project file is first written, so after a crash the journal always knows every original.
 * Write-ahead: before a project file is replaced, the hash of its new content is saved as
 * pending_hash; once the replacement is done it becomes written_hash. A crash between the two
 * leaves the file either as written_hash (or the original) says or as pending_hash says, and undo
 * accepts both. */
#ifndef FIX_PATCH_JOURNAL_H
#define FIX_PATCH_JOURNAL_H

#include "fix/patch.h"

struct journal_file {
  char *path;
  int existed;
  char *orig_name;
  char orig_hash[40];
  char written_hash[40]; /* "" when fix has not written it (or restored it) */
  char pending_hash[40]; /* a write in progress: the new content's hash, "absent" for a removal */
};

struct journal {
  char *dir;
  char *root;
  char state[16];
  struct journal_file *files;
  size_t n;
};

void journal_hash(const char *data, size_t len, char out[40]);
/* Replaces any previous journal in `dir` with an empty active one. */
enum fix_status journal_begin(struct journal *j, const char *dir, const char *root, struct fix_err *err);
enum fix_status journal_add(struct journal *j, const char *path, int existed, const char *data, size_t len,
                            struct fix_err *err);
enum fix_status journal_save(struct journal *j, struct fix_err *err) __attribute__((warn_unused_result));
enum fix_status journal_load(struct journal *j, const char *dir, struct fix_err *err);
void journal_free(struct journal *j);

#endif
