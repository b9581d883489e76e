/* constrain.c — decoding constrained by a byte automaton (fix_constraint): which tokens of the
 * vocabulary the automaton accepts from a state.
 *
 * The vocabulary's byte strings are indexed once per model: a prefix tree (children of a node
 * contiguous and sorted by byte), and the tokens without a newline grouped by their first
 * non-blank byte. From a constrained state (a marker, a path, text copied from a file) the tree is
 * walked depth first alongside the automaton, a subtree dropped as soon as the automaton rejects
 * its prefix, so the cost follows the few tokens that fit, not the vocabulary. From a free state
 * (the text of a replacement line) every newline-free token is accepted without a walk except
 * those whose first non-blank byte the automaton names (a line that could become a marker); only
 * those and the tokens holding a newline are walked. */
#include "model.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct tnode {
  int32_t child;  /* first child (children are contiguous) */
  int32_t token;  /* a token whose bytes end here, or -1 (others: token_index.same) */
  uint16_t nchild;
  uint8_t byte;   /* the edge from the parent */
};

struct token_index {
  struct tnode *nodes;
  int32_t nnodes, cap;
  char *blob;           /* every token's bytes */
  uint32_t *off, *len;
  int32_t *same;        /* the next token with the same bytes, or -1 */
  int32_t *nl;          /* tokens holding a newline or a NUL: always walked */
  int32_t n_nl;
  int32_t *groups;      /* newline-free tokens by first non-blank byte; group 256: only blanks */
  int32_t gstart[258];
  int32_t *eog;
  int32_t n_eog;
  int32_t *never;       /* tokens with no bytes that do not end generation: never under a constraint */
  int32_t n_never;
  int32_t *bylen;       /* the grouped tokens, longest first */
  int32_t n_bylen;
  int maxlen;
};

static pthread_mutex_t build_mu = PTHREAD_MUTEX_INITIALIZER;

static const struct token_index *sort_ix; /* for the comparator (under build_mu) */

static int cmp_tok(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  uint32_t lx = sort_ix->len[x], ly = sort_ix->len[y];
  int c = memcmp(sort_ix->blob + sort_ix->off[x], sort_ix->blob + sort_ix->off[y], lx < ly ? lx : ly);
  if (c)
    return c;
  return lx < ly ? -1 : lx > ly ? 1 : (x > y) - (x < y);
}

static int cmp_longer(const void *a, const void *b) {
  uint32_t x = sort_ix->len[*(const int32_t *)a], y = sort_ix->len[*(const int32_t *)b];
  return (x < y) - (x > y);
}

static int32_t new_nodes(struct token_index *ix, int n) {
  if (ix->nnodes + n > ix->cap) {
    int32_t cap = ix->cap ? ix->cap : 1024;
    while (cap < ix->nnodes + n)
      cap *= 2;
    struct tnode *v = realloc(ix->nodes, (size_t)cap * sizeof *v);
    if (!v)
      return -1;
    ix->nodes = v;
    ix->cap = cap;
  }
  int32_t at = ix->nnodes;
  ix->nnodes += n;
  return at;
}

/* Node `at` holds the tokens sorted[a..b), which share their first d bytes. */
static int build(struct token_index *ix, const int32_t *sorted, int32_t a, int32_t b, uint32_t d, int32_t at) {
  int32_t i = a, last = -1;
  for (; i < b && ix->len[sorted[i]] == d; i++) { /* tokens ending here */
    if (last < 0)
      ix->nodes[at].token = sorted[i];
    else
      ix->same[last] = sorted[i];
    last = sorted[i];
  }
  int groups = 0;
  for (int32_t k = i; k < b;) {
    unsigned char c = (unsigned char)ix->blob[ix->off[sorted[k]] + d];
    while (k < b && (unsigned char)ix->blob[ix->off[sorted[k]] + d] == c)
      k++;
    groups++;
  }
  if (!groups)
    return 0;
  int32_t first = new_nodes(ix, groups);
  if (first < 0)
    return -1;
  ix->nodes[at].child = first;
  ix->nodes[at].nchild = (uint16_t)groups;
  int g = 0;
  for (int32_t k = i; k < b; g++) {
    int32_t ga = k;
    unsigned char c = (unsigned char)ix->blob[ix->off[sorted[k]] + d];
    while (k < b && (unsigned char)ix->blob[ix->off[sorted[k]] + d] == c)
      k++;
    ix->nodes[first + g] = (struct tnode){0, -1, 0, c};
    if (build(ix, sorted, ga, k, d + 1, first + g))
      return -1;
  }
  return 0;
}

static void index_free(struct token_index *ix) {
  if (!ix)
    return;
  free(ix->nodes);
  free(ix->blob);
  free(ix->off);
  free(ix->len);
  free(ix->same);
  free(ix->nl);
  free(ix->groups);
  free(ix->eog);
  free(ix->never);
  free(ix->bylen);
  free(ix);
}

void model_token_index_free(struct fix_model *m) {
  index_free(m->tindex);
  m->tindex = NULL;
}

static struct token_index *index_build(const struct fix_tokenizer *tok) {
  int nv = fix_tokenizer_n_vocab(tok);
  struct token_index *ix = calloc(1, sizeof *ix);
  struct fix_buf b;
  fix_buf_init(&b, 0);
  if (!ix)
    return NULL;
  ix->off = calloc((size_t)nv, sizeof *ix->off);
  ix->len = calloc((size_t)nv, sizeof *ix->len);
  ix->same = malloc((size_t)nv * sizeof *ix->same);
  ix->nl = malloc((size_t)nv * sizeof *ix->nl);
  ix->groups = malloc((size_t)nv * sizeof *ix->groups);
  ix->eog = malloc((size_t)nv * sizeof *ix->eog);
  ix->never = malloc((size_t)nv * sizeof *ix->never);
  ix->bylen = malloc((size_t)nv * sizeof *ix->bylen);
  int32_t *sorted = malloc((size_t)nv * sizeof *sorted);
  uint8_t *grp = malloc((size_t)nv);
  int ok = ix->off && ix->len && ix->same && ix->nl && ix->groups && ix->eog && ix->never && ix->bylen && sorted && grp;
  int32_t ns = 0;
  int32_t count[258] = {0};
  for (int32_t t = 0; ok && t < nv; t++) {
    ix->same[t] = -1;
    if (fix_tokenizer_is_eog(tok, t)) {
      ix->eog[ix->n_eog++] = t;
      continue;
    }
    size_t before = b.len;
    fix_token_piece(tok, t, 0, &b);
    ix->off[t] = (uint32_t)before;
    ix->len[t] = (uint32_t)(b.len - before);
    if (!ix->len[t]) {
      ix->never[ix->n_never++] = t; /* control, unused and empty tokens are never generated under a constraint */
      continue;
    }
    sorted[ns++] = t;
    if ((int)ix->len[t] > ix->maxlen)
      ix->maxlen = (int)ix->len[t];
    const char *p = b.data + before;
    if (memchr(p, '\n', ix->len[t]) || memchr(p, '\0', ix->len[t])) { /* always walked */
      ix->nl[ix->n_nl++] = t;
      grp[t] = 255, count[257]++; /* not in a group */
      continue;
    }
    uint32_t k = 0;
    while (k < ix->len[t] && (p[k] == ' ' || p[k] == '\t'))
      k++;
    int g = k < ix->len[t] ? (unsigned char)p[k] : 256;
    count[g]++;
    grp[t] = 0;
  }
  ok = ok && !fix_buf_status(&b);
  ix->blob = fix_buf_take(&b);
  if (ok) { /* the groups, by counting */
    int32_t at = 0;
    for (int g = 0; g < 257; g++)
      ix->gstart[g] = at, at += count[g];
    ix->gstart[257] = at;
    int32_t fill[257];
    memcpy(fill, ix->gstart, sizeof fill);
    for (int32_t i = 0; i < ns; i++) {
      int32_t t = sorted[i];
      if (grp[t] == 255)
        continue;
      const char *p = ix->blob + ix->off[t];
      uint32_t k = 0;
      while (k < ix->len[t] && (p[k] == ' ' || p[k] == '\t'))
        k++;
      int g = k < ix->len[t] ? (unsigned char)p[k] : 256;
      ix->groups[fill[g]++] = t;
      ix->bylen[ix->n_bylen++] = t;
    }
    sort_ix = ix;
    qsort(ix->bylen, (size_t)ix->n_bylen, sizeof *ix->bylen, cmp_longer);
    sort_ix = ix;
    qsort(sorted, (size_t)ns, sizeof *sorted, cmp_tok);
    int32_t root = new_nodes(ix, 1);
    ok = root == 0;
    if (ok) {
      ix->nodes[0] = (struct tnode){0, -1, 0, 0};
      ok = build(ix, sorted, 0, ns, 0, 0) == 0;
    }
  }
  free(sorted);
  free(grp);
  if (!ok) {
    index_free(ix);
    return NULL;
  }
  return ix;
}

static const struct token_index *index_of(const struct fix_model *m) {
  pthread_mutex_lock(&build_mu);
  struct fix_model *mm = (struct fix_model *)m; /* the index is a cache of the model's vocabulary */
  if (!mm->tindex)
    mm->tindex = index_build(m->tok);
  pthread_mutex_unlock(&build_mu);
  return m->tindex;
}

/* One token's bytes through the automaton from `state` (scratch: a state to work in). */
static int walk(const struct token_index *ix, const struct fix_constraint *c, const void *state, void *scratch,
                int32_t t) {
  memcpy(scratch, state, c->state_size);
  const unsigned char *p = (const unsigned char *)ix->blob + ix->off[t];
  for (uint32_t i = 0; i < ix->len[t]; i++)
    if (!c->step(c->ud, scratch, p[i]))
      return 0;
  return 1;
}

static void mark(const struct token_index *ix, int32_t t, unsigned char *allowed, int *n) {
  for (; t >= 0; t = ix->same[t])
    if (!allowed[t])
      allowed[t] = 1, (*n)++;
}

struct tlist {
  int32_t *v;
  int n, cap;
};

static void tl_push(const struct token_index *ix, struct tlist *l, int32_t t) {
  for (; t >= 0; t = ix->same[t]) {
    if (l->n == l->cap) {
      int cap = l->cap ? l->cap * 2 : 1024;
      int32_t *v = realloc(l->v, (size_t)cap * sizeof *v);
      if (!v)
        return;
      l->v = v;
      l->cap = cap;
    }
    l->v[l->n++] = t;
  }
}

/* The tokens a constrained (not free) state allows, end-of-generation tokens included: the tree
 * walked depth first with the automaton, a subtree dropped as soon as its prefix is rejected. */
static void dfs(const struct token_index *ix, const struct fix_constraint *c, const void *state, struct tlist *out) {
  if (c->can_end(c->ud, state))
    for (int32_t i = 0; i < ix->n_eog; i++)
      tl_push(ix, out, ix->eog[i]);
  unsigned char *st = malloc((size_t)(ix->maxlen + 2) * c->state_size);
  struct frame {
    int32_t node, next; /* the node, and the index of its next child to try */
  } *fr = malloc((size_t)(ix->maxlen + 2) * sizeof *fr);
  if (!st || !fr) {
    free(st);
    free(fr);
    return;
  }
  memcpy(st, state, c->state_size);
  int depth = 0; /* frame k: the node at depth k; st + k * size: the state after its k bytes */
  fr[0] = (struct frame){0, 0};
  while (depth >= 0) {
    struct frame *f = &fr[depth];
    const struct tnode *nd = &ix->nodes[f->node];
    if (f->next >= nd->nchild) {
      depth--;
      continue;
    }
    int32_t ch = nd->child + f->next++;
    unsigned char *cur = st + (size_t)depth * c->state_size, *nx = cur + c->state_size;
    memcpy(nx, cur, c->state_size);
    if (!c->step(c->ud, nx, ix->nodes[ch].byte))
      continue; /* the whole subtree is rejected */
    if (ix->nodes[ch].token >= 0)
      tl_push(ix, out, ix->nodes[ch].token);
    if (ix->nodes[ch].nchild && depth + 1 <= ix->maxlen) {
      depth++;
      fr[depth] = (struct frame){ch, 0};
    }
  }
  free(fr);
  free(st);
}

int fix_constraint_allowed(const struct fix_model *m, const struct fix_constraint *c, const void *state,
                           unsigned char *allowed) {
  const struct token_index *ix = index_of(m);
  int nv = fix_tokenizer_n_vocab(m->tok), n = 0;
  memset(allowed, 0, (size_t)nv);
  if (!ix)
    return 0;
  unsigned char stop[256];
  memset(stop, 0, sizeof stop);
  size_t room = 0;
  enum fix_free fc = c->free_class ? c->free_class(c->ud, state, stop, &room) : FIX_FREE_NONE;
  if (fc != FIX_FREE_LINE) {
    struct tlist l = {0};
    dfs(ix, c, state, &l);
    for (int i = 0; i < l.n; i++)
      n += !allowed[l.v[i]], allowed[l.v[i]] = 1;
    free(l.v);
    return n;
  }
  if (c->can_end(c->ud, state))
    for (int32_t i = 0; i < ix->n_eog; i++)
      allowed[ix->eog[i]] = 1, n++;
  unsigned char *st = malloc(c->state_size);
  if (!st)
    return n;
  for (int g = 0; g < 257; g++) {
    int walk_it = g < 256 && stop[g];
    for (int32_t i = ix->gstart[g]; i < ix->gstart[g + 1]; i++)
      if ((!walk_it && ix->len[ix->groups[i]] <= room) || walk(ix, c, state, st, ix->groups[i]))
        mark(ix, ix->groups[i], allowed, &n);
  }
  for (int32_t i = 0; i < ix->n_nl; i++)
    if (walk(ix, c, state, st, ix->nl[i]))
      mark(ix, ix->nl[i], allowed, &n);
  free(st);
  return n;
}

/* The bytes of token t (borrowed from the model's index), for stepping an automaton. */
const char *model_token_bytes(const struct fix_model *m, int32_t t, size_t *len) {
  const struct token_index *ix = index_of(m);
  if (!ix || t < 0 || t >= fix_tokenizer_n_vocab(m->tok)) {
    *len = 0;
    return "";
  }
  *len = ix->len[t];
  return ix->blob + ix->off[t];
}

int fix_constraint_prefix_tokens(const struct fix_model *m, const char *text, size_t n, unsigned char *allowed) {
  const struct token_index *ix = index_of(m);
  int nv = fix_tokenizer_n_vocab(m->tok), k = 0;
  memset(allowed, 0, (size_t)nv);
  if (!ix)
    return 0;
  int32_t node = 0;
  for (size_t i = 0; i < n; i++) { /* down the tree along text: every token met is a prefix of it */
    const struct tnode *nd = &ix->nodes[node];
    int32_t next = -1;
    for (int32_t c = nd->child; c < nd->child + nd->nchild; c++)
      if (ix->nodes[c].byte == (unsigned char)text[i]) {
        next = c;
        break;
      }
    if (next < 0)
      break;
    node = next;
    if (ix->nodes[node].token >= 0)
      mark(ix, ix->nodes[node].token, allowed, &k);
  }
  return k;
}

int fix_constraint_mask(const struct fix_model *m, const struct fix_constraint *c, const void *state, float *logits,
                        unsigned char *scratch) {
  const struct token_index *ix = index_of(m);
  if (!ix)
    return 0;
  unsigned char stop[256];
  memset(stop, 0, sizeof stop);
  size_t room = 0;
  enum fix_free fc = c->free_class ? c->free_class(c->ud, state, stop, &room) : FIX_FREE_NONE;
  if (fc != FIX_FREE_LINE) { /* the few tokens that fit: everything else out */
    struct tlist l = {0};
    dfs(ix, c, state, &l);
    float *keep = l.n ? malloc((size_t)l.n * sizeof *keep) : NULL;
    int nv = fix_tokenizer_n_vocab(m->tok);
    for (int i = 0; keep && i < l.n; i++)
      keep[i] = logits[l.v[i]];
    for (int t = 0; t < nv; t++)
      logits[t] = -INFINITY;
    for (int i = 0; keep && i < l.n; i++)
      logits[l.v[i]] = keep[i];
    int n = keep ? l.n : 0;
    free(keep);
    free(l.v);
    return n;
  }
  /* free text: only the walked tokens can be out, and the end when it may not come */
  unsigned char *st = malloc(c->state_size);
  if (!st)
    return 0;
  if (!c->can_end(c->ud, state))
    for (int32_t i = 0; i < ix->n_eog; i++)
      logits[ix->eog[i]] = -INFINITY;
  for (int32_t i = 0; i < ix->n_never; i++)
    logits[ix->never[i]] = -INFINITY;
  for (int g = 0; g < 256; g++)
    for (int32_t i = ix->gstart[g]; stop[g] && i < ix->gstart[g + 1]; i++)
      if (!walk(ix, c, state, st, ix->groups[i]))
        logits[ix->groups[i]] = -INFINITY;
  /* tokens longer than the promise holds: walked (the stop groups' already were) */
  for (int32_t i = 0; i < ix->n_bylen && ix->len[ix->bylen[i]] > room; i++) {
    int32_t t = ix->bylen[i];
    const char *p = ix->blob + ix->off[t];
    uint32_t k = 0;
    while (k < ix->len[t] && (p[k] == ' ' || p[k] == '\t'))
      k++;
    if ((k == ix->len[t] || !stop[(unsigned char)p[k]]) && !walk(ix, c, state, st, t))
      logits[t] = -INFINITY;
  }
  for (int32_t i = 0; i < ix->n_nl; i++)
    if (!walk(ix, c, state, st, ix->nl[i]))
      logits[ix->nl[i]] = -INFINITY;
  free(st);
  return 1; /* newline-free text always fits here */
}
