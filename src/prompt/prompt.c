/* prompt.c — loading and rendering prompt templates (see fix/prompt.h). */
#include "fix/prompt.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TEMPLATE_MAX ((size_t)1 << 20)

void fix_prompt_dirs(struct fix_strv *out) {
  const char *env = getenv("FIX_PROMPTS_DIR");
  if (env && *env)
    fix_strv_push(out, env);
  const char *x = getenv("XDG_CONFIG_HOME");
  const char *h = getenv("HOME");
  if (x && *x)
    fix_strv_push_own(out, fix_asprintf("%s/fix/prompts", x));
  else if (h && *h)
    fix_strv_push_own(out, fix_asprintf("%s/.config/fix/prompts", h));
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    char *dir = fix_path_dirname(exe);
    if (dir) {
      fix_strv_push_own(out, fix_asprintf("%s/../share/fix/prompts", dir));
      fix_strv_push_own(out, fix_asprintf("%s/../prompts", dir));
    }
    free(dir);
  }
  fix_strv_push(out, FIX_PROMPTS_SOURCE_DIR);
}

enum fix_status fix_prompt_load(const char *name, char **text, char **origin, struct fix_err *err) {
  *text = NULL;
  if (origin)
    *origin = NULL;
  if (strchr(name, '/') || strstr(name, ".."))
    return fix_err_set(err, FIX_ERR_ARG, "bad template name '%s'", name);
  struct fix_strv dirs = {0};
  fix_prompt_dirs(&dirs);
  enum fix_status st = FIX_ERR_NOT_FOUND;
  for (size_t i = 0; i < dirs.n && st == FIX_ERR_NOT_FOUND; i++) {
    char *p = fix_asprintf("%s/%s.txt", dirs.v[i], name);
    struct fix_buf b;
    st = p ? fix_file_read(p, TEMPLATE_MAX, &b, err) : FIX_ERR_NOMEM;
    if (!st) {
      *text = fix_buf_take(&b);
      if (origin)
        *origin = fix_path_normalize(p);
    } else if (st != FIX_ERR_NOT_FOUND) {
      fix_err_set(err, st, "cannot read prompt template %s", p);
    }
    free(p);
  }
  if (st == FIX_ERR_NOT_FOUND)
    fix_err_set(err, st, "prompt template '%s.txt' not found (searched %zu directories, first %s)", name, dirs.n,
                dirs.n ? dirs.v[0] : "-");
  fix_strv_free(&dirs);
  return st;
}

static const char *value_of(const struct fix_kv *vars, size_t n, const char *name, size_t len) {
  for (size_t i = 0; i < n; i++)
    if (strlen(vars[i].name) == len && !memcmp(vars[i].name, name, len))
      return vars[i].value ? vars[i].value : "";
  return NULL;
}

/* Expands one section (recursion for partials and conditional blocks). */
static enum fix_status expand(const char *t, size_t len, const struct fix_kv *vars, size_t n, struct fix_buf *out,
                              int depth, struct fix_err *err) {
  if (depth > 8)
    return fix_err_set(err, FIX_ERR_PARSE, "prompt template: partials nested too deeply");
  size_t i = 0;
  while (i < len) {
    const char *open = memmem(t + i, len - i, "{{", 2);
    if (!open) {
      fix_buf_append(out, t + i, len - i);
      break;
    }
    fix_buf_append(out, t + i, (size_t)(open - (t + i)));
    const char *close = memmem(open, len - (size_t)(open - t), "}}", 2);
    if (!close)
      return fix_err_set(err, FIX_ERR_PARSE, "prompt template: unclosed '{{'");
    const char *name = open + 2;
    size_t nl = (size_t)(close - name);
    while (nl && *name == ' ')
      name++, nl--;
    while (nl && name[nl - 1] == ' ')
      nl--;
    i = (size_t)(close + 2 - t);
    if (nl && name[0] == '>') {
      const char *pn = name + 1;
      size_t pl = nl - 1;
      while (pl && *pn == ' ')
        pn++, pl--;
      char *pname = fix_strndup(pn, pl), *ptext = NULL;
      enum fix_status st = pname ? fix_prompt_load(pname, &ptext, NULL, err) : FIX_ERR_NOMEM;
      if (!st) {
        size_t plen = strlen(ptext);
        while (plen && ptext[plen - 1] == '\n') /* the partial's last newline is the caller's */
          plen--;
        st = expand(ptext, plen, vars, n, out, depth + 1, err);
      }
      free(pname);
      free(ptext);
      if (st)
        return st;
    } else if (nl && (name[0] == '#' || name[0] == '^')) {
      /* {{#x}}...{{/x}}: kept when x is non-empty ({{^x}}: when empty) */
      const char *v = value_of(vars, n, name + 1, nl - 1);
      if (!v)
        return fix_err_set(err, FIX_ERR_PARSE, "prompt template: unknown placeholder '%.*s'", (int)(nl - 1), name + 1);
      char *endtag = fix_asprintf("{{/%.*s}}", (int)(nl - 1), name + 1);
      const char *end = endtag ? memmem(t + i, len - i, endtag, strlen(endtag)) : NULL;
      if (!end) {
        free(endtag);
        return fix_err_set(err, FIX_ERR_PARSE, "prompt template: '{{%.*s}}' has no closing tag", (int)nl, name);
      }
      int keep = (name[0] == '#') == (*v != '\0');
      enum fix_status st = keep ? expand(t + i, (size_t)(end - (t + i)), vars, n, out, depth + 1, err) : FIX_OK;
      i = (size_t)(end - t) + strlen(endtag);
      free(endtag);
      if (st)
        return st;
    } else {
      const char *v = value_of(vars, n, name, nl);
      if (!v)
        return fix_err_set(err, FIX_ERR_PARSE, "prompt template: unknown placeholder '%.*s'", (int)nl, name);
      fix_buf_puts(out, v);
    }
  }
  return fix_buf_append(out, "", 0);
}

static char *trimmed(struct fix_buf *b) {
  char *s = fix_buf_take(b);
  if (!s)
    return NULL;
  size_t a = 0, n = strlen(s);
  while (s[a] == '\n')
    a++;
  while (n > a && (s[n - 1] == '\n' || s[n - 1] == ' '))
    n--;
  memmove(s, s + a, n - a);
  s[n - a] = '\0';
  return s;
}

enum fix_status fix_prompt_render(const char *tmpl, const struct fix_kv *vars, size_t nvars, char **system,
                                  char **user, struct fix_err *err) {
  *system = *user = NULL;
  const char *sys = strstr(tmpl, "[system]\n");
  const char *usr = strstr(tmpl, "[user]\n");
  if (!sys || !usr || usr < sys)
    return fix_err_set(err, FIX_ERR_PARSE, "prompt template: needs a [system] section followed by a [user] section");
  struct fix_buf a, b;
  fix_buf_init(&a, 0);
  fix_buf_init(&b, 0);
  const char *s0 = sys + 9;
  enum fix_status st = expand(s0, (size_t)(usr - s0), vars, nvars, &a, 0, err);
  if (!st)
    st = expand(usr + 7, strlen(usr + 7), vars, nvars, &b, 0, err);
  if (st) {
    fix_buf_free(&a);
    fix_buf_free(&b);
    return st;
  }
  *system = trimmed(&a);
  *user = trimmed(&b);
  return *system && *user ? FIX_OK : fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
}
