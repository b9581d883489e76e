/* journal.h — private to the patch module: the on-disk undo journal.
 *
 * Layout of one session's journal directory (history.c keeps one per session):
 *   journal.json   {"version":1,"root":R,"state":"active|done|undone","started":T,"writes":N,"files":[
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
  char *dir; /* this session's directory (history.c: s-NNNNNN in the project's journal directory) */
  char *root;
  char state[16];
  double started;  /* when the session began (seconds since the epoch) */
  unsigned writes; /* files written, counting each write */
  struct journal_file *files;
  size_t n;
};

void journal_hash(const char *data, size_t len, char out[40]);
/* Begins a new session's journal in the project's journal directory `jdir` (history_prepare first). */
enum fix_status journal_begin(struct journal *j, const char *jdir, const char *root, struct fix_err *err);
/* Adds a copy of another session's entry `f` (its original read from `from_dir`), hashes kept. */
enum fix_status journal_add_copy(struct journal *j, const struct journal_file *f, const char *from_dir,
                                 struct fix_err *err);
/* Restores the files of the one session journalled in `dir` (see fix_journal_undo). */
enum fix_status journal_undo_session(const char *dir, int force, size_t *restored, struct fix_err *err);
/* history.c: removes undone sessions, folds the oldest ones into the next while there are too many
 * or they hold too many bytes, and gives the next session's number. */
enum fix_status history_prepare(const char *jdir, unsigned *next_seq, struct fix_err *err);
enum fix_status journal_add(struct journal *j, const char *path, int existed, const char *data, size_t len,
                            struct fix_err *err);
enum fix_status journal_save(struct journal *j, struct fix_err *err) __attribute__((warn_unused_result));
enum fix_status journal_load(struct journal *j, const char *dir, struct fix_err *err);
void journal_free(struct journal *j);

#endif
