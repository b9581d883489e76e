/* loop.c — the model pass: RustAssistant's algorithm with fix's checks.
 *
 * One error group at a time (the group is the error being fixed plus any errors its own edits
 * introduce). For the group's current error: collect context (tree-sitter), render the prompt,
 * ask the backend for N candidates, turn each reply into edits (rejections become feedback),
 * check every candidate in its own shadow — in parallel — on the affected translation units, and
 * rank them: target error gone, fewer new errors, fewer errors, smaller edit. The best is kept
 * only if it improves the state; a step that removes the target but exposes new errors is kept
 * and those errors join the group. A group that makes no progress within `attempts` model calls
 * is rolled back to where it started and set aside. The real build confirms every kept step
 * (model_confirm): an edit that broke a file the checks did not cover is rolled back.
 *
 * Ownership: everything allocated here is freed before returning, except the session's llm,
 * group and pending state (model_end). */
#include "internal.h"

#include <dirent.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void render_diag(struct session *s, const struct fix_diag *d, struct fix_buf *out) {
  for (size_t i = 0; i < d->nctx; i++)
    if (d->ctx[i].kind == FIX_CTX_FUNCTION && d->ctx[i].text)
      fix_buf_printf(out, "%s\n", d->ctx[i].text);
  char *loc = short_loc(s, &d->pos);
  fix_buf_printf(out, "%s: %s: %s%s%s%s\n", loc, fix_severity_str(d->severity), d->message ? d->message : "",
                 d->code ? " [" : "", d->code ? d->code : "", d->code ? "]" : "");
  free(loc);
  for (size_t i = 0; i < d->nnotes; i++) {
    char *nl = short_loc(s, &d->notes[i].pos);
    fix_buf_printf(out, "%s: note: %s\n", nl, d->notes[i].message ? d->notes[i].message : "");
    free(nl);
  }
}

static void group_clear(struct group *g) {
  fix_strv_free(&g->idents);
  free(g->feedback);
  memset(g, 0, sizeof *g);
}

static void pending_clear(struct pending *p) {
  fix_strv_free(&p->before);
  memset(p, 0, sizeof *p);
}

void model_end(struct session *s) {
  group_clear(&s->group);
  pending_clear(&s->pending);
  fix_strv_free(&s->failed);
  free(s->backend_error);
  s->backend_error = NULL;
  if (s->llm != s->borrowed_llm)
    fix_llm_free(s->llm);
  s->llm = NULL;
}

static void set_feedback(struct session *s, char *text) {
  free(s->group.feedback);
  s->group.feedback = text;
}

/* Opens the backend on first use. 1 when a model is available. */
static int ensure_llm(struct session *s) {
  if (s->llm)
    return 1;
  if (s->borrowed_llm) {
    s->llm = s->borrowed_llm;
    return 1;
  }
  if (s->llm_tried)
    return 0;
  s->llm_tried = 1;
  const struct fix_options *o = s->o;
  if (!o->backend || !strcmp(o->backend, "none"))
    return 0;
  struct fix_llm_config c = {0};
  c.backend = o->backend;
  c.base_url = o->base_url;
  c.model = o->model;
  c.api_key = o->api_key;
  c.replay_path = o->replay;
  c.record_path = o->record;
  c.timeout_s = o->llm_timeout_s;
  c.max_retries = -1;
  c.context_tokens = o->context_tokens;
  c.gpu = o->gpu;
  struct fix_err e;
  if (fix_llm_open(&c, &s->llm, &e) != FIX_OK) {
    if (o->src[FIX_CFG_BACKEND] != FIX_CFG_DEFAULT) {
      fix_err_set(&s->err, e.status, "%s", e.msg);
      return -1; /* the user chose this backend: a configuration error */
    }
    say(s, "no model backend for the remaining errors: %s", e.msg);
    return 0;
  }
  return 1;
}

/* The error the group works on now (or a new group's first error). NULL when none is left. */
/* The error an editor asked about, if it is still there and not given up on: the nearest error
 * to the chosen position in the chosen file. */
static const struct fix_diag *preferred(struct session *s, const struct fix_diag_list *cur) {
  const struct fix_diag *best = NULL;
  long best_d = 0;
  for (size_t i = 0; s->prefer_file && i < cur->n; i++) {
    const struct fix_diag *d = &cur->v[i];
    if (d->severity < FIX_SEV_ERROR || !d->pos.file || strcmp(d->pos.file, s->prefer_file) != 0 ||
        !session_acts_on(s, d))
      continue;
    char *id = fix_diag_identity(d);
    int failed = fix_strv_contains(&s->failed, id);
    free(id);
    long dist = labs((long)d->pos.line - s->prefer_line) * 1000 + labs((long)d->pos.col - s->prefer_col);
    if (!failed && (!best || dist < best_d))
      best = d, best_d = dist;
  }
  return best;
}

static const struct fix_diag *pick_target(struct session *s, const struct fix_diag_list *cur) {
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 1 && preferred(s, cur))
      return preferred(s, cur);
    for (size_t i = 0; i < cur->n; i++) {
      const struct fix_diag *d = &cur->v[i];
      if (d->severity < FIX_SEV_ERROR || !d->pos.file || !session_acts_on(s, d))
        continue;
      char *rel = fix_path_relative(s->vcs.root, d->pos.file);
      free(rel);
      if (!rel)
        continue; /* errors in system headers are not ours to edit */
      char *id = fix_diag_identity(d);
      int hit = pass == 0 ? s->group.active && fix_strv_contains(&s->group.idents, id)
                          : !fix_strv_contains(&s->failed, id);
      free(id);
      if (hit)
        return d;
    }
    if (pass == 0 && s->group.active) {
      s->st->groups_fixed++;
      fix_workspace_unmark(s->ws, s->group.mark); /* its edits stay */
      group_clear(&s->group);
    }
  }
  return NULL;
}

/* rustc's explanation of an error code: from the diagnostic, else `rustc --explain` (cached). */
static const char *explanation(struct session *s, const struct fix_diag *d) {
  if (d->explanation)
    return d->explanation;
  if (!d->code || d->code[0] != 'E' || strlen(d->code) != 5 || d->compiler != FIX_CC_RUSTC)
    return NULL;
  for (size_t i = 0; i < s->explained.n; i++)
    if (!strncmp(s->explained.v[i], d->code, 5) && s->explained.v[i][5] == '\n')
      return s->explained.v[i] + 6;
  const char *argv[] = {"rustc", "--explain", d->code, NULL};
  const char *env[] = {"PAGER=cat", "TERM=dumb", NULL};
  struct fix_spawn_result r;
  const char *out = NULL;
  if (fix_spawn_quiet(argv, NULL, env, 30, &r, NULL) == FIX_OK && r.exit_code == 0 && r.out.len) {
    fix_strv_push_own(&s->explained, fix_asprintf("%s\n%s", d->code, r.out.data));
    out = s->explained.v[s->explained.n - 1] + 6;
  }
  fix_buf_free(&r.out);
  return out;
}

/* The compiler's rendering (rustc) without colours, else fix's. Appends. */
static void prompt_diag(struct session *s, const struct fix_diag *d, struct fix_buf *out) {
  if (!d->rendered) {
    render_diag(s, d, out);
    return;
  }
  for (const char *p = d->rendered; *p; p++) {
    if (*p == '\033' && p[1] == '[') {
      p += 2;
      while (*p && !(*p >= '@' && *p <= '~'))
        p++;
      if (!*p)
        break;
      continue;
    }
    fix_buf_append(out, p, 1);
  }
}

static char *command_line(struct session *s) {
  struct fix_buf b;
  fix_buf_init(&b, 0);
  for (size_t i = 0; s->argv[i]; i++) {
    char *q = fix_shell_quote(s->argv[i]);
    fix_buf_printf(&b, "%s%s", i ? " " : "", q ? q : "");
    free(q);
  }
  return fix_buf_take(&b);
}

/* Renders the prompt for `target`. *known gets the files shown. */
/* The hunks of the developer's uncommitted diff that name what `target`'s message quotes (and the
 * other side of a rename or signature change of those names), at most about 3 KB. */
static void change_hunks(struct session *s, const struct fix_diag *target, struct fix_buf *out) {
  const struct fix_intent *it = session_intent(s);
  if (!it->diff || !target->message)
    return;
  struct fix_strv names = {0};
  const char *m = target->message;
  for (const char *p = m; *p; p++) { /* 'x', `x`, and the UTF-8 quotes gcc uses */
    size_t open = *p == '\'' || *p == '`' ? 1 : !strncmp(p, "\xe2\x80\x98", 3) ? 3 : 0;
    if (!open)
      continue;
    const char *a = p + open, *b = a;
    while (*b && (isalnum((unsigned char)*b) || *b == '_'))
      b++;
    if (b > a && b - a < 64 && (*b == '\'' || *b == '`' || !strncmp(b, "\xe2\x80\x99", 3))) {
      char *w = fix_strndup(a, (size_t)(b - a));
      if (w && !fix_strv_contains(&names, w))
        fix_strv_push(&names, w);
      free(w);
      p = b;
    }
  }
  size_t quoted = names.n;
  for (size_t i = 0; i < it->n; i++) {
    const struct fix_intent_change *c = &it->v[i];
    const char *a = c->fn ? c->fn : c->from, *b = c->kind == FIX_INTENT_RENAME ? c->to : a;
    for (size_t k = 0; k < quoted; k++)
      if (!strcmp(names.v[k], a) || !strcmp(names.v[k], b)) {
        if (!fix_strv_contains(&names, a))
          fix_strv_push(&names, a);
        if (!fix_strv_contains(&names, b))
          fix_strv_push(&names, b);
      }
  }
  if (names.n) {
    const char **v = calloc(names.n + 1, sizeof *v);
    for (size_t i = 0; v && i < names.n; i++)
      v[i] = names.v[i];
    if (v)
      fix_intent_hunks(it, v, 3000, out);
    free(v);
  }
  fix_strv_free(&names);
}

static enum fix_status build_prompt(struct session *s, const struct fix_diag *target, const struct fix_compile_cmd *cmd,
                                    char **system, char **user, struct fix_strv *known) {
  enum fix_lang lang = fix_lang_from_path(target->pos.file);
  const char *lname = lang == FIX_LANG_CPP ? "cpp" : lang == FIX_LANG_RUST ? "rust" : "c";
  char *tname = fix_asprintf("%s-%s", lname, s->o->edit_format ? s->o->edit_format : "search-replace");
  char *tmpl = NULL;
  enum fix_status st = fix_prompt_load(tname, &tmpl, NULL, &s->err);
  free(tname);
  if (st)
    return st;
  struct fix_buf diag;
  fix_buf_init(&diag, 0);
  prompt_diag(s, target, &diag);
  /* locations: the error, its notes and its macro/template context, inside the project */
  struct fix_ctx_loc locs[16];
  size_t nl = 0;
  locs[nl++] = (struct fix_ctx_loc){target->pos.file, target->pos.line};
  for (size_t i = 0; i < target->nnotes && nl < 16; i++)
    if (target->notes[i].pos.file && target->notes[i].pos.line > 0)
      locs[nl++] = (struct fix_ctx_loc){target->notes[i].pos.file, target->notes[i].pos.line};
  for (size_t i = 0; i < target->nctx && nl < 16; i++)
    if (target->ctx[i].kind != FIX_CTX_FUNCTION && target->ctx[i].pos.file && target->ctx[i].pos.line > 0 &&
        target->ctx[i].pos.file[0] == '/')
      locs[nl++] = (struct fix_ctx_loc){target->ctx[i].pos.file, target->ctx[i].pos.line};
  /* every span the diagnostic labels (a borrow: where it starts, is used, is moved) */
  for (size_t i = 0; i < target->nspans && nl < 16; i++)
    if (target->spans[i].begin.file && target->spans[i].begin.file[0] == '/' && target->spans[i].begin.line > 0)
      locs[nl++] = (struct fix_ctx_loc){target->spans[i].begin.file, target->spans[i].begin.line};
  /* a link error: the definitions nearest in name to the symbol (the one misspelled or renamed) */
  struct fix_strv near = {0};
  if (link_error(target) && nl < 16)
    nl += link_near_definitions(s, target, locs + nl, 16 - nl < 4 ? 16 - nl : 4, &near);
  struct fix_strv extra = {0};
  if (lang == FIX_LANG_RUST)
    project_files(s->vcs.root, (const char *const[]){".rs", NULL}, &extra, 200, 0);
  struct fix_strv incs = {0};
  if (cmd)
    cmd_include_dirs(cmd, &incs);
  int budget = fix_llm_context_tokens(s->llm) - fix_llm_estimate_tokens(tmpl) - fix_llm_estimate_tokens(diag.data) -
               s->o->max_tokens - 200;
  struct fix_ctx_request req = {0};
  req.root = s->vcs.root;
  req.locs = locs;
  req.nlocs = nl;
  req.message = target->message;
  req.include_dirs = (const char *const *)incs.v;
  req.extra_files = (const char *const *)extra.v;
  req.budget_tokens = budget > 256 ? budget : 256;
  struct fix_context ctx;
  struct fix_buf ctext;
  fix_buf_init(&ctext, 0);
  if (fix_context_collect(&req, session_text_lookup, s, &ctx, &s->err) == FIX_OK) {
    fix_context_render(&ctx, s->vcs.root, session_text_lookup, s, &ctext);
    fix_context_files(&ctx, known);
    fix_context_free(&ctx);
  }
  fix_strv_free(&incs);
  fix_strv_free(&extra);
  fix_strv_free(&near);
  char *cmdline = command_line(s);
  struct fix_buf files;
  fix_buf_init(&files, 0);
  for (size_t i = 0; i < known->n; i++) {
    char *rel = fix_path_relative(s->vcs.root, known->v[i]);
    fix_buf_printf(&files, "%s%s", i ? ", " : "", rel ? rel : known->v[i]);
    free(rel);
  }
  /* the developer's own change, where it touches the names the error is about: a model that sees the
   * rename or the new signature completes it instead of undoing it */
  struct fix_buf change;
  fix_buf_init(&change, 0);
  change_hunks(s, target, &change);
  struct fix_kv vars[] = {
      {"change", change.data ? change.data : ""},
      {"language", lname},
      {"command", cmdline ? cmdline : ""},
      {"diagnostics", diag.data ? diag.data : ""},
      {"context", ctext.data ? ctext.data : ""},
      {"explanation", explanation(s, target) ? explanation(s, target) : ""},
      {"feedback", s->group.feedback ? s->group.feedback : ""},
      {"files", files.data ? files.data : ""},
  };
  /* the parts were appended piece by piece: a failed append (sticky) means a hole in the prompt */
  enum fix_status bst = fix_buf_status(&diag) ? fix_buf_status(&diag)
                        : fix_buf_status(&ctext) ? fix_buf_status(&ctext)
                                                 : fix_buf_status(&files);
  if (bst)
    st = fix_err_set(&s->err, bst, "the prompt could not be assembled: %s", fix_status_str(bst));
  else
    st = fix_prompt_render(tmpl, vars, sizeof vars / sizeof *vars, system, user, &s->err);
  free(cmdline);
  fix_buf_free(&change);
  fix_buf_free(&files);
  fix_buf_free(&ctext);
  fix_buf_free(&diag);
  free(tmpl);
  return st;
}

/* The files go back to where the current group started (its edits are uncounted). */
static enum fix_status group_rollback(struct session *s, const struct fix_diag *target) {
  const char **paths;
  size_t n = fix_workspace_changed(s->ws, &paths);
  struct fix_strv files = {0};
  for (size_t i = 0; i < n; i++)
    fix_strv_push(&files, paths[i]);
  enum fix_status st = fix_workspace_rollback(s->ws, s->group.mark, &s->err);
  for (size_t i = 0; i < files.n && !st; i++)
    st = session_shadow_sync(s, files.v[i]);
  fix_strv_free(&files);
  if (!st) { /* every step since the group began is undone, fix-its committed meanwhile included */
    s->st->edits = s->group.edits_at_start;
    s->st->fixits_kept = s->group.fixits_at_start;
    while (s->unsafe_applied.n > s->group.unsafe_at_start)
      fix_strv_remove(&s->unsafe_applied, s->unsafe_applied.n - 1);
  }
  s->group.steps = 0;
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "kind", "group");
  cJSON_AddStringToObject(o, "diagnostic", target && target->message ? target->message : "");
  emit(s, "edit_rolled_back", o);
  return st;
}

/* Gives up on the current group: the files go back to where the group started. */
static enum fix_status give_up(struct session *s, const struct fix_diag *target, int *kept) {
  char *loc = short_loc(s, &target->pos);
  say(s, "giving up on %s: %s (after %d model call%s)%s", loc, target->message ? target->message : "",
      s->group.attempts, s->group.attempts == 1 ? "" : "s", s->group.steps ? "; rolling back its edits" : "");
  free(loc);
  enum fix_status st = FIX_OK;
  if (s->group.steps) {
    st = group_rollback(s, target);
    *kept = 1; /* the files changed: rebuild */
  }
  for (size_t i = 0; i < s->group.idents.n; i++)
    if (!fix_strv_contains(&s->failed, s->group.idents.v[i]))
      fix_strv_push(&s->failed, s->group.idents.v[i]);
  s->st->groups_failed++;
  group_clear(&s->group);
  return st;
}

/* The backend failed mid-session: the model is not asked again; the unfinished group's edits (not
 * yet shown to fix the build) go back, and everything verified before stays. */
static enum fix_status backend_stop(struct session *s, const struct fix_diag *target, int *kept) {
  say(s, "the model backend failed: %s", s->backend_error);
  enum fix_status st = FIX_OK;
  if (s->group.active && s->group.steps) {
    say(s, "rolling back the %d unfinished model edit%s of this error group", s->group.steps,
        s->group.steps == 1 ? "" : "s");
    st = group_rollback(s, target);
    *kept = 1;
  }
  group_clear(&s->group);
  return st;
}

/* The status line while the model writes: what, tokens so far, tokens/s, time (10 a second at most). */
static void model_progress(void *ud, long tokens) {
  struct session *s = ud;
  double now = fix_now(), el = now - s->status_t0;
  if (now - s->status_last < 0.1)
    return;
  s->status_last = now;
  char line[512];
  snprintf(line, sizeof line, "%s writing %.200s: %ld token%s, %.1f tok/s, %.1f s", fix_llm_name(s->llm),
           s->status_what ? s->status_what : "", tokens, tokens == 1 ? "" : "s", el > 0 ? tokens / el : 0.0, el);
  s->sinks->status(s->sinks->ud, line);
}

static enum fix_status judge(struct session *s, const struct fix_diag *target, const char *target_id,
                             const struct fix_compile_cmd *cmd, const struct fix_diag_list *cur_build,
                             struct candidate *cs, size_t nc, size_t nmodel, int *accepted);

/* One model call for `target` and the evaluation of its candidates. *accepted on success. */
static enum fix_status attempt(struct session *s, const struct fix_diag *target, const char *target_id,
                               const struct fix_diag_list *cur_build, int *accepted) {
  *accepted = 0;
  const struct fix_compile_cmd *cmd = session_cmd_for(s, fix_diag_tu(target) ? fix_diag_tu(target) : target->pos.file);
  char *system = NULL, *user = NULL;
  struct fix_strv known = {0};
  enum fix_status st = build_prompt(s, target, cmd, &system, &user, &known);
  if (st) {
    fix_strv_free(&known);
    return st;
  }
  struct fix_llm_msg msgs[] = {{"system", system}, {"user", user}};
  int n = s->o->candidates; /* at most FIX_MAX_CANDIDATES: the configuration refuses more */
  struct fix_llm_request req = {msgs, 2, n, n > 1 ? s->o->temperature : 0, s->o->max_tokens, NULL, NULL, NULL};
  /* the files shown, as shown: the local engine decodes replies that can only edit them */
  struct fix_shown_file *shown = s->o->constrain && known.n ? calloc(known.n, sizeof *shown) : NULL;
  struct fix_strv rels = {0};
  struct fix_llm_edit_constraint ec = {0};
  size_t nshown = 0;
  for (size_t i = 0; shown && i < known.n; i++) {
    char *rel = fix_path_relative(s->vcs.root, known.v[i]);
    const char *data;
    size_t len;
    if (rel && session_text_lookup(s, known.v[i], &data, &len) == FIX_OK && !fix_strv_push_own(&rels, rel)) {
      shown[nshown++] = (struct fix_shown_file){rels.v[rels.n - 1], data, len};
      continue;
    }
    free(rel);
  }
  if (nshown) {
    enum fix_edit_format fmt = FIX_FMT_SEARCH_REPLACE;
    fix_edit_format_from_str(s->o->edit_format ? s->o->edit_format : "search-replace", &fmt);
    ec = (struct fix_llm_edit_constraint){(int)fmt, shown, nshown};
    req.edit = &ec;
  }
  struct fix_llm_reply reply;
  char *loc = short_loc(s, &target->pos);
  say(s, "asking %s for %d candidate%s: %s: %s", fix_llm_name(s->llm), n, n == 1 ? "" : "s", loc,
      target->message ? target->message : "");
  if (s->sinks && s->sinks->status) { /* the live status line */
    req.progress = model_progress;
    req.progress_ud = s;
    free(s->status_what);
    s->status_what = fix_asprintf("%s: %s", loc, target->message ? target->message : "");
    s->status_t0 = fix_now();
    s->status_last = 0;
  }
  double call_t0 = fix_now();
  st = fix_llm_complete(s->llm, &req, &reply, &s->err);
  if (req.progress)
    s->sinks->status(s->sinks->ud, NULL);
  s->st->model_calls++;
  s->st->model_s += fix_now() - call_t0; /* the wall time of the call, interrupted or failed too */
  free(shown);
  fix_strv_free(&rels);
  s->st->tokens_in += reply.tokens_in;
  s->st->tokens_out += reply.tokens_out;
  s->group.attempts++;
  free(system);
  free(user);
  if (st) {
    free(loc);
    fix_strv_free(&known);
    if (st != FIX_ERR_INTERRUPTED && !fix_interrupted()) {
      /* the backend failed: what was verified so far stays (model_pass stops the model) */
      free(s->backend_error);
      s->backend_error = fix_strdup(s->err.msg[0] ? s->err.msg : fix_status_str(st));
      return FIX_OK;
    }
    return st;
  }
  struct candidate *cs = NULL;
  size_t nc = candidates_from_replies(s, &reply.texts, &known, &cs);
  size_t nmodel = nc;
  candidates_add_fixits(s, target, &cs, &nc); /* the compiler's unsafe fix-its compete with them */
  fix_llm_reply_free(&reply);
  fix_strv_free(&known);
  st = judge(s, target, target_id, cmd, cur_build, cs, nc, nmodel, accepted);
  free(loc);
  return st;
}

/* Checks the candidates for `target` (nmodel of them the model's, the rest the compiler's unsafe
 * fix-its), keeps the best if it improves the state, else says why (feedback for the model). Frees
 * cs. */
static enum fix_status judge(struct session *s, const struct fix_diag *target, const char *target_id,
                             const struct fix_compile_cmd *cmd, const struct fix_diag_list *cur_build,
                             struct candidate *cs, size_t nc, size_t nmodel, int *accepted) {
  *accepted = 0;
  enum fix_status st = FIX_OK;
  char *loc = short_loc(s, &target->pos);
  /* the baseline and every candidate on the same TUs */
  const struct fix_compile_cmd *tus[FIX_REPAIR_MAX_TUS];
  size_t ntus = 0;
  int by_build = 0;
  struct fix_diag_list before;
  fix_diag_list_init(&before);
  st = candidates_prepare(s, cmd, target, cs, nc, tus, &ntus, &before, &by_build);
  if (!st && s->sinks && s->sinks->status && nc) {
    char line[128];
    snprintf(line, sizeof line, "checking %zu candidate%s on %zu translation unit%s", nc, nc == 1 ? "" : "s", ntus,
             ntus == 1 ? "" : "s");
    s->sinks->status(s->sinks->ud, line);
  }
  if (!st)
    st = candidates_evaluate(s, cs, nc, &before, target_id, target, by_build);
  if (!st) /* an edit that exposed errors is judged together with their fix-its */
    st = candidates_complete(s, cs, nc, &before, target_id, target, by_build);
  if (s->sinks && s->sinks->status)
    s->sinks->status(s->sinks->ud, NULL);
  struct candidate *best = st ? NULL : candidates_best(cs, nc);
  int eb = errors_of(&before);
  int ok = 0, ties = 0, ambiguous = 0, deferred = 0;
  if (best) {
    if (best->new_errors == 0 && best->errors < eb)
      ok = 1; /* strictly better */
    else if (best->target_gone && best->errors <= eb + 2 && best->new_elsewhere == 0)
      ok = 2; /* the target is gone; the errors it exposed in the files it edited join the group */
    /* an unsafe fix-it must beat every alternative: a tie among the compiler's own is no choice */
    for (size_t i = 0; best->fixit_why && i < nc; i++)
      ties += &cs[i] != best && !cs[i].rejected && cs[i].fixit_why && cs[i].target_gone == best->target_gone &&
              cs[i].new_errors == best->new_errors && cs[i].errors == best->errors;
    /* alternatives only the code's meaning decides (which argument to drop): two that both
     * compile cleanly with the same evidence are no choice either */
    for (size_t i = 0; best->exclusive && i < nc; i++)
      ambiguous += &cs[i] != best && !cs[i].rejected && cs[i].exclusive && cs[i].evidence >= best->evidence &&
                   cs[i].target_gone && !cs[i].new_errors && !cs[i].new_warnings && cs[i].errors <= best->errors;
    if (ties || ambiguous || (!nmodel && ok == 2))
      ok = 0; /* without a model, only a fix-it that leaves nothing new behind */
    /* an unsafe fix-it (rustc's MaybeIncorrect) wins over the model's candidates only when one of
     * them could be judged: when every one was refused, the model is asked again first (with the
     * reasons) while the group has calls left */
    int model_valid = 0;
    for (size_t i = 0; i < nc; i++)
      model_valid |= !cs[i].fixit_why && !cs[i].repair_why && !cs[i].rejected;
    if (ok && best->fixit_why && nmodel && !model_valid && s->group.attempts < s->o->attempts)
      ok = 0, deferred = 1;
  }
  for (size_t i = 0; s->o->verbose && i < nc; i++) {
    if (cs[i].rejected)
      say(s, "  candidate %d rejected: %s", cs[i].index, cs[i].rejected);
    else
      say(s, "  candidate %d%s%s%s: %s, errors %d -> %d, %d new", cs[i].index,
          cs[i].fixit_why ? " (the compiler's unsafe fix-it: " : cs[i].repair_why ? " (repair: " : "",
          cs[i].fixit_why ? cs[i].fixit_why : cs[i].repair_why ? cs[i].repair_why : "",
          cs[i].fixit_why || cs[i].repair_why ? ")" : "", cs[i].target_gone ? "error gone" : "error remains", eb,
          cs[i].errors, cs[i].new_errors);
  }
  if (!st && ok) {
    pending_clear(&s->pending);
    s->pending.unsafe_n = s->unsafe_applied.n;
    size_t mark = fix_workspace_mark(s->ws); /* kept until the real build confirms the step */
    char *label = best->repair_why
                      ? fix_asprintf("%s; %s", target->message ? target->message : "", best->repair_why)
                  : best->fixit_why && !nmodel
                      ? fix_asprintf("%s; the compiler's unsafe fix-it (%s), the only one that works",
                                     target->message ? target->message : "", best->fixit_why)
                  : best->fixit_why
                      ? fix_asprintf("the compiler's unsafe fix-it (%s), better than the model's %zu candidate%s",
                                     best->fixit_why, nmodel, nmodel == 1 ? "" : "s")
                  : best->completed
                      ? fix_asprintf("model candidate %d of %zu, with %d fix-it%s of the errors it exposed", best->index,
                                     nmodel, best->completed, best->completed == 1 ? "" : "s")
                      : fix_asprintf("model candidate %d of %zu", best->index, nmodel);
    commit_target(s, target_id);
    st = commit(s, &best->fs, best->repair_why ? "repair" : best->fixit_why ? "fix-it" : "edit", loc,
                label ? label : "model edit",
                best->repair_why ? "fix" : best->fixit_why ? fix_compiler_str(target->compiler) : fix_llm_name(s->llm),
                eb, best->errors);
    if (!st)
      s->st->fixits_kept += best->completed + (best->fixit_why ? 1 : 0);
    if (!st && best->repair_why)
      s->st->repairs_kept++;
    if (!st && best->fixit_why) {
      char *note = fix_asprintf("%s: %s (%s)", loc, target->message ? target->message : "", best->fixit_why);
      if (note && !fix_strv_contains(&s->unsafe_applied, note))
        fix_strv_push(&s->unsafe_applied, note);
      free(note);
    }
    free(label);
    if (st) {
      fix_workspace_unmark(s->ws, mark);
    } else {
      *accepted = 1;
      if (s->group.active) {
        s->group.steps++;
        s->group.attempts = 0;
      }
      set_feedback(s, NULL);
      if (ok == 2 && s->group.active)
        for (size_t i = 0; i < best->after.n; i++) {
          if (best->after.v[i].severity < FIX_SEV_ERROR || exposed_later(&before, &best->after.v[i]))
            continue;
          char *id = fix_diag_identity(&best->after.v[i]);
          if (id && !has_error_ident(&before, id) && !fix_strv_contains(&s->group.idents, id))
            fix_strv_push(&s->group.idents, id);
          free(id);
        }
      /* the real build must confirm it */
      s->pending.active = 1;
      s->pending.mark = mark;
      s->pending.log = s->last_log; /* borrowed: the build that confirms the step runs before it changes */
      s->pending.rust_phase = rust_phase_reached(cur_build);
      s->pending.linked = 0;
      for (size_t i = 0; i < cur_build->n; i++)
        s->pending.linked |= link_error(&cur_build->v[i]);
      for (size_t i = 0; i < cur_build->n; i++)
        if (cur_build->v[i].severity >= FIX_SEV_ERROR) {
          char *id = fix_diag_identity(&cur_build->v[i]);
          if (id)
            fix_strv_push_own(&s->pending.before, id);
        }
    }
  } else if (!st && !nmodel) {
    /* the compiler's unsafe fix-its alone (no model): none is a clear winner */
    if (ties) {
      char *note = fix_asprintf("%s: %s (%d fixes the compiler offers do equally well)", loc,
                                target->message ? target->message : "", ties + 1);
      if (note && !fix_strv_contains(&s->unsafe_left_ids, target_id)) {
        fix_strv_push(&s->unsafe_left, note);
        fix_strv_push(&s->unsafe_left_ids, target_id);
      }
      free(note);
    }
    if (ambiguous) { /* said at once: the user must choose */
      struct fix_buf alts;
      fix_buf_init(&alts, 0);
      for (size_t i = 0, k = 0; i < nc && k < 4; i++)
        if (!cs[i].rejected && cs[i].exclusive && cs[i].target_gone && !cs[i].new_errors && !cs[i].new_warnings)
          fix_buf_printf(&alts, "%s%s", k++ ? "; " : "", cs[i].repair_why ? cs[i].repair_why : "?");
      say(s, "%s: %s: left alone: %d repairs compile cleanly (%s), and the code does not say which is meant", loc,
          target->message ? target->message : "", ambiguous + 1, alts.data ? alts.data : "");
      fix_buf_free(&alts);
    }
    if (s->o->verbose)
      say(s, "no unsafe fix-it for %s is kept%s", loc, ties ? ": several do equally well" : "");
  } else if (!st) {
    /* feedback for the next attempt (each distinct reason once), and the same on one line */
    struct fix_buf fb, line;
    fix_buf_init(&fb, 0);
    fix_buf_init(&line, 0);
    if (ties) {
      fix_buf_printf(&fb, "the edit did not fix the error; %d fixes the compiler offers do, equally well", ties + 1);
      fix_buf_puts(&line, fb.data ? fb.data : "");
    } else if (!best || deferred) {
      struct fix_strv reasons = {0};
      for (size_t i = 0; i < nc; i++)
        if (cs[i].rejected && !fix_strv_contains(&reasons, cs[i].rejected))
          fix_strv_push(&reasons, cs[i].rejected);
      for (size_t i = 0; i < reasons.n && i < 3; i++)
        fix_buf_printf(&fb, "%s%s", i ? "; " : "", reasons.v[i]);
      if (!nc)
        fix_buf_puts(&fb, "the reply was empty");
      fix_strv_free(&reasons);
      fix_buf_puts(&line, fb.data ? fb.data : "");
    } else if (!best->target_gone) {
      fix_buf_printf(&fb, "the edit was applied but the error is still reported: %s",
                     target->message ? target->message : "");
      fix_buf_puts(&line, fb.data ? fb.data : "");
    } else {
      const char *where = best->new_elsewhere ? "in files it did not change" : "";
      if (best->first_new) {
        fix_buf_printf(&fb, "the edit removed the error but introduced %d new error%s%s%s, the first:\n%s",
                       best->new_errors, best->new_errors == 1 ? "" : "s", *where ? " " : "", where, best->first_new);
        fix_buf_printf(&line, "the edit removed the error but introduced %d new error%s%s%s, the first: %s",
                       best->new_errors, best->new_errors == 1 ? "" : "s", *where ? " " : "", where,
                       best->first_new_line ? best->first_new_line : "");
      } else {
        fix_buf_printf(&fb, "the edit removed the error but left %d errors where there were %d", best->errors, eb);
        fix_buf_puts(&line, fb.data ? fb.data : "");
      }
    }
    say(s, "no candidate improves the build: %s", line.data ? line.data : "");
    fix_buf_free(&line);
    set_feedback(s, fix_buf_take(&fb));
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", "model");
    cJSON_AddStringToObject(o, "diagnostic", target->message ? target->message : "");
    cJSON_AddStringToObject(o, "location", loc);
    cJSON_AddStringToObject(o, "reason", s->group.feedback ? s->group.feedback : "");
    emit(s, "edit_rolled_back", o);
  }
  candidates_free(cs, nc);
  fix_diag_list_free(&before);
  free(loc);
  return st;
}

/* Without the model: each error's model-free repairs (and, with `fixits`, the compiler's unsafe
 * fix-its) compete with each other and with leaving the error; one that fixes it, leaves nothing
 * new and beats the others is kept (each error is tried once). The fix-its come from a check of
 * each unit with errors (a build's text output may carry none). With a model this runs first with
 * repairs only: what fix can repair itself costs no tokens. */
static enum fix_status fixits_alone(struct session *s, const struct fix_diag_list *cur, int *kept, int fixits) {
  if (fixits && (s->o->unsafe_fixes || !s->o->fixits))
    fixits = 0; /* the fix-it pass tried them all already, or fix-its are off */
  if (!fixits && !s->o->repairs)
    return FIX_OK;
  struct fix_strv tus = {0};
  const struct fix_compile_cmd *done[64];
  size_t ndone = 0;
  for (size_t i = 0; i < cur->n; i++) {
    const char *tu = fix_diag_tu(&cur->v[i]);
    if (cur->v[i].severity >= FIX_SEV_ERROR && tu && tu[0] == '/' && session_acts_on(s, &cur->v[i]) &&
        !fix_strv_contains(&tus, tu))
      fix_strv_push(&tus, tu);
  }
  enum fix_status st = FIX_OK;
  for (size_t t = 0; t < tus.n && !st && !*kept && ndone < 64; t++) {
    const struct fix_compile_cmd *cmd = session_cmd_for(s, tus.v[t]);
    int seen = !cmd;
    for (size_t k = 0; k < ndone; k++)
      seen |= done[k] == cmd;
    if (seen)
      continue; /* Rust: one check covers every file */
    done[ndone++] = cmd;
    int unit_fixits = fixits && fix_strv_contains(&s->unsafe_tus, cmd->file); /* else the pass set none aside */
    if (!unit_fixits && !s->o->repairs)
      continue;
    struct fix_diag_list diags;
    fix_diag_list_init(&diags);
    st = session_untrusted(s, cmd) ? FIX_OK : session_baseline(s, cmd, &diags);
    const struct fix_diag_list *from = session_untrusted(s, cmd) ? cur : &diags;
    for (size_t i = 0; !st && i < from->n && !*kept; i++) {
      const struct fix_diag *d = &from->v[i];
      if (d->severity < FIX_SEV_ERROR || !d->pos.file || !session_acts_on(s, d))
        continue;
      char *id = fix_diag_identity(d);
      /* each error once: by identity, and (repairs: the same message may stand on many lines) by place */
      char *key = id ? fix_asprintf("%s%s\n%d:%d", unit_fixits ? "" : "repairs\n", id, s->o->repairs ? d->pos.line : 0,
                                    s->o->repairs ? d->pos.col : 0)
                     : NULL;
      if (!key || fix_strv_contains(&s->fixits_alone_tried, key)) {
        free(id);
        free(key);
        continue;
      }
      fix_strv_push_own(&s->fixits_alone_tried, key);
      struct candidate *cs = NULL;
      size_t nc = 0;
      if (unit_fixits)
        candidates_add_fixits(s, d, &cs, &nc);
      candidates_add_repairs(s, d, cmd, &cs, &nc);
      if (!nc) {
        free(cs);
        free(id);
        continue;
      }
      if (fix_interrupted())
        st = fix_err_set(&s->err, FIX_ERR_INTERRUPTED, "interrupted");
      else
        st = judge(s, d, id, cmd, cur, cs, nc, 0, kept);
      free(id);
    }
    fix_diag_list_free(&diags);
  }
  fix_strv_free(&tus);
  return st;
}

enum fix_status model_pass(struct session *s, const struct fix_diag_list *cur, int *kept) {
  *kept = 0;
  if (s->backend_error)
    return fixits_alone(s, cur, kept, 1); /* the backend failed earlier in this session */
  int have = ensure_llm(s);
  if (have < 0) { /* the backend the user chose cannot be opened: like a failed call */
    s->backend_error = fix_strdup(s->err.msg[0] ? s->err.msg : "the backend could not be opened");
    return backend_stop(s, NULL, kept);
  }
  if (!have)
    return fixits_alone(s, cur, kept, 1);
  enum fix_status rst = fixits_alone(s, cur, kept, 0); /* fix's own repairs first: no tokens */
  if (rst || *kept)
    return rst;
  for (;;) {
    if (fix_interrupted())
      return fix_err_set(&s->err, FIX_ERR_INTERRUPTED, "interrupted");
    if (s->o->time_budget_s > 0 && fix_now() - s->t0 > s->o->time_budget_s) {
      say(s, "stopping: the time budget of %.0f s is spent", s->o->time_budget_s);
      return FIX_OK;
    }
    const struct fix_diag *target = pick_target(s, cur);
    if (!target)
      return FIX_OK;
    char *id = fix_diag_identity(target);
    if (!s->group.active) {
      s->group.active = 1;
      s->group.mark = fix_workspace_mark(s->ws);
      s->group.edits_at_start = s->st->edits;
      s->group.fixits_at_start = s->st->fixits_kept;
      s->group.unsafe_at_start = s->unsafe_applied.n;
      fix_strv_push(&s->group.idents, id);
    }
    if (s->group.attempts >= s->o->attempts) {
      enum fix_status st = give_up(s, target, kept);
      free(id);
      if (st || *kept)
        return st;
      continue; /* nothing was changed: the next group, same state */
    }
    int accepted = 0;
    enum fix_status st = attempt(s, target, id, cur, &accepted);
    free(id);
    if (st)
      return st;
    if (s->backend_error)
      return backend_stop(s, target, kept);
    if (accepted) {
      *kept = 1;
      return FIX_OK;
    }
  }
}

/* Files of `dir` (relative names) a build log mentions, as "was this TU compiled?" evidence. */
static int log_mentions(const char *log, const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  return log && strstr(log, base) != NULL;
}

int model_confirm(struct session *s, const struct fix_diag_list *built) {
  if (!s->pending.active)
    return 0;
  /* a new error in a TU the previous build had compiled is the step's doing */
  const struct fix_diag *broken = NULL;
  for (size_t i = 0; i < built->n && !broken; i++) {
    const struct fix_diag *d = &built->v[i];
    if (d->severity < FIX_SEV_ERROR)
      continue;
    char *id = fix_diag_identity(d);
    const char *tu = fix_diag_tu(d);
    /* a new link error, when the build before the step linked (else the link runs for the first time
     * and its errors may be old ones a compile error hid) */
    int linked = link_error(d) && s->pending.linked;
    if (id && !fix_strv_contains(&s->pending.before, id) && !fix_strv_contains(&s->group.idents, id) &&
        (linked || (!link_error(d) && tu && log_mentions(s->pending.log, tu))) &&
        !(s->pending.rust_phase && rust_phase(d) > s->pending.rust_phase))
      broken = d;
    free(id);
  }
  int rolled = 0;
  if (broken && !s->o->dry_run) {
    struct fix_buf b;
    fix_buf_init(&b, 0);
    render_diag(s, broken, &b);
    say(s, "the last edit broke the build elsewhere; rolling it back: %s", b.data ? b.data : "");
    const char **paths;
    size_t n = fix_workspace_changed(s->ws, &paths);
    struct fix_strv files = {0};
    for (size_t i = 0; i < n; i++)
      fix_strv_push(&files, paths[i]);
    if (fix_workspace_rollback(s->ws, s->pending.mark, &s->err) == FIX_OK) {
      rolled = 1;
      s->group.steps = s->group.steps ? s->group.steps - 1 : 0;
      s->st->edits--;
      while (s->unsafe_applied.n > s->pending.unsafe_n)
        fix_strv_remove(&s->unsafe_applied, s->unsafe_applied.n - 1);
      char *fb = fix_asprintf("the edit compiled where the error was, but broke another file:\n%s", b.data ? b.data : "");
      set_feedback(s, fb);
      cJSON *o = cJSON_CreateObject();
      cJSON_AddStringToObject(o, "kind", "model");
      cJSON_AddStringToObject(o, "reason", fb ? fb : "");
      emit(s, "edit_rolled_back", o);
    }
    for (size_t i = 0; i < files.n; i++)
      if (session_shadow_sync(s, files.v[i]) != FIX_OK)
        fix_log(FIX_LOG_WARN, "a shadow could not be brought back in step: %s", s->err.msg);
    fix_strv_free(&files);
    fix_buf_free(&b);
  } else {
    fix_workspace_unmark(s->ws, s->pending.mark); /* confirmed */
  }
  pending_clear(&s->pending);
  return rolled;
}
