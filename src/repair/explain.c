/* explain.c — errors whose repair is outside the files fix edits: a library the link needs and
 * the build does not name, a library the linker cannot find, a header no include path holds. fix
 * never edits build files (a Makefile, CMakeLists.txt, Cargo.toml are the developer's), so it names
 * the repair precisely instead: which flag, which package, where it goes in this build system.
 * Each is said once a session. */
#include "internal.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Symbols of well-known libraries that are not in libc: the library (-l name), the Debian package
 * that provides it, and whether it is a system library (no package needed). A name ending in '*'
 * is a prefix. */
static const struct lib_sym {
  const char *sym, *lib, *pkg;
} lib_syms[] = {
    {"sqrt", "m", NULL},     {"sqrtf", "m", NULL},    {"pow", "m", NULL},       {"powf", "m", NULL},
    {"exp", "m", NULL},      {"exp2", "m", NULL},     {"expf", "m", NULL},      {"log", "m", NULL},
    {"logf", "m", NULL},     {"log2", "m", NULL},     {"log10", "m", NULL},     {"log1p", "m", NULL},
    {"sin", "m", NULL},      {"cos", "m", NULL},      {"tan", "m", NULL},       {"sinf", "m", NULL},
    {"cosf", "m", NULL},     {"asin", "m", NULL},     {"acos", "m", NULL},      {"atan", "m", NULL},
    {"atan2", "m", NULL},    {"sinh", "m", NULL},     {"cosh", "m", NULL},      {"tanh", "m", NULL},
    {"floor", "m", NULL},    {"ceil", "m", NULL},     {"floorf", "m", NULL},    {"ceilf", "m", NULL},
    {"fmod", "m", NULL},     {"round", "m", NULL},    {"lround", "m", NULL},    {"llround", "m", NULL},
    {"trunc", "m", NULL},    {"hypot", "m", NULL},    {"cbrt", "m", NULL},      {"erf", "m", NULL},
    {"tgamma", "m", NULL},   {"lgamma", "m", NULL},   {"fmin", "m", NULL},      {"fmax", "m", NULL},
    {"ldexp", "m", NULL},    {"frexp", "m", NULL},    {"modf", "m", NULL},      {"rint", "m", NULL},
    {"lrint", "m", NULL},    {"nearbyint", "m", NULL}, {"remainder", "m", NULL}, {"copysign", "m", NULL},
    {"pthread_*", "pthread", NULL}, {"dlopen", "dl", NULL}, {"dlsym", "dl", NULL}, {"dlclose", "dl", NULL},
    {"dlerror", "dl", NULL}, {"clock_gettime", "rt", NULL}, {"shm_open", "rt", NULL}, {"shm_unlink", "rt", NULL},
    {"timer_create", "rt", NULL}, {"mq_open", "rt", NULL}, {"aio_*", "rt", NULL}, {"__atomic_*", "atomic", NULL},
    {"crypt", "crypt", "libcrypt-dev"}, {"compress", "z", "zlib1g-dev"}, {"uncompress", "z", "zlib1g-dev"},
    {"deflate*", "z", "zlib1g-dev"}, {"inflate*", "z", "zlib1g-dev"}, {"gz*", "z", "zlib1g-dev"},
    {"crc32", "z", "zlib1g-dev"}, {"curl_*", "curl", "libcurl4-openssl-dev"}, {"SSL_*", "ssl", "libssl-dev"},
    {"EVP_*", "crypto", "libssl-dev"}, {"sqlite3_*", "sqlite3", "libsqlite3-dev"}, {"png_*", "png", "libpng-dev"},
    {"yaml_*", "yaml", "libyaml-dev"}, {"pcre2_*", "pcre2-8", "libpcre2-dev"}, {"cJSON_*", "cjson", "libcjson-dev"},
    {"ts_*", "tree-sitter", "libtree-sitter-dev"}, {"xmlParse*", "xml2", "libxml2-dev"},
    {"readline", "readline", "libreadline-dev"}, {"add_history", "readline", "libreadline-dev"},
    {"initscr", "ncurses", "libncurses-dev"}, {"endwin", "ncurses", "libncurses-dev"},
};

static const struct lib_sym *library_of(const char *sym) {
  for (size_t i = 0; i < sizeof lib_syms / sizeof *lib_syms; i++) {
    const char *p = lib_syms[i].sym;
    size_t n = strlen(p);
    if (p[n - 1] == '*' ? !strncmp(sym, p, n - 1) : !strcmp(sym, p))
      return &lib_syms[i];
  }
  return NULL;
}

/* Where a link flag goes in this project's build, in its own words. */
static char *where_flag_goes(struct session *s, const char *flag, const char *lib) {
  const char *root = s->vcs.root;
  const char *tool = s->argv && s->argv[0] ? strrchr(s->argv[0], '/') : NULL;
  tool = tool ? tool + 1 : s->argv && s->argv[0] ? s->argv[0] : "";
  char *p;
  int cmake = (p = fix_path_join(root, "CMakeLists.txt")) && fix_file_exists(p);
  free(p);
  int meson = (p = fix_path_join(root, "meson.build")) && fix_file_exists(p);
  free(p);
  int cargo = (p = fix_path_join(root, "Cargo.toml")) && fix_file_exists(p);
  free(p);
  int automake = (p = fix_path_join(root, "Makefile.am")) && fix_file_exists(p);
  free(p);
  if (cargo || !strcmp(tool, "cargo"))
    return fix_asprintf("a #[link(name = \"%s\")] on the extern block, or println!(\"cargo:rustc-link-lib=%s\") in build.rs",
                        lib, lib);
  if (cmake || !strcmp(tool, "cmake"))
    return fix_asprintf("target_link_libraries(<your target> PRIVATE %s) in CMakeLists.txt", lib);
  if (meson || !strcmp(tool, "meson") || !strcmp(tool, "ninja"))
    return fix_asprintf("dependencies: cc.find_library('%s') on the target in meson.build", lib);
  if (automake)
    return fix_asprintf("<program>_LDADD = %s (or LIBS) in Makefile.am", flag);
  return fix_asprintf("LDLIBS += %s in the Makefile (after the objects on the link line: the linker reads libraries "
                      "in order)", flag);
}

/* The symbol a link error names ('sym' in its message), into buf; 0 when there is none. */
static int link_symbol(const struct fix_diag *d, char *buf, size_t cap) {
  const char *a = d->message ? strchr(d->message, '\'') : NULL;
  const char *b = a ? strchr(a + 1, '\'') : NULL;
  if (!b || (size_t)(b - a - 1) >= cap || b == a + 1)
    return 0;
  memcpy(buf, a + 1, (size_t)(b - a - 1));
  buf[b - a - 1] = '\0';
  return 1;
}

int link_error(const struct fix_diag *d) { return d->code && !strncmp(d->code, "link:", 5); }

int link_undefined_symbol(const struct fix_diag *d, char *buf, size_t cap) {
  if (!d->code || strcmp(d->code, "link:undefined-reference") || !link_symbol(d, buf, cap))
    return 0;
  char *paren = strpbrk(buf, "(["); /* C++: 'ns::f(int)' -> 'f', 'f[abi:cxx11](int)' -> 'f' */
  if (paren)
    *paren = '\0';
  char *colons = strstr(buf, "::");
  while (colons) {
    memmove(buf, colons + 2, strlen(colons + 2) + 1);
    colons = strstr(buf, "::");
  }
  return buf[0] != '\0';
}

/* A file named `name` (a relative path, "houdini/escape.h") under dir, to depth 8, skipping hidden
 * directories and build outputs; the directory it was found under (owned) or NULL. */
static char *find_under(const char *dir, const char *name, int depth, int *budget) {
  if (depth > 8 || --*budget < 0)
    return NULL;
  char *p = fix_path_join(dir, name);
  if (p && fix_file_exists(p)) {
    free(p);
    return fix_strdup(dir);
  }
  free(p);
  DIR *d = opendir(dir);
  struct dirent *e;
  char *found = NULL;
  while (d && !found && (e = readdir(d))) {
    if (e->d_name[0] == '.' || !strcmp(e->d_name, "node_modules") || !strcmp(e->d_name, "target"))
      continue;
    char *sub = fix_path_join(dir, e->d_name);
    struct stat st;
    if (sub && lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
      found = find_under(sub, name, depth + 1, budget);
    free(sub);
  }
  if (d)
    closedir(d);
  return found;
}

/* "fatal error: houdini/escape.h: No such file or directory" (gcc), "'houdini/escape.h' file not
 * found" (clang): the header's name into buf. */
static int missing_header(const struct fix_diag *d, char *buf, size_t cap) {
  const char *m = d->message;
  if (!m)
    return 0;
  const char *e = strstr(m, ": No such file or directory");
  if (e && e > m && (size_t)(e - m) < cap && !memchr(m, ' ', (size_t)(e - m))) {
    memcpy(buf, m, (size_t)(e - m));
    buf[e - m] = '\0';
    return fix_str_ends(buf, ".h") || fix_str_ends(buf, ".hpp") || fix_str_ends(buf, ".hh") || !strchr(buf, '.');
  }
  if (m[0] == '\'' && (e = strstr(m, "' file not found")) && (size_t)(e - m - 1) < cap) {
    memcpy(buf, m + 1, (size_t)(e - m - 1));
    buf[e - m - 1] = '\0';
    return 1;
  }
  return 0;
}

static void say_once(struct session *s, const char *key, char *line) {
  if (line && !fix_strv_contains(&s->explained_env, key)) {
    fix_strv_push(&s->explained_env, key);
    say(s, "%s", line);
  }
  free(line);
}

int explain_env_error(const struct fix_diag *d) {
  char name[256];
  if (d->severity < FIX_SEV_ERROR)
    return 0;
  if (link_undefined_symbol(d, name, sizeof name))
    return library_of(name) != NULL;
  return (d->code && !strcmp(d->code, "link:missing-library")) || missing_header(d, name, sizeof name);
}

int session_explain_env(struct session *s, const struct fix_diag_list *cur) {
  int n = 0;
  char name[256];
  for (size_t i = 0; i < cur->n; i++) {
    const struct fix_diag *d = &cur->v[i];
    if (d->severity < FIX_SEV_ERROR)
      continue;
    char *loc = d->pos.file ? short_loc(s, &d->pos) : NULL;
    const char *at = loc ? loc : "link";
    if (link_undefined_symbol(d, name, sizeof name)) {
      const struct lib_sym *l = library_of(name);
      if (l) {
        char flag[64];
        snprintf(flag, sizeof flag, "-l%s", l->lib);
        char *where = where_flag_goes(s, !strcmp(l->lib, "pthread") ? "-pthread" : flag, l->lib);
        char *key = fix_asprintf("lib %s", l->lib);
        say_once(s, key ? key : "",
                 fix_asprintf("%s: undefined reference to '%s': it is in lib%s, which the link does not name; add "
                              "%s with %s%s%s%s (fix does not edit build files)",
                              at, name, l->lib, !strcmp(l->lib, "pthread") ? "-pthread" : flag, where ? where : "",
                              l->pkg ? "; Debian's " : "", l->pkg ? l->pkg : "", l->pkg ? " provides it" : ""));
        free(key);
        free(where);
        n++;
      }
    } else if (d->code && !strcmp(d->code, "link:missing-library")) {
      const char *dash = d->message ? strstr(d->message, "-l") : NULL;
      if (dash) {
        snprintf(name, sizeof name, "%s", dash + 2);
        name[strcspn(name, " :'")] = '\0';
        char *key = fix_asprintf("-l %s", name);
        const struct lib_sym *l = NULL;
        for (size_t k = 0; k < sizeof lib_syms / sizeof *lib_syms && !l; k++)
          if (!strcmp(lib_syms[k].lib, name) && lib_syms[k].pkg)
            l = &lib_syms[k];
        char *so = fix_asprintf("lib%s.so", name), *a = fix_asprintf("lib%s.a", name);
        int budget = 20000;
        char *in = so ? find_under(s->vcs.root, so, 0, &budget) : NULL;
        if (!in && a)
          budget = 20000, in = find_under(s->vcs.root, a, 0, &budget);
        char *rel = in ? fix_path_relative(s->vcs.root, in) : NULL;
        say_once(s, key ? key : "",
                 in ? fix_asprintf("link: cannot find -l%s: the project has lib%s under %s/: add -L%s to the link "
                                   "flags (LDFLAGS); fix does not edit build files",
                                   name, name, rel && *rel ? rel : ".", rel && *rel ? rel : ".")
                 : l ? fix_asprintf("link: cannot find -l%s: install %s (the development files of lib%s)", name, l->pkg,
                                    name)
                     : fix_asprintf("link: cannot find -l%s: no lib%s.so or lib%s.a in the project or the linker's "
                                    "paths: install its development package (Debian's are named lib%s-dev or "
                                    "similar), or add -L<dir> where it is built",
                                    name, name, name, name));
        free(rel);
        free(in);
        free(so);
        free(a);
        free(key);
        n++;
      }
    } else if (missing_header(d, name, sizeof name)) {
      char *key = fix_asprintf("h %s", name);
      int budget = 20000;
      char *in = find_under(s->vcs.root, name, 0, &budget);
      char *rel = in ? fix_path_relative(s->vcs.root, in) : NULL;
      char *sys = NULL;
      if (!in) {
        static const char *const sysdirs[] = {"/usr/include", "/usr/local/include", NULL};
        for (size_t k = 0; sysdirs[k] && !sys; k++)
          budget = 20000, sys = find_under(sysdirs[k], name, 0, &budget);
      }
      say_once(s, key ? key : "",
               in ? fix_asprintf("%s: %s is not on the include path: the project has it under %s/; add -I%s (CPPFLAGS, "
                                 "target_include_directories, include_directories); fix does not edit build files",
                                 at, name, rel && *rel ? rel : ".", rel && *rel ? rel : ".")
               : sys ? fix_asprintf("%s: %s is under %s/, which is not on the include path: add -I%s (or the flags "
                                    "`pkg-config --cflags <package>` gives)",
                                    at, name, sys, sys)
                     : fix_asprintf("%s: %s is nowhere in the project or the system's include directories: a "
                                    "dependency that is not installed (its -dev package; `apt-file search %s` names "
                                    "it), or a header not written yet",
                                    at, name, name));
      free(sys);
      free(rel);
      free(in);
      free(key);
      n++;
    }
    free(loc);
  }
  return n;
}
