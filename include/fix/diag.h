/* fix/diag.h — one normalized model for compiler diagnostics, and the parsers that fill it.
 *
 * Parsers: gcc/clang text (with -fdiagnostics-parseable-fixits lines), gcc JSON
 * (-fdiagnostics-format=json), and libclang (clang_parseTranslationUnit). Each is registered in a
 * table (fix_diag_parsers) so that new formats (rustc JSON) slot in without touching callers.
 *
 * Positions: lines are 1-based; `col` is a 1-based BYTE column. gcc's text output counts display
 * columns (tabs to 8, wide characters as 2); those are converted to bytes by
 * fix_diag_list_normalize_columns, which reads the source lines. Fix-it ranges are half-open
 * [begin, end) in byte columns, as both compilers print them.
 *
 * Ownership: a fix_diag_list owns every string and array it holds; fix_diag_list_free frees all. */
#ifndef FIX_DIAG_H
#define FIX_DIAG_H

#include "fix/base.h"

enum fix_severity {
  FIX_SEV_NOTE = 0,
  FIX_SEV_REMARK,
  FIX_SEV_WARNING,
  FIX_SEV_ERROR,
  FIX_SEV_FATAL,
};

enum fix_compiler {
  FIX_CC_UNKNOWN = 0,
  FIX_CC_GCC,
  FIX_CC_CLANG,
  FIX_CC_RUSTC,
  /* the linker (GNU ld, gold, lld, mold), from a text build log. Its diagnostics (parse_link.c):
   *   code "link:undefined-reference"  message "undefined reference to 'SYM'" (lld/mold "undefined symbol")
   *        "link:multiple-definition"  "multiple definition of 'SYM'", a note "first defined here"
   *        "link:missing-library"      "cannot find -lNAME"
   *        "link:other"                the linker's own words; "link:warning" for FIX_SEV_WARNING ones
   *   SYM as the linker printed it (C++ demangled unless linked with --no-demangle).
   *   pos: source file and line where the linker printed both, else file NULL.
   *   spans (line 0): spans[0].begin.file the object ("main.o", "/tmp/ccX.o", "libx.a(y.o)"; NULL
   *   when not printed), spans[1].begin.file a source printed without a line ("main.c"), if any;
   *   fix_diag_link_object / fix_diag_link_source read them. The function, where printed, is a
   *   FIX_CTX_FUNCTION context "In function 'NAME'". lld's and mold's further references are
   *   notes "referenced here". */
  FIX_CC_LINKER,
};

/* A position: file (owned), 1-based line, 1-based byte column (0: unknown). */
struct fix_pos {
  char *file;
  int line;
  int col;
};

struct fix_span {
  struct fix_pos begin;
  struct fix_pos end; /* inclusive for highlight ranges; exclusive for fix-its */
};

/* How safe a suggestion is (rustc's "applicability"; C compilers' fix-its are UNKNOWN). */
enum fix_applicability {
  FIX_APPLY_UNKNOWN = 0,
  FIX_APPLY_MACHINE,      /* MachineApplicable: meant to be applied as is */
  FIX_APPLY_MAYBE,        /* MaybeIncorrect: a guess, try it */
  FIX_APPLY_UNSPECIFIED,  /* Unspecified */
  FIX_APPLY_PLACEHOLDERS, /* HasPlaceholders: never applied */
};

/* Replace [begin, end) with `text` (owned). Insertion when begin == end. */
struct fix_fixit {
  struct fix_span range;
  char *text;
  enum fix_applicability applicability;
};

/* Kinds of context line a compiler prints before or after a diagnostic. */
enum fix_ctx_kind {
  FIX_CTX_INCLUDED_FROM = 0, /* "In file included from a.c:3:" — pos is the #include line */
  FIX_CTX_FUNCTION,          /* "In function 'main':" — text is the function */
  FIX_CTX_MACRO,             /* "in expansion of macro 'X'" */
  FIX_CTX_TEMPLATE,          /* "In instantiation of ...", "required from ..." */
};

struct fix_diag_ctx {
  enum fix_ctx_kind kind;
  struct fix_pos pos; /* file may be NULL */
  char *text;
};

struct fix_diag {
  enum fix_severity severity;
  enum fix_compiler compiler;
  struct fix_pos pos;       /* file NULL for diagnostics without a location (linker, driver) */
  int col_is_display;       /* parser saw display columns; normalize converts to bytes */
  char *message;            /* owned; quotes normalised to ASCII ' */
  char *code;               /* owned or NULL: "-Wunused-variable", "-Werror=format=", "E0382" */
  struct fix_span *spans;   /* highlighted ranges (owned array) */
  size_t nspans;
  struct fix_fixit *fixits; /* owned array */
  size_t nfixits;
  struct fix_diag *notes;   /* child notes (owned array); a note's own notes are flattened here */
  size_t nnotes;
  struct fix_diag_ctx *ctx;      /* include chain, function, macro, template context (owned array) */
  size_t nctx;
  char *rendered;           /* the compiler's own rendering (rustc), or NULL */
  char *explanation;        /* the compiler's explanation of `code` (rustc --explain), or NULL */
};

struct fix_diag_list {
  struct fix_diag *v;
  size_t n;
  size_t cap;
};

void fix_diag_list_init(struct fix_diag_list *l);
void fix_diag_list_free(struct fix_diag_list *l);
void fix_diag_free(struct fix_diag *d); /* frees members, not d itself */
/* Appends a zeroed diagnostic and returns it (NULL on no memory). */
struct fix_diag *fix_diag_list_push(struct fix_diag_list *l);
struct fix_diag *fix_diag_push_note(struct fix_diag *d);
enum fix_status fix_diag_push_fixit(struct fix_diag *d, const char *file, int l1, int c1, int l2,
                                    int c2, const char *text, size_t text_len);
enum fix_status fix_diag_push_span(struct fix_diag *d, const char *file, int l1, int c1, int l2, int c2);
enum fix_status fix_diag_push_ctx(struct fix_diag *d, enum fix_ctx_kind kind, const char *file, int line,
                                  int col, const char *text);
/* Deep copy of `src` appended to `l`. */
enum fix_status fix_diag_list_copy_in(struct fix_diag_list *l, const struct fix_diag *src);

const char *fix_severity_str(enum fix_severity s);
const char *fix_compiler_str(enum fix_compiler c);

/* A linker diagnostic's (or note's) object file and line-less source file (see FIX_CC_LINKER);
 * borrowed, NULL when unknown or for other compilers' diagnostics. */
const char *fix_diag_link_object(const struct fix_diag *d);
const char *fix_diag_link_source(const struct fix_diag *d);

/* Counts of top-level diagnostics at severity error or fatal, and at warning. */
size_t fix_diag_list_count(const struct fix_diag_list *l, enum fix_severity at_least);

/* A diagnostic's identity for grouping and "new error?" checks: code + message + file, with line
 * and column numbers ignored. Caller frees. */
char *fix_diag_identity(const struct fix_diag *d);

/* The translation unit the diagnostic was produced for: the bottom of its include chain, else its
 * own file. Borrowed (NULL when the diagnostic has no location). */
const char *fix_diag_tu(const struct fix_diag *d);

/* Converts display columns (gcc text) to byte columns by reading each named source line, and
 * makes relative file names absolute against `cwd`. Files that cannot be read keep their columns. */
void fix_diag_list_normalize(struct fix_diag_list *l, const char *cwd);
/* The same with several directories a relative path may be relative to (where the build ran,
 * where each compiler ran): the first one in which the file exists wins, else dirs[0]. */
void fix_diag_list_resolve(struct fix_diag_list *l, const char *const *dirs, size_t ndirs);

/* Rewrites every file path that starts with directory `from` to start with `to` instead. */
void fix_diag_list_map_prefix(struct fix_diag_list *l, const char *from, const char *to);

/* Renders diagnostics back to compiler-style text (one line per diagnostic and note, then fix-its
 * as parseable lines). Used by golden tests, prompts and logs. */
enum fix_status fix_diag_list_render(const struct fix_diag_list *l, struct fix_buf *out);

/* make's "Entering directory 'D'" / "Leaving directory 'D'" lines (also make[N]:, gmake, and the
 * old `D' quoting): returns 1 (entering) or -1 (leaving) and sets *dir (caller frees); else 0. */
int fix_diag_make_dir_line(const char *line, size_t n, char **dir);

/* ---- conversions ---- */

/* 1-based display column (tab stop `tabstop`, wide characters 2) to 1-based byte column within the
 * given line bytes. Past the end of the line maps to len+1. */
int fix_display_to_byte_col(const char *line, size_t len, int display_col, int tabstop);
/* Byte offset of (line, byte col) in `text`, or -1 when out of range. col may be len+1 of the line. */
long fix_text_offset(const char *text, size_t len, int line, int col);

/* ---- parsers ---- */

/* Named cap on compiler output handed to one parser call. */
#define FIX_DIAG_INPUT_MAX FIX_CAPTURE_MAX

enum fix_status fix_diag_parse_text(const char *text, size_t len, enum fix_compiler hint,
                                    struct fix_diag_list *out, struct fix_err *err);
enum fix_status fix_diag_parse_gcc_json(const char *text, size_t len, struct fix_diag_list *out,
                                        struct fix_err *err);
/* rustc's --error-format=json and cargo's --message-format=json (one JSON object per line, other
 * lines ignored). Spans outside the source tree (the standard library, other crates) are kept as
 * notes' positions but never carry fix-its that fix would apply. Lines are 1-based; columns are
 * converted from rustc's character columns to byte columns using the span's own text. */
enum fix_status fix_diag_parse_rustc_json(const char *text, size_t len, struct fix_diag_list *out,
                                          struct fix_err *err);

/* rustc's human-readable output (its default, cargo's --message-format=human) and
 * --error-format=short: level, code, message, primary location, labelled spans, notes and help
 * lines, and the block as rustc rendered it (`rendered`). No fix-its: rustc's JSON has those. */
enum fix_status fix_diag_parse_rustc_text(const char *text, size_t len, struct fix_diag_list *out,
                                          struct fix_err *err);

/* libclang: parses `file` with compiler arguments `args` (no compiler name, no output flags) and
 * returns its diagnostics with clang's fix-its. `unsaved` is an array of n_unsaved (path, content)
 * pairs overriding files on disk (NULL when none). */
struct fix_unsaved {
  const char *path;
  const char *data;
  size_t len;
};
enum fix_status fix_diag_from_libclang(const char *file, const char *const *args, size_t nargs,
                                       const char *workdir, const struct fix_unsaved *unsaved,
                                       size_t n_unsaved, struct fix_diag_list *out, struct fix_err *err);

/* The parser table: text and JSON parsers that can be chosen by name or sniffed from the input. */
struct fix_diag_parser {
  const char *name;
  /* Confidence 0..100 that `text` is in this format (looks at a prefix only). */
  int (*sniff)(const char *text, size_t len);
  enum fix_status (*parse)(const char *text, size_t len, enum fix_compiler hint,
                           struct fix_diag_list *out, struct fix_err *err);
};
extern const struct fix_diag_parser fix_diag_parsers[];
extern const size_t fix_diag_nparsers;
/* Picks the best parser for `text` and runs it. The "text" parser also reads the linkers' errors
 * (FIX_CC_LINKER, after the compiler's) and then drops the driver's "ld returned 1 exit status". */
enum fix_status fix_diag_parse_auto(const char *text, size_t len, enum fix_compiler hint,
                                    struct fix_diag_list *out, struct fix_err *err);


/* ---- ppscan.c: conditional-compilation branches of C/C++ text, and fix-its placed by them ---- */

#define FIX_PP_MAX_DEPTH 64
/* The #if/#elif/#else branches enclosing byte `off`, outermost first, named by the offset of the
 * directive that opened each (an include guard is not a branch): at most cap written, the count
 * returned. Branch lists compare equal (as prefixes) when two places share the branches. */
size_t fix_pp_branches(const char *text, size_t len, size_t off, size_t *out, size_t cap);
/* Where an #include meant for `off` goes at file scope: after the last #include outside every
 * branch before `off`; `off` itself when it is at file scope already, or when no #include before it
 * is (the file keeps its includes inside a block). */
size_t fix_pp_include_point(const char *text, size_t len, size_t off);
/* One edit of a compiler's suggestion, placed and classed for `text` (the file it edits): an
 * #include insertion at *a (== *b) moves to file scope (fix_pp_include_point). Returns why the edit
 * is unsafe in C or C++ — it lies in an #if branch the diagnostic at byte `diag_off` is not in
 * (diag_off < 0: the diagnostic is in another file) — or NULL. */
const char *fix_fixit_place(const char *text, size_t len, const char *new_text, size_t *a, size_t *b, long diag_off);
/* Why a suggestion (the fix-its of `src`) is unsafe by its compiler's own word — rustc's
 * applicability other than MachineApplicable, or one of nalt > 1 alternatives for one diagnostic —
 * or NULL. */
const char *fix_fixit_unsafe(const struct fix_diag *src, int rust, int nalt);
/* The number of suggestions a diagnostic offers: its own fix-its and each note's (rustc's
 * HasPlaceholders ones, text for a human to fill in, not counted). */
int fix_diag_suggestions(const struct fix_diag *d);
/* 1 when `d` carries a suggestion fix would apply (fix-its, none of them HasPlaceholders). */
int fix_diag_has_suggestion(const struct fix_diag *d);

#endif
