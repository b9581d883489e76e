/* context.c — tree-sitter parsing of C, C++ and Rust sources.
 *
 * The grammar's parse tree is used read-only; one parser per call keeps this reentrant. Items are
 * found by descending from the root to the node that spans the line and climbing back to the
 * child of the root (or of a namespace / extern "C" / mod body, so a function inside a namespace
 * is its own item). */
#include "fix/context.h"

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

/* Containers whose children are items in their own right. */
static int is_container(const char *type) {
  return !strcmp(type, "translation_unit") || !strcmp(type, "source_file") || !strcmp(type, "declaration_list") ||
         !strcmp(type, "linkage_specification") || !strcmp(type, "namespace_definition") ||
         !strcmp(type, "preproc_ifdef") || !strcmp(type, "preproc_if") || !strcmp(type, "preproc_else") ||
         !strcmp(type, "mod_item");
}

enum fix_status fix_context_enclosing(enum fix_lang lang, const char *text, size_t len, int line, int *first,
                                      int *last, const char **kind, struct fix_err *err) {
  TSParser *p = NULL;
  TSTree *t = parse(lang, text, len, &p);
  if (!t)
    return fix_err_set(err, FIX_ERR_PARSE, "cannot parse %s source with tree-sitter", fix_lang_str(lang));
  TSNode node = ts_tree_root_node(t);
  TSNode item = {0};
  int have = 0;
  uint32_t row = (uint32_t)(line - 1);
  for (;;) {
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
    const char *type = ts_node_type(next);
    if (is_container(ts_node_type(node)) && !is_container(type)) {
      item = next;
      have = 1;
      break;
    }
    node = next;
  }
  enum fix_status st = FIX_OK;
  if (have) {
    *first = (int)ts_node_start_point(item).row + 1;
    *last = (int)ts_node_end_point(item).row + 1;
    if (ts_node_end_point(item).column == 0 && *last > *first)
      (*last)--;
    *kind = ts_node_type(item);
  } else {
    st = fix_err_set(err, FIX_ERR_NOT_FOUND, "line %d is not inside an item", line);
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
