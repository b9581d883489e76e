/* rust.c — the check command that stands for a Rust build.
 *
 * Rust's unit of compilation is the crate and cargo checks a whole workspace incrementally, so
 * one `cargo check --message-format=json` covers every ".rs" file. The user's selection of
 * packages, features and targets is kept so the check sees the code their build sees. */
#include "fix/build.h"

#include <stdlib.h>
#include <string.h>

/* cargo flags that select what is built, with whether they take a value */
static const struct {
  const char *flag;
  int value;
} keep[] = {{"-p", 1}, {"--package", 1}, {"--workspace", 0}, {"--all", 0}, {"--exclude", 1}, {"--features", 1},
            {"-F", 1}, {"--all-features", 0}, {"--no-default-features", 0}, {"--lib", 0}, {"--bins", 0},
            {"--bin", 1}, {"--tests", 0}, {"--test", 1}, {"--examples", 0}, {"--example", 1}, {"--benches", 0},
            {"--bench", 1}, {"--all-targets", 0}, {"--release", 0}, {"--target", 1}, {"--profile", 1},
            {"--manifest-path", 1}, {"--offline", 0}, {"--frozen", 0}, {"--locked", 0}};

enum fix_status fix_rust_check_cmd(const char *const *argv, const char *cwd, struct fix_compile_cmd *out) {
  memset(out, 0, sizeof *out);
  const char *b = strrchr(argv[0], '/');
  b = b ? b + 1 : argv[0];
  if (!strcmp(b, "cargo")) {
    size_t sub = 0;
    for (size_t i = 1; argv[i] && !sub; i++)
      if (argv[i][0] != '-' && argv[i][0] != '+')
        sub = i;
    const char *cmd = sub ? argv[sub] : "build";
    out->kind = FIX_CMD_CARGO;
    fix_strv_push(&out->args, argv[0]);
    for (size_t i = 1; i < sub; i++)
      if (argv[i][0] == '+')
        fix_strv_push(&out->args, argv[i]); /* the toolchain */
    fix_strv_push(&out->args, !strcmp(cmd, "clippy") ? "clippy" : "check");
    fix_strv_push(&out->args, "--message-format=json");
    if (!strcmp(cmd, "test") || !strcmp(cmd, "t"))
      fix_strv_push(&out->args, "--tests");
    else if (!strcmp(cmd, "bench"))
      fix_strv_push(&out->args, "--benches");
    int clippy_args = 0;
    for (size_t i = sub ? sub + 1 : 1; argv[i]; i++) {
      if (!strcmp(argv[i], "--")) {
        if (strcmp(cmd, "clippy") != 0)
          break;
        clippy_args = 1; /* clippy's lint options (-D warnings) matter */
        fix_strv_push(&out->args, "--");
        continue;
      }
      if (clippy_args) {
        fix_strv_push(&out->args, argv[i]);
        continue;
      }
      for (size_t k = 0; k < sizeof keep / sizeof *keep; k++) {
        size_t fl = strlen(keep[k].flag);
        if (!strncmp(argv[i], keep[k].flag, fl) && (argv[i][fl] == '\0' || argv[i][fl] == '=')) {
          fix_strv_push(&out->args, argv[i]);
          if (keep[k].value && argv[i][fl] == '\0' && argv[i + 1])
            fix_strv_push(&out->args, argv[++i]);
          break;
        }
      }
    }
  } else if (!strcmp(b, "rustc")) {
    out->kind = FIX_CMD_RUSTC;
    for (size_t i = 0; argv[i]; i++) {
      const char *a = argv[i];
      if (!strcmp(a, "-o") || !strcmp(a, "--out-dir") || !strcmp(a, "--emit")) {
        if (argv[i + 1])
          i++;
        continue;
      }
      if (fix_str_starts(a, "--emit=") || fix_str_starts(a, "--error-format") || fix_str_starts(a, "--json") ||
          fix_str_starts(a, "-Cincremental=") || fix_str_starts(a, "--out-dir=") || fix_str_starts(a, "-o"))
        continue;
      if (!strcmp(a, "-C") && argv[i + 1] && fix_str_starts(argv[i + 1], "incremental=")) {
        i++; /* the user's incremental cache is theirs */
        continue;
      }
      fix_strv_push(&out->args, a);
      if (i > 0 && a[0] != '-' && fix_str_ends(a, ".rs") && !out->file) {
        char *j = fix_path_join(cwd, a);
        out->file = j ? fix_path_normalize(j) : NULL;
        free(j);
      }
    }
    fix_strv_push(&out->args, "--error-format=json");
    fix_strv_push(&out->args, "--json=diagnostic-rendered-ansi");
    fix_strv_push(&out->args, "--emit=metadata");
  } else {
    return FIX_ERR_NOT_FOUND;
  }
  out->dir = fix_strdup(cwd);
  if (!out->file)
    out->file = fix_path_join(cwd, "Cargo.toml");
  return out->dir && out->file ? FIX_OK : FIX_ERR_NOMEM;
}
