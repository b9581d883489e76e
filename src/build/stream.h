/* stream.h — private to the build module: a build's output parsed as it streams. */
#ifndef FIX_BUILD_STREAM_H
#define FIX_BUILD_STREAM_H

#include "fix/diag.h"

/* Diagnostics one build keeps: past these, they are counted, not kept. */
#define FIX_BUILD_MAX_ERRORS 50000
#define FIX_BUILD_MAX_WARNINGS 10000
/* What a build's capture keeps of its output: the first and the last half of this. */
#define FIX_BUILD_CAPTURE_MAX ((size_t)64 << 20)

struct build_stream {
  struct fix_buf piece;    /* lines not parsed yet */
  int prev_ctx;            /* the last line ends in ':' or ',' (a context line: "In function 'f':") */
  struct fix_diag_list *out;
  size_t errors, warnings; /* kept */
  size_t dropped_errors, dropped_warnings;
  enum fix_status st;      /* the first failure (parsing goes on) */
  struct fix_err err;
};

void build_stream_init(struct build_stream *s, struct fix_diag_list *out);
/* A complete line of the output (a fix_spawn sink). */
void build_stream_line(void *ud, int stream, const char *line, size_t n);
/* Parses what is left; returns the first failure. */
enum fix_status build_stream_finish(struct build_stream *s, struct fix_err *err);

#endif
