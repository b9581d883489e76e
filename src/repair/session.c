/* session.c — one repair session, from the first build to the summary.
 *
 *   build → (passes? done) → diagnostics → fix-it pass → rebuild → … → summary
 *
 * Invariants: nothing is written before the first build has failed and the project root, the
 * version-control state and the journal are settled; every write goes through the workspace
 * (journalled, atomic); on interruption or an internal error every file is restored before
 * returning. In dry-run mode the real build runs once, and later states are judged by fast
 * checks of the affected translation units instead of rebuilding. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum fix_status session_check(struct session *s, const struct fix_compile_cmd *cmd, struct fix_diag_list *out) {
  double t0 = fix_now();
  enum fix_status st = fix_check_tu(s->shadow, cmd, s->o->check_timeout_s, out, &s->err);
  s->st->checks++;
  s->st->check_s += fix_now() - t0;
  s->st->check_wall_s += fix_now() - t0;
  return st;
}

enum fix_status session_shadow_restore(struct session *s, struct fix_shadow *sh, const char *path,
                                       struct fix_err *err) {
  size_t olen;
  const char *data;
  size_t len;
  if (s->o->dry_run && fix_workspace_original(s->ws, path, &olen) &&
      fix_workspace_read(s->ws, path, &data, &len, NULL) == FIX_OK)
    return fix_shadow_put(sh, path, data, len, err);
  return fix_shadow_reset(sh, path, err);
}

enum fix_status session_shadow_sync(struct session *s, const char *path) {
  enum fix_status st = FIX_OK;
  for (int i = 0; i < s->nshadows && !st; i++)
    st = session_shadow_restore(s, s->shadows[i], path, &s->err);
  return st;
}

/* A hash of the session's files as they are now: the same state twice means fix is going round
 * in circles. Returns 1 when this state was seen before. */
static int seen_state(struct session *s) {
  const char **paths;
  size_t n = fix_workspace_changed(s->ws, &paths);
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) {
    const char *data;
    size_t len;
    h ^= fix_hash64(paths[i], strlen(paths[i]));
    if (fix_workspace_read(s->ws, paths[i], &data, &len, NULL) == FIX_OK)
      h = h * 1099511628211ull ^ fix_hash64(data, len);
  }
  char hex[32];
  snprintf(hex, sizeof hex, "%016llx", (unsigned long long)h);
  if (fix_strv_contains(&s->states, hex))
    return 1;
  fix_strv_push(&s->states, hex);
  return 0;
}

static void report_build(struct session *s, const struct fix_build_result *b) {
  long errors = (long)(fix_diag_list_count(&b->diags, FIX_SEV_ERROR) + b->errors_dropped);
  long warnings = (long)(fix_diag_list_count(&b->diags, FIX_SEV_WARNING) + b->warnings_dropped);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "exit_code", b->exit_code);
  cJSON_AddNumberToObject(o, "seconds", b->wall_s);
  cJSON_AddNumberToObject(o, "errors", errors);
  cJSON_AddNumberToObject(o, "warnings", warnings);
  cJSON_AddNumberToObject(o, "diagnostics_not_kept", (double)(b->errors_dropped + b->warnings_dropped));
  emit(s, "build_finished", o);
  for (size_t i = 0; i < b->diags.n; i++)
    if (b->diags.v[i].severity >= FIX_SEV_WARNING)
      emit(s, "diagnostic", diag_to_json(&b->diags.v[i]));
  if (b->exit_code == 0)
    say(s, "build passed (%.2f s)", b->wall_s);
  else
    say(s, "build failed with exit code %d: %ld error%s, %ld warning%s%s (%.2f s)", b->exit_code, errors,
        errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
        b->errors_dropped || b->warnings_dropped ? " (past the first 50000 errors and 10000 warnings, counted only)" : "",
        b->wall_s);
}

enum fix_status session_build(struct session *s, struct fix_build_result *b, int quiet) {
  const char *const *argv = s->build_argv ? (const char *const *)s->build_argv : s->argv;
  if (!quiet) {
    cJSON *o = cJSON_CreateObject();
    cJSON *a = cJSON_AddArrayToObject(o, "command");
    for (size_t i = 0; argv[i]; i++)
      cJSON_AddItemToArray(a, cJSON_CreateString(argv[i]));
    cJSON_AddStringToObject(o, "cwd", s->cwd);
    emit(s, "build_started", o);
  }
  int out_fd = quiet || !s->sinks ? -1 : s->sinks->build_stdout_fd, err_fd = quiet || !s->sinks ? -1 : s->sinks->build_stderr_fd;
  struct fix_build_opts bo = {argv, s->cwd, out_fd, err_fd, s->o->build_timeout_s, 1, s->o->color > 0, s->ic,
                              &s->found_dirs, &s->unplaced};
  enum fix_status st = fix_build_run(&bo, b, &s->err);
  s->st->builds++;
  s->st->build_s += b->wall_s;
  if (st)
    return st;
  if (b->interrupted)
    return fix_err_set(&s->err, FIX_ERR_INTERRUPTED, "interrupted");
  if (b->timed_out)
    return fix_err_set(&s->err, FIX_ERR_TIMEOUT, "the build took longer than %.0f s", s->o->build_timeout_s);
  session_learn(s, b);
  if (s->ws)
    link_locate(s, &b->diags); /* a link error without -g gets its caller's place, in every build alike */
  if (quiet)
    return FIX_OK;
  report_build(s, b);
  fix_diag_list_free(&s->last_build);
  for (size_t i = 0; i < b->diags.n; i++)
    fix_diag_list_copy_in(&s->last_build, &b->diags.v[i]);
  s->build_diags = &s->last_build;
  s->build_writes = s->ws ? fix_workspace_nwrites(s->ws) : 0;
  return FIX_OK;
}

/* Errors of the TUs known to have had errors, by fast checks (dry-run's stand-in for a rebuild). */
static enum fix_status recheck(struct session *s, const struct fix_diag_list *prev, struct fix_diag_list *out) {
  struct fix_strv tus = {0};
  enum fix_status st = FIX_OK;
  for (size_t i = 0; i < prev->n; i++) {
    const char *tu = fix_diag_tu(&prev->v[i]);
    if (prev->v[i].severity >= FIX_SEV_ERROR && tu && tu[0] == '/' && !fix_strv_contains(&tus, tu))
      fix_strv_push(&tus, tu);
  }
  for (size_t i = 0; i < tus.n && !st; i++) {
    const struct fix_compile_cmd *cmd = session_cmd_for(s, tus.v[i]);
    if (cmd)
      st = session_baseline(s, cmd, out);
  }
  fix_strv_free(&tus);
  return st;
}

/* Wall times of the phases (builds, checks, model) and what is left: fix's own work. Parallel
 * checks count once, by the wall time spent waiting on them, so the split always adds up. */
static double own_time(const struct fix_repair_stats *t) {
  double own = t->total_s - t->build_s - t->check_wall_s - t->model_s;
  return own > 0 ? own : 0;
}

static const char *parallel_note(const struct fix_repair_stats *t) {
  static __thread char note[64];
  note[0] = '\0';
  if (t->check_s > t->check_wall_s + 0.005)
    snprintf(note, sizeof note, " (%.2f s summed over parallel checks)", t->check_s);
  return note;
}

static const char *repairs_note(const struct fix_repair_stats *t) {
  static __thread char note[64];
  note[0] = '\0';
  if (t->repairs_tried)
    snprintf(note, sizeof note, ", %d of %d repairs", t->repairs_kept, t->repairs_tried);
  return note;
}

static void summary(struct session *s, enum fix_outcome oc) {
  struct fix_repair_stats *t = s->st;
  const char **paths = NULL;
  t->files_changed = s->ws ? (int)fix_workspace_changed(s->ws, &paths) : 0;
  const char *verdict = oc == FIX_OUTCOME_PASSED ? "build passes" : oc == FIX_OUTCOME_INTERRUPTED ? "interrupted"
                        : oc == FIX_OUTCOME_ERROR                                                ? "error"
                                                                                                 : "build still fails";
  /* a dry run does not rebuild: what is left is what re-checking the units with errors showed */
  if (s->o->dry_run && oc != FIX_OUTCOME_ERROR && oc != FIX_OUTCOME_INTERRUPTED)
    verdict = oc == FIX_OUTCOME_PASSED ? "dry run, the checked units compile" : "dry run";
  char final[160];
  snprintf(final, sizeof final, s->o->dry_run ? "about %d (an estimate from re-checking the units that had errors; a "
                                                "real run rebuilds)" : "%d", t->errors_final);
  if (!(oc == FIX_OUTCOME_PASSED && t->builds == 1 && t->edits == 0))
    say(s, "summary: %s; errors %d -> %s; %d edit%s in %d file%s (%d of %d fix-its kept%s); %d build%s %.2f s, %d "
         "check%s %.2f s%s, total %.2f s",
      verdict, t->errors_initial, final, t->edits, t->edits == 1 ? "" : "s", t->files_changed,
      t->files_changed == 1 ? "" : "s", t->fixits_kept, t->fixits_tried, repairs_note(t), t->builds, t->builds == 1 ? "" : "s",
      t->build_s, t->checks, t->checks == 1 ? "" : "s", t->check_wall_s,
      parallel_note(t), t->total_s);
  if (t->model_calls)
    say(s, "model: %d call%s, %d candidates (%d unusable), %ld tokens in, %ld out, %.2f s; error groups fixed %d, "
           "given up %d; fix's own time %.2f s",
        t->model_calls, t->model_calls == 1 ? "" : "s", t->candidates + t->candidates_rejected, t->candidates_rejected,
        t->tokens_in, t->tokens_out, t->model_s, t->groups_fixed, t->groups_failed,
        own_time(t));
  if (t->vetoes)
    say(s, "refused %d edit%s that compiled but would be wrong (a warning that signals wrong code, or code it "
           "destroyed)%s", t->vetoes, t->vetoes == 1 ? "" : "s", s->o->verbose ? "" : "; -v says which and why");
  for (size_t i = 0; i < s->unsafe_applied.n; i++)
    say(s, "unsafe fix-it applied: %s", s->unsafe_applied.v[i]);
  size_t unapplied = 0;
  for (size_t i = 0; i < s->unsafe_left.n; i++)
    if (fix_strv_contains(&s->final_ids, s->unsafe_left_ids.v[i]) && !fix_strv_contains(&s->unsafe_applied, s->unsafe_left.v[i])) {
      if (!unapplied++)
        say(s, "unsafe fix-its not applied (--unsafe-fixes applies them%s):", s->llm ? "" : "; with a model they compete with its edits");
      say(s, "  %s", s->unsafe_left.v[i]);
    }
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "outcome", verdict);
  cJSON *ua = cJSON_AddArrayToObject(o, "unsafe_fixits_applied");
  for (size_t i = 0; i < s->unsafe_applied.n; i++)
    cJSON_AddItemToArray(ua, cJSON_CreateString(s->unsafe_applied.v[i]));
  cJSON_AddNumberToObject(o, "exit_code", oc);
  cJSON_AddNumberToObject(o, "errors_initial", t->errors_initial);
  cJSON_AddNumberToObject(o, "errors_final", t->errors_final);
  cJSON_AddNumberToObject(o, "edits", t->edits);
  cJSON_AddNumberToObject(o, "files_changed", t->files_changed);
  cJSON_AddNumberToObject(o, "fixits_tried", t->fixits_tried);
  cJSON_AddNumberToObject(o, "fixits_kept", t->fixits_kept);
  cJSON_AddNumberToObject(o, "repairs_tried", t->repairs_tried);
  cJSON_AddNumberToObject(o, "repairs_kept", t->repairs_kept);
  cJSON_AddNumberToObject(o, "repairs_errors", t->repairs_errors);
  cJSON_AddNumberToObject(o, "repairs_seconds", t->repairs_s);
  cJSON_AddNumberToObject(o, "vetoes", t->vetoes);
  cJSON_AddNumberToObject(o, "veto_seconds", t->veto_s);
  cJSON_AddNumberToObject(o, "builds", t->builds);
  cJSON_AddNumberToObject(o, "build_seconds", t->build_s);
  cJSON_AddNumberToObject(o, "checks", t->checks);
  cJSON_AddNumberToObject(o, "check_seconds", t->check_wall_s);
  cJSON_AddNumberToObject(o, "check_seconds_summed", t->check_s);
  cJSON_AddNumberToObject(o, "model_calls", t->model_calls);
  cJSON_AddNumberToObject(o, "candidates", t->candidates + t->candidates_rejected);
  cJSON_AddNumberToObject(o, "tokens_in", (double)t->tokens_in);
  cJSON_AddNumberToObject(o, "tokens_out", (double)t->tokens_out);
  cJSON_AddNumberToObject(o, "model_seconds", t->model_s);
  cJSON_AddNumberToObject(o, "groups_fixed", t->groups_fixed);
  cJSON_AddNumberToObject(o, "groups_failed", t->groups_failed);
  cJSON_AddNumberToObject(o, "total_seconds", t->total_s);
  cJSON_AddBoolToObject(o, "dry_run", s->o->dry_run);
  emit(s, "summary", o);
}

/* The developer's change (src/intent), read when a repair or a prompt first asks: a session whose
 * errors the fix-its repair, and each language-server request that needs none, never pays `git
 * diff` and the tree-sitter parses. */
const struct fix_intent *session_intent(struct session *s) {
  if (s->intent_read)
    return &s->intent;
  s->intent_read = 1;
  if ((!s->vcs.is_git && !s->vcs.is_hg) || !s->o->intent)
    return &s->intent;
  struct fix_err e;
  double t0 = fix_now();
  if (fix_intent_read(s->vcs.root, &s->intent, &e) != FIX_OK)
    fix_log(FIX_LOG_DEBUG, "the working tree's change could not be read: %s", e.msg);
  fix_log(FIX_LOG_DEBUG, "the working tree's change: %zu items in %.1f ms", s->intent.n, (fix_now() - t0) * 1e3);
  for (size_t i = 0; s->o->verbose && i < s->intent.n; i++) {
    const struct fix_intent_change *c = &s->intent.v[i];
    char *rel = fix_path_relative(s->vcs.root, c->file);
    if (c->kind == FIX_INTENT_RENAME)
      say(s, "your change: %s '%s' renamed to '%s' (%s)", c->what, c->from, c->to, rel ? rel : c->file);
    else if (c->kind == FIX_INTENT_PARAM_REMOVED)
      say(s, "your change: parameter %d ('%s') of '%s' removed (%s)", c->index + 1, c->param, c->fn,
          rel ? rel : c->file);
    else if (c->kind == FIX_INTENT_PARAM_ADDED)
      say(s, "your change: parameter %d ('%s %s') added to '%s' (%s)", c->index + 1, c->type, c->param, c->fn,
          rel ? rel : c->file);
    else if (c->kind == FIX_INTENT_PARAMS_REORDERED)
      say(s, "your change: the parameters of '%s' reordered (%s)", c->fn, rel ? rel : c->file);
    else {
      char *orel = fix_path_relative(s->vcs.root, c->origin);
      say(s, "your change: %s '%s' moved from %s to %s", c->what, c->from, orel ? orel : c->origin, rel ? rel : c->file);
      free(orel);
    }
    free(rel);
  }
  return &s->intent;
}

/* The session's workspace, its first shadow and the project's compile commands. */
enum fix_status session_open_tools(struct session *s) {
  char *jdir = s->o->journal_dir ? fix_strdup(s->o->journal_dir) : fix_journal_dir_for(s->vcs.root);
  struct fix_workspace_opts wo = {&s->vcs, jdir, s->o->dry_run, s->o->allow_dirty, s->o->allow_readonly};
  enum fix_status st = fix_workspace_new(&wo, &s->ws, &s->err);
  free(jdir); /* the workspace keeps its own copy */
  if (!st)
    st = fix_shadow_new(s->vcs.root, &s->shadow, &s->err);
  if (st)
    return st;
  fix_shadow_set_strict(s->shadow, 1); /* an edit's new wrong-code warnings must show (veto.c) */
  s->shadows[0] = s->shadow;
  s->nshadows = 1;
  session_load_compdb(s);
  return FIX_OK;
}

/* The loop from the current diagnostics on: fix-its, model, rebuild (or, in a dry run, recheck
 * the TUs that had errors in `first`), until nothing is left or nothing helps. Takes `cur` and
 * `log`. */
enum fix_outcome session_iterate(struct session *s, struct fix_diag_list *cur, const struct fix_diag_list *first,
                                char *log) {
  enum fix_status st = FIX_OK;
  s->last_log = log;
  seen_state(s);
  int passed = 0;
  int iteration = 0;

  enum fix_outcome oc = FIX_OUTCOME_FAILED;
  for (;;) {
    if (fix_diag_list_count(cur, FIX_SEV_ERROR) == 0) {
      if (!passed)
        say(s, "the build failed, but fix found no compiler diagnostic it can act on");
      break;
    }
    if (!iteration) {
      session_explain(s, cur);
      session_explain_env(s, cur);
    }
    size_t alone = session_left_alone(s, cur);
    if (alone == fix_diag_list_count(cur, FIX_SEV_ERROR)) {
      if (s->st->edits == 0 && s->first_refusal.status && strcmp(s->first_refusal.msg, "outside --only") != 0) {
        st = fix_err_set(&s->err, s->first_refusal.status, "%s", s->first_refusal.msg); /* nothing else to fix */
        break;
      }
      say(s, "the remaining %zu error%s %s outside what fix may act on here (--only, --select, --ignore, or files it "
          "may not edit)", alone, alone == 1 ? "" : "s", alone == 1 ? "is" : "are");
      break;
    }
    int kept = 0;
    if (s->o->fixits) {
      st = fixits_pass(s, cur, &kept);
      if (st)
        break;
    }
    if (!kept) { /* the link step: renames judged by rebuilding */
      st = link_pass(s, cur, &kept);
      if (st)
        break;
    }
    if (!kept) {
      st = model_pass(s, cur, &kept);
      if (st)
        break;
    }
    if (!kept) {
      size_t left = fix_diag_list_count(cur, FIX_SEV_ERROR), env = 0;
      for (size_t i = 0; i < cur->n; i++)
        env += explain_env_error(&cur->v[i]);
      if (env == left)
        say(s, "the remaining %zu error%s a change to the build itself, named above (fix does not edit build "
            "files)", left, left == 1 ? " needs" : "s need");
      else if (s->backend_error)
        say(s, "the remaining %zu error%s as %s: the model backend failed", left,
            left == 1 ? " stays" : "s stay", left == 1 ? "it is" : "they are");
      else if (alone)
        say(s, "%s the remaining %zu error%s (%zu of them left alone: --only, --select, --ignore, or files fix may not "
            "edit)", s->llm ? "nothing more fixes" : "no compiler fix-it improves", left, left == 1 ? "" : "s", alone);
      else
        say(s, "%s the remaining %zu error%s", s->llm ? "nothing more fixes" : "no compiler fix-it improves", left,
            left == 1 ? "" : "s");
      break;
    }
    if (seen_state(s) && !s->backend_error) { /* (after a failed backend, its group went back on purpose) */
      say(s, "stopping: the files are back in a state fix already tried (the edits go round in circles)");
      break;
    }
    /* the last round still rebuilds (or rechecks): the summary counts what the build says, not
     * what it said before the last kept step */
    int last_round = 0;
    /* a session without a model (none configured, or none could be opened) ends within 10 minutes
     * unless told otherwise: fix-its and repairs over thousands of errors must not run for hours */
    double budget = s->o->time_budget_s;
    int no_model = !s->llm && !s->borrowed_llm && (s->llm_tried || !s->o->backend || !strcmp(s->o->backend, "none"));
    if (budget <= 0 && s->o->src[FIX_CFG_TIME_BUDGET] == FIX_CFG_DEFAULT && no_model)
      budget = FIX_NO_MODEL_BUDGET_S;
    if (iteration++ >= s->o->max_iterations) {
      say(s, "stopping after %d iterations (--max-iterations); a last build counts what is left", s->o->max_iterations);
      last_round = 1;
    } else if (budget > 0 && fix_now() - s->t0 > budget) {
      say(s, "stopping: the time budget of %.0f s is spent%s; a last build counts what is left", budget,
          budget == s->o->time_budget_s ? "" : " (the default without a model: --time-budget or time_budget sets it)");
      last_round = 1;
    }
    if (s->o->dry_run) {
      struct fix_diag_list next;
      fix_diag_list_init(&next);
      st = recheck(s, first, &next);
      fix_diag_list_free(cur);
      *cur = next;
      if (st)
        break;
      if (fix_diag_list_count(cur, FIX_SEV_ERROR) == 0) {
        say(s, "dry run: the checked translation units compile with these edits");
        passed = 1;
        break;
      }
      if (last_round)
        break;
      continue;
    }
    struct fix_build_result nb;
    st = session_build(s, &nb, 0);
    if (st) {
      fix_build_result_free(&nb);
      break;
    }
    if (model_confirm(s, &nb.diags)) {
      fix_build_result_free(&nb); /* rolled back: the previous diagnostics hold again */
      if (last_round)
        break;
      continue;
    }
    if (nb.exit_code == 0) {
      passed = 1;
      fix_build_result_free(&nb);
      break;
    }
    fix_diag_list_free(cur);
    for (size_t i = 0; i < nb.diags.n; i++)
      fix_diag_list_copy_in(cur, &nb.diags.v[i]);
    st = session_unreported(s, cur);
    free(log);
    log = nb.log.data ? fix_buf_take(&nb.log) : fix_strdup(""); /* taken, not copied: it can be 64 MiB */
    s->last_log = log;
    fix_build_result_free(&nb);
    if (st || last_round)
      break;
  }
  s->st->errors_final = passed ? 0 : (int)fix_diag_list_count(cur, FIX_SEV_ERROR);
  for (size_t i = 0; !passed && i < cur->n; i++)
    if (cur->v[i].severity >= FIX_SEV_ERROR)
      fix_strv_push_own(&s->final_ids, fix_diag_identity(&cur->v[i]));
  if (passed && s->group.active)
    s->st->groups_fixed++; /* the group's last edit made the build pass */
  fix_diag_list_free(cur);
  s->last_log = NULL;
  free(log);
  if (st == FIX_ERR_INTERRUPTED || fix_interrupted())
    return FIX_OUTCOME_INTERRUPTED;
  if (st)
    return FIX_OUTCOME_ERROR;
  if (passed)
    oc = FIX_OUTCOME_PASSED;
  return oc;
}

/* Everything after the first failed build. Returns the outcome; s->err says why on ERROR. */
static enum fix_outcome repair(struct session *s, struct fix_build_result *b) {
  if (!s->vcs.is_git && !s->vcs.is_hg && !s->o->allow_no_vcs && !s->o->dry_run) {
    fix_err_set(&s->err, FIX_ERR_NO_VCS, "%s is not under version control: pass --allow-no-vcs to let fix edit it "
                "(fix undo can still restore it)", s->vcs.root);
    return FIX_OUTCOME_ERROR;
  }
  if (session_open_tools(s))
    return FIX_OUTCOME_ERROR;
  fix_compdb_add_argv(&s->db, s->argv, s->cwd, FIX_SRC_RECORDED); /* `fix -- cc -c x.c` */
  session_learn(s, b);
  link_locate(s, &b->diags); /* the first build ran before the workspace was open (session_build) */
  link_locate(s, &s->last_build);

  struct fix_diag_list cur;
  fix_diag_list_init(&cur);
  for (size_t i = 0; i < b->diags.n; i++)
    fix_diag_list_copy_in(&cur, &b->diags.v[i]);
  /* Rust: cargo/rustc builds check with `cargo check`; a build that hid cargo's JSON (make
   * around cargo, --message-format=human) is asked again through that check */
  char *manifest = fix_path_join(s->vcs.root, "Cargo.toml");
  if (!s->rust.args.n && fix_rust_check_cmd(s->argv, s->cwd, &s->rust) != FIX_OK && manifest &&
      fix_file_exists(manifest)) {
    const char *check[] = {"cargo", "check", "--message-format=json", NULL};
    fix_rust_check_cmd(check, s->vcs.root, &s->rust);
  }
  free(manifest);
  if (s->rust.args.n && !b->json_diagnostics && fix_diag_list_count(&cur, FIX_SEV_ERROR) == 0) {
    say(s, "reading the Rust diagnostics with '%s %s'", s->rust.args.v[0], s->rust.args.n > 1 ? s->rust.args.v[1] : "");
    if (session_check(s, &s->rust, &cur)) {
      fix_diag_list_free(&cur);
      return FIX_OUTCOME_ERROR;
    }
  }
  /* rustc run without cargo (a Makefile, a script): its crates again, with JSON diagnostics; and
   * C compiles that failed out of sight */
  if (session_rust_crates(s, &cur) || session_unreported(s, &cur)) {
    fix_diag_list_free(&cur);
    return FIX_OUTCOME_ERROR;
  }
  return session_iterate(s, &cur, &b->diags, b->log.data ? fix_buf_take(&b->log) : fix_strdup(""));
}

/* What a finished session leaves for other tools: the dry run's diff, --patch, --sarif. */
static void report_outputs(struct session *s, const struct fix_diag_list *first) {
  const struct fix_options *o = s->o;
  int patch_to_stdout = o->patch && !strcmp(o->patch, "-");
  if (o->dry_run && s->ws && s->sinks && s->sinks->diff && !patch_to_stdout) {
    struct fix_buf d;
    fix_buf_init(&d, 0);
    if (fix_workspace_diff(s->ws, o->color > 0, &d) == FIX_OK && d.len)
      s->sinks->diff(s->sinks->ud, d.data);
    fix_buf_free(&d);
  }
  struct fix_err e;
  if (o->patch) { /* git apply-able: paths relative to the root, no colour */
    struct fix_buf d;
    fix_buf_init(&d, 0);
    enum fix_status st = s->ws ? fix_workspace_diff(s->ws, 0, &d) : FIX_OK;
    if (!st && patch_to_stdout && s->sinks && s->sinks->diff)
      s->sinks->diff(s->sinks->ud, d.data ? d.data : "");
    else if (!st && !patch_to_stdout)
      st = fix_file_write_atomic(o->patch, d.data ? d.data : "", d.len, &e);
    else
      fix_err_set(&e, st, "out of memory");
    if (st)
      say(s, "error: --patch: %s", e.msg);
    fix_buf_free(&d);
  }
  double t0 = fix_now();
  if (o->sarif && session_write_sarif(s, first, o->sarif, &e) != FIX_OK)
    say(s, "error: --sarif: %s", e.msg);
  else if (o->sarif)
    fix_log(FIX_LOG_DEBUG, "SARIF log written to %s in %.1f ms", o->sarif, (fix_now() - t0) * 1000);
}

/* Interception and keep-going for the session's builds; each said once, before the build. */
static void prepare_build(struct session *s) {
  char *notice = NULL;
  s->ic = fix_intercept_new(s->argv, &notice);
  if (notice)
    say(s, "%s", notice);
  free(notice);
  const char *added = NULL;
  s->build_argv = fix_build_keep_going(s->argv, s->cwd, &added);
  if (s->build_argv && added)
    say(s, "building with '%s' added, to see every failing file in one build (the exit status is the build's)", added);
}

/* Once a session: the files it edited that held uncommitted work, and how to get that work back. */
static void say_dirty_edited(struct session *s) {
  const struct fix_strv *dv = s->ws && !s->o->dry_run ? fix_workspace_dirty_edited(s->ws) : NULL;
  const char **changed;
  if (!dv || !dv->n || !fix_workspace_changed(s->ws, &changed))
    return; /* (every edit rolled back: nothing of theirs is changed) */
  struct fix_buf b;
  fix_buf_init(&b, 0);
  for (size_t i = 0; i < dv->n && i < 5; i++) {
    char *rel = fix_path_relative(s->vcs.root, dv->v[i]);
    fix_buf_printf(&b, "%s%s", i ? ", " : "", rel ? rel : dv->v[i]);
    free(rel);
  }
  if (dv->n > 5)
    fix_buf_printf(&b, " and %zu more", dv->n - 5);
  say(s, "edited %zu file%s with uncommitted changes (%s): your version is in the undo journal, 'fix undo' gives it "
      "back (--no-dirty leaves such files alone)", dv->n, dv->n == 1 ? "" : "s", b.data ? b.data : "");
  fix_buf_free(&b);
}

static void lock_waiting(void *ud, long pid) {
  struct session *s = ud;
  if (pid > 0)
    say(s, "another fix session (pid %ld) is running in this project: waiting for it to end (--no-wait stops instead)",
        pid);
  else
    say(s, "another fix session is running in this project: waiting for it to end (--no-wait stops instead)");
}

/* One session at a time per project: two sharing the journal and the files would undo each other. */
static enum fix_status session_lock(struct session *s) {
  char *jdir = s->o->journal_dir ? fix_strdup(s->o->journal_dir) : fix_journal_dir_for(s->vcs.root);
  enum fix_status st = jdir ? fix_journal_lock(jdir, !s->o->no_wait, lock_waiting, s, &s->lock_fd, &s->err)
                            : fix_err_set(&s->err, FIX_ERR_NOMEM, "out of memory");
  free(jdir);
  return st;
}

enum fix_outcome fix_repair_run(const struct fix_options *o, const char *const *argv, const char *cwd,
                                const struct fix_repair_sinks *sinks, struct fix_repair_stats *stats) {
  struct session s;
  memset(&s, 0, sizeof s);
  memset(stats, 0, sizeof *stats);
  s.o = o;
  s.sinks = sinks;
  s.st = stats;
  s.argv = argv;
  s.cwd = cwd;
  double t0 = fix_now();
  s.t0 = t0;
  enum fix_outcome oc;
  s.lock_fd = -1;
  if (fix_vcs_open(cwd, &s.vcs, &s.err) != FIX_OK) {
    say(&s, "error: %s", s.err.msg);
    return FIX_OUTCOME_ERROR;
  }
  if (!o->dry_run && session_lock(&s) != FIX_OK) {
    say(&s, "error: %s", s.err.msg);
    fix_vcs_free(&s.vcs);
    return s.err.status == FIX_ERR_INTERRUPTED ? FIX_OUTCOME_INTERRUPTED : FIX_OUTCOME_ERROR;
  }
  prepare_build(&s);
  struct fix_build_result b;
  enum fix_status st = session_build(&s, &b, 0);
  if (st) {
    oc = st == FIX_ERR_INTERRUPTED ? FIX_OUTCOME_INTERRUPTED : FIX_OUTCOME_ERROR;
  } else if (b.exit_code == 0) {
    oc = FIX_OUTCOME_PASSED;
  } else {
    stats->errors_initial = (int)fix_diag_list_count(&b.diags, FIX_SEV_ERROR);
    oc = repair(&s, &b);
    if (oc == FIX_OUTCOME_FAILED && s.backend_error) {
      /* verified edits stay (exit 1); a session the failure left with nothing done is an error */
      const char **paths;
      size_t n = s.ws ? fix_workspace_changed(s.ws, &paths) : 0;
      if (!n) {
        fix_err_set(&s.err, FIX_ERR_IO, "the model backend failed, and nothing else could be fixed: %s",
                    s.backend_error);
        oc = FIX_OUTCOME_ERROR;
      } else {
        say(&s, "kept the %d verified edit%s in %zu file%s made before the backend failed (fix undo reverts %s)",
            stats->edits, stats->edits == 1 ? "" : "s", n, n == 1 ? "" : "s", stats->edits == 1 ? "it" : "them");
      }
    }
    if (oc == FIX_OUTCOME_INTERRUPTED || oc == FIX_OUTCOME_ERROR) {
      /* never leave a half-repaired tree behind an error */
      if (s.ws && fix_workspace_nwrites(s.ws) > 0) {
        struct fix_err e;
        if (fix_workspace_restore_all(s.ws, &e) != FIX_OK)
          say(&s, "error: could not restore every file (%s); run 'fix undo'", e.msg);
        else
          say(&s, "restored every file fix had changed");
      }
      if (oc == FIX_OUTCOME_ERROR && s.backend_error && s.o->sarif)
        report_outputs(&s, &b.diags); /* code scanning still gets the build's diagnostics */
    } else {
      report_outputs(&s, &b.diags);
    }
  }
  if (oc == FIX_OUTCOME_ERROR)
    say(&s, "error: %s", s.err.msg[0] ? s.err.msg : "unknown error");
  if (oc == FIX_OUTCOME_INTERRUPTED)
    say(&s, "interrupted");
  say_dirty_edited(&s);
  stats->total_s = fix_now() - t0;
  summary(&s, oc);
  fix_build_result_free(&b);
  session_close(&s);
  return oc;
}

void session_close(struct session *s) {
  model_end(s);
  fix_intercept_free(s->ic);
  free(s->build_argv);
  fix_diag_list_free(&s->last_build);
  fix_strv_free(&s->trust_seen);
  fix_strv_free(&s->final_ids);
  fix_strv_free(&s->editable);
  fix_strv_free(&s->unsafe_applied);
  fix_strv_free(&s->unsafe_left);
  fix_strv_free(&s->explained_env);
  veto_close(s);
  for (size_t i = 0; i < s->nsteps; i++) {
    free(s->steps[i].ident);
    free(s->steps[i].file);
  }
  free(s->steps);
  free(s->next_target);
  fix_strv_free(&s->unsafe_left_ids);
  fix_strv_free(&s->fixits_alone_tried);
  fix_strv_free(&s->unsafe_tus);
  fix_strv_free(&s->headers);
  fix_strv_free(&s->found_dirs);
  fix_strv_free(&s->unplaced);
  fix_strv_free(&s->skipped);
  free(s->status_what);
  fix_strv_free(&s->untrusted);
  fix_compile_cmd_free(&s->rust);
  fix_strv_free(&s->explained);
  fix_workspace_free(s->ws);
  for (int i = 0; i < s->nshadows; i++)
    fix_shadow_free(s->shadows[i]);
  fix_strv_free(&s->states);
  fix_compdb_free(&s->db);
  fix_vcs_free(&s->vcs);
  free(s->prefer_file);
  free(s->scope_id);
  fix_strv_free(&s->scope_files);
  fix_intent_free(&s->intent);
  if (s->lock_fd > 0) /* last: the journal is closed; (0: a session that never locked, memset) */
    fix_journal_unlock(s->lock_fd);
  memset(s, 0, sizeof *s);
}
