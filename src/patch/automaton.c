/* automaton.c — the three edit formats as byte automata over the files the prompt showed, for
 * decoding that can only produce replies that parse and apply (fix_constraint in the engine).
 *
 *   search-replace   PATH "\n<<<<<<< SEARCH\n" BODY "=======\n" REPL ">>>>>>> REPLACE" ("\n" ...)
 *   changelog        "ChangeLog:" N "@" PATH "\nFixDescription: " TEXT "\n"
 *                    ("OriginalCode@" A "-" B ":\n" ("[" n "] " LINE(n) "\n"){n = A..B}
 *                     "FixedCode@" N "-" N ":\n" ("[" N "] " TEXT "\n")*)+
 *   udiff            "--- a/" PATH "\n+++ b/" PATH "\n" ("@@ -" N "," N " +" N "," N " @@\n"
 *                     ((" " | "-") LINE | "+" TEXT "\n")+)+
 *
 * PATH is one of the shown files, as shown, each at most once (so no two blocks can touch the same
 * lines); changelog hunks of one block go down the file. BODY, and the " "/"-" lines of a hunk,
 * are a run of whole lines of that file with something besides blanks in it, that occurs exactly
 * once (the divider, or the end of the hunk, is allowed only once it is unique). LINE(n) is line n
 * of the file. REPL and TEXT are free, except that a replacement line may not look like the
 * closing marker (its first non-blank character may not be '>'), a SEARCH line may not look like
 * the divider, and a block may not end while its replacement equals what it replaces (hashes of
 * both are kept: a reply that changes nothing is refused by the parser).
 *
 * Runs of lines are found with the file's line-start suffixes in sorted order: the suffixes that
 * begin with the text so far are a contiguous range, and each byte narrows it by two binary
 * searches. Lines compare as strings, so sorting the suffixes is sorting sequences of line ranks
 * (prefix doubling over the lines, not the bytes). CRLF files are read with LF line ends (the
 * reply parser matches either).
 *
 * The way to the end (finish(), which the decoder keeps within max_tokens) must be the shortest (a
 * byte or three over it at most: udiff's closing added line), or a token that still leaves a short
 * one is refused; and each of its bytes must leave the rest of it as the way to the end from there,
 * or the decoder, forcing it a token at a time, would chase an ending that moves. A run is
 * ambiguous until it is unique, and the suffixes that begin with it differ in how soon that is: in
 * a run of identical lines (a few hundred empty lines), a quote from the run's last lines is unique
 * one line later, from its first ones only past its end, and the sorted range's first suffix is the
 * latter. So each suffix j knows the lines a quote from it must take, wl[j] (one more than it shares
 * with a sorted neighbour, and up to a line with something besides blanks), and what they cost,
 * cost[j]; the way to the end follows the range's cheapest suffix (a segment tree over cost), which
 * stays the cheapest along its own way. A suffix whose quote would reach an unquotable line or the
 * end of the file first has no way to end (the last lines of a run that ends the file, empty lines
 * at the end): a byte that would narrow the range to such suffixes only is refused, a dead end (a
 * prefix count says so in O(1), in the byte step that the mask runs per token). */
#include "fix/patch.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SPAN 200 /* the most lines an OriginalCode section may quote */
#define DESC_MAX 1500 /* the longest FixDescription */

struct afile {
  char *path;        /* as shown */
  char *t;           /* LF text, ending in '\n' */
  int32_t n;         /* bytes */
  int32_t *ls;       /* line starts */
  int32_t m;         /* lines */
  int32_t *sa;       /* line indices, their suffixes in sorted order */
  /* search-replace and udiff, by sorted position j: */
  int32_t *wl;       /* the lines a quote from there takes to be unique and not blank (0: it cannot) */
  int32_t *cost;     /* the bytes of those lines (udiff: and their line prefixes); INT32_MAX: cannot */
  int32_t *can;      /* m + 1: how many of the first j positions can (a prefix count) */
  int32_t *seg;      /* 2m: a segment tree of the cheapest position over a range (ties: the first) */
  int32_t best;      /* the cheapest position's cost */
};

struct fix_edit_automaton {
  enum fix_edit_format fmt;
  struct afile *f;   /* sorted by path */
  size_t nf;
};

enum phase {
  PH_PATH = 1,  /* a shown path (range over f) */
  PH_LIT,       /* a literal (lit, pos), then `after` */
  PH_BODY,      /* search-replace: a run of lines (range over the file's suffixes) */
  PH_REPL,      /* search-replace: free replacement lines until the closing marker */
  PH_AFTER,     /* search-replace: between blocks */
  PH_NUM,       /* a number (num_kind) */
  PH_TEXT,      /* changelog: the description, to the end of the line */
  PH_ORIG,      /* changelog: "[n] " LINE(n) "\n", line by line */
  PH_FIXED,     /* changelog: FixedCode lines, or what follows them */
  PH_HUNK,      /* udiff: the lines of a hunk */
  PH_SAMEPATH,  /* udiff: the "+++ b/" path, the same as "--- a/" */
};

enum lit {
  L_SEARCH,   /* "<<<<<<< SEARCH\n" */
  L_DIV,      /* "=======\n" */
  L_CLOSE,    /* ">>>>>>> REPLACE" */
  L_CL,       /* "ChangeLog:" */
  L_DESC,     /* "\nFixDescription: " (after the path) */
  L_ORIG,     /* "OriginalCode@" */
  L_FIXED,    /* "FixedCode@" */
  L_MINUS,    /* "--- a/" */
  L_PLUS,     /* "\n+++ b/" */
  L_AT,       /* "@@ -" */
};

static const char *const lits[] = {"<<<<<<< SEARCH\n", "=======\n", ">>>>>>> REPLACE", "ChangeLog:", "\nFixDescription: ",
                                   "OriginalCode@", "FixedCode@", "--- a/", "\n+++ b/", "@@ -"};

/* numbers, by what ends them */
enum num {
  N_LOG,    /* ChangeLog:N then "@" */
  N_A,      /* OriginalCode@A then "-" */
  N_B,      /* -B then ":\n" */
  N_FA,     /* FixedCode@N then "-" */
  N_FB,     /* -N then ":\n" */
  N_FLINE,  /* "[" N then "] " */
  N_HA, N_HB, N_HC, N_HD, /* @@ -a,b +c,d @@ */
};

/* where a line of free text stands */
enum line { LN_START = 0, LN_LEAD, LN_FREE, LN_CLOSER };

#define H0 1469598103934665603ull

struct state {
  uint8_t phase, lit, after, num_kind, line, tail; /* tail: bytes of a number's terminator matched */
  uint8_t nonblank, ctx;  /* the run has a non-blank byte; udiff: this line is context (not removed) */
  uint8_t blanks;         /* udiff: 1 this line is empty so far, 2 the last old line was empty, 4 the last new */
  uint16_t pos;           /* position in a literal or in the closer */
  int32_t file;
  int32_t lo, hi, depth;  /* a range (paths or suffixes) and how many bytes matched */
  int32_t num, digits, a, b;
  int32_t last_b;         /* changelog: the last line the block's previous hunk quoted (0: none) */
  int32_t div;            /* search-replace: position in the divider (-1: not here); udiff: line kind */
  int32_t oline, pos2;    /* changelog: the line quoted now, and the byte in its "[n] LINE\n" */
  int32_t hdr;            /* udiff: position in "--- a/" or, from 100, in "@@ -" (-1: none) */
  uint64_t used;          /* files that have their block */
  uint64_t h_old, h_new;  /* what the block replaces and what it puts there, hashed */
  int32_t l_old, l_new;
};

size_t fix_edit_automaton_state_size(void) { return sizeof(struct state); }

static void hadd(uint64_t *h, int32_t *l, unsigned char c) {
  *h = (*h ^ c) * 1099511628211ull;
  (*l)++;
}

static int differs(const struct state *s) { return s->h_old != s->h_new || s->l_old != s->l_new; }

/* ---- files ---- */

static const struct afile *sort_f; /* comparator context */
static int32_t *sort_rank;
static int32_t sort_k;

static int cmp_line(const void *a, const void *b) {
  const struct afile *f = sort_f;
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  int32_t lx = (x + 1 < f->m ? f->ls[x + 1] : f->n) - f->ls[x], ly = (y + 1 < f->m ? f->ls[y + 1] : f->n) - f->ls[y];
  int c = memcmp(f->t + f->ls[x], f->t + f->ls[y], (size_t)(lx < ly ? lx : ly));
  if (c)
    return c;
  return (lx > ly) - (lx < ly);
}

static int cmp_pair(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b, m = sort_f->m;
  if (sort_rank[x] != sort_rank[y])
    return sort_rank[x] < sort_rank[y] ? -1 : 1;
  int32_t rx = x + sort_k < m ? sort_rank[x + sort_k] : -1, ry = y + sort_k < m ? sort_rank[y + sort_k] : -1;
  return (rx > ry) - (rx < ry);
}

static void file_free(struct afile *f) {
  free(f->path);
  free(f->t);
  free(f->ls);
  free(f->sa);
  free(f->wl);
  free(f->cost);
  free(f->can);
  free(f->seg);
}

/* the better of two sorted positions: the cheaper, then the first */
static int32_t cheaper(const struct afile *f, int32_t x, int32_t y) {
  if (x < 0)
    return y;
  if (y < 0)
    return x;
  return f->cost[x] < f->cost[y] || (f->cost[x] == f->cost[y] && x < y) ? x : y;
}

/* The cheapest sorted position in [lo, hi) (-1: empty). */
static int32_t cheapest(const struct afile *f, int32_t lo, int32_t hi) {
  int32_t best = -1;
  for (lo += f->m, hi += f->m; lo < hi; lo >>= 1, hi >>= 1) {
    if (lo & 1)
      best = cheaper(f, best, f->seg[lo++]);
    if (hi & 1)
      best = cheaper(f, best, f->seg[--hi]);
  }
  return best;
}

/* Some suffix of [lo, hi) has a way to end its quote. */
static int can_end_run(const struct afile *f, int32_t lo, int32_t hi) { return f->can[hi] > f->can[lo]; }

/* wl, cost, can and seg from the sorted suffixes and the lines' classes (lid: equal lines, equal
 * ids). The lines two neighbours share come from Kasai's algorithm over line ids (each suffix
 * shares at least one line less than the one before it in the text did). */
static int index_ends(struct afile *f, const int32_t *lid, int udiff) {
  int32_t m = f->m;
  int32_t *inv = malloc((size_t)m * sizeof *inv), *lcp = malloc((size_t)(m + 1) * sizeof *lcp);
  int32_t *nb = malloc((size_t)(m + 1) * sizeof *nb), *q = malloc((size_t)(m + 1) * sizeof *q);
  f->wl = malloc((size_t)m * sizeof *f->wl);
  f->cost = malloc((size_t)m * sizeof *f->cost);
  f->can = malloc((size_t)(m + 1) * sizeof *f->can);
  f->seg = malloc((size_t)(2 * m) * sizeof *f->seg);
  int ok = inv && lcp && nb && q && f->wl && f->cost && f->can && f->seg;
  if (ok) {
    for (int32_t j = 0; j < m; j++)
      inv[f->sa[j]] = j;
    lcp[0] = lcp[m] = 0; /* lcp[j]: the whole lines sorted positions j - 1 and j share */
    for (int32_t i = 0, h = 0; i < m; i++) {
      int32_t j = inv[i];
      if (!j) {
        h = 0;
        continue;
      }
      int32_t k = f->sa[j - 1];
      while (i + h < m && k + h < m && lid[i + h] == lid[k + h])
        h++;
      lcp[j] = h;
      h -= h > 0;
    }
    /* from line i: q quotable lines before an unquotable one (NUL) or the end; nb lines to the
     * first with something besides blanks in it (INT32_MAX: none) */
    q[m] = 0;
    nb[m] = INT32_MAX;
    for (int32_t i = m - 1; i >= 0; i--) {
      int32_t e = i + 1 < m ? f->ls[i + 1] : f->n;
      int blank = 1;
      for (int32_t p = f->ls[i]; p < e && blank; p++)
        blank = f->t[p] == ' ' || f->t[p] == '\t' || f->t[p] == '\n';
      q[i] = f->t[f->ls[i]] == '\0' ? 0 : q[i + 1] + 1;
      nb[i] = !blank ? 1 : nb[i + 1] == INT32_MAX ? INT32_MAX : nb[i + 1] + 1;
    }
    f->can[0] = 0;
    for (int32_t j = 0; j < m; j++) {
      int32_t i = f->sa[j], w = (lcp[j] > lcp[j + 1] ? lcp[j] : lcp[j + 1]) + 1;
      w = w > nb[i] ? w : nb[i];
      int can = w <= q[i];
      f->wl[j] = can ? w : 0;
      f->cost[j] = can ? (i + w < m ? f->ls[i + w] : f->n) - f->ls[i] + (udiff ? w : 0) : INT32_MAX;
      f->can[j + 1] = f->can[j] + can;
      f->seg[m + j] = j;
    }
    for (int32_t p = m - 1; p >= 1; p--)
      f->seg[p] = cheaper(f, f->seg[2 * p], f->seg[2 * p + 1]);
    f->best = f->cost[cheapest(f, 0, m)];
  }
  free(inv);
  free(lcp);
  free(nb);
  free(q);
  return ok ? 0 : -1;
}

/* barriers: 2 search-replace (dividers and fences unquotable), 1 udiff (fences), 0 changelog */
static int file_init(struct afile *f, const char *path, const char *text, size_t len, int barriers) {
  memset(f, 0, sizeof *f);
  if (len > (1u << 26))
    return -1;
  f->path = fix_strdup(path);
  f->t = malloc(len + 2);
  if (!f->path || !f->t)
    return -1;
  int32_t n = 0;
  for (size_t i = 0; i < len; i++) /* no CR: a reply's are dropped when it is read (the matcher skips them) */
    if (text[i] != '\r')
      f->t[n++] = text[i];
  if (!n || f->t[n - 1] != '\n')
    f->t[n++] = '\n';
  f->t[n] = '\0';
  /* lines the reply reader would not keep cannot be quoted: a line the search-replace parser reads as
   * its divider (blanks, 5-9 '=', blanks), and in search-replace and udiff a markdown fence line
   * (spaces, then ``` or ~~~), which the reader drops. Such a line becomes unmatchable bytes, so no run
   * goes through it (NUL is never generated) */
  for (int32_t i = 0; barriers && i < n;) {
    int32_t e = i;
    while (f->t[e] != '\n')
      e++;
    int32_t k = i, eq = 0;
    while (k < e && f->t[k] == ' ')
      k++;
    int fence = e - k >= 3 && (!memcmp(f->t + k, "```", 3) || !memcmp(f->t + k, "~~~", 3));
    while (k < e && f->t[k] == '=')
      k++, eq++;
    while (k < e && f->t[k] == ' ')
      k++;
    if ((barriers == 2 && k == e && eq >= 5 && eq <= 9) || fence)
      for (int32_t j = i; j < e; j++)
        f->t[j] = '\0';
    i = e + 1;
  }
  f->n = n;
  int32_t m = 0;
  for (int32_t i = 0; i < n; i++)
    m += f->t[i] == '\n';
  f->m = m;
  f->ls = malloc((size_t)m * sizeof *f->ls);
  f->sa = malloc((size_t)m * sizeof *f->sa);
  int32_t *rank = malloc((size_t)m * sizeof *rank), *tmp = malloc((size_t)m * sizeof *tmp);
  int32_t *lid = barriers ? malloc((size_t)m * sizeof *lid) : NULL;
  if (!f->ls || !f->sa || !rank || !tmp || (barriers && !lid)) {
    free(rank);
    free(tmp);
    free(lid);
    return -1;
  }
  for (int32_t i = 0, l = 0; i < n; i++)
    if (i == 0 || f->t[i - 1] == '\n')
      f->ls[l++] = i;
  /* rank the lines as strings, then double: suffix i = lines i, i+1, ... */
  for (int32_t i = 0; i < m; i++)
    f->sa[i] = i;
  sort_f = f;
  qsort(f->sa, (size_t)m, sizeof *f->sa, cmp_line);
  for (int32_t i = 0; i < m; i++)
    rank[f->sa[i]] = i > 0 && !cmp_line(&f->sa[i - 1], &f->sa[i]) ? rank[f->sa[i - 1]] : i;
  if (lid)
    memcpy(lid, rank, (size_t)m * sizeof *lid);
  sort_rank = rank;
  for (sort_k = 1; sort_k < m; sort_k *= 2) {
    qsort(f->sa, (size_t)m, sizeof *f->sa, cmp_pair);
    tmp[f->sa[0]] = 0;
    int distinct = 1;
    for (int32_t i = 1; i < m; i++) {
      int same = !cmp_pair(&f->sa[i - 1], &f->sa[i]);
      tmp[f->sa[i]] = same ? tmp[f->sa[i - 1]] : i;
      distinct &= !same;
    }
    memcpy(rank, tmp, (size_t)m * sizeof *rank);
    if (distinct)
      break;
  }
  free(rank);
  free(tmp);
  /* changelog quotes by line number: its way to the end quotes the first line (twice when it is empty:
   * an empty fixed line would change nothing) */
  int r = lid ? index_ends(f, lid, barriers == 1) : 0;
  if (!lid)
    f->best = (m > 1 ? f->ls[1] : n) + (f->t[0] == '\n' ? 5 : 0);
  free(lid);
  return r;
}

static int cmp_afile(const void *a, const void *b) {
  return strcmp(((const struct afile *)a)->path, ((const struct afile *)b)->path);
}

void fix_edit_automaton_free(struct fix_edit_automaton *a) {
  if (!a)
    return;
  for (size_t i = 0; i < a->nf; i++)
    file_free(&a->f[i]);
  free(a->f);
  free(a);
}

enum fix_status fix_edit_automaton_new(enum fix_edit_format fmt, const struct fix_shown_file *files, size_t n,
                                       struct fix_edit_automaton **out, struct fix_err *err) {
  *out = NULL;
  struct fix_edit_automaton *a = calloc(1, sizeof *a);
  if (!a || !(a->f = calloc(n ? n : 1, sizeof *a->f))) {
    free(a);
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  }
  a->fmt = fmt;
  for (size_t i = 0; i < n && a->nf < 64; i++) { /* (a bitmap says which have their block) */
    if (!files[i].path || !files[i].path[0] || strchr(files[i].path, '\n') || !files[i].text)
      continue;
    if (memchr(files[i].text, '\0', files[i].len))
      continue; /* not text: a reply cannot quote a NUL, so no block could be finished in it */
    int blank = 1; /* a file with nothing but blanks has nothing to quote */
    for (size_t k = 0; k < files[i].len && blank; k++)
      blank = files[i].text[k] == ' ' || files[i].text[k] == '\t' || files[i].text[k] == '\n' || files[i].text[k] == '\r';
    if (blank)
      continue;
    int dup = 0;
    for (size_t k = 0; k < a->nf; k++)
      dup |= !strcmp(a->f[k].path, files[i].path);
    if (dup)
      continue;
    if (file_init(&a->f[a->nf], files[i].path, files[i].text, files[i].len,
                  fmt == FIX_FMT_SEARCH_REPLACE ? 2 : fmt == FIX_FMT_UDIFF ? 1 : 0)) {
      file_free(&a->f[a->nf]);
      fix_edit_automaton_free(a);
      return fix_err_set(err, FIX_ERR_NOMEM, "out of memory (or a file over 64 MiB) indexing %s", files[i].path);
    }
    if (fmt != FIX_FMT_CHANGELOG && a->f[a->nf].best == INT32_MAX) { /* no quote of it can be unique */
      file_free(&a->f[a->nf]);
      continue;
    }
    a->nf++;
  }
  if (!a->nf) {
    fix_edit_automaton_free(a);
    return fix_err_set(err, FIX_ERR_ARG, "no file to constrain edits to");
  }
  qsort(a->f, a->nf, sizeof *a->f, cmp_afile);
  *out = a;
  return FIX_OK;
}

/* ---- ranges ---- */

/* byte d of path p, or -1 past its end */
static int path_byte(const struct fix_edit_automaton *a, int32_t p, int32_t d) {
  const char *s = a->f[p].path;
  size_t l = strlen(s);
  return (size_t)d < l ? (unsigned char)s[d] : -1;
}

/* byte d of the suffix at sorted position j, or -1 past the text */
static int suf_byte(const struct afile *f, int32_t j, int32_t d) {
  int32_t p = f->ls[f->sa[j]] + d;
  return p < f->n ? (unsigned char)f->t[p] : -1;
}

/* Narrows [lo, hi) to the entries whose byte at depth is c (the entries are sorted, so they are
 * contiguous); returns 0 when none is. */
static int narrow(const struct fix_edit_automaton *a, const struct afile *f, int32_t *lo, int32_t *hi, int32_t depth,
                  int c) {
  int32_t l = *lo, h = *hi;
  while (l < h) { /* first with byte >= c */
    int32_t mid = l + (h - l) / 2;
    int b = f ? suf_byte(f, mid, depth) : path_byte(a, mid, depth);
    if (b < c)
      l = mid + 1;
    else
      h = mid;
  }
  int32_t first = l;
  h = *hi;
  while (l < h) { /* first with byte > c */
    int32_t mid = l + (h - l) / 2;
    int b = f ? suf_byte(f, mid, depth) : path_byte(a, mid, depth);
    if (b <= c)
      l = mid + 1;
    else
      h = mid;
  }
  if (first == l)
    return 0;
  *lo = first;
  *hi = l;
  return 1;
}

/* ---- states ---- */

static int unused_in(const struct fix_edit_automaton *a, const struct state *s, int32_t lo, int32_t hi) {
  for (int32_t i = lo; i < hi; i++)
    if (!(s->used >> i & 1))
      return 1;
  return 0;
}

static int any_unused(const struct fix_edit_automaton *a, const struct state *s) {
  return unused_in(a, s, 0, (int32_t)a->nf);
}

static void to_lit(struct state *s, enum lit l, enum phase after) {
  s->phase = PH_LIT;
  s->lit = (uint8_t)l;
  s->pos = 0;
  s->after = (uint8_t)after;
}

static void to_path(const struct fix_edit_automaton *a, struct state *s) {
  s->phase = PH_PATH;
  s->lo = 0;
  s->hi = (int32_t)a->nf;
  s->depth = 0;
}

static void to_num(struct state *s, enum num k) {
  s->phase = PH_NUM;
  s->num_kind = (uint8_t)k;
  s->num = s->digits = 0;
  s->tail = 0;
}

static void to_run(const struct fix_edit_automaton *a, struct state *s, enum phase ph) {
  s->phase = (uint8_t)ph;
  s->lo = 0;
  s->hi = a->f[s->file].m;
  s->depth = 0;
  s->nonblank = 0;
  s->div = ph == PH_BODY ? -1 : 0;
  s->line = LN_START;
  s->num = 0; /* search-replace: the '=' run at the start of this line */
  s->hdr = -1;
  s->h_old = s->h_new = H0;
  s->l_old = s->l_new = 0;
  s->blanks = 0;
}

void fix_edit_automaton_start(const struct fix_edit_automaton *a, void *state) {
  struct state *s = state;
  memset(s, 0, sizeof *s);
  s->div = s->hdr = -1;
  if (a->fmt == FIX_FMT_SEARCH_REPLACE) {
    to_path(a, s);
  } else if (a->fmt == FIX_FMT_CHANGELOG) {
    to_lit(s, L_CL, PH_NUM);
    s->num_kind = N_LOG;
  } else {
    to_lit(s, L_MINUS, PH_PATH);
  }
}

/* The unused file whose path the range names once `depth` bytes matched, or -1. */
static int32_t path_done(const struct fix_edit_automaton *a, const struct state *s) {
  return s->lo < s->hi && path_byte(a, s->lo, s->depth) < 0 && !(s->used >> s->lo & 1) ? s->lo : -1;
}

/* Whether a number may take digit d: some completion must land in [lo, hi]. */
static int digit_ok(int64_t num, int digits, int d, int64_t lo, int64_t hi) {
  if (digits > 0 && num == 0)
    return 0; /* nothing after a leading 0 */
  if (digits == 0 && d == 0)
    return lo <= 0;
  int64_t p = num * 10 + d;
  for (int64_t span = 1; p * span <= hi && span <= 100000000; span *= 10)
    if (p * span + span - 1 >= lo)
      return 1;
  return 0;
}

static void num_bounds(const struct fix_edit_automaton *a, const struct state *s, int64_t *lo, int64_t *hi) {
  *lo = 1, *hi = 999999;
  switch ((enum num)s->num_kind) {
  case N_LOG: *hi = 999; break;
  case N_A: *lo = s->last_b + 1, *hi = a->f[s->file].m; break;
  case N_B: {
    int32_t m = a->f[s->file].m;
    *lo = s->a;
    *hi = m < s->a + MAX_SPAN - 1 ? m : s->a + MAX_SPAN - 1;
    break;
  }
  case N_HB: case N_HD: *lo = 0; break;
  default: break;
  }
}

static const char *num_end(enum num k) {
  switch (k) {
  case N_LOG: return "@";
  case N_A: case N_FA: return "-";
  case N_B: case N_FB: return ":\n";
  case N_FLINE: return "] ";
  case N_HA: case N_HC: return ",";
  case N_HB: return " +";
  case N_HD: return " @@\n";
  }
  return "";
}

/* changelog: byte `at` of "[n] LINE(n)\n" for n = s->oline (-1 past it); *content: a byte of LINE */
static int orig_byte(const struct fix_edit_automaton *a, const struct state *s, int32_t at, int *content) {
  char pre[16];
  int np = snprintf(pre, sizeof pre, "[%d] ", s->oline);
  *content = at >= np;
  if (at < np)
    return (unsigned char)pre[at];
  const struct afile *f = &a->f[s->file];
  int32_t p = f->ls[s->oline - 1] + (at - np);
  return p < f->n && (p == f->ls[s->oline - 1] || f->t[p - 1] != '\n') ? (unsigned char)f->t[p] : -1;
}

/* A line of free text; with `closer`, a first non-blank '>' is refused (it would close the block).
 * *eol on '\n'. */
static int free_line(struct state *s, unsigned char c, int closer, int *eol) {
  *eol = c == '\n';
  if (c == '\n') {
    s->line = LN_START;
    return 1;
  }
  if (s->line == LN_FREE)
    return 1;
  if (c == ' ' || c == '\t') {
    s->line = LN_LEAD;
    return 1;
  }
  if (c == '>' && closer)
    return 0;
  s->line = LN_FREE;
  return 1;
}

/* After a path and its '\n': the format's next part. */
static void path_chosen(const struct fix_edit_automaton *a, struct state *s, int32_t file) {
  s->file = file;
  s->used |= 1ull << file;
  if (a->fmt == FIX_FMT_SEARCH_REPLACE) {
    to_lit(s, L_SEARCH, PH_BODY);
  } else if (a->fmt == FIX_FMT_CHANGELOG) {
    to_lit(s, L_DESC, PH_TEXT);
    s->pos = 1; /* the literal's '\n' was this byte */
  } else {
    to_lit(s, L_PLUS, PH_SAMEPATH);
    s->pos = 1;
  }
}

static int step_path(const struct fix_edit_automaton *a, struct state *s, unsigned char c) {
  int32_t done = path_done(a, s);
  if (c == '\n') {
    if (done < 0)
      return 0;
    path_chosen(a, s, done);
    return 1;
  }
  int32_t lo = s->lo, hi = s->hi;
  if (!narrow(a, NULL, &lo, &hi, s->depth, c) || !unused_in(a, s, lo, hi))
    return 0;
  s->lo = lo, s->hi = hi, s->depth++;
  return 1;
}

static void lit_done(const struct fix_edit_automaton *a, struct state *s) {
  switch ((enum phase)s->after) {
  case PH_PATH: to_path(a, s); break;
  case PH_BODY: to_run(a, s, PH_BODY); break;
  case PH_NUM: to_num(s, (enum num)s->num_kind); break;
  case PH_TEXT: s->phase = PH_TEXT, s->line = LN_START, s->pos2 = 0; break;
  case PH_SAMEPATH: s->phase = PH_SAMEPATH, s->pos = 0; break;
  default: s->phase = s->after; break;
  }
}

static void num_done(const struct fix_edit_automaton *a, struct state *s) {
  int32_t v = s->num;
  switch ((enum num)s->num_kind) {
  case N_LOG: to_path(a, s); break;
  case N_A: s->a = v, to_num(s, N_B); break;
  case N_B:
    s->b = v;
    s->phase = PH_ORIG;
    s->oline = s->a;
    s->pos2 = 0;
    s->h_old = s->h_new = H0;
    s->l_old = s->l_new = 0;
    break;
  case N_FA: to_num(s, N_FB); break;
  case N_FB: s->phase = PH_FIXED, s->div = 0, s->last_b = s->b; break;
  case N_FLINE: s->phase = PH_FIXED, s->div = 1, s->line = LN_START; break;
  case N_HA: to_num(s, N_HB); break;
  case N_HB: to_num(s, N_HC); break;
  case N_HC: to_num(s, N_HD); break;
  case N_HD: to_run(a, s, PH_HUNK); break;
  }
}

/* literals, paths, numbers: the same in every format. 1/0 when handled, -1 when not. */
static int step_common(const struct fix_edit_automaton *a, struct state *s, unsigned char c) {
  switch (s->phase) {
  case PH_LIT: {
    const char *l = lits[s->lit];
    if ((unsigned char)l[s->pos] != c)
      return 0;
    if (!l[++s->pos])
      lit_done(a, s);
    return 1;
  }
  case PH_PATH:
    return step_path(a, s, c);
  case PH_SAMEPATH: {
    const char *p = a->f[s->file].path;
    size_t l = strlen(p);
    if (s->pos < l)
      return (unsigned char)p[s->pos++] == c;
    if (c != '\n')
      return 0;
    to_lit(s, L_AT, PH_NUM);
    s->num_kind = N_HA;
    return 1;
  }
  case PH_NUM: {
    int64_t lo, hi;
    num_bounds(a, s, &lo, &hi);
    if (s->tail == 0 && c >= '0' && c <= '9') {
      if (s->digits >= 9 || !digit_ok(s->num, s->digits, c - '0', lo, hi))
        return 0;
      s->num = s->num * 10 + (c - '0');
      s->digits++;
      return 1;
    }
    const char *end = num_end((enum num)s->num_kind);
    if (!s->digits || (unsigned char)end[s->tail] != c || (s->tail == 0 && (s->num < lo || s->num > hi)))
      return 0;
    if (!end[++s->tail])
      num_done(a, s);
    return 1;
  }
  default:
    return -1;
  }
}

/* ---- search-replace ---- */

static int step_sr(const struct fix_edit_automaton *a, struct state *s, unsigned char c) {
  const struct afile *f = &a->f[s->file];
  switch (s->phase) {
  case PH_BODY: {
    /* two paths may be alive at a line start: the divider, and the file's next line */
    int div_ok = s->div >= 0 && (unsigned char)lits[L_DIV][s->div] == c;
    int32_t lo = s->lo, hi = s->hi;
    int body_ok = s->hi > s->lo && narrow(a, f, &lo, &hi, s->depth, c) && can_end_run(f, lo, hi);
    /* a SEARCH line that reads as a divider would end the section early; the file's such lines are
     * unquotable (file_init), and any other line, "=====x" or ten '=', is quoted as it is */
    int eq = s->num, line = s->line;
    if (body_ok && line != LN_FREE && c != '\n') {
      if (c == '=') {
        eq += eq < 100;
        line = LN_LEAD;
      } else if ((c == ' ' || c == '\t') && !eq) {
        line = LN_LEAD;
      } else {
        line = LN_FREE; /* anything else: this line cannot be a marker */
      }
    }
    if (!div_ok && !body_ok)
      return 0;
    if (div_ok && !lits[L_DIV][s->div + 1]) { /* "=======\n": the replacement begins */
      s->phase = PH_REPL;
      s->line = LN_START;
      s->pos = 0;
      return 1;
    }
    s->div = div_ok ? s->div + 1 : -1;
    if (!body_ok) {
      s->lo = s->hi = 0; /* only the divider is left */
      return 1;
    }
    s->lo = lo, s->hi = hi, s->depth++;
    hadd(&s->h_old, &s->l_old, c);
    s->nonblank |= c != ' ' && c != '\t' && c != '\n';
    s->num = eq;
    s->line = (uint8_t)line;
    if (c == '\n') {
      s->line = LN_START;
      s->num = 0;
      s->div = s->hi - s->lo == 1 && s->nonblank ? 0 : -1; /* the divider, once the run is unique */
    }
    return 1;
  }
  case PH_REPL: {
    if (s->line == LN_CLOSER) {
      const char *l = lits[L_CLOSE];
      if (l[s->pos])
        return (unsigned char)l[s->pos++] == c;
      if (c != '\n')
        return 0;
      s->phase = PH_AFTER;
      return 1;
    }
    if (s->line == LN_START && c == '>') {
      if (!differs(s))
        return 0; /* the block would change nothing */
      s->line = LN_CLOSER;
      s->pos = 1;
      return 1;
    }
    int eol;
    if (!free_line(s, c, 1, &eol))
      return 0;
    hadd(&s->h_new, &s->l_new, c);
    return 1;
  }
  case PH_AFTER: /* the next block: another file's path */
    if (!any_unused(a, s))
      return 0;
    to_path(a, s);
    return step_path(a, s, c);
  default:
    return 0;
  }
}

/* ---- changelog ---- */

static int step_cl(const struct fix_edit_automaton *a, struct state *s, unsigned char c) {
  switch (s->phase) {
  case PH_TEXT: { /* the description: one line, at most DESC_MAX bytes */
    int eol;
    if ((c != '\n' && s->pos2 >= DESC_MAX) || !free_line(s, c, 0, &eol))
      return 0;
    s->pos2++;
    if (eol) {
      to_lit(s, L_ORIG, PH_NUM);
      s->num_kind = N_A;
      s->last_b = 0;
    }
    return 1;
  }
  case PH_ORIG: {
    int content;
    int want = orig_byte(a, s, s->pos2, &content);
    if (want < 0 || c != want)
      return 0;
    s->pos2++;
    if (content)
      hadd(&s->h_old, &s->l_old, c);
    if (c == '\n') {
      if (s->oline == s->b) {
        to_lit(s, L_FIXED, PH_NUM);
        s->num_kind = N_FA;
      } else {
        s->oline++;
        s->pos2 = 0;
      }
    }
    return 1;
  }
  case PH_FIXED: {
    if (s->div == 1) { /* in a fixed line's code */
      int eol;
      if (!free_line(s, c, 0, &eol))
        return 0;
      hadd(&s->h_new, &s->l_new, c);
      if (eol)
        s->div = 0;
      return 1;
    }
    /* a line start: "[" a fixed line; once the hunk changes something, "O" the next hunk (further
     * down) or "C" the next block (another file) */
    if (c == '[') {
      to_num(s, N_FLINE);
      return 1;
    }
    if (!differs(s))
      return 0;
    if (c == 'O' && s->last_b < a->f[s->file].m) {
      to_lit(s, L_ORIG, PH_NUM);
      s->num_kind = N_A;
      s->pos = 1;
      return 1;
    }
    if (c == 'C' && any_unused(a, s)) {
      to_lit(s, L_CL, PH_NUM);
      s->num_kind = N_LOG;
      s->pos = 1;
      return 1;
    }
    return 0;
  }
  default:
    return 0;
  }
}

/* ---- udiff ---- */

/* A hunk may end once its run is unique and changes something, but not after an empty old line that
 * is also an empty new line: the parser drops such trailing pairs (the gap before prose), and the
 * run's uniqueness counted them. */
static int hunk_done(const struct state *s) {
  return s->depth > 0 && s->hi - s->lo == 1 && s->nonblank && differs(s) && (s->blanks & 6) != 6;
}

/* a line of the hunk ends: it was old (context or removed), new (context or added), or both */
static void line_ends(struct state *s, int old, int nw) {
  int empty = s->blanks & 1;
  if (old)
    s->blanks = (uint8_t)((s->blanks & ~2) | (empty ? 2 : 0));
  if (nw)
    s->blanks = (uint8_t)((s->blanks & ~4) | (empty ? 4 : 0));
}

/* some run of the range goes on past `depth` with a quotable byte (another line can be quoted; an
 * unquotable line's bytes are NUL, which sorts first, so the range's last run decides) */
static int run_goes_on(const struct afile *f, const struct state *s) {
  return s->hi > s->lo && suf_byte(f, s->hi - 1, s->depth) > 0;
}

static void run_byte(struct state *s, unsigned char c) {
  hadd(&s->h_old, &s->l_old, c);
  if (s->ctx)
    hadd(&s->h_new, &s->l_new, c);
  s->nonblank |= c != ' ' && c != '\t' && c != '\n';
}

/* s->div: 0 a line start, 1 in a context or removed line (the file's next bytes), 2 in an added
 * line, 3 after a '-' that may begin a removed line or the next file's "--- a/" (s->hdr: the
 * header's position, or -1; s->pos2: whether the removed line is still possible). */
static int step_ud(const struct fix_edit_automaton *a, struct state *s, unsigned char c) {
  const struct afile *f = &a->f[s->file];
  if (s->phase != PH_HUNK)
    return 0;
  switch (s->div) {
  case 2: {
    int eol;
    if (!free_line(s, c, 0, &eol))
      return 0;
    hadd(&s->h_new, &s->l_new, c);
    if (c != '\n')
      s->blanks &= (uint8_t)~1;
    if (eol) {
      line_ends(s, 0, 1);
      s->div = 0;
    }
    return 1;
  }
  case 1: {
    int32_t lo = s->lo, hi = s->hi;
    if (!narrow(a, f, &lo, &hi, s->depth, c) || !can_end_run(f, lo, hi))
      return 0;
    s->lo = lo, s->hi = hi, s->depth++;
    run_byte(s, c);
    if (c != '\n')
      s->blanks &= (uint8_t)~1;
    if (c == '\n') {
      line_ends(s, 1, s->ctx);
      s->div = 0;
    }
    return 1;
  }
  case 3: {
    int32_t lo = s->lo, hi = s->hi;
    int line_ok = s->pos2 && narrow(a, f, &lo, &hi, s->depth, c) && can_end_run(f, lo, hi);
    int hdr_ok = s->hdr >= 0 && (unsigned char)lits[L_MINUS][s->hdr] == c;
    if (!line_ok && !hdr_ok)
      return 0;
    if (hdr_ok && !lits[L_MINUS][s->hdr + 1]) { /* "--- a/": the next file */
      to_path(a, s);
      s->hdr = -1;
      return 1;
    }
    s->hdr = hdr_ok ? s->hdr + 1 : -1;
    s->pos2 = line_ok;
    if (line_ok) {
      s->lo = lo, s->hi = hi, s->depth++;
      run_byte(s, c);
      if (c != '\n')
        s->blanks &= (uint8_t)~1;
      if (c == '\n') {
        line_ends(s, 1, 0);
        s->div = 0;
        s->hdr = -1;
        return 1;
      }
    }
    if (!hdr_ok)
      s->div = 1; /* only the removed line is left */
    return 1;
  }
  default:
    break;
  }
  switch (c) { /* a line start */
  case '+':
    s->div = 2;
    s->line = LN_FREE;
    s->blanks |= 1;
    return 1;
  case ' ':
    if (!run_goes_on(f, s))
      return 0;
    s->div = 1;
    s->ctx = 1;
    s->blanks |= 1;
    return 1;
  case '-': {
    int line = run_goes_on(f, s), hdr = hunk_done(s) && any_unused(a, s);
    if (!line && !hdr)
      return 0;
    s->ctx = 0;
    s->div = hdr ? 3 : 1;
    s->hdr = hdr ? 1 : -1;
    s->pos2 = line;
    s->blanks |= 1;
    return 1;
  }
  default:
    return 0;
  }
}

/* ---- the rest of the interface ---- */

int fix_edit_automaton_step(const struct fix_edit_automaton *a, void *state, unsigned char c) {
  struct state *s = state;
  if (!c)
    return 0; /* generated text drops NUL bytes: the automaton must never count on one */
  int r = step_common(a, s, c);
  if (r >= 0)
    return r;
  switch (a->fmt) {
  case FIX_FMT_SEARCH_REPLACE: return step_sr(a, s, c);
  case FIX_FMT_CHANGELOG: return step_cl(a, s, c);
  case FIX_FMT_UDIFF: return step_ud(a, s, c);
  }
  return 0;
}

int fix_edit_automaton_can_end(const struct fix_edit_automaton *a, const void *state) {
  const struct state *s = state;
  switch (a->fmt) {
  case FIX_FMT_SEARCH_REPLACE:
    return s->phase == PH_AFTER || (s->phase == PH_REPL && s->line == LN_CLOSER && !lits[L_CLOSE][s->pos]);
  case FIX_FMT_CHANGELOG:
    return s->phase == PH_FIXED && s->div == 0 && differs(s);
  case FIX_FMT_UDIFF:
    return s->phase == PH_HUNK && s->div == 0 && hunk_done(s);
  }
  return 0;
}

int fix_edit_automaton_free_line(const struct fix_edit_automaton *a, const void *state, unsigned char *stop,
                                 size_t *room) {
  const struct state *s = state;
  *room = (size_t)-1;
  if (a->fmt == FIX_FMT_CHANGELOG && s->phase == PH_TEXT)
    *room = s->pos2 < DESC_MAX ? (size_t)(DESC_MAX - s->pos2) : 0;
  int in_text = (a->fmt == FIX_FMT_SEARCH_REPLACE && s->phase == PH_REPL && s->line != LN_CLOSER) ||
                (a->fmt == FIX_FMT_CHANGELOG && (s->phase == PH_TEXT || (s->phase == PH_FIXED && s->div == 1))) ||
                (a->fmt == FIX_FMT_UDIFF && s->phase == PH_HUNK && s->div == 2);
  if (!in_text)
    return 0;
  memset(stop, 0, 256);
  if (a->fmt == FIX_FMT_SEARCH_REPLACE && s->line != LN_FREE)
    stop['>'] = 1; /* only the closing marker may begin with it */
  return 1;
}

size_t fix_edit_automaton_forced(const struct fix_edit_automaton *a, const void *state, char *buf, size_t cap) {
  const struct state *s = state;
  size_t n = 0;
  if (s->phase == PH_LIT) {
    for (const char *l = lits[s->lit] + s->pos; *l && n < cap; l++)
      buf[n++] = *l;
    return n;
  }
  if (s->phase == PH_ORIG) {
    int content;
    for (int32_t at = s->pos2; n < cap; at++) {
      int b = orig_byte(a, s, at, &content);
      if (b <= 0)
        break;
      buf[n++] = (char)b;
      if (b == '\n')
        break;
    }
    return n;
  }
  if (s->phase == PH_SAMEPATH) {
    for (const char *p = a->f[s->file].path + s->pos; *p && n < cap; p++)
      buf[n++] = *p;
    if (n < cap)
      buf[n++] = '\n';
    return n;
  }
  int run = (s->phase == PH_BODY && s->div < 0) || (a->fmt == FIX_FMT_UDIFF && s->phase == PH_HUNK && s->div == 1);
  if (run && s->hi > s->lo) { /* what every candidate run has next, to the end of the line */
    const struct afile *f = &a->f[s->file];
    for (int32_t d = s->depth; n < cap; d++) {
      int b0 = suf_byte(f, s->lo, d);
      if (b0 <= 0 || suf_byte(f, s->hi - 1, d) != b0)
        break; /* the end, a fork, or an unquotable line (NUL) */
      buf[n++] = (char)b0;
      if (b0 == '\n')
        break;
    }
  }
  return n;
}

/* The run's way to the end: the cheapest suffix of its range, cached in *tgt (it stays the cheapest
 * along its own way: every other suffix left in the range gets one byte closer too). */
static int32_t run_target(const struct afile *f, const struct state *s, int32_t *tgt) {
  if (s->hi <= s->lo)
    return -1;
  if (*tgt < s->lo || *tgt >= s->hi)
    *tgt = cheapest(f, s->lo, s->hi);
  return *tgt;
}

/* the bytes of the lines a quote from sorted position j takes */
static int32_t quote_end(const struct afile *f, int32_t j) {
  int32_t i = f->sa[j], e = i + f->wl[j];
  return (e < f->m ? f->ls[e] : f->n) - f->ls[i];
}

/* The unused file of the path range whose block can end soonest: the rest of its path (twice in a
 * udiff header) and its cheapest quote. */
static int32_t path_target(const struct fix_edit_automaton *a, const struct state *s) {
  int32_t best = -1;
  int64_t bc = 0;
  for (int32_t i = s->lo; i < s->hi; i++) {
    if (s->used >> i & 1)
      continue;
    int64_t l = (int64_t)strlen(a->f[i].path), c = l - s->depth + (a->fmt == FIX_FMT_UDIFF ? l : 0) + a->f[i].best;
    if (best < 0 || c < bc)
      best = i, bc = c;
  }
  return best;
}

/* The next byte of a way to the end, by phase: the rest of a literal, a path (the one whose block
 * ends soonest), a quoted line or a run of lines (following the cheapest suffix, udiff: as removed
 * lines, so that the hunk changes something); the smallest number that fits; a newline to end free
 * text; the closer once the block changes something, an empty line until it does (udiff: "x" when
 * an empty one would make an empty pair the parser drops). -1 when there is no simple next byte.
 * *tgt: what finish() follows in this phase (-1: to be chosen). */
static int next_finish_byte(const struct fix_edit_automaton *a, const struct state *s, int32_t *tgt) {
  switch (s->phase) {
  case PH_LIT:
    return (unsigned char)lits[s->lit][s->pos];
  case PH_SAMEPATH: {
    const char *p = a->f[s->file].path;
    return s->pos < strlen(p) ? (unsigned char)p[s->pos] : '\n';
  }
  case PH_PATH: {
    if (*tgt < s->lo || *tgt >= s->hi || (s->used >> *tgt & 1))
      *tgt = path_target(a, s); /* (it stays the cheapest along its own way too) */
    if (*tgt < 0)
      return -1;
    int b = path_byte(a, *tgt, s->depth);
    return b < 0 ? '\n' : b;
  }
  case PH_NUM: {
    int64_t lo, hi;
    num_bounds(a, s, &lo, &hi);
    if (s->tail || (s->digits && s->num >= lo && s->num <= hi))
      return (unsigned char)num_end((enum num)s->num_kind)[s->tail];
    for (int d = s->digits ? 0 : 1; d <= 9; d++) /* the smallest digit that keeps a completion in range */
      if (digit_ok(s->num, s->digits, d, lo, hi))
        return '0' + d;
    return lo <= 0 && !s->digits ? '0' : -1;
  }
  case PH_TEXT:
    return '\n';
  case PH_ORIG: {
    int content;
    return orig_byte(a, s, s->pos2, &content);
  }
  case PH_FIXED:
    if (s->div == 1)
      return '\n';
    return '['; /* (it could not end: the hunk changes nothing yet) then "1] " and an empty line */
  case PH_BODY: {
    if (s->div > 0)
      return (unsigned char)lits[L_DIV][s->div];
    if (s->div == 0)
      return '=';
    const struct afile *f = &a->f[s->file];
    int32_t t = run_target(f, s, tgt);
    return t < 0 ? -1 : suf_byte(f, t, s->depth);
  }
  case PH_REPL:
    if (s->line == LN_CLOSER)
      return lits[L_CLOSE][s->pos] ? (unsigned char)lits[L_CLOSE][s->pos] : '\n';
    if (s->line != LN_START)
      return '\n';
    return differs(s) ? '>' : '\n';
  case PH_HUNK: {
    const struct afile *f = &a->f[s->file];
    if (s->div == 3 && !s->pos2)
      return (unsigned char)lits[L_MINUS][s->hdr];
    int32_t t = run_target(f, s, tgt);
    if (t < 0)
      return -1;
    if (s->div == 1 || s->div == 3)
      return suf_byte(f, t, s->depth);
    int more = s->depth < quote_end(f, t); /* lines the quote still needs: removed (the hunk then changes something) */
    if (s->div == 2) /* an added line; the last one (the quote is unique) may not be empty after an empty old one */
      return !more && (s->blanks & 3) == 3 ? 'x' : '\n';
    return more ? '-' : '+'; /* unique, but changes nothing yet (or ends in an empty pair): an added line */
  }
  default:
    return -1;
  }
}

size_t fix_edit_automaton_finish(const struct fix_edit_automaton *a, const void *state, char *buf, size_t cap) {
  struct state t = *(const struct state *)state;
  size_t n = 0;
  int32_t tgt = -1; /* the path or the run's suffix being followed, while in the same phase */
  int phase = -1;
  while (!fix_edit_automaton_can_end(a, &t)) {
    if (t.phase != phase)
      tgt = -1, phase = t.phase;
    int b = next_finish_byte(a, &t, &tgt);
    if (b <= 0 || n >= cap || !fix_edit_automaton_step(a, &t, (unsigned char)b))
      return (size_t)-1;
    buf[n++] = (char)b;
  }
  return n;
}
