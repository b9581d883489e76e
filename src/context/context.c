/* context.c — tree-sitter parsing of C, C++ and Rust: languages, the enclosing item of a line.
 *
 * The parse tree is used read-only; one parser per call keeps this reentrant. An "item" is a node
 * of one of the kinds in item_kind(); containers (translation unit, namespace, extern "C",
 * preprocessor conditionals, Rust mod) are looked through. What a file defines (its items and the
 * declaration index) is one traversal, in items.c. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

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

TSParser *ctx_parser(enum fix_lang lang) {
  const TSLanguage *tl = language(lang);
  if (!tl)
    return NULL;
  TSParser *p = ts_parser_new();
  if (!p)
    return NULL;
  if (!ts_parser_set_language(p, tl)) { /* ABI mismatch */
    ts_parser_delete(p);
    return NULL;
  }
  ts_parser_set_timeout_micros(p, 5 * 1000 * 1000);
  return p;
}

TSTree *ctx_parse(enum fix_lang lang, const char *text, size_t len, TSParser **out) {
  if (len > UINT32_MAX)
    return NULL;
  TSParser *p = ctx_parser(lang);
  if (!p)
    return NULL;
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

int ctx_rows(TSNode n, int *first, int *last) {
  *first = (int)ts_node_start_point(n).row + 1;
  *last = (int)ts_node_end_point(n).row + 1;
  if (ts_node_end_point(n).column == 0 && *last > *first)
    (*last)--;
  return *last - *first + 1;
}

enum fix_status fix_context_enclosing(enum fix_lang lang, const char *text, size_t len, int line, int max_lines,
                                      int *first, int *last, const char **kind, struct fix_err *err) {
  TSParser *p = NULL;
  TSTree *t = ctx_parse(lang, text, len, &p);
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
    if (max_lines > 0 && ctx_rows(path[0], &a, &b) > max_lines) {
      pick = np - 1;
      for (int i = 1; i < np; i++)
        if (ctx_rows(path[i], &a, &b) <= max_lines) {
          pick = i;
          break;
        }
    }
    ctx_rows(path[pick], first, last);
    *kind = ts_node_type(path[pick]);
  }
  ts_tree_delete(t);
  ts_parser_delete(p);
  return st;
}

int fix_context_has_syntax_errors(enum fix_lang lang, const char *text, size_t len) {
  TSParser *p = NULL;
  TSTree *t = ctx_parse(lang, text, len, &p);
  if (!t)
    return -1;
  int r = ts_node_has_error(ts_tree_root_node(t));
  ts_tree_delete(t);
  ts_parser_delete(p);
  return r;
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
