/* match.c — anchoring a model's "original" lines in a file, leniently but unambiguously.
 *
 * Levels, tried in order until one finds the text: exact lines; trailing whitespace ignored;
 * indentation and runs of blanks ignored; blank lines ignored altogether. A level that finds the
 * text more than once picks the occurrence nearest the line the model named, and fails as
 * ambiguous when there is no such line or two are equally near. The replacement keeps the file's
 * newline style (CRLF or LF) and, when the model's indentation differs from the file's (tabs vs
 * spaces), is re-indented to the file's. */
#include "reply.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct fline {
  const char *p;
  size_t n;      /* without the newline (and without a CR before it) */
  size_t start;  /* byte offset of the line */
  size_t next;   /* byte offset after its newline */
};

static size_t file_lines(const char *t, size_t len, struct fline **out) {
  size_t cap = 64, n = 0;
  struct fline *v = malloc(cap * sizeof *v);
  size_t off = 0;
  while (v && off < len) {
    const char *nl = memchr(t + off, '\n', len - off);
    size_t end = nl ? (size_t)(nl - t) : len;
    if (n == cap) {
      cap *= 2;
      struct fline *w = realloc(v, cap * sizeof *v);
      if (!w) {
        free(v);
        v = NULL;
        break;
      }
      v = w;
    }
    size_t ln = end - off;
    if (ln && t[off + ln - 1] == '\r')
      ln--;
    v[n++] = (struct fline){t + off, ln, off, nl ? end + 1 : len};
    off = nl ? end + 1 : len;
  }
  *out = v;
  return v ? n : 0;
}

static int blank(const char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!isspace((unsigned char)p[i]))
      return 0;
  return 1;
}

/* Line equality at a level: 0 exact, 1 rstrip, 2 and 3 whitespace-insensitive. CRs are never
 * compared: a reply's are dropped when it is read, so a file's lone CR must not make its line
 * unquotable. */
static int leq(const char *a, size_t an, const char *b, size_t bn, int level) {
  if (level >= 1) {
    while (an && isspace((unsigned char)a[an - 1]))
      an--;
    while (bn && isspace((unsigned char)b[bn - 1]))
      bn--;
  }
  size_t i = 0, j = 0;
  if (level >= 2) {
    while (i < an && isspace((unsigned char)a[i]))
      i++;
    while (j < bn && isspace((unsigned char)b[j]))
      j++;
  }
  for (;;) {
    while (i < an && a[i] == '\r')
      i++;
    while (j < bn && b[j] == '\r')
      j++;
    if (i == an || j == bn)
      break;
    if (level >= 2 && isspace((unsigned char)a[i]) && isspace((unsigned char)b[j])) {
      while (i < an && isspace((unsigned char)a[i]))
        i++;
      while (j < bn && isspace((unsigned char)b[j]))
        j++;
      continue;
    }
    if (a[i] != b[j])
      return 0;
    i++, j++;
  }
  return i == an && j == bn;
}

/* Matches orig[ob..oe) at file line fi; level 3 skips blank lines on both sides. On success sets
 * *last to the index of the last file line used. */
static int match_at(const struct fline *F, size_t nf, size_t fi, char *const *O, size_t ob, size_t oe, int level,
                    size_t *last) {
  size_t j = ob, i = fi;
  if (level < 3) {
    if (fi + (oe - ob) > nf)
      return 0;
    for (; j < oe; j++, i++)
      if (!leq(F[i].p, F[i].n, O[j], strlen(O[j]), level))
        return 0;
    *last = i - 1;
    return 1;
  }
  if (fi >= nf || blank(F[fi].p, F[fi].n))
    return 0;
  size_t lastused = fi;
  while (j < oe) {
    if (blank(O[j], strlen(O[j]))) {
      j++;
      continue;
    }
    while (i < nf && blank(F[i].p, F[i].n))
      i++;
    if (i >= nf || !leq(F[i].p, F[i].n, O[j], strlen(O[j]), 2))
      return 0;
    lastused = i;
    i++, j++;
  }
  *last = lastused;
  return 1;
}

static size_t lead_ws(const char *s, size_t n) {
  size_t i = 0;
  while (i < n && (s[i] == ' ' || s[i] == '\t'))
    i++;
  return i;
}

static char *first_snippet(const char *s) {
  size_t n = strlen(s);
  size_t i = lead_ws(s, n);
  return fix_strndup(s + i, n - i > 60 ? 60 : n - i);
}

enum fix_status match_hunk(const char *text, size_t len, const struct hunk *h, const char *name, size_t *start,
                           size_t *end, char **replacement, struct fix_err *err) {
  struct fline *F = NULL;
  size_t nf = file_lines(text, len, &F);
  if (!F && len)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  int crlf = nf > 0 && F[0].next > F[0].start + F[0].n + 1; /* the first line ends in \r\n */
  char *const *O = h->orig.v;
  size_t ob = 0, oe = h->orig.n;
  enum fix_status st = FIX_OK;
  size_t first = 0, last = 0;
  int found = 0, level_used = 0;

  if (oe == 0) {
    /* a pure insertion before line insert_at (1-based; nf+1 appends) */
    if (!h->insert_at || h->insert_at > (int)nf + 1) {
      st = fix_err_set(err, FIX_ERR_PARSE, "block %d: nothing to replace in %s: quote the original lines to change",
                       h->block, name);
      goto done;
    }
    *start = *end = h->insert_at <= (int)nf ? F[h->insert_at - 1].start : len;
    found = 2;
  } else {
    for (int level = 0; level <= 3 && !found; level++) {
      size_t eb = ob, ee = oe;
      if (level >= 2) { /* missing or extra blank lines at the edges */
        while (eb < ee && blank(O[eb], strlen(O[eb])))
          eb++;
        while (ee > eb && blank(O[ee - 1], strlen(O[ee - 1])))
          ee--;
        if (eb == ee)
          break;
      }
      /* the line the model named wins outright */
      size_t lst;
      if (h->hint_line > 0 && (size_t)h->hint_line <= nf && match_at(F, nf, (size_t)h->hint_line - 1, O, eb, ee, level, &lst)) {
        first = (size_t)h->hint_line - 1, last = lst, found = 1, level_used = level;
        break;
      }
      size_t nmatch = 0, best = 0, bestlast = 0, bestdist = (size_t)-1, tie = 0, other = 0;
      for (size_t i = 0; i < nf; i++) {
        if (!match_at(F, nf, i, O, eb, ee, level, &lst))
          continue;
        nmatch++;
        size_t d = h->hint_line > 0 ? (i + 1 > (size_t)h->hint_line ? i + 1 - (size_t)h->hint_line
                                                                    : (size_t)h->hint_line - i - 1)
                                    : 0;
        if (nmatch == 1 || d < bestdist) {
          if (nmatch > 1)
            other = best;
          best = i, bestlast = lst, bestdist = d, tie = 0;
        } else {
          if (d == bestdist)
            tie = 1;
          other = i;
        }
      }
      if (nmatch == 1 || (nmatch > 1 && h->hint_line > 0 && !tie)) {
        first = best, last = bestlast, found = 1, level_used = level;
      } else if (nmatch > 1) {
        st = fix_err_set(err, FIX_ERR_CONFLICT,
                         "block %d: the original text occurs %zu times in %s (lines %zu and %zu); quote more lines "
                         "around the change so it is unique",
                         h->block, nmatch, name, (best < other ? best : other) + 1, (best < other ? other : best) + 1);
        goto done;
      }
    }
    if (!found) {
      /* say which line is not in the file, so the model can correct itself */
      const char *missing = NULL;
      for (size_t j = ob; j < oe && !missing; j++) {
        if (blank(O[j], strlen(O[j])))
          continue;
        int any = 0;
        for (size_t i = 0; i < nf && !any; i++)
          any = leq(F[i].p, F[i].n, O[j], strlen(O[j]), 2);
        if (!any)
          missing = O[j];
      }
      char *snip = missing ? first_snippet(missing) : NULL;
      if (snip)
        st = fix_err_set(err, FIX_ERR_CONFLICT, "block %d: the original text does not match %s: the line '%s' is not "
                         "in the file; copy the original lines exactly as shown", h->block, name, snip);
      else
        st = fix_err_set(err, FIX_ERR_CONFLICT, "block %d: the original lines are in %s but not in that order or not "
                         "next to each other; copy them exactly as shown", h->block, name);
      free(snip);
      goto done;
    }
    *start = F[first].start;
    *end = F[last].next;
  }

  /* the replacement, in the file's newline style, re-indented if the model's indentation differs */
  struct fix_buf r;
  fix_buf_init(&r, 0);
  fix_buf_append(&r, "", 0);
  const char *from = NULL, *to = NULL;
  size_t from_n = 0, to_n = 0;
  if (found == 1 && level_used >= 2) {
    for (size_t j = ob; j < oe; j++)
      if (!blank(O[j], strlen(O[j]))) {
        from = O[j];
        from_n = lead_ws(O[j], strlen(O[j]));
        break;
      }
    to = F[first].p;
    to_n = lead_ws(F[first].p, F[first].n);
    if (from && from_n == to_n && memcmp(from, to, from_n) == 0)
      from = NULL;
  }
  int ends_nl = found == 2 ? 1 : F[last].next > F[last].start + F[last].n;
  for (size_t k = 0; k < h->repl.n; k++) {
    const char *line = h->repl.v[k];
    size_t n = strlen(line);
    if (from && n >= from_n && memcmp(line, from, from_n) == 0) {
      fix_buf_append(&r, to, to_n);
      fix_buf_append(&r, line + from_n, n - from_n);
    } else {
      fix_buf_append(&r, line, n);
    }
    if (k + 1 < h->repl.n || ends_nl)
      fix_buf_puts(&r, crlf ? "\r\n" : "\n");
  }
  *replacement = fix_buf_take(&r);
done:
  free(F);
  return st;
}
