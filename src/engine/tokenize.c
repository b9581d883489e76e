/* tokenize.c — text to tokens and back.
 *
 * Special tokens first: user-defined tokens always split the text, control tokens only with
 * parse_special (llama.cpp's rule, which its test vectors follow). Raw pieces then go to byte-level
 * BPE (pre-tokenizer regexes, then merges by rank, lowest first) or to SentencePiece (merges by
 * score, highest first, with byte fallback through <0xXX> tokens). */
#include "tokenizer.h"

#include <stdlib.h>
#include <string.h>

static int utf8_len(unsigned char c) {
  return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
}

static void push_id(struct fix_buf *ids, int32_t id) { fix_buf_append(ids, &id, sizeof id); }

/* ---- a small binary heap of candidate merges ---- */

struct cand {
  int left, right;
  float key;   /* smaller is better */
  size_t size; /* bytes of the merged text, to detect stale entries */
};

struct heap {
  struct cand *v;
  size_t n, cap;
};

static int before(const struct cand *a, const struct cand *b) {
  return a->key < b->key || (a->key == b->key && a->left < b->left);
}

static void heap_push(struct heap *h, struct cand c) {
  if (h->n == h->cap) {
    size_t cap = h->cap ? h->cap * 2 : 64;
    struct cand *v = realloc(h->v, cap * sizeof *v);
    if (!v)
      return;
    h->v = v;
    h->cap = cap;
  }
  size_t i = h->n++;
  h->v[i] = c;
  while (i && before(&h->v[i], &h->v[(i - 1) / 2])) {
    struct cand t = h->v[i];
    h->v[i] = h->v[(i - 1) / 2];
    h->v[(i - 1) / 2] = t;
    i = (i - 1) / 2;
  }
}

static struct cand heap_pop(struct heap *h) {
  struct cand top = h->v[0];
  h->v[0] = h->v[--h->n];
  size_t i = 0;
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < h->n && before(&h->v[l], &h->v[m]))
      m = l;
    if (r < h->n && before(&h->v[r], &h->v[m]))
      m = r;
    if (m == i)
      break;
    struct cand t = h->v[i];
    h->v[i] = h->v[m];
    h->v[m] = t;
    i = m;
  }
  return top;
}

struct sym {
  const char *p;
  size_t n;
  int prev, next;
};

/* ---- byte-level BPE ---- */


/* Joins symbol `left` with the one after it (which becomes empty). */
static void merge_into_left(struct sym *s, int left) {
  struct sym *L = &s[left], *R = &s[L->next];
  L->n += R->n;
  R->n = 0;
  L->next = R->next;
  if (R->next >= 0)
    s[R->next].prev = left;
}

/* The text as a linked list of symbols, one per UTF-8 character (NULL when out of memory). */
static struct sym *split_chars(const char *text, size_t n, int *ns_out) {
  struct sym *s = malloc((n + 1) * sizeof *s);
  int ns = 0;
  for (size_t i = 0; s && i < n;) {
    size_t l = (size_t)utf8_len((unsigned char)text[i]);
    if (l > n - i)
      l = n - i;
    s[ns] = (struct sym){text + i, l, ns - 1, ns + 1};
    ns++;
    i += l;
  }
  if (s && ns)
    s[ns - 1].next = -1;
  *ns_out = ns;
  return s;
}

static void bpe_word(const struct fix_tokenizer *t, const char *w, size_t n, struct fix_buf *ids) {
  if (t->ignore_merges) {
    int32_t id = strmap_get(&t->ids, w, n);
    if (id >= 0) {
      push_id(ids, id);
      return;
    }
  }
  int ns;
  struct sym *s = split_chars(w, n, &ns);
  if (!s)
    return;
  struct heap h = {0};
  char key[1024];
  for (int i = 0; i + 1 < ns; i++) {
    size_t kl = s[i].n + 1 + s[i + 1].n;
    if (kl >= sizeof key)
      continue;
    memcpy(key, s[i].p, s[i].n);
    key[s[i].n] = ' ';
    memcpy(key + s[i].n + 1, s[i + 1].p, s[i + 1].n);
    int32_t rank = strmap_get(&t->merges, key, kl);
    if (rank >= 0)
      heap_push(&h, (struct cand){i, i + 1, (float)rank, s[i].n + s[i + 1].n});
  }
  while (h.n) {
    struct cand c = heap_pop(&h);
    struct sym *L = &s[c.left], *R = &s[c.right];
    if (!L->n || !R->n || L->n + R->n != c.size || L->next != c.right)
      continue; /* stale */
    merge_into_left(s, c.left);
    int nb[2][2] = {{L->prev, c.left}, {c.left, L->next}};
    for (int k = 0; k < 2; k++) {
      int a = nb[k][0], b = nb[k][1];
      if (a < 0 || b < 0)
        continue;
      size_t kl = s[a].n + 1 + s[b].n;
      if (kl >= sizeof key)
        continue;
      memcpy(key, s[a].p, s[a].n);
      key[s[a].n] = ' ';
      memcpy(key + s[a].n + 1, s[b].p, s[b].n);
      int32_t rank = strmap_get(&t->merges, key, kl);
      if (rank >= 0)
        heap_push(&h, (struct cand){a, b, (float)rank, s[a].n + s[b].n});
    }
  }
  for (int i = 0; i < ns; i = s[i].next) {
    if (!s[i].n)
      break;
    int32_t id = strmap_get(&t->ids, s[i].p, s[i].n);
    if (id >= 0) {
      push_id(ids, id);
    } else { /* each byte on its own */
      for (size_t k = 0; k < s[i].n; k++) {
        int32_t b = strmap_get(&t->ids, s[i].p + k, 1);
        if (b >= 0)
          push_id(ids, b);
      }
    }
    if (s[i].next < 0)
      break;
  }
  free(h.v);
  free(s);
}

/* Splits [s, s+n) by each regex in turn; pieces between matches are kept. */
struct pieces {
  size_t *off, *len;
  size_t n, cap;
};

static void piece_add(struct pieces *p, size_t off, size_t len) {
  if (!len)
    return;
  if (p->n == p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 64;
    size_t *o = realloc(p->off, cap * sizeof *o), *l = realloc(p->len, cap * sizeof *l);
    if (o)
      p->off = o;
    if (l)
      p->len = l;
    if (!o || !l)
      return;
    p->cap = cap;
  }
  p->off[p->n] = off;
  p->len[p->n] = len;
  p->n++;
}

void tok_bpe(const struct fix_tokenizer *t, const char *s, size_t n, struct fix_buf *ids) {
  struct pieces cur = {0};
  piece_add(&cur, 0, n);
  pcre2_match_data *md = pcre2_match_data_create(4, NULL);
  for (int r = 0; r < t->n_re && md; r++) {
    struct pieces next = {0};
    for (size_t k = 0; k < cur.n; k++) {
      size_t start = cur.off[k], end = start + cur.len[k], pos = start, last = start;
      while (pos < end) {
        int rc = pcre2_match(t->re[r], (PCRE2_SPTR)s, end, pos, PCRE2_NO_UTF_CHECK, md, NULL);
        if (rc < 0)
          break;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (ov[0] < start || ov[1] > end)
          break;
        if (ov[1] == ov[0]) { /* empty match: step one character */
          pos = ov[0] + (size_t)utf8_len((unsigned char)s[ov[0]]);
          continue;
        }
        piece_add(&next, last, ov[0] - last);
        piece_add(&next, ov[0], ov[1] - ov[0]);
        last = pos = ov[1];
      }
      piece_add(&next, last, end - last);
    }
    free(cur.off);
    free(cur.len);
    cur = next;
  }
  pcre2_match_data_free(md);
  /* byte-level: each byte becomes its printable character */
  struct fix_buf w;
  fix_buf_init(&w, 0);
  for (size_t k = 0; k < cur.n; k++) {
    fix_buf_clear(&w);
    for (size_t i = 0; i < cur.len[k]; i++) {
      uint32_t cp = byte_to_cp((uint8_t)s[cur.off[k] + i]);
      char u[2];
      if (cp < 0x80) {
        u[0] = (char)cp;
        fix_buf_append(&w, u, 1);
      } else {
        u[0] = (char)(0xc0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3f));
        fix_buf_append(&w, u, 2);
      }
    }
    bpe_word(t, w.data ? w.data : "", w.len, ids);
  }
  fix_buf_free(&w);
  free(cur.off);
  free(cur.len);
}

/* ---- SentencePiece ---- */

struct revmerge {
  struct strmap map; /* merged text -> index into pairs */
  int (*pairs)[2];
  char **texts;
  size_t n;
};

static void spm_emit(const struct fix_tokenizer *t, struct revmerge *rm, struct sym *s, int i, const char *p, size_t n,
                     struct fix_buf *ids) {
  int32_t id = strmap_get(&t->ids, p, n);
  if (id >= 0) {
    push_id(ids, id);
    return;
  }
  int32_t k = strmap_get(&rm->map, p, n);
  if (k < 0) { /* byte fallback */
    for (size_t b = 0; b < n; b++) {
      int32_t bid = t->byte_token[(uint8_t)p[b]];
      push_id(ids, bid >= 0 ? bid : (t->unk >= 0 ? t->unk : 0));
    }
    return;
  }
  int a = rm->pairs[k][0];
  size_t an = (size_t)rm->pairs[k][1];
  spm_emit(t, rm, s, a, p, an, ids);
  spm_emit(t, rm, s, a, p + an, n - an, ids);
}

void tok_spm(const struct fix_tokenizer *t, const char *text, size_t n, struct fix_buf *ids) {
  int ns;
  struct sym *s = split_chars(text, n, &ns);
  if (!s)
    return;
  struct heap h = {0};
  struct revmerge rm = {0};
  for (int i = 1; i < ns; i++) {
    int32_t id = strmap_get(&t->ids, s[i - 1].p, s[i - 1].n + s[i].n);
    if (id >= 0)
      heap_push(&h, (struct cand){i - 1, i, -t->score[id], s[i - 1].n + s[i].n});
  }
  while (h.n) {
    struct cand c = heap_pop(&h);
    struct sym *L = &s[c.left], *R = &s[c.right];
    if (!L->n || !R->n || L->n + R->n != c.size || L->next != c.right)
      continue;
    /* remember how this text was made, for the byte fallback of unknown pieces */
    int (*pairs)[2] = realloc(rm.pairs, (rm.n + 1) * sizeof *pairs);
    if (pairs) {
      rm.pairs = pairs;
      rm.pairs[rm.n][0] = c.left;
      rm.pairs[rm.n][1] = (int)L->n;
      strmap_put(&rm.map, L->p, (uint32_t)(L->n + R->n), (int32_t)rm.n);
      rm.n++;
    }
    merge_into_left(s, c.left);
    int nb[2][2] = {{L->prev, c.left}, {c.left, L->next}};
    for (int k = 0; k < 2; k++) {
      int a = nb[k][0], b = nb[k][1];
      if (a < 0 || b < 0)
        continue;
      int32_t id = strmap_get(&t->ids, s[a].p, s[a].n + s[b].n);
      if (id >= 0)
        heap_push(&h, (struct cand){a, b, -t->score[id], s[a].n + s[b].n});
    }
  }
  for (int i = 0; ns && i >= 0; i = s[i].next)
    if (s[i].n)
      spm_emit(t, &rm, s, i, s[i].p, s[i].n, ids);
  strmap_free(&rm.map);
  free(rm.pairs);
  free(h.v);
  free(s);
}

/* ---- the public API ---- */

static void raw_piece(const struct fix_tokenizer *t, const char *p, size_t n, int *first, struct fix_buf *ids) {
  if (!n)
    return;
  if (t->kind == TOK_BPE) {
    tok_bpe(t, p, n, ids);
  } else {
    /* SentencePiece: a space before the first piece, spaces as U+2581 */
    struct fix_buf e;
    fix_buf_init(&e, 0);
    if (t->add_space_prefix && *first)
      fix_buf_puts(&e, "\xe2\x96\x81");
    for (size_t i = 0; i < n; i++) {
      if (p[i] == ' ')
        fix_buf_puts(&e, "\xe2\x96\x81");
      else
        fix_buf_append(&e, &p[i], 1);
    }
    tok_spm(t, e.data ? e.data : "", e.len, ids);
    fix_buf_free(&e);
  }
  *first = 0;
}

int fix_tokenize(const struct fix_tokenizer *t, const char *text, size_t len, int add_special, int parse_special,
                 int32_t *out, int cap) {
  struct fix_buf ids;
  fix_buf_init(&ids, 0);
  if (add_special && t->add_bos && t->bos >= 0)
    push_id(&ids, t->bos);
  int first = 1;
  size_t start = 0, i = 0;
  while (i < len) {
    int32_t hit = -1;
    for (int k = 0; k < t->n_special; k++) {
      int32_t id = t->special[k];
      if (t->type[id] != FIX_TOK_USER_DEFINED && !parse_special)
        continue;
      if (t->len[id] <= len - i && !memcmp(text + i, t->text[id], t->len[id])) {
        hit = id;
        break;
      }
    }
    if (hit < 0) {
      i += (size_t)utf8_len((unsigned char)text[i]);
      continue;
    }
    raw_piece(t, text + start, i - start, &first, &ids);
    push_id(&ids, hit);
    i += t->len[hit];
    start = i;
    if (t->type[hit] == FIX_TOK_CONTROL)
      first = 1; /* SentencePiece prefixes a space after a special token again */
  }
  raw_piece(t, text + start, (i > len ? len : i) - start, &first, &ids);
  if (add_special && t->add_eos && t->eos >= 0)
    push_id(&ids, t->eos);
  int n = (int)(ids.len / sizeof(int32_t));
  if (n <= cap && out && n)
    memcpy(out, ids.data, ids.len);
  fix_buf_free(&ids);
  return n <= cap ? n : -n;
}

void fix_token_piece(const struct fix_tokenizer *t, int32_t id, int special, struct fix_buf *out) {
  if (id < 0 || id >= t->n_vocab)
    return;
  const char *p = t->text[id];
  size_t n = t->len[id];
  int ty = t->type[id];
  if (ty == FIX_TOK_CONTROL || ty == FIX_TOK_UNKNOWN || ty == FIX_TOK_UNUSED) {
    if (special)
      fix_buf_append(out, p, n);
    return;
  }
  if (t->kind == TOK_SPM) {
    if (ty == FIX_TOK_BYTE && n == 6 && !memcmp(p, "<0x", 3)) {
      char b = (char)strtol(p + 3, NULL, 16);
      fix_buf_append(out, &b, 1);
      return;
    }
    for (size_t i = 0; i < n; i++) {
      if (i + 2 < n && (unsigned char)p[i] == 0xe2 && (unsigned char)p[i + 1] == 0x96 && (unsigned char)p[i + 2] == 0x81) {
        fix_buf_puts(out, " ");
        i += 2;
      } else {
        fix_buf_append(out, &p[i], 1);
      }
    }
    return;
  }
  if (ty == FIX_TOK_USER_DEFINED) {
    fix_buf_append(out, p, n);
    return;
  }
  /* byte-level: characters back to bytes */
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)p[i];
    uint32_t cp;
    int l = utf8_len(c);
    if (l == 1)
      cp = c;
    else if (l == 2 && i + 1 < n)
      cp = ((uint32_t)(c & 0x1f) << 6) | ((unsigned char)p[i + 1] & 0x3f);
    else
      cp = 0x10ffff;
    int b = cp_to_byte(cp);
    if (b >= 0) {
      char bb = (char)b;
      fix_buf_append(out, &bb, 1);
    } else {
      fix_buf_append(out, p + i, (size_t)l <= n - i ? (size_t)l : n - i);
    }
    i += (size_t)l;
  }
}

void fix_detokenize(const struct fix_tokenizer *t, const int32_t *ids, int n, int special, struct fix_buf *out) {
  size_t start = out->len;
  for (int i = 0; i < n; i++)
    fix_token_piece(t, ids[i], special, out);
  /* SentencePiece: the space the tokenizer added before the first piece */
  if (t->kind == TOK_SPM && t->add_space_prefix && out->len > start && out->data[start] == ' ') {
    memmove(out->data + start, out->data + start + 1, out->len - start - 1);
    out->len--;
    out->data[out->len] = '\0';
  }
  fix_buf_append(out, "", 0);
}

int fix_tokenizer_n_vocab(const struct fix_tokenizer *t) { return t->n_vocab; }
int32_t fix_tokenizer_bos(const struct fix_tokenizer *t) { return t->bos; }
int32_t fix_tokenizer_eos(const struct fix_tokenizer *t) { return t->eos; }
int32_t fix_tokenizer_eot(const struct fix_tokenizer *t) { return t->eot >= 0 ? t->eot : t->eos; }

int fix_tokenizer_is_eog(const struct fix_tokenizer *t, int32_t id) {
  return id >= 0 && (id == t->eos || id == t->eot || id == t->eom);
}

const char *fix_tokenizer_text(const struct fix_tokenizer *t, int32_t id, size_t *len) {
  if (id < 0 || id >= t->n_vocab)
    return NULL;
  if (len)
    *len = t->len[id];
  return t->text[id];
}

enum fix_token_type fix_tokenizer_type(const struct fix_tokenizer *t, int32_t id) {
  return id < 0 || id >= t->n_vocab ? FIX_TOK_UNDEFINED : (enum fix_token_type)t->type[id];
}

int32_t fix_tokenizer_find(const struct fix_tokenizer *t, const char *text, size_t len) {
  return strmap_get(&t->ids, text, len);
}
