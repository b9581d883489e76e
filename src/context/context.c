/* context.c — tree-sitter parsing of C, C++ and Rust: enclosing items and declaration indexes.
 *
 * The parse tree is used read-only; one parser per call keeps this reentrant. An "item" is a node
 * of one of the kinds in item_kind(); containers (translation unit, namespace, extern "C",
 * preprocessor conditionals, Rust mod) are looked through. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_c(void);
const TSLanguage *tree_sitter_cpp(void);
const TSLanguage *tree_sitter_rust(void);

enum fix_lang fix_lang_from_path(const char *p) {
  if (fix_str_ends(p, ".rs"))
    return FIX_LANG_RUST;
  if (fix_str_ends(p, ".c") || fix_str_ends(p, ".h"))
    return FIX_LANG_C;
  static const char *cpp[] = {".cc", ".cpp", ".cxx", ".c++", ".C", ".hh", ".hpp", ".hxx", ".h++", ".ipp", ".tcc"};
  for (size_t i = 0; i < sizeof cpp / sizeof *cpp; i++)
    if (fix_str_ends(p, cpp[i]))
      return FIX_LANG_CPP;
  return FIX_LANG_UNKNOWN;
}

const char *fix_lang_str(enum fix_lang l) {
  static const char *n[] = {"unknown", "c", "cpp", "rust"};
  return n[l];
}

static const TSLanguage *language(enum fix_lang l) {
  switch (l) {
  case FIX_LANG_C: return tree_sitter_c();
  case FIX_LANG_CPP: return tree_sitter_cpp();
  case FIX_LANG_RUST: return tree_sitter_rust();
  case FIX_LANG_UNKNOWN: break;
  }
  return NULL;
}

static TSTree *parse(enum fix_lang lang, const char *text, size_t len, TSParser **out) {
  const TSLanguage *tl = language(lang);
  if (!tl || len > UINT32_MAX)
    return NULL;
  TSParser *p = ts_parser_new();
  if (!p)
    return NULL;
  if (!ts_parser_set_language(p, tl)) { /* ABI mismatch */
    ts_parser_delete(p);
    return NULL;
  }
  ts_parser_set_timeout_micros(p, 5 * 1000 * 1000);
  TSTree *t = ts_parser_parse_string(p, NULL, text, (uint32_t)len);
  if (!t) {
    ts_parser_delete(p);
    return NULL;
  }
  *out = p;
  return t;
}

static int item_kind(const char *t) {
  static const char *kinds[] = {
      "function_definition", "declaration", "struct_specifier", "union_specifier", "enum_specifier",
      "class_specifier", "type_definition", "preproc_def", "preproc_function_def", "template_declaration",
      "alias_declaration", "field_declaration", "concept_definition",
      /* rust */
      "function_item", "impl_item", "trait_item", "struct_item", "enum_item", "union_item", "type_item",
      "const_item", "static_item", "macro_definition", "function_signature_item"};
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
    if (!strcmp(t, kinds[i]))
      return 1;
  return 0;
}

static int rows(TSNode n, int *first, int *last) {
  *first = (int)ts_node_start_point(n).row + 1;
  *last = (int)ts_node_end_point(n).row + 1;
  if (ts_node_end_point(n).column == 0 && *last > *first)
    (*last)--;
  return *last - *first + 1;
}

enum fix_status fix_context_enclosing(enum fix_lang lang, const char *text, size_t len, int line, int max_lines,
                                      int *first, int *last, const char **kind, struct fix_err *err) {
  TSParser *p = NULL;
  TSTree *t = parse(lang, text, len, &p);
  if (!t)
    return fix_err_set(err, FIX_ERR_PARSE, "cannot parse %s source with tree-sitter", fix_lang_str(lang));
  /* the item-kind nodes on the path from the root down to the line, outermost first */
  TSNode path[64];
  int np = 0;
  TSNode node = ts_tree_root_node(t);
  uint32_t row = (uint32_t)(line - 1);
  for (int depth = 0; depth < 256; depth++) {
    TSNode next = {0};
    int found = 0;
    uint32_t n = ts_node_named_child_count(node);
    for (uint32_t i = 0; i < n; i++) {
      TSNode c = ts_node_named_child(node, i);
      if (ts_node_start_point(c).row <= row && ts_node_end_point(c).row >= row) {
        next = c;
        found = 1;
        break;
      }
    }
    if (!found)
      break;
    if (item_kind(ts_node_type(next)) && np < 64)
      path[np++] = next;
    node = next;
  }
  enum fix_status st = FIX_OK;
  if (np == 0) {
    st = fix_err_set(err, FIX_ERR_NOT_FOUND, "line %d is not inside an item", line);
  } else {
    int pick = 0; /* the outermost, unless it is too long and something inside fits */
    int a, b;
    if (max_lines > 0 && rows(path[0], &a, &b) > max_lines) {
      pick = np - 1;
      for (int i = 1; i < np; i++)
        if (rows(path[i], &a, &b) <= max_lines) {
          pick = i;
          break;
        }
    }
    rows(path[pick], first, last);
    *kind = ts_node_type(path[pick]);
  }
  ts_tree_delete(t);
  ts_parser_delete(p);
  return st;
}

int fix_context_has_syntax_errors(enum fix_lang lang, const char *text, size_t len) {
  TSParser *p = NULL;
  TSTree *t = parse(lang, text, len, &p);
  if (!t)
    return -1;
  int r = ts_node_has_error(ts_tree_root_node(t));
  ts_tree_delete(t);
  ts_parser_delete(p);
  return r;
}

/* ---- declaration index ---- */

static int container(const char *t) {
  return !strcmp(t, "translation_unit") || !strcmp(t, "source_file") || !strcmp(t, "declaration_list") ||
         !strcmp(t, "linkage_specification") || !strcmp(t, "namespace_definition") || !strcmp(t, "preproc_ifdef") ||
         !strcmp(t, "preproc_if") || !strcmp(t, "preproc_else") || !strcmp(t, "preproc_elif") ||
         !strcmp(t, "mod_item");
}

static TSNode field(TSNode n, const char *name) { return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name)); }

static char *node_text(TSNode n, const char *text) {
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  return fix_strndup(text + a, b - a);
}

/* The declared identifier inside a (possibly nested) declarator. */
static TSNode declarator_name(TSNode d) {
  for (int i = 0; i < 16 && !ts_node_is_null(d); i++) {
    const char *t = ts_node_type(d);
    if (!strcmp(t, "identifier") || !strcmp(t, "field_identifier") || !strcmp(t, "type_identifier") ||
        !strcmp(t, "operator_name") || !strcmp(t, "destructor_name"))
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

static void add(struct decls *out, char *name, TSNode item, TSNode body, const char *kind) {
  if (!name || !*name) {
    free(name);
    return;
  }
  struct decl *v = realloc(out->v, (out->n + 1) * sizeof *v);
  if (!v) {
    free(name);
    return;
  }
  out->v = v;
  int a, b;
  rows(item, &a, &b);
  if (!ts_node_is_null(body)) /* a function: its signature, not its body */
    b = (int)ts_node_start_point(body).row + 1;
  v[out->n++] = (struct decl){name, a, b, kind};
}

static void index_item(TSNode n, const char *text, struct decls *out) {
  const char *t = ts_node_type(n);
  TSNode null = {0};
  if (!strcmp(t, "function_definition")) {
    TSNode nm = declarator_name(field(n, "declarator"));
    if (!ts_node_is_null(nm))
      add(out, node_text(nm, text), n, field(n, "body"), t);
  } else if (!strcmp(t, "declaration") || !strcmp(t, "field_declaration")) {
    uint32_t c = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < c; i++) {
      TSNode ch = ts_node_named_child(n, i);
      const char *ct = ts_node_type(ch);
      if (strstr(ct, "declarator") || !strcmp(ct, "identifier")) {
        TSNode nm = declarator_name(ch);
        if (!ts_node_is_null(nm))
          add(out, node_text(nm, text), n, null, t);
      } else if (!strcmp(ct, "struct_specifier") || !strcmp(ct, "enum_specifier") || !strcmp(ct, "union_specifier") ||
                 !strcmp(ct, "class_specifier")) {
        if (!ts_node_is_null(field(ch, "body")))
          index_item(ch, text, out);
      }
    }
  } else if (!strcmp(t, "struct_specifier") || !strcmp(t, "union_specifier") || !strcmp(t, "enum_specifier") ||
             !strcmp(t, "class_specifier")) {
    TSNode nm = field(n, "name");
    if (!ts_node_is_null(nm))
      add(out, node_text(nm, text), n, null, t);
  } else if (!strcmp(t, "type_definition")) {
    TSNode nm = declarator_name(field(n, "declarator"));
    if (!ts_node_is_null(nm))
      add(out, node_text(nm, text), n, null, t);
    TSNode ty = field(n, "type");
    if (!ts_node_is_null(ty) && !ts_node_is_null(field(ty, "name")))
      add(out, node_text(field(ty, "name"), text), n, null, t);
  } else if (!strcmp(t, "preproc_def") || !strcmp(t, "preproc_function_def")) {
    TSNode nm = field(n, "name");
    if (!ts_node_is_null(nm))
      add(out, node_text(nm, text), n, null, t);
  } else if (!strcmp(t, "template_declaration")) {
    uint32_t c = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < c; i++) {
      TSNode ch = ts_node_named_child(n, i);
      size_t before = out->n;
      index_item(ch, text, out);
      for (size_t k = before; k < out->n; k++) { /* show the template header too */
        int a, b;
        rows(n, &a, &b);
        out->v[k].first = a;
      }
    }
  } else if (!strcmp(t, "function_item") || !strcmp(t, "function_signature_item")) {
    TSNode nm = field(n, "name");
    if (!ts_node_is_null(nm))
      add(out, node_text(nm, text), n, field(n, "body"), t);
  } else if (!strcmp(t, "struct_item") || !strcmp(t, "enum_item") || !strcmp(t, "trait_item") ||
             !strcmp(t, "union_item") || !strcmp(t, "type_item") || !strcmp(t, "const_item") ||
             !strcmp(t, "static_item") || !strcmp(t, "macro_definition")) {
    TSNode nm = field(n, "name");
    if (!ts_node_is_null(nm))
      add(out, node_text(nm, text), n, null, t);
  } else if (!strcmp(t, "impl_item")) {
    /* the methods of an impl are declarations of their names; the impl is shown by signature */
    TSNode body = field(n, "body");
    uint32_t c = ts_node_is_null(body) ? 0 : ts_node_named_child_count(body);
    for (uint32_t i = 0; i < c; i++)
      index_item(ts_node_named_child(body, i), text, out);
  }
}

static void walk(TSNode n, const char *text, struct decls *out, int depth) {
  uint32_t c = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < c && depth < 32; i++) {
    TSNode ch = ts_node_named_child(n, i);
    const char *t = ts_node_type(ch);
    if (container(t)) {
      TSNode body = field(ch, "body");
      walk(ts_node_is_null(body) ? ch : body, text, out, depth + 1);
    } else {
      index_item(ch, text, out);
      if (!strcmp(t, "class_specifier") || !strcmp(t, "struct_specifier")) {
        /* members of a class: methods and fields by name, for "no member named" errors */
        TSNode body = field(ch, "body");
        uint32_t m = ts_node_is_null(body) ? 0 : ts_node_named_child_count(body);
        for (uint32_t k = 0; k < m; k++) {
          TSNode mem = ts_node_named_child(body, k);
          if (!strcmp(ts_node_type(mem), "function_definition"))
            index_item(mem, text, out);
        }
      }
    }
  }
}

int ctx_index_decls(enum fix_lang lang, const char *text, size_t len, struct decls *out) {
  TSParser *p = NULL;
  TSTree *t = parse(lang, text, len, &p);
  if (!t)
    return -1;
  walk(ts_tree_root_node(t), text, out, 0);
  ts_tree_delete(t);
  ts_parser_delete(p);
  return 0;
}

void ctx_decls_free(struct decls *d) {
  for (size_t i = 0; i < d->n; i++)
    free(d->v[i].name);
  free(d->v);
  d->v = NULL;
  d->n = 0;
}

int fix_context_defined(enum fix_lang lang, const char *text, size_t len, struct fix_strv *out) {
  struct decls d = {0};
  if (ctx_index_decls(lang, text, len, &d) != 0)
    return -1;
  for (size_t i = 0; i < d.n; i++) {
    char *k = fix_asprintf("%s %s", d.v[i].kind, d.v[i].name);
    if (k && !fix_strv_contains(out, k))
      fix_strv_push_own(out, k);
    else
      free(k);
  }
  ctx_decls_free(&d);
  return 0;
}
