/* local.c — the local engine backend. The engine (GGUF models, quantized kernels) is the subject
 * of its own issue; until it lands, choosing it explains how to configure a model instead. */
#include "internal.h"

enum fix_status fix_llm_local_open(struct fix_llm *llm, struct fix_err *err);

enum fix_status fix_llm_local_open(struct fix_llm *llm, struct fix_err *err) {
  if (!llm->cfg.model)
    return fix_err_set(err, FIX_ERR_CONFIG,
                       "no local model is configured: pass --model PATH.gguf (or set FIX_MODEL), or use a remote "
                       "backend: --backend openai (OPENAI_API_KEY, --base-url) or --backend ollama");
  return fix_err_set(err, FIX_ERR_UNSUPPORTED,
                     "the local inference engine cannot load %s yet in this build: use --backend openai or "
                     "--backend ollama", llm->cfg.model);
}
