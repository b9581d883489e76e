/* sarif.c — the session as a SARIF 2.1.0 log (`fix --sarif FILE`), for code-review tools and CI.
 *
 * One run per compiler seen (tool.driver: name, version from the compiler itself, rules for the
 * error codes and warning flags seen, with help text and links: gcc's and clang's warning
 * references, rustc's error index and `rustc --explain`'s text, clippy's lint list). One result per
 * diagnostic of the first build (level, message, the location as a region, notes as related
 * locations). Regions give lines and columns in Unicode code points (columnKind
 * "unicodeCodePoints", declared on the run) and the exact bytes (byteOffset/byteLength), which is
 * what fix measured. What fix changed goes into `fixes`: every file's change, original to final,
 * as whole-line replacements (fix_diff_regions), each attached to the result it repaired (the
 * nearest repaired error of that file, else the first repaired error): applied together to the
 * original files they give exactly the files fix wrote (a dry run: would write). Anchors: gcc
 * 13's -fdiagnostics-format=sarif-file and GitHub code scanning's SARIF requirements (a ruleId on
 * every result, relative URIs under %SRCROOT%, tool version). */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the compiler families a run is made for */
static const char *family(enum fix_compiler c) {
  switch (c) {
  case FIX_CC_GCC: return "gcc";
  case FIX_CC_CLANG: return "clang";
  case FIX_CC_RUSTC: return "rustc";
  case FIX_CC_LINKER: return "ld";
  default: return "compiler";
  }
}

/* The text of `path` as the first build saw it (the journal's original, else the disk). */
static const char *original(struct session *s, const char *path, size_t *len, struct fix_buf *hold) {
  const char *o = s->ws ? fix_workspace_original(s->ws, path, len) : NULL;
  if (o)
    return o;
  if (fix_file_read(path, 64u << 20, hold, NULL) != FIX_OK)
    return NULL;
  *len = hold->len;
  return hold->data;
}

/* (line, byte column) <-> byte offset and code-point column, on one text */
static long offset_of(const char *t, size_t len, int line, int col) { return t ? fix_text_offset(t, len, line, col) : -1; }

static void line_col(const char *t, size_t off, int *line, int *col) {
  int l = 1;
  size_t start = 0;
  for (size_t i = 0; i < off; i++)
    if (t[i] == '\n')
      l++, start = i + 1;
  int c = 1;
  for (size_t i = start; i < off; i++)
    c += ((unsigned char)t[i] & 0xC0) != 0x80; /* a code point starts at every non-continuation byte */
  *line = l;
  *col = c;
}

static cJSON *region(const char *t, size_t len, size_t a, size_t b) {
  cJSON *r = cJSON_CreateObject();
  int l1, c1, l2, c2;
  line_col(t, a, &l1, &c1);
  line_col(t, b, &l2, &c2);
  (void)len;
  cJSON_AddNumberToObject(r, "startLine", l1);
  cJSON_AddNumberToObject(r, "startColumn", c1);
  cJSON_AddNumberToObject(r, "endLine", l2);
  cJSON_AddNumberToObject(r, "endColumn", c2);
  cJSON_AddNumberToObject(r, "byteOffset", (double)a);
  cJSON_AddNumberToObject(r, "byteLength", (double)(b - a));
  return r;
}

static cJSON *artifact(struct session *s, const char *path) {
  cJSON *a = cJSON_CreateObject();
  char *rel = fix_path_relative(s->vcs.root, path);
  if (rel) {
    cJSON_AddStringToObject(a, "uri", rel);
    cJSON_AddStringToObject(a, "uriBaseId", "%SRCROOT%");
  } else {
    char *uri = fix_asprintf("file://%s", path);
    cJSON_AddStringToObject(a, "uri", uri ? uri : path);
    free(uri);
  }
  free(rel);
  return a;
}

/* A diagnostic's location: the region of its span (when one starts where it does), else the
 * point it names. NULL when it has no file. */
static cJSON *location(struct session *s, const struct fix_diag *d, const char *message) {
  if (!d->pos.file || d->pos.line < 1)
    return NULL;
  struct fix_buf hold;
  fix_buf_init(&hold, 0);
  size_t len = 0;
  const char *t = original(s, d->pos.file, &len, &hold);
  long a = offset_of(t, len, d->pos.line, d->pos.col > 0 ? d->pos.col : 1), b = a;
  for (size_t i = 0; a >= 0 && i < d->nspans; i++) {
    const struct fix_span *sp = &d->spans[i];
    if (sp->begin.file && !strcmp(sp->begin.file, d->pos.file) && sp->begin.line == d->pos.line &&
        sp->begin.col == d->pos.col && sp->end.line >= sp->begin.line) {
      long e = offset_of(t, len, sp->end.line, sp->end.col);
      if (e > b)
        b = e;
      break;
    }
  }
  cJSON *loc = cJSON_CreateObject();
  cJSON *pl = cJSON_AddObjectToObject(loc, "physicalLocation");
  cJSON_AddItemToObject(pl, "artifactLocation", artifact(s, d->pos.file));
  if (a >= 0) {
    cJSON_AddItemToObject(pl, "region", region(t, len, (size_t)a, (size_t)b));
  } else { /* a position the file does not have (it changed, or was never read): lines only */
    cJSON *r = cJSON_AddObjectToObject(pl, "region");
    cJSON_AddNumberToObject(r, "startLine", d->pos.line);
  }
  if (message)
    cJSON_AddStringToObject(cJSON_AddObjectToObject(loc, "message"), "text", message);
  fix_buf_free(&hold);
  return loc;
}

static char *rule_id(const struct fix_diag *d) {
  if (d->code && *d->code)
    return fix_strdup(d->code);
  return fix_asprintf("%s-%s", family(d->compiler), d->severity >= FIX_SEV_ERROR ? "error" : d->severity == FIX_SEV_WARNING ? "warning" : "note");
}

static cJSON *rule(struct session *s, const struct fix_diag *d, const char *id) {
  cJSON *r = cJSON_CreateObject();
  cJSON_AddStringToObject(r, "id", id);
  char *desc = NULL, *uri = NULL;
  const char *flag = fix_str_starts(id, "-Werror=") ? id + 8 : fix_str_starts(id, "-W") ? id + 2 : NULL;
  if (d->code && id[0] == 'E' && strlen(id) == 5) {
    desc = fix_asprintf("rustc error %s", id);
    uri = fix_asprintf("https://doc.rust-lang.org/error_codes/%s.html", id);
  } else if (fix_str_starts(id, "clippy::")) {
    desc = fix_asprintf("clippy lint %s", id + 8);
    uri = fix_asprintf("https://rust-lang.github.io/rust-clippy/master/index.html#%s", id + 8);
  } else if (flag && d->compiler == FIX_CC_CLANG) {
    desc = fix_asprintf("clang diagnostic -W%s", flag);
    uri = fix_asprintf("https://clang.llvm.org/docs/DiagnosticsReference.html#w%s", flag);
  } else if (flag) {
    desc = fix_asprintf("gcc diagnostic -W%s", flag);
    uri = fix_strdup("https://gcc.gnu.org/onlinedocs/gcc/Warning-Options.html");
  } else if (d->code) {
    desc = fix_asprintf("%s diagnostic %s", family(d->compiler), id);
  } else {
    desc = fix_asprintf("%s %s without a code or warning flag", family(d->compiler),
                        d->severity >= FIX_SEV_ERROR ? "error" : "diagnostic");
  }
  cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "shortDescription"), "text", desc ? desc : id);
  const char *help = d->explanation;
  if (help)
    cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "help"), "text", help);
  else if (uri)
    cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "help"), "text", uri);
  if (uri)
    cJSON_AddStringToObject(r, "helpUri", uri);
  cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "defaultConfiguration"), "level",
                          d->severity >= FIX_SEV_ERROR ? "error" : d->severity == FIX_SEV_WARNING ? "warning" : "note");
  free(desc);
  free(uri);
  (void)s;
  return r;
}

/* The compiler's own version line, asked once a run. */
static void driver_version(struct session *s, enum fix_compiler c, cJSON *driver) {
  const char *prog = c == FIX_CC_RUSTC ? "rustc" : c == FIX_CC_CLANG ? "clang" : "cc";
  for (size_t i = 0; c != FIX_CC_RUSTC && i < s->db.n; i++)
    if (s->db.v[i]->kind == FIX_CMD_CC && s->db.v[i]->args.n && fix_compile_cmd_compiler(s->db.v[i]) == c) {
      prog = s->db.v[i]->args.v[0];
      break;
    }
  const char *argv[] = {prog, "--version", NULL};
  struct fix_spawn_result r;
  if (fix_spawn_quiet(argv, NULL, NULL, 10, &r, NULL) == FIX_OK && r.exit_code == 0 && r.out.data) {
    size_t n = strcspn(r.out.data, "\n");
    char *line = fix_strndup(r.out.data, n);
    cJSON_AddStringToObject(driver, "fullName", line ? line : "");
    /* the first dotted number: 12.2.0, 14.0.6, 1.95.0 */
    for (const char *p = line; p && *p;) {
      size_t k = strspn(p, "0123456789.");
      if (k >= 3 && p[0] != '.' && memchr(p, '.', k)) {
        char *v = fix_strndup(p, k);
        cJSON_AddStringToObject(driver, "version", v ? v : "");
        free(v);
        break;
      }
      p += k ? k : 1;
    }
    free(line);
  }
  fix_buf_free(&r.out);
  if (!cJSON_GetObjectItemCaseSensitive(driver, "version"))
    cJSON_AddStringToObject(driver, "version", "unknown");
}

/* fixes: every changed file's regions, each given to one result */
struct change {
  char *file;
  size_t a, b;
  char *text;
  const char *orig;
  size_t olen;
  long owner; /* index of the result in `first` */
};

/* The result a change belongs to: the diagnostic of the step that made it (the latest kept step
 * whose range in the original file meets the change's), else, for a step that repaired several
 * (fix-its applied together) or none, the nearest repaired error in the file, the nearest
 * diagnostic there, anything. */
static long owner_of(struct session *s, const struct fix_diag_list *first, const int *repaired, const char *file,
                     const char *orig, size_t olen, size_t a, size_t b) {
  int line, col;
  line_col(orig, a, &line, &col);
  long best = -1, best_d = 0;
  for (size_t k = s->nsteps; k-- > 0 && best < 0;) {
    const struct step_rec *st = &s->steps[k];
    if (!st->ident || strcmp(st->file, file) || st->a > b || a > st->b)
      continue; /* (a step of several fix-its together noted each one's own edits) */
    for (size_t i = 0; i < first->n; i++) {
      char *id = fix_diag_identity(&first->v[i]);
      long dist = labs((long)first->v[i].pos.line - line);
      if (id && !strcmp(id, st->ident) && (best < 0 || dist < best_d))
        best = (long)i, best_d = dist;
      free(id);
    }
    break; /* the step that made it: its own diagnostic, or the fallback below */
  }
  for (int pass = 0; pass < 3 && best < 0; pass++)
    for (size_t i = 0; i < first->n; i++) {
      const struct fix_diag *d = &first->v[i];
      if (!d->pos.file || (pass < 2 && strcmp(d->pos.file, file) != 0) || (pass == 0 && !repaired[i]) ||
          d->severity < FIX_SEV_WARNING)
        continue;
      long dist = labs((long)d->pos.line - line);
      if (best < 0 || dist < best_d)
        best = (long)i, best_d = dist;
    }
  (void)s;
  (void)olen;
  return best;
}

enum fix_status session_write_sarif(struct session *s, const struct fix_diag_list *first, const char *path,
                                    struct fix_err *err) {
  cJSON *log = cJSON_CreateObject();
  cJSON_AddStringToObject(log, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  cJSON_AddStringToObject(log, "version", "2.1.0");
  cJSON *runs = cJSON_AddArrayToObject(log, "runs");
  int *repaired = calloc(first->n ? first->n : 1, sizeof *repaired);
  for (size_t i = 0; repaired && i < first->n; i++) {
    if (first->v[i].severity < FIX_SEV_ERROR)
      continue;
    char *id = fix_diag_identity(&first->v[i]);
    repaired[i] = id && !fix_strv_contains(&s->final_ids, id);
    free(id);
  }
  /* the changes, original -> as fix left them */
  struct change *ch = NULL;
  size_t nch = 0;
  const char **paths;
  size_t np = s->ws ? fix_workspace_changed(s->ws, &paths) : 0;
  for (size_t k = 0; repaired && k < np; k++) {
    size_t olen = 0, clen = 0;
    const char *o = fix_workspace_original(s->ws, paths[k], &olen), *c;
    if (!o || fix_workspace_read(s->ws, paths[k], &c, &clen, NULL) != FIX_OK)
      continue;
    struct fix_edit_list el = {0};
    if (fix_diff_regions(paths[k], o, olen, c, clen, &el) == FIX_OK) {
      struct change *v = realloc(ch, (nch + el.n + 1) * sizeof *v);
      if (v) {
        ch = v;
        for (size_t e = 0; e < el.n; e++)
          ch[nch++] = (struct change){fix_strdup(el.v[e].file), el.v[e].start, el.v[e].end, fix_strdup(el.v[e].text), o,
                                      olen, owner_of(s, first, repaired, paths[k], o, olen, el.v[e].start, el.v[e].end)};
      }
    }
    fix_edit_list_free(&el);
  }
  /* a run per compiler family seen */
  for (int fam = FIX_CC_UNKNOWN; fam <= FIX_CC_LINKER; fam++) {
    int any = 0;
    for (size_t i = 0; i < first->n; i++)
      any |= (int)first->v[i].compiler == fam;
    if (!any)
      continue;
    cJSON *run = cJSON_CreateObject();
    cJSON_AddItemToArray(runs, run);
    cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
    cJSON_AddStringToObject(driver, "name", family((enum fix_compiler)fam));
    if (fam != FIX_CC_UNKNOWN && fam != FIX_CC_LINKER) /* (the linker is the compiler driver's choice) */
      driver_version(s, (enum fix_compiler)fam, driver);
    else
      cJSON_AddStringToObject(driver, "version", "unknown");
    cJSON_AddStringToObject(driver, "informationUri", fam == FIX_CC_RUSTC    ? "https://www.rust-lang.org/"
                                                       : fam == FIX_CC_CLANG  ? "https://clang.llvm.org/"
                                                       : fam == FIX_CC_LINKER ? "https://sourceware.org/binutils/"
                                                                              : "https://gcc.gnu.org/");
    cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
    cJSON_AddStringToObject(run, "columnKind", "unicodeCodePoints");
    char *rooturi = fix_asprintf("file://%s/", s->vcs.root);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "originalUriBaseIds"), "%SRCROOT%"),
                            "uri", rooturi ? rooturi : "");
    free(rooturi);
    cJSON *inv = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(run, "invocations"), inv);
    struct fix_buf cl;
    fix_buf_init(&cl, 0);
    for (size_t i = 0; s->argv[i]; i++) {
      char *q = fix_shell_quote(s->argv[i]);
      fix_buf_printf(&cl, "%s%s", i ? " " : "", q ? q : "");
      free(q);
    }
    cJSON_AddStringToObject(inv, "commandLine", cl.data ? cl.data : "");
    fix_buf_free(&cl);
    cJSON_AddBoolToObject(inv, "executionSuccessful", s->st->errors_final == 0);
    struct fix_strv seen = {0};
    cJSON *results = cJSON_AddArrayToObject(run, "results");
    for (size_t i = 0; i < first->n; i++) {
      const struct fix_diag *d = &first->v[i];
      if ((int)d->compiler != fam)
        continue;
      char *id = rule_id(d);
      if (!id)
        continue;
      int ri = -1;
      for (size_t k = 0; k < seen.n; k++)
        if (!strcmp(seen.v[k], id))
          ri = (int)k;
      if (ri < 0) {
        cJSON_AddItemToArray(rules, rule(s, d, id));
        fix_strv_push(&seen, id);
        ri = (int)seen.n - 1;
      }
      cJSON *r = cJSON_CreateObject();
      cJSON_AddItemToArray(results, r);
      cJSON_AddStringToObject(r, "ruleId", id);
      cJSON_AddNumberToObject(r, "ruleIndex", ri);
      cJSON_AddStringToObject(r, "level", d->severity >= FIX_SEV_ERROR ? "error" : d->severity == FIX_SEV_WARNING ? "warning" : "note");
      cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "message"), "text", d->message && *d->message ? d->message : id);
      cJSON *loc = location(s, d, NULL);
      cJSON *locs = cJSON_AddArrayToObject(r, "locations");
      if (loc)
        cJSON_AddItemToArray(locs, loc);
      cJSON *related = NULL;
      for (size_t k = 0; k < d->nnotes; k++) {
        cJSON *nl = location(s, &d->notes[k], d->notes[k].message);
        if (!nl)
          continue;
        if (!related)
          related = cJSON_AddArrayToObject(r, "relatedLocations");
        cJSON_AddNumberToObject(nl, "id", (double)k);
        cJSON_AddItemToArray(related, nl);
      }
      char *ident = fix_diag_identity(d);
      char fp[32];
      snprintf(fp, sizeof fp, "%016llx", (unsigned long long)fix_hash64(ident ? ident : id, strlen(ident ? ident : id)));
      cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "partialFingerprints"), "fixIdentity/v1", fp);
      free(ident);
      if (repaired && repaired[i])
        cJSON_AddItemToObject(cJSON_AddObjectToObject(r, "properties"), "repairedByFix", cJSON_CreateTrue());
      /* the changes fix made for this result */
      cJSON *fixobj = NULL, *changes = NULL;
      for (size_t c = 0; c < nch; c++) {
        if (ch[c].owner != (long)i)
          continue;
        if (!fixobj) {
          fixobj = cJSON_CreateObject();
          cJSON_AddItemToArray(cJSON_AddArrayToObject(r, "fixes"), fixobj);
          cJSON_AddStringToObject(cJSON_AddObjectToObject(fixobj, "description"), "text",
                                  s->o->dry_run ? "the edit fix proposes (dry run)" : "the edit fix made");
          changes = cJSON_AddArrayToObject(fixobj, "artifactChanges");
        }
        cJSON *ac = NULL;
        cJSON *it;
        cJSON_ArrayForEach(it, changes) {
          const cJSON *u = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(it, "artifactLocation"), "uri");
          char *rel = fix_path_relative(s->vcs.root, ch[c].file);
          if (cJSON_IsString(u) && rel && !strcmp(u->valuestring, rel))
            ac = it;
          free(rel);
        }
        if (!ac) {
          ac = cJSON_CreateObject();
          cJSON_AddItemToArray(changes, ac);
          cJSON_AddItemToObject(ac, "artifactLocation", artifact(s, ch[c].file));
          cJSON_AddArrayToObject(ac, "replacements");
        }
        cJSON *rep = cJSON_CreateObject();
        cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(ac, "replacements"), rep);
        cJSON_AddItemToObject(rep, "deletedRegion", region(ch[c].orig, ch[c].olen, ch[c].a, ch[c].b));
        cJSON_AddStringToObject(cJSON_AddObjectToObject(rep, "insertedContent"), "text", ch[c].text ? ch[c].text : "");
      }
      free(id);
    }
    fix_strv_free(&seen);
  }
  char *text = cJSON_Print(log);
  cJSON_Delete(log);
  for (size_t c = 0; c < nch; c++) {
    free(ch[c].file);
    free(ch[c].text);
  }
  free(ch);
  free(repaired);
  if (!text)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory writing the SARIF log");
  enum fix_status st = !strcmp(path, "-") ? (fputs(text, stdout) < 0 ? fix_err_errno(err, FIX_ERR_IO, "cannot write the SARIF log") : FIX_OK)
                                          : fix_file_write_atomic(path, text, strlen(text), err);
  free(text);
  return st;
}
