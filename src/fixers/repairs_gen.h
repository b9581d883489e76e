/* repairs_gen.h — private to the model-free repair generators (repairs.c and repair_*.c): the
 * generators' shared state and helpers. */
#ifndef FIX_REPAIR_REPAIRS_GEN_H
#define FIX_REPAIR_REPAIRS_GEN_H

#include "repairs.h"

#include "fix/base.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gen {
  const struct repair_env *env;
  const struct fix_diag *d;
  const char *path, *t;
  size_t n;
  size_t off; /* the diagnostic's byte offset */
  int cxx;
  struct repair_list *out;
};

struct namecount {
  char name[64];
  int n;
};


/* helpers (repairs.c): a candidate; the n-th 'quoted' name of a message; an identifier; the whole-word
 * occurrence of a name on a position's line; line bounds; the first note with a place */
int rp_delimited(const char *msg, char q, int nth, char *buf, size_t cap);
int rp_quoted(const char *msg, int nth, char *buf, size_t cap);
long rp_find_on_line(const char *t, size_t n, size_t from, const char *name);
void rp_add(struct gen *g, const char *file, int rank, size_t a, size_t b, const char *text, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
size_t rp_line_start(const char *t, size_t p);
size_t rp_line_stop(const char *t, size_t n, size_t p);
const struct fix_diag *rp_placed_note(const struct fix_diag *d);
long rp_note_offset(const struct gen *g, const struct fix_diag *note, int col, const char **t, size_t *n);
int rp_near_name(const char *a, const char *b);
int rp_word_count(const char *t, size_t n, const char *name);
long rp_semicolon_at(const char *t, size_t n, size_t from, int level, int nested);
/* generators (repair_names.c, repair_types.c, repair_rust.c), called by the table in repairs.c */
void rp_include_project(struct gen *g, int rank, const char *name, int tag);
void rp_gen_include(struct gen *g, const char *name, int qualified, int tag);
void rp_count_names(const char *t, size_t n, size_t min, struct namecount **v, size_t *nv);
void rp_add_similar(struct gen *g, long at, const char *name, const struct namecount *v, size_t nv, const char *kind, int base);
void rp_gen_typo(struct gen *g, const char *name, int base);
void rp_gen_member(struct gen *g, const char *type, const char *member);
int rp_type_of(const char *t, size_t limit, const char *name, char *type, size_t cap, int *stars, int *array);
void rp_gen_declare(struct gen *g, const char *name);
void rp_gen_drop_arg(struct gen *g, const char *fn);
/* the developer's change completed at this error (repair_intent.c): a rename, a call to a callable
 * whose parameters were added to or reordered */
void rp_gen_intent(struct gen *g);
/* The top-level comma-separated parts of the parenthesised list opening at t[open] ('('): their
 * bounds into starts/ends (at most max); the count, or 0 when the list does not close. */
size_t rp_split_args(const char *t, size_t n, size_t open, size_t *starts, size_t *ends, size_t max);
void rp_gen_unconst(struct gen *g);
void rp_gen_const_method(struct gen *g);
void rp_gen_return(struct gen *g, int implicit_int);
void rp_gen_deref(struct gen *g);
void rp_gen_address(struct gen *g);
void rp_char_literal(struct gen *g, size_t from, int rank);
void rp_gen_string_compare(struct gen *g);
void rp_gen_comma_index(struct gen *g);
void rp_gen_array_init(struct gen *g);
void rp_gen_conflicting(struct gen *g, const char *name);
void rp_gen_outofline_return(struct gen *g);
void rp_gen_outofline_renamed(struct gen *g);
void rp_rust_question(struct gen *g);
void rp_rust_renamed_def(struct gen *g);
void rp_gen_override(struct gen *g);
void rp_gen_unconst_method(struct gen *g);
void rp_gen_constexpr(struct gen *g);
void rp_gen_moved(struct gen *g);
void rp_gen_direct_init(struct gen *g);
void rp_gen_public_base(struct gen *g, const char *base, const char *derived);
void rp_gen_typename(struct gen *g);
void rp_gen_const_ref(struct gen *g);
void rp_gen_unused(struct gen *g, const char *name);
void rp_gen_retype(struct gen *g, int rank);
void rp_gen_missing_arg(struct gen *g, const char *fn);
void rp_gen_return_type(struct gen *g);
void rp_rust_cast(struct gen *g);
void rp_rust_typo(struct gen *g);
void rp_rust_more(struct gen *g);

#endif
