/* local.c — the local engine behind the backend interface: the model's chat template, the
 * prompt evaluated once, the n candidates decoded from the shared prefix. The context (KV cache)
 * lives as long as the backend, so a loop iteration's prompt re-evaluates only what follows the
 * part it shares with the previous one (the system prompt, the rules, unchanged context). */
#include "internal.h"

#include "fix/engine.h"
#include "fix/patch.h"

#include <stdlib.h>
#include <string.h>

struct local {
  struct fix_model *m;
  enum fix_chat_template tmpl;
  struct fix_ctx *ctx;
  int n_ctx, n_seq;
};

enum fix_status fix_llm_local_open(struct fix_llm *llm, struct fix_err *err);

struct progress {
  const struct fix_llm_request *req;
  long tokens;
};

static void count_token(void *ud, int seq, int32_t id) {
  struct progress *p = ud;
  p->req->progress(p->req->progress_ud, ++p->tokens);
}

/* the edit format's automaton behind the engine's constraint interface */
static void c_start(void *ud, int seq, void *state) { fix_edit_automaton_start(ud, state); }
static int c_step(void *ud, void *state, unsigned char b) { return fix_edit_automaton_step(ud, state, b); }
static int c_can_end(void *ud, const void *state) { return fix_edit_automaton_can_end(ud, state); }
static enum fix_free c_free(void *ud, const void *state, unsigned char *stop, size_t *room) {
  return fix_edit_automaton_free_line(ud, state, stop, room) ? FIX_FREE_LINE : FIX_FREE_NONE;
}
static size_t c_forced(void *ud, const void *state, char *buf, size_t cap) {
  return fix_edit_automaton_forced(ud, state, buf, cap);
}
static size_t c_finish(void *ud, const void *state, char *buf, size_t cap) {
  return fix_edit_automaton_finish(ud, state, buf, cap);
}

static enum fix_status local_complete(struct fix_llm *llm, const struct fix_llm_request *req,
                                      struct fix_llm_reply *reply, struct fix_err *err) {
  struct local *l = llm->impl;
  struct fix_chat_msg *msgs = calloc(req->nmsgs, sizeof *msgs);
  if (!msgs)
    return fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < req->nmsgs; i++)
    msgs[i] = (struct fix_chat_msg){req->msgs[i].role, req->msgs[i].content};
  char *text = fix_chat_render(l->tmpl, msgs, req->nmsgs);
  free(msgs);
  const struct fix_tokenizer *tok = fix_model_tokenizer(l->m);
  int cap = text ? (int)strlen(text) + 16 : 0;
  int32_t *ids = cap ? malloc((size_t)cap * sizeof *ids) : NULL;
  int np = ids ? fix_tokenize(tok, text, strlen(text), 1, 1, ids, cap) : 0;
  free(text);
  int max = req->max_tokens > 0 ? req->max_tokens : 1024;
  const struct fix_model_hparams *hp = fix_model_hparams(l->m);
  enum fix_status st = FIX_OK;
  if (np <= 0)
    st = fix_err_set(err, FIX_ERR_ARG, "local: empty prompt");
  else if (np + max > hp->n_ctx_train && hp->n_ctx_train > 0)
    st = fix_err_set(err, FIX_ERR_TOO_BIG, "local: the prompt (%d tokens) and reply (%d) exceed the model's context of %d",
                     np, max, hp->n_ctx_train);
  int n_seq = req->n > 0 ? req->n : 1;
  if (!st && (!l->ctx || l->n_ctx < np + max + 1 || l->n_seq < n_seq)) {
    fix_ctx_free(l->ctx);
    l->ctx = NULL;
    l->n_ctx = (np + max + 1 + 1023) / 1024 * 1024; /* room for the next, slightly longer prompts */
    if (hp->n_ctx_train > 0 && l->n_ctx > hp->n_ctx_train)
      l->n_ctx = hp->n_ctx_train;
    l->n_seq = n_seq;
    st = fix_ctx_new(l->m, l->n_ctx, n_seq, &l->ctx, err);
  }
  struct fix_ctx *ctx = l->ctx;
  if (!st) {
    struct fix_generation g;
    memset(&g, 0, sizeof g);
    g.max_tokens = max;
    fix_sampling_defaults(&g.sampling);
    g.sampling.temperature = (float)req->temperature;
    g.n_seq = req->n;
    struct progress pr = {req, 0};
    if (req->progress) {
      g.on_token = count_token;
      g.ud = &pr;
    }
    /* an edit reply: decoded so that it parses and applies */
    struct fix_edit_automaton *ea = NULL;
    struct fix_constraint fc;
    struct fix_err cerr;
    if (req->edit && req->edit->nfiles &&
        fix_edit_automaton_new((enum fix_edit_format)req->edit->format, req->edit->files, req->edit->nfiles, &ea,
                               &cerr) == FIX_OK) {
      fc = (struct fix_constraint){fix_edit_automaton_state_size(), c_start, c_step, c_can_end, c_free, c_forced,
                                   c_finish, ea};
      g.constraint = &fc;
    }
    struct fix_gen_stats gs;
    st = fix_generate(ctx, ids, np, &g, &reply->texts, &gs, err);
    if (ea)
      fix_log(FIX_LOG_DEBUG, "local: constrained to %s over %zu file%s: masks %.1f ms for %d samples",
              fix_edit_format_str((enum fix_edit_format)req->edit->format), req->edit->nfiles,
              req->edit->nfiles == 1 ? "" : "s", gs.mask_s * 1000, gs.masked_steps);
    fix_edit_automaton_free(ea);
    reply->tokens_in = np;
    reply->tokens_out = gs.gen_tokens;
    fix_log(FIX_LOG_DEBUG, "local: prompt %d tokens (%d reused from the last call) %.2f s; %d tokens in %.2f s, %d of %d "
            "drafts kept", np, gs.reused_tokens, gs.prompt_s, gs.gen_tokens, gs.gen_s, gs.accepted, gs.drafted);
  }
  free(ids);
  return st;
}

static void local_destroy(struct fix_llm *llm) {
  struct local *l = llm->impl;
  if (l) {
    fix_ctx_free(l->ctx);
    fix_model_free(l->m);
  }
  free(l);
}

static const struct fix_llm_vtbl fix_llm_local = {"local", 4096, local_complete, local_destroy};

enum fix_status fix_llm_local_open(struct fix_llm *llm, struct fix_err *err) {
  if (!llm->cfg.model)
    return fix_err_set(err, FIX_ERR_CONFIG,
                       "no local model is configured: pass --model PATH.gguf (or set FIX_MODEL, or run 'fix model pull "
                       "qwen2.5-coder-1.5b-instruct'), or use a remote backend: --backend openai (OPENAI_API_KEY, "
                       "--base-url) or --backend ollama");
  char *path = fix_model_resolve(llm->cfg.model);
  if (!path)
    return fix_err_set(err, FIX_ERR_NOT_FOUND, "local: no model file '%s' (and no pulled model of that name: fix model "
                       "pull %s)", llm->cfg.model, llm->cfg.model);
  int gpu = FIX_GPU_AUTO;
  if (fix_gpu_parse(llm->cfg.gpu, &gpu)) {
    free(path);
    return fix_err_set(err, FIX_ERR_CONFIG, "gpu: '%s' is not auto, none or a device number", llm->cfg.gpu);
  }
  struct local *l = calloc(1, sizeof *l);
  enum fix_status st = l ? fix_model_load_on(path, 0, gpu, &l->m, err) : fix_err_set(err, FIX_ERR_NOMEM, "out of memory");
  free(path);
  if (st) {
    free(l);
    return st;
  }
  fix_log(FIX_LOG_INFO, "local: %s on %s", fix_model_hparams(l->m)->arch, fix_model_device(l->m));
  l->tmpl = fix_model_chat_template(l->m);
  llm->impl = l;
  llm->v = &fix_llm_local;
  return FIX_OK;
}
