/* fix/lsp.h — `fix lsp`: a language server that publishes the project compiler's diagnostics and
 * offers "Fix with AI" (and the compilers' own fix-its) as quick fixes.
 *
 * JSON-RPC 2.0 over a pair of file descriptors with Content-Length framing. The reader loop only
 * parses, updates documents and queues work: compiler checks run on a diagnostics thread and
 * repairs on a repair thread, so every request is answered at once (a resolve when its repair
 * is done), and a new request is served while a model call is in flight.
 *
 * Ownership: readers and servers are created and freed by the caller; message bodies handed out
 * are owned by the caller. */
#ifndef FIX_LSP_H
#define FIX_LSP_H

#include "fix/base.h"
#include "fix/repair.h"

/* Named caps: one message body, one header block, one document's text. */
#define FIX_LSP_MESSAGE_MAX ((size_t)32 << 20)
#define FIX_LSP_HEADER_MAX ((size_t)8192)
#define FIX_LSP_DOCUMENT_MAX ((size_t)16 << 20)

/* ---- framing ---- */

struct fix_lsp_reader {
  int fd;               /* -1: read only what was preloaded (fuzzing) */
  struct fix_buf in;    /* bytes read and not yet consumed */
  size_t pos;           /* consumed prefix of `in` */
  size_t max;           /* body cap (0: FIX_LSP_MESSAGE_MAX) */
  int eof;
};

void fix_lsp_reader_init(struct fix_lsp_reader *r, int fd, size_t max);
/* Adds bytes as if they had been read (for a reader on fd -1). */
enum fix_status fix_lsp_reader_feed(struct fix_lsp_reader *r, const void *p, size_t n);
void fix_lsp_reader_free(struct fix_lsp_reader *r);
/* The next message body into `body` (cleared first). FIX_OK: a body; FIX_ERR_TOO_BIG: a message
 * over the cap was skipped; FIX_ERR_PARSE: a malformed header block was skipped (the reader has
 * resynchronised on the next "Content-Length"); FIX_ERR_NOT_FOUND: end of input between
 * messages; FIX_ERR_IO: end of input inside a message, or a read error. err says which. */
enum fix_status fix_lsp_read(struct fix_lsp_reader *r, struct fix_buf *body, struct fix_err *err);
/* Frames and writes one body (whole; retries short writes). */
enum fix_status fix_lsp_write(int fd, const char *body, size_t len, struct fix_err *err);

/* ---- positions ---- */

/* How LSP positions count characters in a line ("positionEncoding"). */
enum fix_lsp_encoding { FIX_LSP_UTF16 = 0, FIX_LSP_UTF8, FIX_LSP_UTF32 };
const char *fix_lsp_encoding_str(enum fix_lsp_encoding e); /* "utf-16" ... */

/* Byte offset of (line, character) in `text` (0-based; a character past the end of its line
 * clamps to the line's end, a line past the end clamps to the end of the text). */
size_t fix_lsp_offset(const char *text, size_t len, long line, long character, enum fix_lsp_encoding enc);
/* The (line, character) of byte `offset` (clamped to the text). */
void fix_lsp_position(const char *text, size_t len, size_t offset, enum fix_lsp_encoding enc, long *line,
                      long *character);

/* file:// URIs. The path (caller frees) of a file URI, or NULL for other schemes or a malformed
 * one; and the URI of an absolute path. */
char *fix_lsp_uri_to_path(const char *uri);
char *fix_lsp_path_to_uri(const char *path);

/* ---- the server ---- */

struct fix_cfg_setting {
  enum fix_cfg_key key;
  const char *value;
};

struct fix_lsp_opts {
  /* settings are layered at initialize: defaults, config files of the workspace, FIX_*
   * variables, the client's initializationOptions, then these (the command line's) */
  const struct fix_cfg_setting *cli;
  size_t ncli;
  int in_fd, out_fd;
  double debounce_s;                 /* between a save and the check (default 0.15) */
  int no_work;                       /* never run checks or repairs (fuzzing the protocol layer) */
};

struct fix_lsp_server; /* opaque */

enum fix_status fix_lsp_server_new(const struct fix_lsp_opts *o, struct fix_lsp_server **out, struct fix_err *err);
/* Handles one message body as the reader loop would. */
void fix_lsp_server_handle(struct fix_lsp_server *s, const char *body, size_t len);
/* 1 once `exit` has arrived. */
int fix_lsp_server_done(const struct fix_lsp_server *s);
/* Stops the worker threads (cancelling their work) and frees everything. */
void fix_lsp_server_free(struct fix_lsp_server *s);

/* Serves until `exit` or the end of input. Returns the process exit code: 0 after shutdown+exit,
 * 1 when input ended or exit came without shutdown. */
int fix_lsp_serve(const struct fix_lsp_opts *o);

#endif
