/* parse_text.c — gcc and clang human-readable diagnostics, with parseable fix-it lines.
 *
 * One pass over the lines, one anchored PCRE2 match (JIT-compiled) per candidate line, so the
 * parser is linear in the input. Lines that are not diagnostics (make's chatter, linker output,
 * source excerpts, caret lines, garbage) are skipped; lines longer than LINE_MAX_BYTES are never
 * matched. State carried between lines: the include chain and function context gcc and clang
 * print once before a run of diagnostics, pending template/instantiation context, and the last
 * top-level diagnostic (notes and fix-it lines attach to it). */
#include "internal.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES 65536

enum { R_DIAG, R_NOLOC, R_INCL, R_INFUNC, R_REQ, R_FIXIT, R_GENERATED, R_COUNT };

static const char *patterns[R_COUNT] = {
    /* up to two leading spaces: cargo indents a build script's output */
    [R_DIAG] = "^ {0,2}([^ ].*?):(\\d+):(?:(\\d+):)? (fatal error|error|warning|note|remark): (.*)$",
    [R_NOLOC] = "^([^ :][^:]*?): (fatal error|error|warning|note): (.*)$",
    [R_INCL] = "^(?:In file included from|\\s+from) (.+?):(\\d+)(?::(\\d+))?[:,]$",
    [R_INFUNC] = "^ {0,2}([^ ].*?): ((?:In |At (?:global|top level|global scope)).*):$",
    [R_REQ] = "^(.+?):(\\d+):(\\d+):   ((?:recursively )?required (?:from|by) .*|in .*(?:expansion|instantiation).*)$",
    [R_FIXIT] = "^fix-it:\"((?:[^\"\\\\]|\\\\.)*)\":\\{(\\d+):(\\d+)-(\\d+):(\\d+)\\}:\"((?:[^\"\\\\]|\\\\.)*)\"$",
    [R_GENERATED] = "^\\d+ (?:errors?|warnings?)(?: and \\d+ (?:errors?|warnings?))? generated\\.$",
};

static pcre2_code *re[R_COUNT];
static int re_ok;
static pthread_once_t re_once = PTHREAD_ONCE_INIT;

static void compile_all(void) {
  re_ok = 1;
  for (int i = 0; i < R_COUNT; i++) {
    int ec;
    PCRE2_SIZE eo;
    re[i] = pcre2_compile((PCRE2_SPTR)patterns[i], PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
                          &ec, &eo, NULL);
    if (!re[i]) {
      re_ok = 0;
      continue;
    }
    pcre2_jit_compile(re[i], PCRE2_JIT_COMPLETE); /* falls back to the interpreter if JIT is absent */
  }
}

struct line_match {
  pcre2_match_data *md;
  const char *line;
};

static int match(struct line_match *m, int which, const char *line, size_t len) {
  m->line = line;
  int rc = pcre2_match(re[which], (PCRE2_SPTR)line, len, 0, PCRE2_ANCHORED, m->md, NULL);
  return rc > 0;
}

/* Group g as a fresh string (NULL when unset). */
static char *group(struct line_match *m, int g) {
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
  if (ov[2 * g] == PCRE2_UNSET)
    return NULL;
  return fix_strndup(m->line + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
}

static int group_int(struct line_match *m, int g) {
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
  if (ov[2 * g] == PCRE2_UNSET)
    return 0;
  long v = 0;
  for (PCRE2_SIZE i = ov[2 * g]; i < ov[2 * g + 1] && v < 100000000; i++)
    v = v * 10 + (m->line[i] - '0');
  return (int)v;
}

/* Splits a trailing " [-Wflag]" (or "[-Werror,-Wflag]", "[enabled by default]") off the message. */
static char *take_flag(char *msg) {
  size_t n = strlen(msg);
  if (n < 4 || msg[n - 1] != ']')
    return NULL;
  char *open = strrchr(msg, '[');
  if (!open || open == msg || open[-1] != ' ')
    return NULL;
  if (open[1] != '-' && strncmp(open + 1, "enabled by default", 18) != 0)
    return NULL;
  char *flag = fix_strndup(open + 1, (size_t)(msg + n - 1 - (open + 1)));
  open[-1] = '\0';
  return flag;
}

static char *unescape(const char *s) {
  size_t n = strlen(s);
  char *o = malloc(n + 1);
  if (!o)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] != '\\' || i + 1 == n) {
      o[k++] = s[i];
      continue;
    }
    char c = s[++i];
    if (c == 'n')
      o[k++] = '\n';
    else if (c == 't')
      o[k++] = '\t';
    else if (c >= '0' && c <= '7') {
      int v = 0, d = 0;
      while (d < 3 && i < n && s[i] >= '0' && s[i] <= '7') {
        v = v * 8 + (s[i] - '0');
        i++;
        d++;
      }
      i--;
      o[k++] = (char)v;
    } else
      o[k++] = c;
  }
  o[k] = '\0';
  return o;
}

struct state {
  struct fix_diag_list *out;
  enum fix_compiler hint;
  struct line_match m;
  /* include chain being read / in force */
  struct fix_diag_ctx chain[32];
  int nchain;
  int chain_open; /* still reading "from" lines */
  int prev_incl;  /* the previous line was part of an include chain */
  char *func_file, *func_text;
  struct fix_diag_ctx pending[8]; /* template context for the next diagnostic */
  int npending;
  struct fix_diag *last;      /* last top-level diagnostic */
  struct fix_diag *last_any;  /* last diagnostic or note (fix-its attach here) */
  size_t block_start;         /* first diagnostic since the last "N errors generated." */
  int nomem;
  /* make's working directory ("Entering directory"), and which diagnostics were made in which */
  char *dirs[32];
  int ndirs;
  struct {
    size_t index;
    char *dir;
  } *made_in;
  size_t nmade;
};

static void clear_chain(struct state *s) {
  for (int i = 0; i < s->nchain; i++) {
    free(s->chain[i].pos.file);
    free(s->chain[i].text);
  }
  s->nchain = 0;
}

static void clear_pending(struct state *s) {
  for (int i = 0; i < s->npending; i++) {
    free(s->pending[i].pos.file);
    free(s->pending[i].text);
  }
  s->npending = 0;
}

static void on_diag(struct state *s, char *file, int line, int col, const char *sev, char *msg) {
  if (!msg) {
    s->nomem = 1;
    free(file);
    return;
  }
  enum fix_severity sv = diag_severity_from_str(sev);
  diag_ascii_quotes(msg);
  char *flag = take_flag(msg);
  struct fix_diag *d;
  int is_note = sv == FIX_SEV_NOTE && s->last;
  /* gcc's macro/template notes are context of the diagnostic they follow */
  if (is_note) {
    d = fix_diag_push_note(s->last);
  } else {
    d = fix_diag_list_push(s->out);
    s->last = d;
    if (d && s->ndirs && s->dirs[s->ndirs - 1][0] == '/') {
      void *v = realloc(s->made_in, (s->nmade + 1) * sizeof *s->made_in);
      if (v) {
        s->made_in = v;
        s->made_in[s->nmade].index = (size_t)(d - s->out->v);
        s->made_in[s->nmade].dir = fix_strdup(s->dirs[s->ndirs - 1]);
        s->nmade += s->made_in[s->nmade].dir != NULL;
      }
    }
  }
  if (!d) {
    s->nomem = 1;
    free(file);
    free(msg);
    free(flag);
    return;
  }
  d->severity = sv;
  d->compiler = s->hint;
  d->col_is_display = s->hint == FIX_CC_GCC;
  d->pos.file = file;
  d->pos.line = line;
  d->pos.col = col;
  d->message = msg;
  d->code = flag;
  s->last_any = d;
  if (is_note) {
    if (diag_note_is_macro(msg))
      fix_diag_push_ctx(s->last, FIX_CTX_MACRO, file, line, col, msg);
    else if (diag_note_is_template(msg))
      fix_diag_push_ctx(s->last, FIX_CTX_TEMPLATE, file, line, col, msg);
    return;
  }
  /* context carried from earlier lines */
  if (s->nchain && file && !strcmp(file, s->chain[s->nchain - 1].pos.file))
    clear_chain(s); /* back in the main file */
  for (int i = 0; i < s->nchain; i++)
    fix_diag_push_ctx(d, FIX_CTX_INCLUDED_FROM, s->chain[i].pos.file, s->chain[i].pos.line, s->chain[i].pos.col, NULL);
  if (s->func_file && file && !strcmp(s->func_file, file))
    fix_diag_push_ctx(d, FIX_CTX_FUNCTION, NULL, 0, 0, s->func_text);
  for (int i = 0; i < s->npending; i++)
    fix_diag_push_ctx(d, FIX_CTX_TEMPLATE, s->pending[i].pos.file, s->pending[i].pos.line, s->pending[i].pos.col,
                      s->pending[i].text);
  clear_pending(s);
  s->chain_open = 0;
}

static int is_gcc_gutter(const char *l, size_t n) {
  size_t i = 0;
  while (i < n && l[i] == ' ')
    i++;
  while (i < n && l[i] >= '0' && l[i] <= '9')
    i++;
  return i + 2 <= n && i > 0 && l[i] == ' ' && l[i + 1] == '|';
}

static void mark_block(struct state *s, enum fix_compiler cc) {
  for (size_t i = s->block_start; i < s->out->n; i++) {
    struct fix_diag *d = &s->out->v[i];
    if (d->compiler == FIX_CC_UNKNOWN) {
      d->compiler = cc;
      d->col_is_display = cc == FIX_CC_GCC;
      for (size_t k = 0; k < d->nnotes; k++) {
        d->notes[k].compiler = cc;
        d->notes[k].col_is_display = cc == FIX_CC_GCC;
      }
    }
  }
}

static void parse_line(struct state *s, char *l, size_t n) {
  struct line_match *m = &s->m;
  int was_incl = s->prev_incl;
  s->prev_incl = 0;
  if (n == 0)
    return;
  if (l[0] == 'f' && fix_str_starts(l, "fix-it:\"")) {
    if (s->last_any && match(m, R_FIXIT, l, n)) {
      char *f = group(m, 1), *t = group(m, 6);
      char *fu = f ? unescape(f) : NULL, *tu = t ? unescape(t) : NULL;
      if (fu && tu)
        fix_diag_push_fixit(s->last_any, fu, group_int(m, 2), group_int(m, 3), group_int(m, 4), group_int(m, 5), tu,
                            strlen(tu));
      free(f);
      free(t);
      free(fu);
      free(tu);
    }
    return;
  }
  if (is_gcc_gutter(l, n)) {
    if (s->hint == FIX_CC_UNKNOWN && s->last)
      mark_block(s, FIX_CC_GCC), s->block_start = s->out->n;
    return;
  }
  if ((l[0] == 'I' || l[0] == ' ') && (fix_str_starts(l, "In file included from ") || s->chain_open)) {
    s->prev_incl = was_incl;
    if (match(m, R_INCL, l, n)) {
      /* gcc: "In file included from inner.h:1,\n                 from main.c:2:" (innermost first);
       * clang: one "In file included from" line per level, outermost (the main file) first. Both are
       * stored innermost first, so the main file is always last. */
      int clang_style = l[0] == 'I' && s->prev_incl;
      if (l[0] == 'I' && !s->prev_incl) {
        clear_chain(s);
        free(s->func_file);
        free(s->func_text);
        s->func_file = s->func_text = NULL;
      }
      if (s->nchain < 32) {
        if (clang_style) {
          memmove(&s->chain[1], &s->chain[0], (size_t)s->nchain * sizeof s->chain[0]);
          s->nchain++;
        } else {
          s->nchain++;
        }
        struct fix_diag_ctx *c = clang_style ? &s->chain[0] : &s->chain[s->nchain - 1];
        memset(c, 0, sizeof *c);
        c->kind = FIX_CTX_INCLUDED_FROM;
        c->pos.file = group(m, 1);
        c->pos.line = group_int(m, 2);
        c->pos.col = group_int(m, 3);
        if (!c->pos.file) { /* out of memory: drop the entry */
          if (clang_style)
            memmove(&s->chain[0], &s->chain[1], (size_t)(s->nchain - 1) * sizeof s->chain[0]);
          s->nchain--;
        }
      }
      s->chain_open = l[n - 1] == ',';
      s->prev_incl = 1;
      return;
    }
  }
  char *dir = NULL;
  int md = (l[0] == 'm' || l[0] == 'g') ? fix_diag_make_dir_line(l, n, &dir) : 0;
  if (md > 0 && s->ndirs < 32) {
    s->dirs[s->ndirs++] = dir;
    return;
  }
  if (md) {
    if (md < 0 && s->ndirs > 0)
      free(s->dirs[--s->ndirs]);
    free(dir);
    return;
  }
  if (l[0] >= '0' && l[0] <= '9' && match(m, R_GENERATED, l, n)) {
    if (s->hint == FIX_CC_UNKNOWN)
      mark_block(s, FIX_CC_CLANG);
    s->block_start = s->out->n;
    s->last = s->last_any = NULL;
    clear_chain(s);
    return;
  }
  if (!memchr(l, ':', n))
    return;
  if (match(m, R_DIAG, l, n)) {
    char *sev = group(m, 4);
    if (sev)
      on_diag(s, group(m, 1), group_int(m, 2), group_int(m, 3), sev, group(m, 5));
    free(sev);
    return;
  }
  if (match(m, R_REQ, l, n)) {
    if (s->npending < 8) {
      struct fix_diag_ctx *c = &s->pending[s->npending++];
      memset(c, 0, sizeof *c);
      c->kind = FIX_CTX_TEMPLATE;
      c->pos.file = group(m, 1);
      c->pos.line = group_int(m, 2);
      c->pos.col = group_int(m, 3);
      c->text = group(m, 4);
      if (c->text)
        diag_ascii_quotes(c->text);
    }
    return;
  }
  if (match(m, R_INFUNC, l, n)) {
    char *file = group(m, 1), *what = group(m, 2);
    if (what)
      diag_ascii_quotes(what);
    if (what && fix_str_starts(what, "In instantiation of")) {
      if (s->npending < 8) {
        struct fix_diag_ctx *c = &s->pending[s->npending++];
        memset(c, 0, sizeof *c);
        c->kind = FIX_CTX_TEMPLATE;
        c->pos.file = file;
        c->text = what;
        return;
      }
    } else if (what && fix_str_starts(what, "In ")) {
      free(s->func_file);
      free(s->func_text);
      s->func_file = file;
      s->func_text = what;
      if (s->nchain && file && !strcmp(file, s->chain[s->nchain - 1].pos.file))
        clear_chain(s);
      return;
    } else {
      free(s->func_file);
      free(s->func_text);
      s->func_file = s->func_text = NULL;
    }
    free(file);
    free(what);
    return;
  }
  if (match(m, R_NOLOC, l, n)) {
    char *sev = group(m, 2);
    char *who = group(m, 1);
    /* a tool name, not a path: "cc1", "collect2", "gcc", "clang", "/usr/bin/ld" */
    if (sev) {
      char *msg = group(m, 3);
      char *full = who && msg ? fix_asprintf("%s: %s", who, msg) : NULL;
      free(msg);
      if (full)
        on_diag(s, NULL, 0, 0, sev, full);
    }
    free(sev);
    free(who);
    return;
  }
}

enum fix_status fix_diag_parse_text(const char *text, size_t len, enum fix_compiler hint, struct fix_diag_list *out,
                                    struct fix_err *err) {
  pthread_once(&re_once, compile_all);
  if (!re_ok)
    return fix_err_set(err, FIX_ERR_PARSE, "internal error: diagnostic patterns failed to compile");
  if (len > FIX_DIAG_INPUT_MAX)
    return fix_err_set(err, FIX_ERR_TOO_BIG, "compiler output of %zu bytes exceeds the %zu-byte cap", len,
                       (size_t)FIX_DIAG_INPUT_MAX);
  struct state s;
  memset(&s, 0, sizeof s);
  s.out = out;
  s.hint = hint;
  s.block_start = out->n;
  s.m.md = pcre2_match_data_create(8, NULL);
  char *line = malloc(LINE_MAX_BYTES + 1);
  if (!s.m.md || !line) {
    pcre2_match_data_free(s.m.md);
    free(line);
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  }
  size_t off = 0;
  while (off < len && !s.nomem) {
    const char *nl = memchr(text + off, '\n', len - off);
    size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
    if (n <= LINE_MAX_BYTES) {
      memcpy(line, text + off, n);
      line[n] = '\0';
      /* an embedded NUL ends the line for matching purposes */
      size_t real = strlen(line);
      if (real > 0 && memchr(line, '\033', real))
        real = diag_strip_ansi(line, real);
      else if (real && line[real - 1] == '\r')
        line[--real] = '\0';
      parse_line(&s, line, real);
    } else {
      s.last = s.last_any = NULL;
    }
    off += n + (nl != NULL);
  }
  if (s.hint == FIX_CC_UNKNOWN)
    mark_block(&s, FIX_CC_UNKNOWN);
  for (size_t i = 0; i < s.nmade; i++) {
    if (!s.nomem && s.made_in[i].index < out->n)
      diag_absolutize_in(&out->v[s.made_in[i].index], s.made_in[i].dir);
    free(s.made_in[i].dir);
  }
  free(s.made_in);
  for (int i = 0; i < s.ndirs; i++)
    free(s.dirs[i]);
  clear_chain(&s);
  clear_pending(&s);
  free(s.func_file);
  free(s.func_text);
  free(line);
  pcre2_match_data_free(s.m.md);
  if (s.nomem)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory while parsing compiler output");
  return FIX_OK;
}
