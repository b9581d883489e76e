/* items.c — the one traversal of what a file defines, for two readers: the declaration index of
 * collect.c (bare names, signature lines, tree-sitter node kinds: what a prompt shows for an
 * identifier) and the items of fix_context_items (qualified names, parameters, body sizes: what a
 * reviewer compares before and after an edit).
 *
 * Invariants: the index is what it was before items existed — the same entries in the same order,
 * plus what the old walk missed (a lone `extern "C" int f(void);`, Rust `extern` blocks) — so its
 * rules stay where the walk meets each node (the `idx` flags); items are emitted in
 * file order, a parent before its members; ERROR nodes are skipped whole. Ownership: items and
 * decls own their strings; scope prefixes are owned by the frame that made them. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct walk {
  const char *text;
  enum fix_lang lang;
  struct fix_items *items; /* NULL: only the index */
  size_t cap;
  struct decls *decls; /* NULL: only the items */
  int oom;
};

/* Where the walk is. Strings are borrowed from the frame that set them. */
struct scope {
  const char *prefix; /* namespace or mod path of names: "app::", "util::", "" */
  const char *cls;    /* qualified name of the enclosing class, trait or impl ("app::S"); NULL */
  const char *owner;  /* how fields name their owner: "struct point", "class app::S"; NULL */
  const char *ckind;  /* what cls is: "class", "struct", "union", "trait", "impl"; NULL */
  int parent;         /* item index of the enclosing item, -1 */
  int idx;            /* the declaration index records items met here */
  int idx_members;    /* ... and the member function definitions of a class met here */
  int tmpl_first;     /* first line of the template header around the item, 0 */
  const char *tdname; /* the typedef naming an anonymous struct met here; NULL */
  int tdparent;       /* that typedef's item index */
};

static TSNode field(TSNode n, const char *name) { return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name)); }

static int is(TSNode n, const char *type) { return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type); }

static char *node_text(TSNode n, const char *text) {
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  return fix_strndup(text + a, b - a);
}

/* Named children with their field names, through a cursor (ts_node_named_child(i) is linear in i). */
struct kids {
  TSTreeCursor c;
  int started, done;
};

static void kids_init(struct kids *k, TSNode n) {
  k->c = ts_tree_cursor_new(n);
  k->started = 0;
  k->done = !ts_tree_cursor_goto_first_child(&k->c);
}

static int kids_next(struct kids *k, TSNode *out, const char **fname) {
  while (!k->done) {
    if (k->started && !ts_tree_cursor_goto_next_sibling(&k->c)) {
      k->done = 1;
      break;
    }
    k->started = 1;
    TSNode n = ts_tree_cursor_current_node(&k->c);
    if (!ts_node_is_named(n))
      continue;
    *out = n;
    if (fname)
      *fname = ts_tree_cursor_current_field_name(&k->c);
    return 1;
  }
  return 0;
}

static void kids_end(struct kids *k) { ts_tree_cursor_delete(&k->c); }

/* ---- text helpers ---- */

/* text[a, b) with comments dropped and whitespace runs collapsed to one space (none after an
 * opening or before a closing bracket or a comma, none at the ends). Template arguments are
 * dropped too when strip_targs (the scope of a qualified name: "Box<T>::get" -> "Box::get"). */
static char *collapse(const char *text, uint32_t a, uint32_t b, int strip_targs) {
  char *o = malloc((size_t)(b - a) + 1);
  if (!o)
    return NULL;
  size_t n = 0;
  int space = 0, angle = 0;
  for (uint32_t i = a; i < b; i++) {
    char ch = text[i];
    if (ch == '/' && i + 1 < b && text[i + 1] == '/') {
      while (i < b && text[i] != '\n')
        i++;
      space = 1;
      continue;
    }
    if (ch == '/' && i + 1 < b && text[i + 1] == '*') {
      i += 2;
      while (i + 1 < b && !(text[i] == '*' && text[i + 1] == '/'))
        i++;
      i++;
      space = 1;
      continue;
    }
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') {
      space = 1;
      continue;
    }
    if (strip_targs) {
      if (ch == '<' && n > 0) { /* not "operator<": the scope part is all we strip */
        angle++;
        continue;
      }
      if (angle) {
        angle -= ch == '>';
        continue;
      }
    }
    if (space && n && !strchr("([<", o[n - 1]) && !strchr(")]>,", ch))
      o[n++] = ' ';
    space = 0;
    o[n++] = ch;
  }
  o[n] = 0;
  return o;
}

static char *collapse_node(TSNode n, const char *text) {
  return collapse(text, ts_node_start_byte(n), ts_node_end_byte(n), 0);
}

/* A qualified name ("app::Box<T>::get") collapsed, template arguments of its scope dropped. */
static char *qualified(TSNode q, const char *text) {
  TSNode name = field(q, "name");
  while (is(name, "qualified_identifier"))
    name = field(name, "name");
  if (ts_node_is_null(name))
    return collapse_node(q, text);
  char *scope = collapse(text, ts_node_start_byte(q), ts_node_start_byte(name), 1);
  char *last = collapse_node(name, text);
  char *r = scope && last ? fix_asprintf("%s%s", scope, last) : NULL;
  free(scope);
  free(last);
  return r;
}

/* Lines of a body that hold code: not blank, not only braces and semicolons, not only comments.
 * A small lexer (comments, strings, character literals) is enough and costs one pass over the body. */
static int code_lines(const char *t, uint32_t a, uint32_t b) {
  int lines = 0, has = 0, block = 0;
  for (uint32_t i = a; i < b; i++) {
    char ch = t[i];
    if (ch == '\n') {
      lines += has;
      has = 0;
      continue;
    }
    if (block) {
      if (ch == '*' && i + 1 < b && t[i + 1] == '/') {
        block = 0;
        i++;
      }
      continue;
    }
    if (ch == '/' && i + 1 < b && t[i + 1] == '/') {
      while (i + 1 < b && t[i + 1] != '\n')
        i++;
      continue;
    }
    if (ch == '/' && i + 1 < b && t[i + 1] == '*') {
      block = 1;
      i++;
      continue;
    }
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '{' || ch == '}' || ch == ';')
      continue;
    has = 1;
    if (ch == '"') { /* a string may hold comment markers and braces */
      for (i++; i < b && t[i] != '"' && t[i] != '\n'; i++)
        if (t[i] == '\\')
          i++;
    } else if (ch == '\'') { /* 'x' and '\n'; a Rust lifetime has no closing quote */
      if (i + 3 < b && t[i + 1] == '\\') {
        for (i += 3; i < b && t[i] != '\'' && t[i] != '\n'; i++)
          ;
      } else if (i + 2 < b && t[i + 2] == '\'') {
        i += 2;
      }
    }
  }
  return lines + has;
}

static int is_comment(TSNode n) {
  const char *t = ts_node_type(n);
  return !strcmp(t, "comment") || !strcmp(t, "line_comment") || !strcmp(t, "block_comment");
}

/* ---- declarators (C, C++) ---- */

/* The node naming what a (possibly nested) declarator declares: with `whole`, a qualified name
 * whole ("S::count", "S::f"), else its last identifier ("f" of "S::f"). */
static TSNode declarator_walk(TSNode d, int whole) {
  for (int i = 0; i < 16 && !ts_node_is_null(d); i++) {
    const char *t = ts_node_type(d);
    if (!strcmp(t, "identifier") || !strcmp(t, "field_identifier") || !strcmp(t, "type_identifier") ||
        !strcmp(t, "operator_name") || !strcmp(t, "destructor_name") || (whole && !strcmp(t, "qualified_identifier")))
      return d;
    if (!strcmp(t, "qualified_identifier")) {
      d = field(d, "name");
      continue;
    }
    TSNode next = field(d, "declarator");
    if (ts_node_is_null(next) && ts_node_named_child_count(d))
      next = ts_node_named_child(d, 0);
    d = next;
  }
  TSNode null = {0};
  return null;
}

static TSNode declarator_name(TSNode d) { return declarator_walk(d, 0); }
static TSNode declarator_target(TSNode d) { return declarator_walk(d, 1); }

/* The function declarator when `d` declares a function ("int *f(void)"), not a pointer to one
 * ("int (*fp)(void)"); null otherwise. */
static TSNode function_declarator(TSNode d) {
  TSNode null = {0};
  for (int i = 0; i < 16 && !ts_node_is_null(d); i++) {
    const char *t = ts_node_type(d);
    if (!strcmp(t, "function_declarator")) {
      TSNode in = field(d, "declarator");
      const char *it = ts_node_is_null(in) ? "" : ts_node_type(in);
      if (!strcmp(it, "identifier") || !strcmp(it, "field_identifier") || !strcmp(it, "qualified_identifier") ||
          !strcmp(it, "operator_name") || !strcmp(it, "destructor_name") || !strcmp(it, "template_function") ||
          !strcmp(it, "operator_cast"))
        return d;
      return null;
    }
    if (strcmp(t, "pointer_declarator") && strcmp(t, "reference_declarator") && strcmp(t, "attributed_declarator"))
      return null;
    TSNode next = field(d, "declarator");
    if (ts_node_is_null(next) && ts_node_named_child_count(d))
      next = ts_node_named_child(d, 0);
    d = next;
  }
  return null;
}

/* ---- output ---- */

static void decl_add(struct walk *w, char *name, TSNode item, TSNode body, const char *kind) {
  if (!w->decls || !name || !*name) {
    free(name);
    return;
  }
  struct decl *v = realloc(w->decls->v, (w->decls->n + 1) * sizeof *v);
  if (!v) {
    free(name);
    w->oom = 1;
    return;
  }
  w->decls->v = v;
  int a, b;
  ctx_rows(item, &a, &b);
  if (!ts_node_is_null(body)) /* a function: its signature, not its body */
    b = (int)ts_node_start_point(body).row + 1;
  v[w->decls->n++] = (struct decl){name, a, b, kind};
}

/* Records the declaration of the identifier a declarator names (the index's rule). */
static void decl_declarator(struct walk *w, const struct scope *sc, TSNode d, TSNode item, const char *kind) {
  if (!sc->idx || !w->decls)
    return;
  TSNode nm = declarator_name(d);
  if (!ts_node_is_null(nm))
    decl_add(w, node_text(nm, w->text), item, (TSNode){0}, kind);
}

/* Spaces around '*' and '&' dropped in place: "FILE *" and "FILE*" are one type. */
static char *tighten(char *s) {
  if (!s)
    return s;
  size_t n = 0;
  for (size_t i = 0; s[i]; i++) {
    if (s[i] == ' ' && ((n && (s[n - 1] == '*' || s[n - 1] == '&')) || s[i + 1] == '*' || s[i + 1] == '&'))
      continue;
    s[n++] = s[i];
  }
  s[n] = 0;
  return s;
}

static void param_add(struct walk *w, struct fix_item *it, char *name, char *type) {
  tighten(type);
  if (!name || !type || fix_strv_push_own(&it->param_names, name) != FIX_OK) {
    free(name);
    free(type);
    w->oom = 1;
    return;
  }
  if (fix_strv_push_own(&it->param_types, type) != FIX_OK) {
    free(type);
    w->oom = 1;
  }
}

/* One C/C++ parameter: its name and its type (the declaration without the name or a default). */
static void c_param(struct walk *w, struct fix_item *it, TSNode p) {
  const char *t = ts_node_type(p);
  if (!strcmp(t, "variadic_parameter")) {
    param_add(w, it, fix_strdup(""), fix_strdup("..."));
    return;
  }
  TSNode d = field(p, "declarator");
  TSNode nm = ts_node_is_null(d) ? d : declarator_name(d);
  uint32_t a = ts_node_start_byte(p), b = ts_node_end_byte(p);
  if (!ts_node_is_null(field(p, "default_value")) && !ts_node_is_null(d))
    b = ts_node_end_byte(d);
  if (ts_node_is_null(nm)) {
    param_add(w, it, fix_strdup(""), collapse(w->text, a, b, 0));
    return;
  }
  uint32_t na = ts_node_start_byte(nm), nb = ts_node_end_byte(nm);
  char *l = collapse(w->text, a, na, 0), *r = collapse(w->text, nb, b, 0);
  char *type = l && r ? fix_asprintf("%s%s%s", l, *l && *r ? " " : "", r) : NULL;
  free(l);
  free(r);
  param_add(w, it, node_text(nm, w->text), type);
}

/* Rust: a parameter ("mut x: u32", "&self") or a field of a variant (named or by position). */
static void rust_param(struct walk *w, struct fix_item *it, TSNode p, const char *fname) {
  const char *t = ts_node_type(p);
  if (!strcmp(t, "self_parameter")) {
    param_add(w, it, fix_strdup("self"), collapse_node(p, w->text));
  } else if (!strcmp(t, "parameter") || !strcmp(t, "field_declaration")) {
    TSNode pat = field(p, !strcmp(t, "parameter") ? "pattern" : "name"), ty = field(p, "type");
    param_add(w, it, ts_node_is_null(pat) ? fix_strdup("") : collapse_node(pat, w->text),
              ts_node_is_null(ty) ? fix_strdup("") : collapse_node(ty, w->text));
  } else if (!strcmp(t, "variadic_parameter")) {
    param_add(w, it, fix_strdup(""), fix_strdup("..."));
  } else if (fname && !strcmp(fname, "type")) { /* a tuple variant's field */
    param_add(w, it, fix_strdup(""), collapse_node(p, w->text));
  }
}

static void params_of(struct walk *w, struct fix_item *it, TSNode list) {
  it->params = collapse_node(list, w->text);
  if (!it->params)
    w->oom = 1;
  struct kids k;
  kids_init(&k, list);
  TSNode p;
  const char *fname;
  while (kids_next(&k, &p, &fname)) {
    if (is_comment(p) || is(p, "attribute_item") || is(p, "visibility_modifier"))
      continue;
    if (w->lang == FIX_LANG_RUST)
      rust_param(w, it, p, fname);
    else if (is(list, "preproc_params")) /* a macro's parameters are names only */
      param_add(w, it, node_text(p, w->text), node_text(p, w->text));
    else
      c_param(w, it, p);
  }
  kids_end(&k);
  /* "(void)" declares no parameter */
  if (it->param_types.n == 1 && !strcmp(it->param_types.v[0], "void") && !*it->param_names.v[0]) {
    fix_strv_free(&it->param_types);
    fix_strv_free(&it->param_names);
  }
}

/* Adds an item (name taken) spanning `node`; returns its index, -1 when not collecting items. */
static int item_add(struct walk *w, const struct scope *sc, const char *kind, char *name, TSNode node, TSNode body,
                    TSNode params) {
  if (!w->items || !name || !*name) {
    free(name);
    return -1;
  }
  if (w->items->n == w->cap) {
    size_t cap = w->cap ? w->cap * 2 : 64;
    struct fix_item *v = realloc(w->items->v, cap * sizeof *v);
    if (!v) {
      free(name);
      w->oom = 1;
      return -1;
    }
    w->items->v = v;
    w->cap = cap;
  }
  struct fix_item *it = &w->items->v[w->items->n];
  memset(it, 0, sizeof *it);
  it->kind = kind;
  it->name = name;
  it->parent = sc->parent;
  ctx_rows(node, &it->first, &it->last);
  if (sc->tmpl_first && sc->tmpl_first < it->first)
    it->first = sc->tmpl_first;
  it->body_lines = -1;
  if (!ts_node_is_null(body)) {
    it->body_lines = code_lines(w->text, ts_node_start_byte(body), ts_node_end_byte(body));
    it->empty_body = 1;
    struct kids k;
    kids_init(&k, body);
    TSNode s;
    while (it->empty_body && kids_next(&k, &s, NULL))
      if (!is_comment(s))
        it->empty_body = 0;
    kids_end(&k);
  }
  if (!ts_node_is_null(params))
    params_of(w, it, params);
  return (int)w->items->n++;
}

/* name with the scope's prefix: "app::" "f" */
static char *prefixed(const struct scope *sc, char *name) {
  if (!name || !*sc->prefix)
    return name;
  char *r = fix_asprintf("%s%s", sc->prefix, name);
  free(name);
  return r;
}

/* name inside the enclosing class/trait/impl: "app::S::f" */
static char *member(const struct scope *sc, char *name) {
  if (!name || !sc->cls)
    return prefixed(sc, name);
  char *r = fix_asprintf("%s::%s", sc->cls, name);
  free(name);
  return r;
}

static void visit(struct walk *w, TSNode n, const struct scope *sc, int depth);
static void visit_item(struct walk *w, TSNode n, const struct scope *sc, int depth);

static void visit_list(struct walk *w, TSNode list, const struct scope *sc, int depth) {
  if (depth > 32)
    return;
  struct kids k;
  kids_init(&k, list);
  TSNode ch;
  while (kids_next(&k, &ch, NULL))
    visit(w, ch, sc, depth + 1);
  kids_end(&k);
}

/* ---- C and C++ ---- */

/* A declaration, a class member's declaration, or a struct's field declaration. */
static void c_declaration(struct walk *w, TSNode n, const struct scope *sc, int depth) {
  const char *t = ts_node_type(n);
  int in_class = sc->owner != NULL;
  struct kids k;
  kids_init(&k, n);
  TSNode ch;
  const char *fname;
  while (kids_next(&k, &ch, &fname)) {
    const char *ct = ts_node_type(ch);
    if (strstr(ct, "declarator") || !strcmp(ct, "identifier"))
      decl_declarator(w, sc, ch, n, t);
    if (!w->items)
      continue;
    if (fname && !strcmp(fname, "declarator")) {
      TSNode fd = function_declarator(ch);
      TSNode target = declarator_target(ch);
      if (ts_node_is_null(target))
        continue;
      int qual = is(target, "qualified_identifier");
      char *nm = qual ? qualified(target, w->text) : collapse_node(target, w->text);
      if (!ts_node_is_null(fd)) {
        if (in_class)
          item_add(w, sc, "method", member(sc, nm), n, (TSNode){0}, field(fd, "parameters"));
        else
          item_add(w, sc, qual ? "method" : "function", prefixed(sc, nm), n, (TSNode){0}, field(fd, "parameters"));
      } else if (in_class) {
        item_add(w, sc, "field", nm ? fix_asprintf("%s.%s", sc->owner, nm) : NULL, n, (TSNode){0}, (TSNode){0});
        free(nm);
      } else {
        item_add(w, sc, "global", prefixed(sc, nm), n, (TSNode){0}, (TSNode){0});
      }
    } else if ((!strcmp(ct, "struct_specifier") || !strcmp(ct, "enum_specifier") || !strcmp(ct, "union_specifier") ||
                !strcmp(ct, "class_specifier")) &&
               !ts_node_is_null(field(ch, "body"))) {
      struct scope in = *sc;
      in.idx_members = 0;
      in.tmpl_first = 0;
      visit_item(w, ch, &in, depth + 1);
    }
  }
  kids_end(&k);
}

static void c_members(struct walk *w, TSNode body, const struct scope *sc, int depth);

/* struct, union, class, enum (with or without a body). */
static void c_specifier(struct walk *w, TSNode n, const struct scope *sc, int depth) {
  const char *t = ts_node_type(n);
  TSNode nm = field(n, "name"), body = field(n, "body");
  if (sc->idx && !ts_node_is_null(nm))
    decl_add(w, node_text(nm, w->text), n, (TSNode){0}, t);
  const char *kind = !strcmp(t, "struct_specifier")  ? "struct"
                     : !strcmp(t, "union_specifier") ? "union"
                     : !strcmp(t, "class_specifier") ? "class"
                                                     : "enum";
  char *name = NULL;
  int parent = sc->parent;
  if (!ts_node_is_null(nm)) {
    name = collapse_node(nm, w->text);
    /* a nested type is the class's in C++, the file's in C */
    name = w->lang == FIX_LANG_CPP ? member(sc, name) : prefixed(sc, name);
    if (sc->tdname)
      parent = sc->tdparent;
  } else if (sc->tdname) { /* typedef struct { ... } point_t; */
    name = fix_strdup(sc->tdname);
    parent = sc->tdparent;
  }
  struct scope in = *sc;
  in.parent = parent;
  int self = name ? item_add(w, &in, kind, fix_strdup(name), n, body, (TSNode){0}) : -1;
  if (ts_node_is_null(body) || depth > 32) {
    free(name);
    return;
  }
  char *owner = name ? fix_asprintf("%s %s", kind, name) : NULL;
  in.tdname = NULL;
  in.tmpl_first = 0;
  in.idx = 0;
  in.idx_members = sc->idx && sc->idx_members && (!strcmp(kind, "struct") || !strcmp(kind, "class"));
  if (name) {
    in.parent = self;
    in.cls = name;
    in.owner = owner;
    in.ckind = kind;
  } else if (!sc->owner) {
    in.owner = NULL; /* an anonymous type outside any owner: its members name nothing */
  }
  if (!strcmp(kind, "enum")) {
    int scoped = 0; /* enum class: constants are E::A */
    for (uint32_t i = 0, c = ts_node_child_count(n); i < c; i++) {
      const char *ct = ts_node_type(ts_node_child(n, i));
      if (!strcmp(ct, "class") || !strcmp(ct, "struct"))
        scoped = 1;
    }
    struct kids k;
    kids_init(&k, body);
    TSNode e;
    while (kids_next(&k, &e, NULL)) {
      TSNode en = field(e, "name");
      if (!is(e, "enumerator") || ts_node_is_null(en))
        continue;
      char *cn = node_text(en, w->text);
      if (scoped && name && cn) {
        char *q = fix_asprintf("%s::%s", name, cn);
        free(cn);
        cn = q;
      } else {
        cn = w->lang == FIX_LANG_CPP ? member(sc, cn) : prefixed(sc, cn);
      }
      item_add(w, &in, "enum_constant", cn, e, (TSNode){0}, (TSNode){0});
    }
    kids_end(&k);
  } else if (in.owner) {
    c_members(w, body, &in, depth + 1);
  }
  free(owner);
  free(name);
}

static void c_members(struct walk *w, TSNode body, const struct scope *sc, int depth) {
  if (depth > 32)
    return;
  struct kids k;
  kids_init(&k, body);
  TSNode m;
  while (kids_next(&k, &m, NULL)) {
    const char *t = ts_node_type(m);
    struct scope in = *sc;
    if (!strcmp(t, "function_definition")) {
      in.idx = sc->idx_members;
      visit_item(w, m, &in, depth + 1);
    } else if (!strcmp(t, "field_declaration") || !strcmp(t, "declaration")) {
      c_declaration(w, m, &in, depth + 1);
    } else if (!strcmp(t, "template_declaration") || !strcmp(t, "type_definition") || !strcmp(t, "alias_declaration")) {
      visit_item(w, m, &in, depth + 1);
    } else if (!strncmp(t, "preproc_if", 10) || !strncmp(t, "preproc_el", 10)) {
      in.idx_members = 0; /* #ifdef inside a struct: the index never looked there */
      c_members(w, m, &in, depth + 1);
    }
  }
  kids_end(&k);
}

static void c_typedef(struct walk *w, TSNode n, const struct scope *sc, int depth) {
  const char *t = ts_node_type(n);
  if (sc->idx) { /* the index: the first name, then the tag */
    TSNode nm = declarator_name(field(n, "declarator"));
    if (!ts_node_is_null(nm))
      decl_add(w, node_text(nm, w->text), n, (TSNode){0}, t);
    TSNode ty = field(n, "type");
    if (!ts_node_is_null(ty) && !ts_node_is_null(field(ty, "name")))
      decl_add(w, node_text(field(ty, "name"), w->text), n, (TSNode){0}, t);
  }
  int first = -1, have = 0;
  char *firstname = NULL;
  struct kids k;
  kids_init(&k, n);
  TSNode ch;
  const char *fname;
  while (kids_next(&k, &ch, &fname)) {
    if (!fname || strcmp(fname, "declarator"))
      continue;
    TSNode nm = declarator_name(ch);
    if (ts_node_is_null(nm))
      continue;
    char *name = member(sc, node_text(nm, w->text));
    int i = item_add(w, sc, "typedef", fix_strdup(name), n, (TSNode){0}, (TSNode){0});
    if (!have) {
      have = 1;
      first = i;
      firstname = name;
    } else {
      free(name);
    }
  }
  kids_end(&k);
  TSNode ty = field(n, "type");
  const char *tt = ts_node_is_null(ty) ? "" : ts_node_type(ty);
  if ((!strcmp(tt, "struct_specifier") || !strcmp(tt, "union_specifier") || !strcmp(tt, "enum_specifier") ||
       !strcmp(tt, "class_specifier")) &&
      !ts_node_is_null(field(ty, "body"))) {
    struct scope in = *sc;
    in.idx = 0;
    in.idx_members = 0;
    in.tmpl_first = 0;
    in.tdname = firstname;
    in.tdparent = first;
    c_specifier(w, ty, &in, depth + 1);
  }
  free(firstname);
}

static void c_function(struct walk *w, TSNode n, const struct scope *sc) {
  TSNode d = field(n, "declarator"), body = field(n, "body");
  TSNode nm = declarator_name(d);
  if (ts_node_is_null(nm))
    return;
  if (sc->idx)
    decl_add(w, node_text(nm, w->text), n, body, "function_definition");
  if (!w->items)
    return;
  TSNode fd = function_declarator(d);
  TSNode target = ts_node_is_null(fd) ? nm : field(fd, "declarator");
  char *name;
  const char *kind = "function";
  if (is(target, "qualified_identifier")) {
    name = prefixed(sc, qualified(target, w->text));
    kind = "method";
  } else if (sc->owner) {
    name = member(sc, collapse_node(target, w->text));
    kind = "method";
  } else {
    name = prefixed(sc, collapse_node(target, w->text));
  }
  item_add(w, sc, kind, name, n, body, ts_node_is_null(fd) ? fd : field(fd, "parameters"));
}

/* ---- Rust ---- */

static void rust_fields(struct walk *w, TSNode body, const struct scope *sc) {
  struct kids k;
  kids_init(&k, body);
  TSNode f;
  const char *fname;
  int pos = 0;
  while (kids_next(&k, &f, &fname)) {
    char *nm = NULL;
    if (is(f, "field_declaration") && !ts_node_is_null(field(f, "name")))
      nm = node_text(field(f, "name"), w->text);
    else if (fname && !strcmp(fname, "type")) /* struct T(i32, String): fields by position */
      nm = fix_asprintf("%d", pos++);
    if (nm)
      item_add(w, sc, "field", fix_asprintf("%s.%s", sc->owner, nm), f, (TSNode){0}, (TSNode){0});
    free(nm);
  }
  kids_end(&k);
}

static void rust_item(struct walk *w, TSNode n, const struct scope *sc, int depth) {
  const char *t = ts_node_type(n);
  TSNode nm = field(n, "name"), body = field(n, "body");
  if (!strcmp(t, "function_item") || !strcmp(t, "function_signature_item")) {
    if (ts_node_is_null(nm))
      return;
    if (sc->idx)
      decl_add(w, node_text(nm, w->text), n, body, t);
    const char *kind = sc->ckind && !strcmp(sc->ckind, "impl")    ? "impl_fn"
                       : sc->ckind && !strcmp(sc->ckind, "trait") ? "trait_fn"
                                                                  : "fn";
    item_add(w, sc, kind, member(sc, node_text(nm, w->text)), n, body, field(n, "parameters"));
    return;
  }
  if (!strcmp(t, "impl_item")) {
    TSNode ty = field(n, "type"), tr = field(n, "trait");
    if (ts_node_is_null(ty))
      return;
    char *tyn = prefixed(sc, collapse_node(ty, w->text));
    char *trn = ts_node_is_null(tr) ? NULL : collapse_node(tr, w->text);
    char *label = trn ? fix_asprintf("<%s as %s>", tyn, trn) : fix_strdup(tyn);
    free(tyn);
    free(trn);
    struct scope in = *sc;
    in.parent = item_add(w, sc, "impl", fix_strdup(label), n, body, (TSNode){0});
    in.cls = label;
    in.ckind = "impl";
    in.owner = NULL;
    if (!ts_node_is_null(body) && depth < 32) { /* the index: an impl's items by their own names */
      struct kids k;
      kids_init(&k, body);
      TSNode ch;
      while (kids_next(&k, &ch, NULL))
        rust_item(w, ch, &in, depth + 1);
      kids_end(&k);
    }
    free(label);
    return;
  }
  if (!strcmp(t, "associated_type")) {
    if (!ts_node_is_null(nm))
      item_add(w, sc, "type", member(sc, node_text(nm, w->text)), n, (TSNode){0}, (TSNode){0});
    return;
  }
  static const char *const simple[][2] = {
      {"struct_item", "struct"}, {"union_item", "union"}, {"enum_item", "enum"},     {"trait_item", "trait"},
      {"type_item", "type"},     {"const_item", "const"}, {"static_item", "static"}, {"macro_definition", "macro"}};
  const char *kind = NULL;
  for (size_t i = 0; i < sizeof simple / sizeof *simple; i++)
    if (!strcmp(t, simple[i][0]))
      kind = simple[i][1];
  if (!kind || ts_node_is_null(nm))
    return;
  if (sc->idx)
    decl_add(w, node_text(nm, w->text), n, (TSNode){0}, t);
  char *name = member(sc, node_text(nm, w->text));
  int has_body = !strcmp(kind, "struct") || !strcmp(kind, "union") || !strcmp(kind, "enum") || !strcmp(kind, "trait");
  int self = item_add(w, sc, kind, fix_strdup(name), n, has_body ? body : (TSNode){0}, (TSNode){0});
  if (!has_body || ts_node_is_null(body) || depth > 32) {
    free(name);
    return;
  }
  struct scope in = *sc;
  in.parent = self;
  in.idx = 0;
  in.idx_members = 0;
  char *owner = fix_asprintf("%s %s", kind, name);
  in.owner = owner;
  if (!strcmp(kind, "trait")) {
    in.cls = name;
    in.ckind = "trait";
    in.owner = NULL;
    struct kids k;
    kids_init(&k, body);
    TSNode ch;
    while (kids_next(&k, &ch, NULL))
      rust_item(w, ch, &in, depth + 1);
    kids_end(&k);
  } else if (!strcmp(kind, "enum")) {
    struct kids k;
    kids_init(&k, body);
    TSNode v;
    while (kids_next(&k, &v, NULL)) {
      TSNode vn = field(v, "name");
      if (!is(v, "enum_variant") || ts_node_is_null(vn))
        continue;
      char *vname = node_text(vn, w->text);
      item_add(w, &in, "variant", vname ? fix_asprintf("%s::%s", name, vname) : NULL, v, (TSNode){0}, field(v, "body"));
      free(vname);
    }
    kids_end(&k);
  } else {
    rust_fields(w, body, &in);
  }
  free(owner);
  free(name);
}

/* ---- the walk ---- */

/* An item at its place in a list (a file, a namespace, a class body, an impl). */
static void visit_item(struct walk *w, TSNode n, const struct scope *sc, int depth) {
  const char *t = ts_node_type(n);
  if (w->lang == FIX_LANG_RUST) {
    rust_item(w, n, sc, depth);
  } else if (!strcmp(t, "function_definition")) {
    c_function(w, n, sc);
  } else if (!strcmp(t, "declaration") || !strcmp(t, "field_declaration")) {
    c_declaration(w, n, sc, depth);
  } else if (!strcmp(t, "struct_specifier") || !strcmp(t, "union_specifier") || !strcmp(t, "enum_specifier") ||
             !strcmp(t, "class_specifier")) {
    c_specifier(w, n, sc, depth);
  } else if (!strcmp(t, "type_definition")) {
    c_typedef(w, n, sc, depth);
  } else if (!strcmp(t, "preproc_def") || !strcmp(t, "preproc_function_def")) {
    TSNode nm = field(n, "name");
    if (ts_node_is_null(nm))
      return;
    if (sc->idx)
      decl_add(w, node_text(nm, w->text), n, (TSNode){0}, t);
    item_add(w, sc, "macro", node_text(nm, w->text), n, (TSNode){0}, field(n, "parameters"));
  } else if (!strcmp(t, "template_declaration")) {
    struct scope in = *sc;
    in.idx_members = 0;
    in.tmpl_first = (int)ts_node_start_point(n).row + 1;
    size_t before = w->decls ? w->decls->n : 0;
    struct kids k;
    kids_init(&k, n);
    TSNode ch;
    while (kids_next(&k, &ch, NULL))
      if (!is(ch, "template_parameter_list"))
        visit_item(w, ch, &in, depth + 1);
    kids_end(&k);
    for (size_t i = before; w->decls && i < w->decls->n; i++) /* the index shows the template header too */
      w->decls->v[i].first = in.tmpl_first;
  } else if (!strcmp(t, "alias_declaration") || !strcmp(t, "concept_definition")) {
    TSNode nm = field(n, "name");
    if (!ts_node_is_null(nm))
      item_add(w, sc, !strcmp(t, "alias_declaration") ? "type" : "concept", member(sc, node_text(nm, w->text)), n,
               (TSNode){0}, (TSNode){0});
  }
}

/* A node of a list: containers are looked through, everything else is an item or nothing. */
static void visit(struct walk *w, TSNode n, const struct scope *sc, int depth) {
  const char *t = ts_node_type(n);
  if (!strcmp(t, "translation_unit") || !strcmp(t, "source_file") || !strcmp(t, "declaration_list") ||
      !strncmp(t, "preproc_if", 10) || !strncmp(t, "preproc_el", 10)) {
    visit_list(w, n, sc, depth);
  } else if (!strcmp(t, "linkage_specification")) {
    TSNode body = field(n, "body");
    if (is(body, "declaration_list"))
      visit_list(w, body, sc, depth);
    else if (!ts_node_is_null(body)) /* extern "C" int f(void); */
      visit(w, body, sc, depth + 1);
  } else if (!strcmp(t, "namespace_definition")) {
    TSNode nm = field(n, "name"), body = field(n, "body");
    char *ns = ts_node_is_null(nm) ? NULL : collapse_node(nm, w->text);
    char *prefix = ns ? fix_asprintf("%s%s::", sc->prefix, ns) : NULL;
    struct scope in = *sc;
    if (prefix)
      in.prefix = prefix;
    if (!ts_node_is_null(body))
      visit_list(w, body, &in, depth);
    free(prefix);
    free(ns);
  } else if (!strcmp(t, "mod_item")) {
    TSNode nm = field(n, "name"), body = field(n, "body");
    if (ts_node_is_null(nm))
      return;
    char *name = prefixed(sc, node_text(nm, w->text));
    struct scope in = *sc;
    in.parent = item_add(w, sc, "mod", fix_strdup(name), n, body, (TSNode){0});
    char *prefix = name ? fix_asprintf("%s::", name) : NULL;
    if (prefix && !ts_node_is_null(body)) {
      in.prefix = prefix;
      visit_list(w, body, &in, depth);
    }
    free(prefix);
    free(name);
  } else if (!strcmp(t, "foreign_mod_item")) {
    TSNode body = field(n, "body");
    if (!ts_node_is_null(body))
      visit_list(w, body, sc, depth);
  } else if (strcmp(t, "ERROR")) {
    visit_item(w, n, sc, depth);
  }
}

static int walk_tree(enum fix_lang lang, const char *text, TSTree *t, struct fix_items *items, struct decls *decls) {
  struct walk w = {text, lang, items, 0, decls, 0};
  struct scope top = {"", NULL, NULL, NULL, -1, 1, 1, 0, NULL, -1};
  visit(&w, ts_tree_root_node(t), &top, 0);
  return w.oom ? -2 : 0;
}

static enum fix_status walk_failed(int r, enum fix_lang lang, struct fix_err *err) {
  if (r == -2)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory collecting the items of a file");
  return fix_err_set(err, FIX_ERR_PARSE, "cannot parse %s source with tree-sitter", fix_lang_str(lang));
}

static int run(enum fix_lang lang, const char *text, size_t len, struct fix_items *items, struct decls *decls) {
  TSParser *p = NULL;
  TSTree *t = ctx_parse(lang, text, len, &p);
  if (!t)
    return -1;
  int r = walk_tree(lang, text, t, items, decls);
  ts_tree_delete(t);
  ts_parser_delete(p);
  return r;
}

int ctx_index_decls(enum fix_lang lang, const char *text, size_t len, struct decls *out) {
  return run(lang, text, len, NULL, out) == -1 ? -1 : 0;
}

void ctx_decls_free(struct decls *d) {
  for (size_t i = 0; i < d->n; i++)
    free(d->v[i].name);
  free(d->v);
  d->v = NULL;
  d->n = 0;
}

enum fix_status fix_context_items(enum fix_lang lang, const char *text, size_t len, struct fix_items *out,
                                  struct fix_err *err) {
  memset(out, 0, sizeof *out);
  int r = run(lang, text ? text : "", text ? len : 0, out, NULL);
  if (r) {
    fix_items_free(out);
    return walk_failed(r, lang, err);
  }
  return FIX_OK;
}

/* Row and byte column of offset `at` of text. */
static TSPoint point_at(const char *text, size_t at) {
  TSPoint pt = {0, 0};
  const char *line = text;
  for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + at - p))); p++) {
    pt.row++;
    line = p + 1;
  }
  pt.column = (uint32_t)(text + at - line);
  return pt;
}

struct fix_items_base {
  enum fix_lang lang;
  char *text; /* a copy: the tree's offsets point into it */
  size_t len;
  TSTree *tree; /* never edited: each candidate edits a copy */
  struct fix_items items;
};

enum fix_status fix_items_base_new(enum fix_lang lang, const char *text, size_t len, struct fix_items_base **out,
                                   struct fix_err *err) {
  *out = NULL;
  struct fix_items_base *b = calloc(1, sizeof *b);
  if (!b)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  b->lang = lang;
  b->len = text ? len : 0;
  b->text = fix_strndup(text ? text : "", b->len);
  TSParser *p = NULL;
  int r = -2;
  if (b->text) {
    b->tree = ctx_parse(lang, b->text, b->len, &p);
    r = b->tree ? walk_tree(lang, b->text, b->tree, &b->items, NULL) : -1;
  }
  if (p)
    ts_parser_delete(p);
  if (r) {
    fix_items_base_free(b);
    return walk_failed(r, lang, err);
  }
  *out = b;
  return FIX_OK;
}

const struct fix_items *fix_items_base_items(const struct fix_items_base *base) { return &base->items; }

int fix_items_base_broken(const struct fix_items_base *base) { return ts_node_has_error(ts_tree_root_node(base->tree)); }

enum fix_status fix_items_base_edit(const struct fix_items_base *base, const char *after, size_t alen,
                                    struct fix_items *out, struct fix_err *err) {
  memset(out, 0, sizeof *out);
  if (!after)
    after = "", alen = 0;
  if (alen > UINT32_MAX)
    return walk_failed(-1, base->lang, err);
  /* the edit as one replaced span between the common prefix and suffix */
  const char *before = base->text;
  size_t blen = base->len, pre = 0, suf = 0, most = blen < alen ? blen : alen;
  while (pre < most && before[pre] == after[pre])
    pre++;
  while (suf < most - pre && before[blen - 1 - suf] == after[alen - 1 - suf])
    suf++;
  TSInputEdit e = {(uint32_t)pre,         (uint32_t)(blen - suf),       (uint32_t)(alen - suf),
                   point_at(before, pre), point_at(before, blen - suf), point_at(after, alen - suf)};
  /* a copy of the tree and a parser of its own: the base is read-only, any thread may use it */
  TSTree *old = ts_tree_copy(base->tree);
  TSParser *p = ctx_parser(base->lang);
  TSTree *t = NULL;
  int r = -1;
  if (old && p) {
    ts_tree_edit(old, &e);
    t = ts_parser_parse_string(p, old, after, (uint32_t)alen);
    r = t ? walk_tree(base->lang, after, t, out, NULL) : -1;
  }
  if (t)
    ts_tree_delete(t);
  if (old)
    ts_tree_delete(old);
  if (p)
    ts_parser_delete(p);
  if (r) {
    fix_items_free(out);
    return walk_failed(r, base->lang, err);
  }
  return FIX_OK;
}

void fix_items_base_free(struct fix_items_base *base) {
  if (!base)
    return;
  if (base->tree)
    ts_tree_delete(base->tree);
  fix_items_free(&base->items);
  free(base->text);
  free(base);
}

enum fix_status fix_context_items_edit(enum fix_lang lang, const char *before, size_t blen, const char *after,
                                       size_t alen, struct fix_items *b, struct fix_items *a, struct fix_err *err) {
  memset(b, 0, sizeof *b);
  memset(a, 0, sizeof *a);
  struct fix_items_base *base;
  enum fix_status st = fix_items_base_new(lang, before, blen, &base, err);
  if (st)
    return st;
  st = fix_items_base_edit(base, after, alen, a, err);
  if (!st) { /* the base's items move to the caller */
    *b = base->items;
    memset(&base->items, 0, sizeof base->items);
  }
  fix_items_base_free(base);
  return st;
}

void fix_items_free(struct fix_items *it) {
  if (!it)
    return;
  for (size_t i = 0; i < it->n; i++) {
    free(it->v[i].name);
    free(it->v[i].params);
    fix_strv_free(&it->v[i].param_names);
    fix_strv_free(&it->v[i].param_types);
  }
  free(it->v);
  it->v = NULL;
  it->n = 0;
}
