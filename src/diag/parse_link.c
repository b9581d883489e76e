/* parse_link.c — linker errors in a text build log: GNU ld (bfd), gold, lld and mold.
 *
 * A build that fails at the link step says so in the linker's own words; the compiler text parser
 * (parse_text.c) sees none of it but the driver's "collect2: error: ld returned 1 exit status".
 * This parser turns each linker error into one fix_diag (compiler FIX_CC_LINKER) with a code the
 * repair stage can switch on, a normalised message, and every location the linker printed:
 *
 *   code                        message
 *   link:undefined-reference    undefined reference to 'SYM'   (GNU ld, gold; lld's and mold's
 *                                                              "undefined symbol: SYM" too)
 *   link:multiple-definition    multiple definition of 'SYM'   (lld's, mold's "duplicate symbol")
 *                               + a note "first defined here" at the first definition
 *   link:missing-library        cannot find -lNAME             (lld "unable to find library",
 *                                                              mold "library not found")
 *   link:other                  the linker's message, location prefix removed
 *   link:warning                a linker warning (severity FIX_SEV_WARNING)
 *
 * Positions: pos is the source file and line where the linker printed both (GNU ld and gold with
 * debug info; lld's parenthesised absolute path preferred); else pos.file is NULL. The object file
 * and a source file printed without a line go into spans (see FIX_CC_LINKER in fix/diag.h); the
 * function ("in function `main'", gold's ":function main", lld's "main.o:(main)") into a
 * FIX_CTX_FUNCTION context. lld and mold print one error per symbol followed by ">>>" lines: the
 * first reference is the position, each further one a note "referenced here".
 *
 * Which lines are the linker's: those that start with a linker's name ("/usr/bin/ld: ",
 * "ld.lld: ", "mold: "), GNU ld's and gold's lines that carry no name but a linker's message
 * ("main.c:(.text+0x1e): undefined reference to `f'"), and the ">>>" lines after an lld or mold
 * error. The caller (parse_text_all) hands the compiler parser the log without them, so a linker
 * line is never reported twice; the driver's summary ("collect2: error: ld returned 1 exit status",
 * "clang: error: linker command failed") is dropped when a linker error was found and otherwise
 * left to the compiler parser, so that a link that failed for a reason not parsed here still
 * shows one error.
 *
 * Invariants: one pass over the lines, each longer than LINE_MAX_BYTES skipped, a bounded amount
 * of work per byte; exact repeats (the same line in the same function context, or the same lld
 * block) give one diagnostic, kept by 64-bit hash. Ownership: the diagnostics are appended to the
 * caller's list; the filtered log is the caller's to free. */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES 65536
/* notes one lld/mold error collects from its ">>>" lines (lld itself stops at a few references) */
#define MAX_BLOCK_NOTES 32

enum kind { K_NONE, K_UNDEF, K_MULTI, K_NOLIB, K_OTHER, K_WARN };

static const char *const codes[] = {
    [K_NONE] = NULL,
    [K_UNDEF] = "link:undefined-reference",
    [K_MULTI] = "link:multiple-definition",
    [K_NOLIB] = "link:missing-library",
    [K_OTHER] = "link:other",
    [K_WARN] = "link:warning",
};

struct range {
  size_t off, len; /* a line of the input, newline included */
  int summary;     /* the driver's "ld returned 1 exit status": dropped only when errors were found */
};

/* Where the linker says something is: object file, source file, line, function. All owned. */
struct loc {
  char *obj, *src, *fn;
  int line;
};

struct state {
  struct fix_diag_list *out;
  int nomem;
  /* GNU ld's "OBJ: in function `F':", in force until another one or a line not the linker's */
  char *fn_obj, *fn_name;
  long last_diag;  /* the diagnostic a "note:" line belongs to (-1: none) */
  long last_multi; /* the multiple definition a separate "first defined here" line belongs to */
  /* the open diagnostic: the last one made, until a line that is not one of its ">>>" lines */
  long open;
  enum kind open_kind;
  int open_refs, open_defs;
  long open_target; /* -1: the diagnostic itself; >= 0: that note; -2: nowhere (notes capped) */
  long open_mean;   /* the note of the last ">>> did you mean", -1 */
  int open_tref;    /* the target came from a "referenced by" line: its object line names the function */
  uint64_t open_hash;
  size_t open_hlen;
  /* identities of the diagnostics made so far (open addressing, 0 = empty slot) */
  uint64_t *seen;
  size_t nseen, capseen;
  size_t errors;
  struct range *r;
  size_t nr, capr;
  /* make's working directory, and which diagnostics were made in which */
  char *dirs[32];
  int ndirs;
  struct {
    size_t index;
    char *dir;
  } *made_in;
  size_t nmade;
};

/* ---- small text helpers ---- */

static int is_digits(const char *s, size_t n) {
  if (!n || n > 9)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

static int ends_with(const char *s, size_t n, const char *suf) {
  size_t k = strlen(suf);
  return n >= k && !memcmp(s + n - k, suf, k);
}

/* An object, archive member or shared library, as opposed to a source file. */
static int is_object(const char *s, size_t n) {
  if (!n)
    return 0;
  if (s[n - 1] == ')' || ends_with(s, n, ".o") || ends_with(s, n, ".obj") || ends_with(s, n, ".lo") ||
      ends_with(s, n, ".a") || ends_with(s, n, ".so") || ends_with(s, n, ".os"))
    return 1;
  /* libm.so.6 */
  size_t i = n;
  while (i > 0 && ((s[i - 1] >= '0' && s[i - 1] <= '9') || s[i - 1] == '.'))
    i--;
  return i < n && ends_with(s, i, ".so");
}

/* Whether `name` (the text before a line's first ": ") is a linker: ld, ld.bfd, ld.gold, ld.lld,
 * lld, ld64.lld, lld-link, wasm-ld, mold, gold, a cross prefix (x86_64-linux-gnu-ld.bfd), a
 * version suffix (ld.lld-14), a directory or ".exe". */
static int is_linker_name(const char *s, size_t n) {
  if (!n || n > 4096 || memchr(s, ' ', n))
    return 0;
  const char *slash = NULL;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '/' || s[i] == '\\')
      slash = s + i;
  if (slash) {
    n -= (size_t)(slash + 1 - s);
    s = slash + 1;
  }
  if (ends_with(s, n, ".exe"))
    n -= 4;
  size_t v = n; /* a version suffix */
  while (v > 0 && s[v - 1] >= '0' && s[v - 1] <= '9')
    v--;
  if (v < n && v > 0 && s[v - 1] == '-')
    n = v - 1;
  static const char *const names[] = {"ld", "ld.bfd", "ld.gold", "ld.lld", "ld.mold", "lld", "ld64.lld",
                                      "lld-link", "wasm-ld", "mold", "gold"};
  for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
    size_t l = strlen(names[k]);
    if (n == l && !memcmp(s, names[k], l))
      return 1;
    /* x86_64-linux-gnu-ld, aarch64-none-elf-ld.gold */
    if (names[k][0] == 'l' && names[k][1] == 'd' && n > l + 1 && s[n - l - 1] == '-' && !memcmp(s + n - l, names[k], l))
      return 1;
  }
  return 0;
}

static int is_open_quote(const char *s) {
  return *s == '`' || *s == '\'' || *s == '"' ||
         ((unsigned char)s[0] == 0xe2 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x98);
}

/* s[0..n) without one pair of surrounding quotes (`x', 'x', "x", ‘x’) and surrounding blanks. */
static char *unquote(const char *s, size_t n) {
  while (n && (*s == ' ' || *s == '\t'))
    s++, n--;
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  if (n && is_open_quote(s)) {
    size_t q = (unsigned char)s[0] == 0xe2 ? 3 : 1;
    if (q <= n)
      s += q, n -= q;
    if (n >= 3 && (unsigned char)s[n - 3] == 0xe2 && (unsigned char)s[n - 2] == 0x80 && (unsigned char)s[n - 1] == 0x99)
      n -= 3;
    else if (n && (s[n - 1] == '\'' || s[n - 1] == '"' || s[n - 1] == '`'))
      n--;
  }
  return fix_strndup(s, n);
}

/* The linker's words with ASCII quotes: GNU ld's `x' and a UTF-8 locale's ‘x’ both become 'x'. */
static char *ascii_text(const char *s, size_t n) {
  char *t = fix_strndup(s, n);
  if (!t)
    return NULL;
  diag_ascii_quotes(t);
  for (char *p = t; *p; p++)
    if (*p == '`')
      *p = '\'';
  return t;
}

/* ---- locations ---- */

static void loc_free(struct loc *l) {
  free(l->obj);
  free(l->src);
  free(l->fn);
  memset(l, 0, sizeof *l);
}

/* GNU ld's and gold's location prefixes:
 *   main.c:(.text+0x1e)        source (no line)      main.o:(.data+0x0)       object
 *   /abs/main.c:12             source and line       main.o:/abs/main.c:12    object, source, line
 *   main.o:main.c:(.text+0x0)  object, source        main.o:main.c:function f gold: + function
 *   main.o / libx.a(y.o)       object */
static int parse_loc(const char *s, size_t n, struct loc *l) {
  memset(l, 0, sizeof *l);
  while (n && s[n - 1] == ' ')
    n--;
  if (!n)
    return 0;
  const char *fn = NULL;
  for (size_t i = 0; i + 10 <= n; i++)
    if (s[i] == ':' && !memcmp(s + i, ":function ", 10))
      fn = s + i;
  if (fn) {
    l->fn = fix_strndup(fn + 10, (size_t)(s + n - (fn + 10)));
    n = (size_t)(fn - s);
  } else if (s[n - 1] == ')') {
    for (size_t i = n - 1; i > 0; i--)
      if (s[i - 1] == ':' && s[i] == '(') {
        n = i - 1;
        break;
      }
  } else {
    size_t d = n;
    while (d > 0 && s[d - 1] >= '0' && s[d - 1] <= '9')
      d--;
    if (d > 1 && d < n && s[d - 1] == ':' && is_digits(s + d, n - d)) {
      l->line = atoi(s + d);
      n = d - 1;
    }
  }
  size_t split = 0;
  for (size_t i = 1; i + 1 < n && !split; i++)
    if (s[i] == ':' && is_object(s, i))
      split = i;
  if (split) {
    l->obj = fix_strndup(s, split);
    l->src = fix_strndup(s + split + 1, n - split - 1);
  } else if (n && is_object(s, n)) {
    l->obj = fix_strndup(s, n);
  } else if (n) {
    l->src = fix_strndup(s, n);
  }
  if (!l->src)
    l->line = 0;
  return (n && !l->obj && !l->src) || (fn && !l->fn) ? -1 : 0;
}

/* lld's and mold's "main.c:5 (/abs/main.c:5)", "main.c", "main.o:(.text+0x0)". */
static int parse_lld_loc(const char *s, size_t n, struct loc *l) {
  while (n && s[n - 1] == ' ')
    n--;
  size_t open = n;
  for (size_t i = n; n > 4 && s[n - 1] == ')' && i > 0 && open == n; i--)
    if (s[i - 1] == '(')
      open = i - 1;
  /* "main.c:5 (/abs/main.c:5)"; not "main.o:(.text+0x0)", a section */
  if (open < n && open > 0 && s[open - 1] == ' ') {
    struct loc abs;
    if (parse_loc(s + open + 1, n - open - 2, &abs) == 0 && abs.src && abs.line && !abs.obj)
      return *l = abs, 0;
    loc_free(&abs);
    return parse_loc(s, open - 1, l);
  }
  return parse_loc(s, n, l);
}

/* lld's ">>>               main.o:(main)", "lib1.o:(lib_f) in archive ./libone.a", mold's
 * "libone.a(lib1.o):(lib_f)": the object, and the function unless it is a section or data. */
static int parse_lld_obj(const char *s, size_t n, struct loc *l) {
  memset(l, 0, sizeof *l);
  while (n && *s == ' ')
    s++, n--;
  while (n && s[n - 1] == ' ')
    n--;
  const char *arch = NULL;
  size_t alen = 0;
  for (size_t i = 0; i + 12 <= n; i++)
    if (!memcmp(s + i, " in archive ", 12)) {
      arch = s + i + 12;
      alen = n - i - 12;
      n = i;
      break;
    }
  size_t on = n;
  for (size_t i = n; n && s[n - 1] == ')' && i > 1; i--)
    if (s[i - 2] == ':' && s[i - 1] == '(') {
      on = i - 2;
      if (s[i] != '.')
        l->fn = fix_strndup(s + i, n - 1 - i);
      break;
    }
  if (!on)
    return 0;
  l->obj = arch ? fix_asprintf("%.*s(%.*s)", (int)alen, arch, (int)on, s) : fix_strndup(s, on);
  return l->obj ? 0 : -1;
}

/* ---- building diagnostics ---- */

static struct fix_diag *diag_at(struct state *s, long idx, long note) {
  if (idx < 0 || (size_t)idx >= s->out->n)
    return NULL;
  struct fix_diag *d = &s->out->v[idx];
  if (note < 0)
    return note == -1 ? d : NULL;
  return (size_t)note < d->nnotes ? &d->notes[note] : NULL;
}

/* spans[k].begin.file = file, padding with file-less spans: spans[0] is the object, spans[1] a
 * source printed without a line. */
static void set_span(struct state *s, struct fix_diag *d, size_t k, const char *file) {
  while (d->nspans <= k)
    if (fix_diag_push_span(d, NULL, 0, 0, 0, 0) != FIX_OK) {
      s->nomem = 1;
      return;
    }
  struct fix_span *sp = &d->spans[k];
  if (sp->begin.file)
    return;
  sp->begin.file = fix_strdup(file);
  sp->end.file = fix_strdup(file);
  if (!sp->begin.file || !sp->end.file)
    s->nomem = 1;
}

static void apply_loc(struct state *s, struct fix_diag *d, struct loc *l, int with_fn) {
  if (l->src && l->line > 0 && !d->pos.file) {
    d->pos.file = l->src;
    d->pos.line = l->line;
    l->src = NULL;
  }
  if (l->obj)
    set_span(s, d, 0, l->obj);
  if (l->src)
    set_span(s, d, 1, l->src);
  if (with_fn && l->fn) {
    int have = 0;
    for (size_t i = 0; i < d->nctx; i++)
      have |= d->ctx[i].kind == FIX_CTX_FUNCTION;
    char *t = have ? NULL : fix_asprintf("In function '%s'", l->fn);
    if (!have && (!t || fix_diag_push_ctx(d, FIX_CTX_FUNCTION, NULL, 0, 0, t) != FIX_OK))
      s->nomem = 1;
    free(t);
  }
}

static struct fix_diag *push_note(struct state *s, struct fix_diag *d, const char *msg, size_t n) {
  struct fix_diag *nt = fix_diag_push_note(d);
  if (!nt || !(nt->message = ascii_text(msg, n))) {
    s->nomem = 1;
    return NULL;
  }
  nt->severity = FIX_SEV_NOTE;
  nt->compiler = FIX_CC_LINKER;
  return nt;
}

static uint64_t hash_more(uint64_t h, const char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)p[i]) * 0x100000001b3ull;
  return h;
}

/* Adds h to the set of diagnostics made; returns 1 when it was there already. */
static int seen_add(struct state *s, uint64_t h) {
  h |= 1; /* 0 marks an empty slot */
  if (2 * (s->nseen + 1) > s->capseen) {
    size_t cap = s->capseen ? 2 * s->capseen : 64;
    uint64_t *v = calloc(cap, sizeof *v);
    if (!v) {
      s->nomem = 1;
      return 0;
    }
    for (size_t i = 0; i < s->capseen; i++)
      if (s->seen[i])
        for (size_t k = s->seen[i] & (cap - 1);; k = (k + 1) & (cap - 1))
          if (!v[k]) {
            v[k] = s->seen[i];
            break;
          }
    free(s->seen);
    s->seen = v;
    s->capseen = cap;
  }
  for (size_t k = h & (s->capseen - 1);; k = (k + 1) & (s->capseen - 1)) {
    if (s->seen[k] == h)
      return 1;
    if (!s->seen[k]) {
      s->seen[k] = h;
      s->nseen++;
      return 0;
    }
  }
}

/* The open diagnostic is complete: drop it when it repeats an earlier one, else count it. */
static void close_open(struct state *s) {
  if (s->open < 0)
    return;
  long idx = s->open;
  s->open = -1;
  struct fix_diag *d = diag_at(s, idx, -1);
  if (!d)
    return;
  if (seen_add(s, s->open_hash ^ s->open_hlen)) {
    fix_diag_free(d);
    s->out->n--;
    if (s->last_diag == idx)
      s->last_diag = -1;
    if (s->last_multi == idx)
      s->last_multi = -1;
    return;
  }
  if (d->severity >= FIX_SEV_ERROR)
    s->errors++;
  if (s->ndirs && s->dirs[s->ndirs - 1][0] == '/') {
    void *v = realloc(s->made_in, (s->nmade + 1) * sizeof *s->made_in);
    if (v) {
      s->made_in = v;
      s->made_in[s->nmade].index = (size_t)idx;
      s->made_in[s->nmade].dir = fix_strdup(s->dirs[s->ndirs - 1]);
      s->nmade += s->made_in[s->nmade].dir != NULL;
    }
  }
}

/* A new diagnostic, open for the ">>>" lines that may follow; `line` and the function context
 * in force are its identity. */
static struct fix_diag *open_diag(struct state *s, enum kind k, enum fix_severity sev, char *msg, const char *line,
                                  size_t n) {
  close_open(s);
  struct fix_diag *d = msg ? fix_diag_list_push(s->out) : NULL;
  if (!d || !(d->code = fix_strdup(codes[k]))) {
    if (d)
      s->out->n--;
    free(msg);
    s->nomem = 1;
    return NULL;
  }
  d->severity = sev;
  d->compiler = FIX_CC_LINKER;
  d->message = msg;
  s->open = (long)(d - s->out->v);
  s->open_kind = k;
  s->open_refs = s->open_defs = 0;
  s->open_target = -1;
  s->open_mean = -1;
  s->open_tref = 0;
  s->open_hash = hash_more(0xcbf29ce484222325ull, line, n);
  s->open_hlen = n;
  if (s->fn_name) {
    s->open_hash = hash_more(hash_more(s->open_hash, s->fn_obj, strlen(s->fn_obj) + 1), s->fn_name, strlen(s->fn_name));
    s->open_hlen += strlen(s->fn_obj) + strlen(s->fn_name);
  }
  s->last_diag = s->open;
  if (k == K_MULTI)
    s->last_multi = s->open;
  return d;
}

static void clear_fn(struct state *s) {
  free(s->fn_obj);
  free(s->fn_name);
  s->fn_obj = s->fn_name = NULL;
}

/* ---- lld's and mold's ">>>" lines ---- */

static void block_piece(struct state *s, const char *p, size_t n) {
  s->open_hash = hash_more(s->open_hash, p, n);
  s->open_hlen += n;
  struct fix_diag *d = diag_at(s, s->open, -1);
  if (!d || n < 4)
    return;
  p += 3, n -= 3; /* ">>>" */
  if (p[0] == ' ' && n > 1 && p[1] == ' ') { /* "                main.o:(main)": the object of the line above */
    struct fix_diag *t = diag_at(s, s->open, s->open_target);
    struct loc l;
    if (parse_lld_obj(p, n, &l) != 0)
      s->nomem = 1;
    else if (t)
      apply_loc(s, t, &l, s->open_tref);
    loc_free(&l);
    return;
  }
  while (n && *p == ' ')
    p++, n--;
  int ref = n > 14 && !memcmp(p, "referenced by ", 14);
  int def = n > 11 && (!memcmp(p, "defined at ", 11) || !memcmp(p, "defined in ", 11));
  int def_in = n > 12 && !memcmp(p, "defined in: ", 12);
  if (n > 11 && !memcmp(p, "referenced ", 11) && !ref)
    return; /* "referenced 7 more times" */
  if (ref || def || def_in) {
    size_t skip = ref ? 14 : def ? 11 : 12;
    const char *as = def ? memmem(p + skip, n - skip, " as STT_", 8) : NULL;
    if (as) /* mold: "defined in main.o as STT_OBJECT" */
      n = (size_t)(as - p);
    struct loc l;
    if (parse_lld_loc(p + skip, n - skip, &l) != 0) {
      s->nomem = 1;
      loc_free(&l);
      return;
    }
    s->open_target = -2;
    s->open_tref = ref;
    if (ref && s->open_refs++ == 0) {
      s->open_target = -1;
      apply_loc(s, d, &l, 1);
    } else if (def_in && s->open_mean >= 0) {
      struct fix_diag *m = diag_at(s, s->open, s->open_mean);
      if (m)
        apply_loc(s, m, &l, 0), s->open_target = s->open_mean;
    } else if (s->open_kind == K_MULTI && def && s->open_defs++ == 1) {
      s->open_target = -1; /* lld names the first definition first, the duplicate second */
      apply_loc(s, d, &l, 0);
    } else if (d->nnotes < MAX_BLOCK_NOTES) {
      const char *what = ref ? "referenced here" : s->open_kind == K_MULTI && s->open_defs == 1 ? "first defined here"
                                                                                                 : "defined here";
      if (def && s->open_kind != K_MULTI)
        s->open_defs++;
      struct fix_diag *nt = push_note(s, d, what, strlen(what));
      if (nt) {
        apply_loc(s, nt, &l, 0);
        s->open_target = (long)(d->nnotes - 1);
      }
    }
    loc_free(&l);
    return;
  }
  s->open_tref = 0;
  if (d->nnotes < MAX_BLOCK_NOTES) { /* "did you mean: foo", anything else lld adds */
    struct fix_diag *nt = push_note(s, d, p, n);
    if (nt) {
      s->open_target = (long)(d->nnotes - 1);
      s->open_mean = n > 13 && !memcmp(p, "did you mean", 12) ? s->open_target : -1;
    }
  } else {
    s->open_target = -2;
  }
}

/* A ">>>" line; mold 1.x runs some of them together ("main.o:(f)>>> referenced by main.c"). */
static void block_line(struct state *s, const char *l, size_t n) {
  size_t start = 0;
  for (size_t i = 3; i + 4 <= n; i++) {
    if (memcmp(l + i, ">>> ", 4) != 0)
      continue;
    const char *q = l + i + 4;
    size_t left = n - i - 4;
    if (!(left && (*q == ' ' || (left > 14 && !memcmp(q, "referenced by ", 14)) ||
                   (left > 11 && !memcmp(q, "defined at ", 11)))))
      continue; /* a C++ name: "f(A<B<C<int>>> )" */
    block_piece(s, l + start, i - start);
    start = i;
    i += 3;
  }
  block_piece(s, l + start, n - start);
}

/* ---- one line of a linker ---- */

/* Words that begin the message after a location prefix. */
static const char *const markers[] = {
    "undefined reference to ", "more undefined references to ", "multiple definition of ", "first defined here",
    "previous definition here", "in function ", "In function ", "undefined symbol: ", "undefined hidden symbol: ",
    "undefined protected symbol: ", "duplicate symbol: ", "cannot find ", "unable to find library ",
    "library not found: ", "error adding symbols: ", "relocation ", "error: ", "warning: ", "fatal: ",
    "fatal error: ", "note: ", "NOTE: ",
};

static int marker_at(const char *p) {
  for (size_t i = 0; i < sizeof markers / sizeof *markers; i++)
    if (fix_str_starts(p, markers[i]))
      return 1;
  return 0;
}

/* Takes a leading "error: ", "warning: " ... off *m; returns the severity it names, else `sev`. */
static int take_sev(char **m, int sev) {
  static const struct {
    const char *w;
    int sev;
  } sevs[] = {{"error: ", FIX_SEV_ERROR},    {"fatal error: ", FIX_SEV_ERROR}, {"fatal: ", FIX_SEV_ERROR},
              {"warning: ", FIX_SEV_WARNING}, {"note: ", FIX_SEV_NOTE},         {"NOTE: ", FIX_SEV_NOTE}};
  for (size_t i = 0; i < sizeof sevs / sizeof *sevs; i++)
    if (fix_str_starts(*m, sevs[i].w)) {
      *m += strlen(sevs[i].w);
      return sevs[i].sev;
    }
  return sev;
}

/* What GNU ld prints without "error:" but means as one. Its other unlabelled lines ("skipping
 * incompatible X when searching for -lY", --verbose and --trace output) are not errors. */
static int sounds_like_error(const char *m) {
  static const char *const words[] = {"cannot ", "can not ", "failed", "not found", "undefined", "error",
                                      "No such file", "not recognized", "relocation ", "unable to", "could not",
                                      "not supported", "invalid", "overflow", "unresolvable", "incompatible"};
  if (fix_str_starts(m, "skipping incompatible") || fix_str_starts(m, "mode ") || fix_str_starts(m, "attempt to open"))
    return 0;
  for (size_t i = 0; i < sizeof words / sizeof *words; i++)
    if (strstr(m, words[i]))
      return 1;
  return 0;
}

/* The symbol after "undefined reference to ", "multiple definition of ": quoted, up to the
 * closing quote (before bfd's "; OBJ: first defined here"); *tail gets what follows "; ". */
static char *symbol_of(const char *p, const char **tail) {
  *tail = NULL;
  size_t n = strlen(p);
  for (size_t i = 1; i + 2 < n; i++)
    if (p[i] == ';' && p[i + 1] == ' ' &&
        (p[i - 1] == '\'' || (i >= 3 && (unsigned char)p[i - 3] == 0xe2 && (unsigned char)p[i - 1] == 0x99))) {
      *tail = p + i + 2;
      n = i;
      break;
    }
  return unquote(p, n);
}

/* gold with debug info: "/abs/w.c:4: warning: the use of `tmpnam' is dangerous" — a line number
 * and no column, and GNU's `quotes', which gcc and clang never print */
static int gold_line_warning(const struct loc *l, const char *loc, size_t loclen, const char *m) {
  if (!l->src || !l->line || l->obj)
    return 0;
  size_t d = loclen;
  while (d && loc[d - 1] != ':')
    d--;
  size_t c = d ? d - 1 : 0;
  while (c && loc[c - 1] >= '0' && loc[c - 1] <= '9')
    c--;
  if (c && loc[c - 1] == ':' && c + 1 < d)
    return 0; /* "a.c:3:5": a compiler's line and column */
  const char *q = strchr(m, '`');
  return q && strchr(q, '\'') != NULL;
}

static void add_fn(struct state *s, struct loc *l, int gnu) {
  /* GNU ld's "in function" header covers the lines after it that name no other object */
  if (!gnu || l->fn || !s->fn_name || (l->obj && strcmp(l->obj, s->fn_obj) != 0))
    return;
  l->fn = fix_strdup(s->fn_name);
  if (!l->obj)
    l->obj = fix_strdup(s->fn_obj);
  if (!l->fn || !l->obj)
    s->nomem = 1;
}

/* A line whose text after the linker's name (or the whole line, prefixed = 0) is `m`. Returns 1
 * when the line is the linker's. */
static int link_line(struct state *s, const char *line, size_t n, char *m, int prefixed) {
  int sev = take_sev(&m, -1);
  char *loc = NULL;
  size_t loclen = 0;
  if (!marker_at(m))
    for (char *p = m; (p = strstr(p, ": ")); p += 2)
      if (marker_at(p + 2)) {
        loc = m;
        loclen = (size_t)(p - m);
        m = p + 2;
        sev = take_sev(&m, sev);
        break;
      }
  struct loc l;
  if (parse_loc(loc, loc ? loclen : 0, &l) != 0) {
    s->nomem = 1;
    loc_free(&l);
    return 1;
  }
  int gnu = 1; /* lld and mold name no location on their error line */
  enum kind k = K_NONE;
  char *msg = NULL;
  const char *tail = NULL;
  struct loc l2 = {0};
  int claimed = 1;
  if (fix_str_starts(m, "in function ") || fix_str_starts(m, "In function ")) {
    /* "OBJ: in function `main':" — gcc's own "a.c: In function 'main':" is the compiler's */
    size_t ml = strlen(m);
    if (!loc || ml < 14 || m[ml - 1] != ':' || (!prefixed && (m[12] != '`' || !is_object(loc, loclen))))
      claimed = 0;
    else {
      clear_fn(s);
      s->fn_obj = fix_strndup(loc, loclen);
      s->fn_name = unquote(m + 12, ml - 13);
      if (!s->fn_obj || !s->fn_name)
        s->nomem = 1;
    }
    goto done;
  }
  if (fix_str_starts(m, "first defined here") || fix_str_starts(m, "previous definition here")) {
    struct fix_diag *d = diag_at(s, s->last_multi, -1);
    struct fix_diag *nt = d && d->nnotes < MAX_BLOCK_NOTES ? push_note(s, d, "first defined here", 18) : NULL;
    if (nt)
      apply_loc(s, nt, &l, 0);
    goto done;
  }
  if (fix_str_starts(m, "more undefined references to "))
    goto done;
  if (fix_str_starts(m, "undefined reference to ")) {
    const char *p = m + 23;
    int versioned = fix_str_starts(p, "symbol ");
    char *sym = symbol_of(versioned ? p + 7 : p, &tail);
    if (sym && versioned && strchr(sym, '@'))
      *strchr(sym, '@') = '\0'; /* 'cbrt@@GLIBC_2.2.5' */
    msg = sym ? fix_asprintf("undefined reference to '%s'", sym) : NULL;
    free(sym);
    k = K_UNDEF;
  } else if (prefixed && (fix_str_starts(m, "undefined symbol: ") || fix_str_starts(m, "undefined hidden symbol: ") ||
                          fix_str_starts(m, "undefined protected symbol: "))) {
    char *sym = unquote(strchr(m, ':') + 2, strlen(strchr(m, ':') + 2));
    msg = sym ? fix_asprintf("undefined reference to '%s'", sym) : NULL;
    free(sym);
    k = K_UNDEF;
    gnu = 0;
  } else if (fix_str_starts(m, "multiple definition of ")) {
    char *sym = symbol_of(m + 23, &tail);
    msg = sym ? fix_asprintf("multiple definition of '%s'", sym) : NULL;
    free(sym);
    k = K_MULTI;
  } else if (prefixed && fix_str_starts(m, "duplicate symbol: ")) {
    /* lld: "duplicate symbol: SYM" and ">>> defined at" lines; mold: "duplicate symbol: NEW: FIRST: SYM" */
    const char *p = m + 18, *c1 = strstr(p, ": "), *c2 = c1 ? strstr(c1 + 2, ": ") : NULL;
    char *sym;
    if (c2 && is_object(p, (size_t)(c1 - p))) {
      sym = unquote(c2 + 2, strlen(c2 + 2));
      free(l.obj);
      l.obj = fix_strndup(p, (size_t)(c1 - p));
      l2.obj = fix_strndup(c1 + 2, (size_t)(c2 - c1 - 2));
      if (!l.obj || !l2.obj)
        s->nomem = 1;
    } else {
      sym = unquote(p, strlen(p));
    }
    msg = sym ? fix_asprintf("multiple definition of '%s'", sym) : NULL;
    free(sym);
    k = K_MULTI;
    gnu = 0;
  } else if (prefixed && (fix_str_starts(m, "cannot find -l") || fix_str_starts(m, "unable to find library -l") ||
                          fix_str_starts(m, "library not found: "))) {
    const char *p = m[0] == 'c' ? m + 14 : m[0] == 'u' ? m + 25 : m + 19;
    size_t ln = strcspn(p, ":");
    while (ln && p[ln - 1] == ' ')
      ln--;
    msg = fix_asprintf("cannot find -l%.*s", (int)ln, p);
    k = K_NOLIB;
    gnu = 0;
  } else if (prefixed && fix_str_starts(m, "error adding symbols: ") && diag_at(s, s->last_diag, -1) &&
             s->out->v[s->last_diag].code && !strcmp(s->out->v[s->last_diag].code, codes[K_UNDEF])) {
    /* bfd: "libm.so.6: error adding symbols: DSO missing from command line" after
     * "undefined reference to symbol 'cbrt@@GLIBC_2.2.5'": where the symbol is */
    struct fix_diag *d = &s->out->v[s->last_diag];
    struct fix_diag *nt = d->nnotes < MAX_BLOCK_NOTES ? push_note(s, d, m, strlen(m)) : NULL;
    if (nt)
      apply_loc(s, nt, &l, 0);
    goto done;
  } else if (sev == FIX_SEV_NOTE) {
    struct fix_diag *d = diag_at(s, s->last_diag, -1);
    if (!prefixed)
      claimed = 0;
    else if (d && d->nnotes < MAX_BLOCK_NOTES && push_note(s, d, m, strlen(m)))
      apply_loc(s, &d->notes[d->nnotes - 1], &l, 0);
    goto done;
  } else {
    /* anything else: an error or warning only where the linker says so (or bfd's unlabelled
     * errors); unprefixed lines only with a linker's location ("main.c:(.text+0x9)", gold's
     * ":function f", or a backquote, which no compiler prints) */
    if (!prefixed && !(sev >= 0 && loc && (l.fn || memmem(loc, loclen, ":(.", 3) || gold_line_warning(&l, loc, loclen, m))))
      claimed = 0;
    else if (prefixed && strstr(m, "too many errors emitted"))
      ; /* lld's own count, not an error */
    else if (sev == FIX_SEV_WARNING || sev == FIX_SEV_ERROR || (sev < 0 && sounds_like_error(m))) {
      k = sev == FIX_SEV_WARNING ? K_WARN : K_OTHER;
      msg = ascii_text(m, strlen(m));
      gnu = prefixed ? loc != NULL : 1;
    }
    if (k == K_NONE)
      goto done;
  }
  add_fn(s, &l, gnu);
  /* a warning keeps its kind: gold's --warn-unresolved-symbols says "warning: undefined reference" */
  struct fix_diag *d = open_diag(s, k, sev == FIX_SEV_WARNING ? FIX_SEV_WARNING : FIX_SEV_ERROR, msg, line, n);
  if (d) {
    apply_loc(s, d, &l, 1);
    if (k == K_MULTI && (tail || l2.obj)) {
      /* bfd: "...; main.o:/abs/main.c:4: first defined here"; mold: the second object */
      if (tail) {
        const char *e = strstr(tail, ": first defined here");
        if (parse_loc(tail, e ? (size_t)(e - tail) : strlen(tail), &l2) != 0)
          s->nomem = 1;
      }
      struct fix_diag *nt = push_note(s, d, "first defined here", 18);
      if (nt)
        apply_loc(s, nt, &l2, 0);
    }
  }
done:
  loc_free(&l);
  loc_free(&l2);
  return claimed;
}

/* "collect2: error: ld returned 1 exit status", "clang: error: linker command failed with exit
 * code 1 (use -v to see invocation)" */
static int is_summary(const char *l, size_t n) {
  const char *e = memmem(l, n, ": error: ", 9);
  if (!e || memchr(l, ' ', (size_t)(e - l)))
    return 0;
  const char *m = e + 9;
  size_t left = n - (size_t)(m - l);
  return (left > 12 && !memcmp(m, "ld returned ", 12) && memmem(m, left, " exit status", 12)) ||
         (left > 36 && !memcmp(m, "linker command failed with exit code", 36));
}

static int claim(struct state *s, size_t off, size_t len, int summary) {
  if (s->nr == s->capr) {
    size_t cap = s->capr ? 2 * s->capr : 64;
    struct range *v = realloc(s->r, cap * sizeof *v);
    if (!v) {
      s->nomem = 1;
      return 0;
    }
    s->r = v;
    s->capr = cap;
  }
  s->r[s->nr++] = (struct range){off, len, summary};
  return 1;
}

/* One line (NUL-terminated, colours stripped); returns 1 when it is the linker's, 2 for the
 * driver's summary. */
static int parse_line(struct state *s, char *l, size_t n) {
  if (n >= 3 && !memcmp(l, ">>>", 3) && s->open >= 0) {
    block_line(s, l, n);
    return 1;
  }
  close_open(s);
  if (n == 0)
    return 0;
  char *dir = NULL;
  int md = (l[0] == 'm' || l[0] == 'g') ? fix_diag_make_dir_line(l, n, &dir) : 0;
  if (md > 0 && s->ndirs < 32) {
    s->dirs[s->ndirs++] = dir;
    return 0;
  }
  if (md) {
    if (md < 0 && s->ndirs > 0)
      free(s->dirs[--s->ndirs]);
    free(dir);
    return 0;
  }
  if (l[0] == ' ' || l[0] == '\t' || !memchr(l, ':', n)) {
    clear_fn(s);
    s->last_diag = -1;
    return 0;
  }
  if (is_summary(l, n)) {
    clear_fn(s);
    return 2;
  }
  char *c = strstr(l, ": ");
  if (c && is_linker_name(l, (size_t)(c - l)))
    return link_line(s, l, n, c + 2, 1), 1;
  /* no linker's name: only lines with a linker's message */
  if ((strstr(l, "undefined reference to ") || strstr(l, "multiple definition of ") || strstr(l, ": In function `") ||
       strstr(l, ":function ") ||
       strstr(l, ": first defined here") || strstr(l, "more undefined references to ") || strstr(l, ": warning: ") ||
       strstr(l, ": error: ")) &&
      link_line(s, l, n, l, 0))
    return 1;
  close_open(s);
  clear_fn(s);
  s->last_diag = -1;
  return 0;
}

enum fix_status diag_parse_link(const char *text, size_t len, struct fix_diag_list *out, char **rest,
                                size_t *rest_len, struct fix_err *err) {
  *rest = NULL;
  *rest_len = 0;
  if (len > FIX_DIAG_INPUT_MAX)
    return fix_err_set(err, FIX_ERR_TOO_BIG, "compiler output of %zu bytes exceeds the %zu-byte cap", len,
                       (size_t)FIX_DIAG_INPUT_MAX);
  struct state s;
  memset(&s, 0, sizeof s);
  s.out = out;
  s.open = s.last_diag = s.last_multi = -1;
  size_t from = out->n;
  char *line = malloc(LINE_MAX_BYTES + 1);
  if (!line)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  size_t off = 0;
  while (off < len && !s.nomem) {
    const char *nl = memchr(text + off, '\n', len - off);
    size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
    size_t whole = n + (nl != NULL);
    if (n <= LINE_MAX_BYTES) {
      memcpy(line, text + off, n);
      line[n] = '\0';
      size_t real = strlen(line); /* an embedded NUL ends the line */
      if (real > 0 && memchr(line, '\033', real))
        real = diag_strip_ansi(line, real);
      else if (real && line[real - 1] == '\r')
        line[--real] = '\0';
      int r = parse_line(&s, line, real);
      if (r)
        claim(&s, off, whole, r == 2);
    } else {
      close_open(&s);
      clear_fn(&s);
      s.last_diag = s.last_multi = -1;
    }
    off += whole;
  }
  close_open(&s);
  for (size_t i = 0; i < s.nmade; i++) {
    if (!s.nomem && s.made_in[i].index < out->n)
      diag_absolutize_in(&out->v[s.made_in[i].index], s.made_in[i].dir);
    free(s.made_in[i].dir);
  }
  free(s.made_in);
  for (int i = 0; i < s.ndirs; i++)
    free(s.dirs[i]);
  clear_fn(&s);
  free(s.seen);
  free(line);
  /* the log without the linker's lines, for the compiler parser */
  size_t drop = 0;
  for (size_t i = 0; i < s.nr; i++)
    drop += !s.r[i].summary || s.errors;
  if (!s.nomem && drop) {
    char *o = malloc(len + 1);
    if (!o) {
      s.nomem = 1;
    } else {
      size_t w = 0, at = 0;
      for (size_t i = 0; i < s.nr; i++) {
        if (s.r[i].summary && !s.errors)
          continue;
        memcpy(o + w, text + at, s.r[i].off - at);
        w += s.r[i].off - at;
        at = s.r[i].off + s.r[i].len;
      }
      memcpy(o + w, text + at, len - at);
      w += len - at;
      o[w] = '\0';
      *rest = o;
      *rest_len = w;
    }
  }
  free(s.r);
  if (s.nomem) {
    for (size_t i = from; i < out->n; i++)
      fix_diag_free(&out->v[i]);
    out->n = from;
    free(*rest);
    *rest = NULL;
    *rest_len = 0;
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory while parsing linker output");
  }
  return FIX_OK;
}
