/* parse_rustc_text.c — rustc's human-readable diagnostics (its default output, and cargo's
 * --message-format=human), plus rustc's --error-format=short lines.
 *
 *   error[E0382]: borrow of moved value: `v`          header: level, code, message
 *    --> src/main.rs:8:26                              primary location
 *     |
 *   7 |     let n = takes(v);                          source line (number, text)
 *     |                   - value moved here           labels: ^^^ primary, --- secondary spans
 *   note: consider changing this parameter ...        a child (note/help) with its own --> and snippet
 *     = note: `#[warn(unused)]` on by default          a child without location
 *
 * What fix needs from this text is what the model path needs: the error, its code, where it is,
 * the spans it labels (they become prompt context) and its notes, plus the compiler's own
 * rendering of the whole block (kept in `rendered`, shown to the model as rustc wrote it). The
 * suggestions' edits are not read from the text: fix re-runs rustc with JSON diagnostics for those.
 * Columns are rustc's (1-based characters, a tab counting one). One pass, linear, bounded lines;
 * anything else in the log (make's, gcc's lines) is skipped. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES 65536
#define BLOCK_MAX ((size_t)1 << 20)

struct rstate {
  struct fix_diag_list *out;
  struct fix_diag *top;   /* the diagnostic being read */
  struct fix_diag *cur;   /* it, or its latest child (locations and spans attach here) */
  int cur_is_help;        /* suggestions' marker lines are not spans */
  int note_indent;        /* after "  = note: ", the indent of its continuation lines (0: none) */
  char *file;             /* the file the snippet lines belong to */
  int line;               /* the last source line number shown */
  struct fix_buf block;   /* the rendering of `top` */
  int nomem;
};

static int starts(const char *l, size_t n, const char *p) {
  size_t k = strlen(p);
  return n >= k && !memcmp(l, p, k);
}

static void finish(struct rstate *s) {
  if (s->top && s->block.len) {
    while (s->block.len && s->block.data[s->block.len - 1] == '\n')
      s->block.data[--s->block.len] = '\0';
    fix_buf_puts(&s->block, "\n");
    free(s->top->rendered);
    s->top->rendered = fix_buf_take(&s->block);
  }
  fix_buf_clear(&s->block);
  s->top = s->cur = NULL;
  free(s->file);
  s->file = NULL;
  s->line = 0;
}

/* "error[E0382]: msg", "warning: msg", "error: internal compiler error: ..." at column 0. Returns
 * the severity (-1: not a header) and sets the code and message. */
static int header(const char *l, size_t n, char **code, char **msg) {
  static const struct {
    const char *w;
    int sev;
  } lv[] = {{"error", FIX_SEV_ERROR}, {"warning", FIX_SEV_WARNING}, {"note", FIX_SEV_NOTE}, {"help", FIX_SEV_NOTE}};
  for (size_t i = 0; i < sizeof lv / sizeof *lv; i++) {
    size_t k = strlen(lv[i].w);
    if (!starts(l, n, lv[i].w))
      continue;
    const char *p = l + k, *end = l + n, *c0 = NULL, *c1 = NULL;
    if (p < end && *p == '[') {
      c0 = p + 1;
      c1 = memchr(c0, ']', (size_t)(end - c0));
      if (!c1 || c1 == c0 || c1 - c0 > 64)
        return -1;
      p = c1 + 1;
    }
    if (end - p < 2 || p[0] != ':' || p[1] != ' ')
      return -1;
    *code = c0 ? fix_strndup(c0, (size_t)(c1 - c0)) : NULL;
    *msg = fix_strndup(p + 2, (size_t)(end - p - 2));
    return lv[i].sev;
  }
  return -1;
}

/* rustc's closing lines, which are not diagnostics. */
static int boilerplate(const char *msg) {
  return !strncmp(msg, "aborting due to", 15) || strstr(msg, " warnings emitted") || strstr(msg, " warning emitted") ||
         !strncmp(msg, "could not compile", 17) || !strncmp(msg, "build failed", 12) ||
         (strstr(msg, "generated") && strstr(msg, "warning"));
}

/* "  --> file:line:col" or "  ::: file:line:col": the file and position (0 when not such a line). */
static int location(const char *l, size_t n, char **file, int *line, int *col, int *primary) {
  size_t i = 0;
  while (i < n && l[i] == ' ')
    i++;
  if (n - i < 5 || !(starts(l + i, n - i, "--> ") || starts(l + i, n - i, "::: ")))
    return 0;
  *primary = l[i] == '-';
  const char *p = l + i + 4, *end = l + n;
  /* from the right: ":col", ":line" */
  const char *c2 = end;
  while (c2 > p && c2[-1] >= '0' && c2[-1] <= '9')
    c2--;
  if (c2 == end || c2 <= p + 1 || c2[-1] != ':')
    return 0;
  const char *c1 = c2 - 1;
  while (c1 > p && c1[-1] >= '0' && c1[-1] <= '9')
    c1--;
  if (c1 == c2 - 1 || c1 <= p + 1 || c1[-1] != ':')
    return 0;
  if (c2 - 1 - c1 > 9 || end - c2 > 9)
    return 0;
  long lv = strtol(c1, NULL, 10), cv = strtol(c2, NULL, 10);
  if (lv <= 0)
    return 0;
  *line = (int)lv;
  *col = (int)cv;
  *file = fix_strndup(p, (size_t)(c1 - 1 - p));
  return *file != NULL;
}

/* "NN |  text" (a source line) or "   | markers" (an annotation line): the gutter width (index of
 * '|'), the line number (0 for annotation lines). -1 when neither. */
static int gutter(const char *l, size_t n, int *num) {
  size_t i = 0;
  while (i < n && i < 16 && l[i] == ' ')
    i++;
  size_t d = i;
  while (i < n && l[i] >= '0' && l[i] <= '9' && i - d < 9)
    i++;
  *num = i > d ? (int)strtol(l + d, NULL, 10) : 0;
  while (i < n && i < 24 && l[i] == ' ')
    i++;
  if (i == 0 || i >= n || l[i] != '|')
    return -1;
  return (int)i;
}

/* A note or help line of the current diagnostic; it becomes s->cur (where the locations and spans
 * that follow attach) unless `inline_label`. */
static struct fix_diag *child(struct rstate *s, int sev, char *msg, int inline_label) {
  /* s->cur may be one of the notes: pushing another can move them */
  long at = s->cur && s->cur != s->top && s->top->nnotes ? (long)(s->cur - s->top->notes) : -1;
  struct fix_diag *d = fix_diag_push_note(s->top);
  if (at >= 0)
    s->cur = s->top->notes + at;
  if (!d) {
    s->nomem = 1;
    free(msg);
    return NULL;
  }
  if (!inline_label)
    s->cur = s->top->notes + s->top->nnotes - 1;
  d->severity = sev;
  d->compiler = FIX_CC_RUSTC;
  d->message = msg;
  return d;
}

/* Marker runs (^^^, ---) of an annotation line become spans of s->cur. */
static void markers(struct rstate *s, const char *l, size_t n, int bar) {
  if (!s->cur || !s->file || s->line <= 0 || s->cur_is_help)
    return;
  size_t i = (size_t)bar + 2; /* "| " then the source text's columns */
  while (i < n) {
    char m = l[i];
    if (m != '^' && m != '-') {
      if (m != ' ' && m != '|' && m != '_') {
        /* a label: the rest of the line; "help: ..." is a suggestion of its own (rustc's JSON
         * has it as a child), without the suggested text after ": `" */
        if (n - i > 6 && !memcmp(l + i, "help: ", 6)) {
          const char *t = l + i + 6;
          size_t tl = n - i - 6;
          const char *cut = NULL;
          for (const char *p = t; (p = memmem(p, (size_t)(t + tl - p), ": `", 3)); p++)
            cut = p;
          if (cut && t[tl - 1] == '`')
            tl = (size_t)(cut - t);
          child(s, FIX_SEV_NOTE, fix_strndup(t, tl), 1);
        }
        break;
      }
      i++;
      continue;
    }
    size_t j = i;
    while (j < n && l[j] == m)
      j++;
    int c0 = (int)(i - ((size_t)bar + 2)) + 1, c1 = (int)(j - ((size_t)bar + 2)) + 1;
    if (fix_diag_push_span(s->cur, s->file, s->line, c0, s->line, c1))
      s->nomem = 1;
    i = j;
  }
}

/* --error-format=short: "file:line:col: error[E0382]: message" */
static int short_line(struct rstate *s, const char *l, size_t n) {
  const char *p = memmem(l, n, ": error", 7);
  if (!p)
    p = memmem(l, n, ": warning", 9);
  if (!p || p == l)
    return 0;
  char *file = NULL;
  int line = 0, col = 0, prim = 0;
  char *loc = fix_asprintf("--> %.*s", (int)(p - l), l);
  int ok = loc && location(loc, strlen(loc), &file, &line, &col, &prim);
  free(loc);
  char *code = NULL, *msg = NULL;
  int sev = ok ? header(p + 2, (size_t)(l + n - (p + 2)), &code, &msg) : -1;
  if (sev < FIX_SEV_WARNING || !msg || boilerplate(msg)) {
    free(file);
    free(code);
    free(msg);
    return 0;
  }
  finish(s);
  struct fix_diag *d = fix_diag_list_push(s->out);
  if (!d) {
    s->nomem = 1;
    free(file);
    free(code);
    free(msg);
    return 1;
  }
  d->severity = sev;
  d->compiler = FIX_CC_RUSTC;
  d->pos.file = file;
  d->pos.line = line;
  d->pos.col = col;
  d->code = code;
  d->message = msg;
  return 1;
}

static void parse_line(struct rstate *s, char *l, size_t n) {
  char *code = NULL, *msg = NULL;
  int sev = n && (l[0] == 'e' || l[0] == 'w' || l[0] == 'n' || l[0] == 'h') ? header(l, n, &code, &msg) : -1;
  if (sev >= FIX_SEV_WARNING) {
    finish(s);
    if (!msg || boilerplate(msg)) {
      free(code);
      free(msg);
      return;
    }
    struct fix_diag *d = fix_diag_list_push(s->out);
    if (!d) {
      s->nomem = 1;
      free(code);
      free(msg);
      return;
    }
    d->severity = !strncmp(msg, "internal compiler error", 23) ? FIX_SEV_FATAL : sev;
    d->compiler = FIX_CC_RUSTC;
    d->code = code;
    d->message = msg;
    s->top = s->cur = d;
    s->cur_is_help = 0;
    fix_buf_append(&s->block, l, n);
    fix_buf_puts(&s->block, "\n");
    return;
  }
  if (sev >= 0) { /* note: / help: at column 0: a child of the current diagnostic */
    int help = l[0] == 'h';
    free(code);
    if (!s->top) {
      free(msg);
      return;
    }
    child(s, FIX_SEV_NOTE, msg, 0);
    s->cur_is_help = help;
    s->note_indent = 0;
    fix_buf_append(&s->block, l, n);
    fix_buf_puts(&s->block, "\n");
    return;
  }
  if (!s->top) {
    if (n && memchr(l, ':', n))
      short_line(s, l, n);
    return;
  }
  if (!n) {
    fix_buf_puts(&s->block, "\n");
    return;
  }
  if (starts(l, n, "For more information") || starts(l, n, "Some errors have")) {
    finish(s);
    return;
  }
  if (l[0] != ' ' && !(l[0] >= '0' && l[0] <= '9')) { /* not part of a rustc block */
    finish(s);
    if (memchr(l, ':', n))
      short_line(s, l, n);
    return;
  }
  if (s->block.len < BLOCK_MAX) {
    fix_buf_append(&s->block, l, n);
    fix_buf_puts(&s->block, "\n");
  }
  int indent = s->note_indent;
  s->note_indent = 0;
  if (indent && s->cur && s->cur->message && n > (size_t)indent && strspn(l, " ") >= (size_t)indent) {
    /* a multi-line "= note:" goes on: rustc indents it under the note's text */
    char *m = fix_asprintf("%s\n%.*s", s->cur->message, (int)(n - (size_t)indent), l + indent);
    if (m) {
      free(s->cur->message);
      s->cur->message = m;
      s->note_indent = indent;
    }
    return;
  }
  char *file = NULL;
  int line, col, primary;
  if (location(l, n, &file, &line, &col, &primary)) {
    if (primary && s->cur && !s->cur->pos.file) {
      s->cur->pos.file = fix_strdup(file);
      s->cur->pos.line = line;
      s->cur->pos.col = col;
    }
    free(s->file);
    s->file = file;
    s->line = 0;
    return;
  }
  /* "   = note: text" / "   = help: text" */
  size_t i = 0;
  while (i < n && l[i] == ' ')
    i++;
  if (n - i > 2 && l[i] == '=' && l[i + 1] == ' ') {
    char *c2 = NULL, *m2 = NULL;
    if (header(l + i + 2, n - i - 2, &c2, &m2) >= 0) {
      free(c2);
      if (child(s, FIX_SEV_NOTE, m2, 0)) {
        s->cur_is_help = 1; /* no snippet follows */
        s->note_indent = (int)(i + 8); /* "= note: " and "= help: " */
      }
    }
    return;
  }
  int num = 0;
  int bar = gutter(l, n, &num);
  if (bar < 0)
    return;
  if (num > 0) {
    s->line = num;
    return;
  }
  markers(s, l, n, bar);
}

enum fix_status fix_diag_parse_rustc_text(const char *text, size_t len, struct fix_diag_list *out,
                                          struct fix_err *err) {
  if (len > FIX_DIAG_INPUT_MAX)
    return fix_err_set(err, FIX_ERR_TOO_BIG, "compiler output of %zu bytes exceeds the %zu-byte cap", len,
                       (size_t)FIX_DIAG_INPUT_MAX);
  struct rstate s;
  memset(&s, 0, sizeof s);
  s.out = out;
  fix_buf_init(&s.block, 0);
  char *line = malloc(LINE_MAX_BYTES + 1);
  if (!line)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  size_t off = 0;
  while (off < len && !s.nomem) {
    const char *nl = memchr(text + off, '\n', len - off);
    size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
    off += n + (nl != NULL);
    if (n > LINE_MAX_BYTES) {
      finish(&s);
      continue;
    }
    memcpy(line, text + off - n - (nl != NULL), n);
    line[n] = '\0';
    n = diag_strip_ansi(line, strlen(line));
    parse_line(&s, line, n);
  }
  finish(&s);
  fix_buf_free(&s.block);
  free(line);
  if (s.nomem)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory while parsing rustc output");
  return FIX_OK;
}

int diag_sniff_rustc_text(const char *t, size_t n) {
  /* a header line followed, within a few lines, by a "-->" location */
  size_t off = 0, seen_header = 0;
  while (off < n && off < (1u << 20)) {
    const char *nl = memchr(t + off, '\n', n - off);
    size_t len = nl ? (size_t)(nl - (t + off)) : n - off;
    const char *l = t + off;
    const char *se = memmem(l, len, ": error[E", 9);
    if (se && len - (size_t)(se - l) > 14 && se[9] >= '0' && se[9] <= '9')
      return 1; /* --error-format=short */
    if ((starts(l, len, "error") || starts(l, len, "warning")) && memchr(l, ':', len))
      seen_header = 4;
    else if (seen_header) {
      size_t i = 0;
      while (i < len && l[i] == ' ')
        i++;
      if (starts(l + i, len - i, "--> "))
        return 1;
      seen_header--;
    }
    if (!nl)
      break;
    off += len + 1;
  }
  return 0;
}
