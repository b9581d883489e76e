/* fs.c — whole-file reads, atomic writes, directories.
 *
 * Atomic write protocol: create "<dir>/.<name>.fix-XXXXXX", write everything, fchmod to the old
 * mode, fsync, rename over the target, fsync the directory. A crash leaves either the old file or
 * the new one (plus, at worst, a stray temp file whose name says who left it). */
#include "fix/base.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum fix_status fix_file_read(const char *path, size_t max, struct fix_buf *out, struct fix_err *err) {
  fix_buf_init(out, max);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fix_err_errno(err, errno == ENOENT ? FIX_ERR_NOT_FOUND : FIX_ERR_IO, "cannot open %s", path);
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    close(fd);
    return fix_err_set(err, FIX_ERR_IO, "%s is a directory", path);
  }
  enum fix_status rc = fix_buf_reserve(out, st.st_size > 0 ? (size_t)st.st_size : 0);
  if (rc == FIX_ERR_TOO_BIG) {
    close(fd);
    return fix_err_set(err, rc, "%s is larger than %zu bytes", path, max);
  }
  char chunk[65536];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      close(fd);
      fix_buf_free(out);
      return fix_err_errno(err, FIX_ERR_IO, "cannot read %s", path);
    }
    if (n == 0)
      break;
    rc = fix_buf_append(out, chunk, (size_t)n);
    if (rc) {
      close(fd);
      fix_buf_free(out);
      return fix_err_set(err, rc, "%s is larger than %zu bytes", path, max);
    }
  }
  close(fd);
  if (!out->data)
    fix_buf_append(out, "", 0);
  return FIX_OK;
}

static int write_all(int fd, const char *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static enum fix_status write_replace(const char *path, const void *data, size_t len, int durable, struct fix_err *err) {
  char *dir = fix_path_dirname(path);
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  char *tmp = fix_asprintf("%s/.%s.fix-XXXXXX", dir, base);
  enum fix_status rc = FIX_OK;
  int fd = -1;
  if (!dir || !tmp) {
    rc = fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
    goto fail;
  }
  mode_t mode = 0644;
  struct stat st;
  if (stat(path, &st) == 0) {
    if (!S_ISREG(st.st_mode)) { /* renaming over /dev/null (as root) would replace the device */
      rc = fix_err_set(err, FIX_ERR_IO, "%s is not a regular file; not replaced", path);
      goto fail;
    }
    mode = st.st_mode & 07777;
  }
  fd = mkstemp(tmp);
  if (fd < 0) {
    rc = fix_err_errno(err, FIX_ERR_IO, "cannot create a temporary file beside %s", path);
    goto fail;
  }
  if (write_all(fd, data, len) != 0 || fchmod(fd, mode) != 0 || (durable && fsync(fd) != 0)) {
    rc = fix_err_errno(err, FIX_ERR_IO, "cannot write %s", tmp);
    goto fail;
  }
  if (close(fd) != 0) {
    fd = -1;
    rc = fix_err_errno(err, FIX_ERR_IO, "cannot write %s", tmp);
    goto fail;
  }
  fd = -1;
  if (fix_fault(durable ? "rename" : "replace") || rename(tmp, path) != 0) {
    rc = fix_err_errno(err, FIX_ERR_IO, "cannot replace %s", path);
    goto fail;
  }
  int dfd = durable ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  free(tmp);
  free(dir);
  return FIX_OK;
fail:
  if (fd >= 0)
    close(fd);
  if (tmp)
    unlink(tmp);
  free(tmp);
  free(dir);
  return rc;
}

enum fix_status fix_file_write_atomic(const char *path, const void *data, size_t len, struct fix_err *err) {
  return write_replace(path, data, len, 1, err);
}

enum fix_status fix_file_replace(const char *path, const void *data, size_t len, struct fix_err *err) {
  return write_replace(path, data, len, 0, err);
}

int fix_file_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int fix_dir_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

enum fix_status fix_mkdirs(const char *path, struct fix_err *err) {
  char *p = fix_strdup(path);
  if (!p)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  for (char *s = p + 1;; s++) {
    if (*s == '/' || *s == '\0') {
      char c = *s;
      *s = '\0';
      if (mkdir(p, 0755) != 0 && errno != EEXIST) {
        enum fix_status rc = fix_err_errno(err, FIX_ERR_IO, "cannot create directory %s", p);
        free(p);
        return rc;
      }
      *s = c;
      if (!c)
        break;
    }
  }
  free(p);
  return FIX_OK;
}

void fix_rmtree(const char *path) {
  DIR *d = opendir(path);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
        continue;
      char *c = fix_path_join(path, e->d_name);
      if (!c)
        continue;
      struct stat st;
      if (lstat(c, &st) == 0 && S_ISDIR(st.st_mode))
        fix_rmtree(c);
      else
        unlink(c);
      free(c);
    }
    closedir(d);
  }
  rmdir(path);
}

/* This process's start time (clock ticks since boot, /proc/self/stat field 22): with the pid it
 * names the process uniquely, pid reuse included. 0 when unknown. */
static unsigned long long start_time(long pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0)
    return 0;
  buf[n] = '\0';
  const char *p = strrchr(buf, ')'); /* the command name may hold spaces */
  for (int field = 2; p && field < 22; field++)
    p = strchr(p + 1, ' ');
  return p ? strtoull(p + 1, NULL, 10) : 0;
}

char *fix_mkdtemp_owned(const char *prefix) {
  char *p = fix_asprintf("%s-%ld.%llu", prefix, (long)getpid(), start_time((long)getpid()));
  char *d = p ? fix_mkdtemp(p) : NULL;
  free(p);
  return d;
}

void fix_sweep_stale(const char *prefix) {
  const char *t = getenv("TMPDIR");
  const char *tmp = t && *t ? t : "/tmp";
  DIR *d = opendir(tmp);
  struct dirent *e;
  size_t pl = strlen(prefix);
  while (d && (e = readdir(d))) {
    if (strncmp(e->d_name, prefix, pl) != 0 || e->d_name[pl] != '-')
      continue;
    char *end = NULL;
    long pid = strtol(e->d_name + pl + 1, &end, 10);
    if (!end || *end != '.' || pid <= 0)
      continue; /* not a name fix_mkdtemp_owned made */
    unsigned long long started = strtoull(end + 1, &end, 10);
    if (!end || *end != '-')
      continue;
    char *path = fix_path_join(tmp, e->d_name);
    struct stat st;
    if (path && lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == getuid() &&
        (kill((pid_t)pid, 0) != 0 && errno == ESRCH ? 1 : start_time(pid) != started))
      fix_rmtree(path); /* its owner is gone (kill -9, a crash) */
    free(path);
  }
  if (d)
    closedir(d);
}

char *fix_mkdtemp(const char *prefix) {
  const char *t = getenv("TMPDIR");
  char *tmpl = fix_asprintf("%s/%s-XXXXXX", t && *t ? t : "/tmp", prefix);
  if (tmpl && !mkdtemp(tmpl)) {
    free(tmpl);
    return NULL;
  }
  return tmpl;
}
