/* clang_tu.c — diagnostics and fix-its straight from libclang.
 *
 * Used when the project's compiler is not clang (or its output carried no fix-its): parsing the
 * translation unit in-process with the project's flags yields clang's fix-its for a gcc build, and
 * `unsaved` lets a candidate edit be checked without writing the file. One CXIndex per call keeps
 * this thread-safe; the cost is dominated by parsing anyway.
 *
 * libclang is loaded at its first use (dlopen), not linked: linked, it cost every fix process
 * ~28 ms at start here (LLVM's mappings, relocations and static constructors) - a tenth of the
 * budget from process start to a model's first token - and most runs (a Rust build, `fix run`,
 * the LSP server's start) never call it. FIX_LIBCLANG_PATH is the library CMake found; the
 * FIX_LIBCLANG environment variable names another (a fix binary copied to a machine whose libclang
 * lives elsewhere). */
#include "fix/diag.h"

#include <clang-c/Index.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLANG_FNS(X)                                                                                                   \
  X(clang_getCString) X(clang_disposeString) X(clang_getSpellingLocation) X(clang_getFileName)                         \
  X(clang_getDiagnosticSeverity) X(clang_getDiagnosticLocation) X(clang_getDiagnosticSpelling)                         \
  X(clang_getDiagnosticOption) X(clang_getDiagnosticNumRanges) X(clang_getDiagnosticRange) X(clang_getRangeStart)      \
  X(clang_getRangeEnd) X(clang_getDiagnosticNumFixIts) X(clang_getDiagnosticFixIt) X(clang_getChildDiagnostics)        \
  X(clang_getNumDiagnosticsInSet) X(clang_getDiagnosticInSet) X(clang_disposeDiagnostic) X(clang_createIndex)          \
  X(clang_disposeIndex) X(clang_parseTranslationUnit2) X(clang_getNumDiagnostics) X(clang_getDiagnostic)              \
  X(clang_disposeTranslationUnit)

#define DECLARE(f) static __typeof__(&f) p_##f;
CLANG_FNS(DECLARE)
static char load_error[512];
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load(void) {
  const char *path = getenv("FIX_LIBCLANG");
  if (!path || !*path)
    path = FIX_LIBCLANG_PATH;
  void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    snprintf(load_error, sizeof load_error, "cannot load libclang (%s): %s; FIX_LIBCLANG names another", path,
             dlerror());
    return;
  }
#define RESOLVE(f)                                                                                                     \
  if (!(p_##f = (__typeof__(&f))dlsym(h, #f)) && !load_error[0])                                                     \
    snprintf(load_error, sizeof load_error, "libclang (%s) has no %s", path, #f);
  CLANG_FNS(RESOLVE)
}

/* From here on each clang_* call goes through the loaded library. */
#define clang_getCString p_clang_getCString
#define clang_disposeString p_clang_disposeString
#define clang_getSpellingLocation p_clang_getSpellingLocation
#define clang_getFileName p_clang_getFileName
#define clang_getDiagnosticSeverity p_clang_getDiagnosticSeverity
#define clang_getDiagnosticLocation p_clang_getDiagnosticLocation
#define clang_getDiagnosticSpelling p_clang_getDiagnosticSpelling
#define clang_getDiagnosticOption p_clang_getDiagnosticOption
#define clang_getDiagnosticNumRanges p_clang_getDiagnosticNumRanges
#define clang_getDiagnosticRange p_clang_getDiagnosticRange
#define clang_getRangeStart p_clang_getRangeStart
#define clang_getRangeEnd p_clang_getRangeEnd
#define clang_getDiagnosticNumFixIts p_clang_getDiagnosticNumFixIts
#define clang_getDiagnosticFixIt p_clang_getDiagnosticFixIt
#define clang_getChildDiagnostics p_clang_getChildDiagnostics
#define clang_getNumDiagnosticsInSet p_clang_getNumDiagnosticsInSet
#define clang_getDiagnosticInSet p_clang_getDiagnosticInSet
#define clang_disposeDiagnostic p_clang_disposeDiagnostic
#define clang_createIndex p_clang_createIndex
#define clang_disposeIndex p_clang_disposeIndex
#define clang_parseTranslationUnit2 p_clang_parseTranslationUnit2
#define clang_getNumDiagnostics p_clang_getNumDiagnostics
#define clang_getDiagnostic p_clang_getDiagnostic
#define clang_disposeTranslationUnit p_clang_disposeTranslationUnit

static char *cxstr(CXString s) {
  const char *c = clang_getCString(s);
  char *r = strdup(c ? c : "");
  clang_disposeString(s);
  return r;
}

static void loc_of(CXSourceLocation loc, char **file, int *line, int *col) {
  CXFile f;
  unsigned l, c, off;
  clang_getSpellingLocation(loc, &f, &l, &c, &off);
  *file = f ? cxstr(clang_getFileName(f)) : NULL;
  *line = (int)l;
  *col = (int)c;
}

static enum fix_severity sev_of(enum CXDiagnosticSeverity s) {
  switch (s) {
  case CXDiagnostic_Fatal: return FIX_SEV_FATAL;
  case CXDiagnostic_Error: return FIX_SEV_ERROR;
  case CXDiagnostic_Warning: return FIX_SEV_WARNING;
  default: return FIX_SEV_NOTE;
  }
}

static enum fix_status fill(struct fix_diag *d, CXDiagnostic cd) {
  d->severity = sev_of(clang_getDiagnosticSeverity(cd));
  d->compiler = FIX_CC_CLANG;
  loc_of(clang_getDiagnosticLocation(cd), &d->pos.file, &d->pos.line, &d->pos.col);
  d->message = cxstr(clang_getDiagnosticSpelling(cd));
  char *opt = cxstr(clang_getDiagnosticOption(cd, NULL));
  if (opt && *opt)
    d->code = opt;
  else
    free(opt);
  if (!d->message)
    return FIX_ERR_NOMEM;
  unsigned nr = clang_getDiagnosticNumRanges(cd);
  for (unsigned i = 0; i < nr; i++) {
    CXSourceRange r = clang_getDiagnosticRange(cd, i);
    char *f1, *f2;
    int l1, c1, l2, c2;
    loc_of(clang_getRangeStart(r), &f1, &l1, &c1);
    loc_of(clang_getRangeEnd(r), &f2, &l2, &c2);
    if (f1)
      fix_diag_push_span(d, f1, l1, c1, l2, c2);
    free(f1);
    free(f2);
  }
  unsigned nf = clang_getDiagnosticNumFixIts(cd);
  for (unsigned i = 0; i < nf; i++) {
    CXSourceRange r;
    CXString repl = clang_getDiagnosticFixIt(cd, i, &r);
    char *text = cxstr(repl);
    char *f1, *f2;
    int l1, c1, l2, c2;
    loc_of(clang_getRangeStart(r), &f1, &l1, &c1);
    loc_of(clang_getRangeEnd(r), &f2, &l2, &c2);
    enum fix_status st = FIX_OK;
    if (f1 && text)
      st = fix_diag_push_fixit(d, f1, l1, c1, l2, c2, text, strlen(text));
    free(f1);
    free(f2);
    free(text);
    if (st)
      return st;
  }
  CXDiagnosticSet children = clang_getChildDiagnostics(cd);
  unsigned nc = clang_getNumDiagnosticsInSet(children);
  for (unsigned i = 0; i < nc; i++) {
    CXDiagnostic ch = clang_getDiagnosticInSet(children, i);
    struct fix_diag *n = fix_diag_push_note(d);
    enum fix_status st = n ? fill(n, ch) : FIX_ERR_NOMEM;
    clang_disposeDiagnostic(ch);
    if (st)
      return st;
  }
  return FIX_OK;
}

enum fix_status fix_diag_from_libclang(const char *file, const char *const *args, size_t nargs, const char *workdir,
                                       const struct fix_unsaved *unsaved, size_t n_unsaved,
                                       struct fix_diag_list *out, struct fix_err *err) {
  pthread_once(&load_once, load);
  if (load_error[0])
    return fix_err_set(err, FIX_ERR_SPAWN, "%s", load_error);
  CXIndex idx = clang_createIndex(0, 0);
  if (!idx)
    return fix_err_set(err, FIX_ERR_SPAWN, "libclang: cannot create an index");
  struct CXUnsavedFile *uf = n_unsaved ? calloc(n_unsaved, sizeof *uf) : NULL;
  for (size_t i = 0; uf && i < n_unsaved; i++) {
    uf[i].Filename = unsaved[i].path;
    uf[i].Contents = unsaved[i].data;
    uf[i].Length = (unsigned long)unsaved[i].len;
  }
  /* libclang resolves relative paths against the process cwd; give it -working-directory. */
  const char **argv = calloc(nargs + 3, sizeof *argv);
  size_t an = 0;
  if (!argv || (n_unsaved && !uf)) {
    free(argv);
    free(uf);
    clang_disposeIndex(idx);
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  }
  char *wd = workdir ? fix_asprintf("-working-directory=%s", workdir) : NULL;
  if (wd)
    argv[an++] = wd;
  for (size_t i = 0; i < nargs; i++)
    argv[an++] = args[i];
  /* libclang turns typo correction off unless asked: its "did you mean 'std::vector'?" fix-its
   * are what fix wants from it */
  argv[an++] = "-fspell-checking";
  CXTranslationUnit tu = NULL;
  enum CXErrorCode ec = clang_parseTranslationUnit2(idx, file, argv, (int)an, uf, (unsigned)n_unsaved,
                                                    CXTranslationUnit_KeepGoing, &tu);
  free(argv);
  free(wd);
  free(uf);
  if (ec != CXError_Success || !tu) {
    clang_disposeIndex(idx);
    return fix_err_set(err, FIX_ERR_PARSE, "libclang could not parse %s (error %d)", file, (int)ec);
  }
  enum fix_status st = FIX_OK;
  unsigned n = clang_getNumDiagnostics(tu);
  for (unsigned i = 0; i < n && !st; i++) {
    CXDiagnostic cd = clang_getDiagnostic(tu, i);
    if (clang_getDiagnosticSeverity(cd) != CXDiagnostic_Ignored) {
      struct fix_diag *d = fix_diag_list_push(out);
      st = d ? fill(d, cd) : FIX_ERR_NOMEM;
    }
    clang_disposeDiagnostic(cd);
  }
  clang_disposeTranslationUnit(tu);
  clang_disposeIndex(idx);
  if (st)
    return fix_err_set(err, st, "out of memory while reading libclang diagnostics");
  return FIX_OK;
}
