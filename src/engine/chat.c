/* chat.c — the chat templates fix knows, recognised from a model's Jinja template by its markers
 * (never executed) or chosen by name. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

enum fix_chat_template fix_chat_detect(const char *j) {
  if (!j)
    return FIX_CHAT_NONE;
  if (strstr(j, "<|im_start|>"))
    return FIX_CHAT_CHATML;
  if (strstr(j, "<|start_header_id|>"))
    return FIX_CHAT_LLAMA3;
  if (strstr(j, "<|assistant|>") && strstr(j, "<|end|>"))
    return FIX_CHAT_PHI3;
  if (strstr(j, "<|assistant|>") || strstr(j, "<|user|>"))
    return FIX_CHAT_ZEPHYR;
  if (strstr(j, "[INST]"))
    return FIX_CHAT_LLAMA2;
  return FIX_CHAT_NONE;
}

static const char *names[] = {"none", "chatml", "llama2", "llama3", "zephyr", "phi3"};

enum fix_chat_template fix_chat_from_name(const char *n) {
  for (int i = 0; i < 6; i++)
    if (!strcmp(n, names[i]))
      return (enum fix_chat_template)i;
  return FIX_CHAT_NONE;
}

const char *fix_chat_name(enum fix_chat_template t) { return names[t]; }

char *fix_chat_render(enum fix_chat_template t, const struct fix_chat_msg *msgs, size_t n) {
  struct fix_buf b;
  fix_buf_init(&b, 0);
  fix_buf_append(&b, "", 0);
  const char *sys = NULL;
  for (size_t i = 0; i < n; i++) {
    const char *r = msgs[i].role, *c = msgs[i].content;
    switch (t) {
    case FIX_CHAT_CHATML: fix_buf_printf(&b, "<|im_start|>%s\n%s<|im_end|>\n", r, c); break;
    case FIX_CHAT_LLAMA3:
      fix_buf_printf(&b, "%s<|start_header_id|>%s<|end_header_id|>\n\n%s<|eot_id|>", i == 0 ? "<|begin_of_text|>" : "",
                     r, c);
      break;
    case FIX_CHAT_ZEPHYR: fix_buf_printf(&b, "<|%s|>\n%s</s>\n", r, c); break;
    case FIX_CHAT_PHI3: fix_buf_printf(&b, "<|%s|>\n%s<|end|>\n", r, c); break;
    case FIX_CHAT_LLAMA2:
      if (!strcmp(r, "system"))
        sys = c;
      else if (!strcmp(r, "user")) {
        if (sys)
          fix_buf_printf(&b, "[INST] <<SYS>>\n%s\n<</SYS>>\n\n%s [/INST]", sys, c);
        else
          fix_buf_printf(&b, "[INST] %s [/INST]", c);
        sys = NULL;
      } else
        fix_buf_printf(&b, " %s </s><s>", c);
      break;
    case FIX_CHAT_NONE: fix_buf_printf(&b, "%s%s\n\n", !strcmp(r, "system") ? "" : "", c); break;
    }
  }
  switch (t) {
  case FIX_CHAT_CHATML: fix_buf_puts(&b, "<|im_start|>assistant\n"); break;
  case FIX_CHAT_LLAMA3: fix_buf_puts(&b, "<|start_header_id|>assistant<|end_header_id|>\n\n"); break;
  case FIX_CHAT_ZEPHYR:
  case FIX_CHAT_PHI3: fix_buf_puts(&b, "<|assistant|>\n"); break;
  default: break;
  }
  return fix_buf_take(&b);
}

enum fix_chat_template fix_model_chat_template(const struct fix_model *m) {
  struct fix_gguf_str s;
  if (fix_gguf_get_str(m->g, "tokenizer.chat_template", &s) == 0) {
    char *j = fix_strndup(s.p, s.n);
    enum fix_chat_template t = fix_chat_detect(j);
    free(j);
    if (t != FIX_CHAT_NONE)
      return t;
  }
  return !strcmp(m->hp.arch, "qwen2") ? FIX_CHAT_CHATML : FIX_CHAT_NONE;
}
