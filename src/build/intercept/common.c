/* common.c — compiler names and response files, shared by the preload library, the exec wrapper
 * and fix (see common.h). The name tests, the LD_PRELOAD filter and the sanitizer test run inside
 * other programs' exec calls, possibly in a vfork child: they read their arguments and files
 * (open, pread, close) into the stack, never the heap. */
#include "common.h"

#include <elf.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RSP_MAX ((size_t)16 << 20)
#define RSP_DEPTH 8

const char *fix_ic_base(const char *p) {
  const char *b = strrchr(p, '/');
  return b ? b + 1 : p;
}

/* "" or "-" followed by digits and dots */
static int version_suffix(const char *s) {
  if (!*s)
    return 1;
  if (*s != '-' || !s[1])
    return 0;
  return strspn(s + 1, "0123456789.") == strlen(s + 1);
}

enum fix_ic_kind fix_ic_compiler(const char *name) {
  if (!name)
    return FIX_IC_NONE;
  const char *b = fix_ic_base(name);
  static const struct {
    const char *stem;
    enum fix_ic_kind kind;
  } stems[] = {{"clang++", FIX_IC_CC}, {"clang", FIX_IC_CC}, {"g++", FIX_IC_CC}, {"gcc", FIX_IC_CC},
               {"c++", FIX_IC_CC},     {"cc", FIX_IC_CC},    {"rustc", FIX_IC_RUSTC}};
  for (size_t i = 0; i < sizeof stems / sizeof *stems; i++) {
    size_t sl = strlen(stems[i].stem);
    for (const char *hit = strstr(b, stems[i].stem); hit; hit = strstr(hit + 1, stems[i].stem))
      if ((hit == b || hit[-1] == '-') && version_suffix(hit + sl))
        return stems[i].kind;
  }
  return FIX_IC_NONE;
}

int fix_ic_is_launcher(const char *name) {
  if (!name)
    return 0;
  const char *b = fix_ic_base(name);
  return !strcmp(b, "ccache") || !strcmp(b, "sccache") || !strcmp(b, "distcc") || !strcmp(b, "icecc");
}

int fix_ic_compiler_index(const char *path, char *const argv[]) {
  if (!path || !argv || !argv[0])
    return -1;
  if (fix_ic_compiler(path))
    return 0;
  if (fix_ic_is_launcher(path) && argv[1] && fix_ic_compiler(argv[1]))
    return 1;
  return -1;
}

/* ---- LD_PRELOAD ---- */

int fix_ic_is_our_preload(const char *item, size_t len) {
  static const char name[] = "libfix_intercept.so";
  size_t nl = sizeof name - 1;
  return len >= nl && !memcmp(item + len - nl, name, nl) && (len == nl || item[len - nl - 1] == '/');
}

size_t fix_ic_preload_without_ours(const char *value, char *out, size_t cap) {
  size_t k = 0;
  if (!cap)
    return 0;
  while (*value) {
    size_t len = strcspn(value, ": ");
    if (len && !fix_ic_is_our_preload(value, len) && k + (k != 0) + len < cap) {
      if (k)
        out[k++] = ':';
      memcpy(out + k, value, len);
      k += len;
    }
    value += len;
    if (*value)
      value++;
  }
  out[k] = '\0';
  return k;
}

/* ---- sanitizer runtimes ---- */

static int sanitizer_library(const char *name) {
  static const char *const libs[] = {"libasan.so",        "libtsan.so",        "libmsan.so",
                                     "libhwasan.so",      "libclang_rt.asan",  "libclang_rt.tsan",
                                     "libclang_rt.msan",  "libclang_rt.hwasan"};
  for (size_t i = 0; i < sizeof libs / sizeof *libs; i++)
    if (!strncmp(name, libs[i], strlen(libs[i])))
      return 1;
  return 0;
}

#define ELF_LOADS 16
struct elf_map {
  int fd;
  size_t nload;
  struct {
    uint64_t vaddr, off, size;
  } load[ELF_LOADS];
};

/* the file offset of virtual address `va` (0 when no loaded segment holds it) */
static uint64_t elf_offset(const struct elf_map *m, uint64_t va) {
  for (size_t i = 0; i < m->nload; i++)
    if (va >= m->load[i].vaddr && va - m->load[i].vaddr < m->load[i].size)
      return m->load[i].off + (va - m->load[i].vaddr);
  return 0;
}

static int read_at(int fd, void *buf, size_t n, uint64_t off) {
  return pread(fd, buf, n, (off_t)off) == (ssize_t)n ? 0 : -1;
}

/* Whether the string table [off, off + size) holds one of the runtimes' entry points as a whole
 * string. Read in windows that overlap by the longest name, so none is cut. */
static int strtab_has_init(int fd, uint64_t off, uint64_t size) {
  static const char *const names[] = {"__asan_init", "__tsan_init", "__msan_init", "__hwasan_init"};
  enum { WIN = 4096, OVERLAP = 16 };
  char buf[WIN];
  if (size > ((uint64_t)64 << 20))
    size = (uint64_t)64 << 20;
  for (uint64_t pos = 0; pos < size;) {
    size_t want = size - pos < WIN ? (size_t)(size - pos) : WIN;
    ssize_t got = pread(fd, buf, want, (off_t)(off + pos));
    if (got <= 0)
      return 0;
    size_t n = (size_t)got;
    for (size_t i = 0; i + 2 < n; i++) {
      if (buf[i] != '_' || buf[i + 1] != '_' || (i ? buf[i - 1] != '\0' : pos != 0))
        continue;
      for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        size_t nl = strlen(names[k]);
        if (i + nl < n && !memcmp(buf + i, names[k], nl) && buf[i + nl] == '\0')
          return 1;
      }
    }
    if (pos + n >= size || n <= OVERLAP)
      break;
    pos += n - OVERLAP;
  }
  return 0;
}

enum { IC_ELF32 = 1, IC_SANITIZER = 2 };

/* What the program at `path` is, for the preload: IC_ELF32, IC_SANITIZER or 0, with one open. */
static int program_kind(const char *path) {
  if (!path)
    return 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    return 0;
  struct stat st;
  Elf64_Ehdr eh;
  memset(&eh, 0, sizeof eh);
  struct elf_map m = {.fd = fd};
  uint64_t dyn_off = 0, dyn_size = 0, strtab = 0, strsz = 0;
  uint64_t needed[32];
  size_t nneeded = 0;
  int found = 0;
  if (fstat(fd, &st) || !S_ISREG(st.st_mode) || pread(fd, &eh, sizeof eh, 0) < EI_NIDENT ||
      memcmp(eh.e_ident, ELFMAG, SELFMAG))
    goto done;
  if (eh.e_ident[EI_CLASS] == ELFCLASS32) {
    found = IC_ELF32;
    goto done;
  }
  if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof(Elf64_Phdr))
    goto done;
  for (unsigned i = 0; i < eh.e_phnum && i < 128; i++) {
    Elf64_Phdr ph;
    if (read_at(fd, &ph, sizeof ph, eh.e_phoff + (uint64_t)i * sizeof ph))
      goto done;
    if (ph.p_type == PT_DYNAMIC) {
      dyn_off = ph.p_offset;
      dyn_size = ph.p_filesz;
    } else if (ph.p_type == PT_LOAD && m.nload < ELF_LOADS) {
      m.load[m.nload].vaddr = ph.p_vaddr;
      m.load[m.nload].off = ph.p_offset;
      m.load[m.nload].size = ph.p_filesz;
      m.nload++;
    }
  }
  if (!dyn_size)
    goto done; /* statically linked: no loader, no LD_PRELOAD */
  Elf64_Dyn dyn[64];
  for (uint64_t pos = 0; pos < dyn_size && pos < ((uint64_t)1 << 20);) {
    size_t want = dyn_size - pos < sizeof dyn ? (size_t)(dyn_size - pos) : sizeof dyn;
    ssize_t got = pread(fd, dyn, want, (off_t)(dyn_off + pos));
    if (got < (ssize_t)sizeof *dyn)
      break;
    size_t n = (size_t)got / sizeof *dyn, i;
    for (i = 0; i < n && dyn[i].d_tag != DT_NULL; i++) {
      if (dyn[i].d_tag == DT_STRTAB)
        strtab = dyn[i].d_un.d_ptr;
      else if (dyn[i].d_tag == DT_STRSZ)
        strsz = dyn[i].d_un.d_val;
      else if (dyn[i].d_tag == DT_NEEDED && nneeded < sizeof needed / sizeof *needed)
        needed[nneeded++] = dyn[i].d_un.d_val;
    }
    if (i < n)
      break;
    pos += n * sizeof *dyn;
  }
  uint64_t str_off = strtab ? elf_offset(&m, strtab) : 0;
  if (!str_off || !strsz)
    goto done;
  for (size_t i = 0; i < nneeded && !found; i++) {
    char name[64];
    if (needed[i] >= strsz)
      continue;
    ssize_t got = pread(fd, name, sizeof name - 1, (off_t)(str_off + needed[i]));
    if (got <= 0)
      continue;
    name[got] = '\0';
    found = sanitizer_library(name) ? IC_SANITIZER : 0;
  }
  if (!found)
    found = strtab_has_init(fd, str_off, strsz) ? IC_SANITIZER : 0;
done:
  close(fd);
  return found;
}

int fix_ic_links_sanitizer(const char *path) { return program_kind(path) == IC_SANITIZER; }
int fix_ic_elf32(const char *path) { return program_kind(path) == IC_ELF32; }
int fix_ic_without_preload(const char *path) { return program_kind(path) != 0; }

/* ---- response files ---- */

struct vec {
  char **v;
  size_t n, cap;
  int nomem;
};

static void push(struct vec *a, char *s) {
  if (!s) {
    a->nomem = 1;
    return;
  }
  if (a->n + 2 > a->cap) {
    size_t cap = a->cap ? a->cap * 2 : 16;
    char **v = realloc(a->v, cap * sizeof *v);
    if (!v) {
      free(s);
      a->nomem = 1;
      return;
    }
    a->v = v;
    a->cap = cap;
  }
  a->v[a->n++] = s;
  a->v[a->n] = NULL;
}

static char *dupn(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d) {
    memcpy(d, s, n);
    d[n] = '\0';
  }
  return d;
}

static char *read_file(const char *cwd, const char *name, size_t *len) {
  char *path = NULL;
  if (name[0] != '/' && cwd) {
    size_t a = strlen(cwd), b = strlen(name);
    path = malloc(a + b + 2);
    if (!path)
      return NULL;
    memcpy(path, cwd, a);
    path[a] = '/';
    memcpy(path + a + 1, name, b + 1);
  }
  /* O_NONBLOCK: opening a named pipe would wait for a writer (the build's, already gone: the
   * compiler read what it wrote). Only a regular file is read again; a fifo or a device is left
   * as "@path" in the record. */
  int fd = open(path ? path : name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  free(path);
  if (fd < 0)
    return NULL;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return NULL;
  }
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (!buf)
      break;
    if (n + 1 >= cap) {
      if (cap >= RSP_MAX) {
        free(buf);
        buf = NULL;
        break;
      }
      char *nb = realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = nb;
      cap *= 2;
    }
    ssize_t r = read(fd, buf + n, cap - 1 - n);
    if (r < 0) {
      free(buf);
      buf = NULL;
      break;
    }
    if (r == 0)
      break;
    n += (size_t)r;
  }
  close(fd);
  if (buf) {
    buf[n] = '\0';
    *len = n;
  }
  return buf;
}

/* libiberty's buildargv: whitespace separates; ' and " group; a backslash escapes any byte. */
static void split_gcc(const char *t, size_t n, struct vec *out) {
  size_t i = 0;
  char *w = malloc(n + 1);
  if (!w) {
    out->nomem = 1;
    return;
  }
  while (i < n) {
    while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r' || t[i] == '\f' || t[i] == '\v'))
      i++;
    if (i >= n)
      break;
    size_t k = 0;
    int sq = 0, dq = 0;
    for (; i < n; i++) {
      char c = t[i];
      if (!sq && !dq && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'))
        break;
      if (c == '\\' && i + 1 < n) {
        w[k++] = t[++i];
      } else if (c == '\'' && !dq) {
        sq = !sq;
      } else if (c == '"' && !sq) {
        dq = !dq;
      } else {
        w[k++] = c;
      }
    }
    push(out, dupn(w, k));
  }
  free(w);
}

/* rustc: one argument per line */
static void split_lines(const char *t, size_t n, struct vec *out) {
  size_t i = 0;
  while (i < n) {
    const char *nl = memchr(t + i, '\n', n - i);
    size_t len = nl ? (size_t)(nl - (t + i)) : n - i;
    push(out, dupn(t + i, len));
    i += len + 1;
  }
}

static void expand(char *const argv[], const char *cwd, enum fix_ic_kind kind, int depth, struct vec *out) {
  for (size_t i = 0; argv[i] && !out->nomem; i++) {
    const char *a = argv[i];
    if (i == 0 && depth == 0) {
      push(out, strdup(a));
      continue;
    }
    if (a[0] != '@' || !a[1] || depth >= RSP_DEPTH) {
      push(out, strdup(a));
      continue;
    }
    int shell = kind == FIX_IC_RUSTC && !strncmp(a + 1, "shell:", 6);
    const char *name = shell ? a + 7 : a + 1;
    size_t len = 0;
    char *text = read_file(cwd, name, &len);
    if (!text) {
      push(out, strdup(a));
      continue;
    }
    struct vec words = {0};
    if (kind == FIX_IC_RUSTC && !shell)
      split_lines(text, len, &words);
    else
      split_gcc(text, len, &words);
    free(text);
    if (words.nomem) {
      out->nomem = 1;
    } else if (words.v) {
      if (kind == FIX_IC_RUSTC) { /* rustc's argfiles do not nest */
        for (size_t k = 0; k < words.n; k++)
          push(out, strdup(words.v[k]));
      } else {
        expand(words.v, cwd, kind, depth + 1, out);
      }
    }
    fix_ic_free_argv(words.v);
  }
}

char **fix_ic_expand_argv(char *const argv[], const char *cwd, enum fix_ic_kind kind) {
  struct vec out = {0};
  expand(argv, cwd, kind, 0, &out);
  if (out.nomem || !out.v) {
    fix_ic_free_argv(out.v);
    return NULL;
  }
  return out.v;
}

void fix_ic_free_argv(char **argv) {
  for (size_t i = 0; argv && argv[i]; i++)
    free(argv[i]);
  free(argv);
}
