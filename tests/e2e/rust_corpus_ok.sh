# rust_corpus_ok.sh (sourced) — whether the corpus's Rust cases can run here: cargo present, and a
# rustc no older than 1.80 (the cases' errors and clippy lints were recorded with rustc 1.95; rustc
# before 1.64 stops after name-resolution errors without type-checking, and its clippy has other
# lints). Sets RUST_CORPUS_WHY to the reason when they cannot (empty when they can).
RUST_CORPUS_WHY=""
if ! command -v cargo >/dev/null || ! command -v rustc >/dev/null; then
  RUST_CORPUS_WHY="no cargo"
else
  rv=$(rustc --version 2>/dev/null | sed -nE 's/^rustc 1\.([0-9]+)\..*/\1/p')
  if [ -z "$rv" ] || [ "$rv" -lt 80 ]; then
    RUST_CORPUS_WHY="rustc $(rustc --version 2>/dev/null | cut -d' ' -f2) is older than 1.80, which the Rust cases were recorded with"
  fi
fi
