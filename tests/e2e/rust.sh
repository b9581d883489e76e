#!/usr/bin/env bash
# rust.sh — `fix -- cargo ...` end to end on fixture crates built offline: borrow-checker errors,
# a type mismatch and a missing trait import repaired through the model (replay backend); the same
# and a missing lifetime, a missing import, a wrong method name and a typo repaired by rustc's own
# suggestions alone, compared with `cargo fix --broken-code`; a two-crate workspace; clippy with
# -D warnings; plain rustc; and the user's output staying readable. Skips without cargo.
source "$(dirname "$0")/lib.sh"
need git; need cargo; need rustc
export XDG_CACHE_HOME="$WORK/cache" CARGO_TERM_COLOR=never
R=$HERE/rust
fresh() { rm -rf "$WORK/$1"; cp -r "$R/$1" "$WORK/$1"; git_init "$WORK/$1"; }
run() { local d=$1; shift; out=$("$FIX" -C "$d" "$@" 2>&1 </dev/null); rc=$?; }
runs_ok() { (cd "$1" && cargo run -q --offline 2>/dev/null | grep -q "$2"); }

# borrow checker through the model: use after move, two mutable borrows, does not live long enough
fresh borrow
run "$WORK/borrow" --no-fixits --candidates 1 --replay "$R/borrow.json" -- cargo build --offline
expect "borrow: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
expect "borrow: three model steps" grep -q "model: 3 calls" <<<"$out"
expect "borrow: the program is right" runs_ok "$WORK/borrow" "ok 23"
expect "borrow: the user saw rustc's own rendering" grep -q "error\[E0382\]: borrow of moved value" <<<"$out"
expect "borrow: and no cargo JSON" bash -c "! grep -q '\"reason\":\"compiler-message\"' <<<\"\$1\"" _ "$out"

# a type mismatch and a missing trait import, through the model; then by rustc's suggestions
fresh types
run "$WORK/types" --no-fixits --candidates 1 --replay "$R/types.json" -- cargo build --offline
expect "types (model): exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
expect "types (model): the program is right" runs_ok "$WORK/types" "ok"
fresh types
run "$WORK/types" --backend none -- cargo check --offline
expect "types (suggestions): exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
expect "types (suggestions): the trait was imported" grep -q "use crate::shapes::Area;\|use shapes::Area;" "$WORK/types/src/main.rs"

# rustc's suggestions alone, against cargo fix --broken-code on the same crate
fresh fixits
run "$WORK/fixits" --backend none -- cargo build --offline
fix_ok=0; [ "$rc" -eq 0 ] && runs_ok "$WORK/fixits" "ab" && fix_ok=1
rm -rf "$WORK/cf"; cp -r "$R/fixits" "$WORK/cf"
(cd "$WORK/cf" && cargo fix --offline --broken-code --allow-no-vcs >/dev/null 2>&1)
cf_ok=0; (cd "$WORK/cf" && cargo build --offline -q >/dev/null 2>&1) && cf_ok=1
echo "rustc suggestions alone: fix repaired $fix_ok/1, cargo fix --broken-code $cf_ok/1"
expect "suggestions: fix repairs the crate (lifetime, import, method, typo) (got $rc): $out" [ "$fix_ok" -eq 1 ]
expect "suggestions: fix does at least as well as cargo fix" [ "$fix_ok" -ge "$cf_ok" ]
# the parallel checks' target dirs: the first warm one became the project's seed, the others
# started from a copy of it (each had built every dependency again, at once)
seed=$(ls -d "$XDG_CACHE_HOME"/fix/shadow/*-seed/target/debug 2>/dev/null | head -1)
expect "cargo checks: a seed target dir for the projects checked" [ -n "$seed" ]
slots=$(ls -d "$XDG_CACHE_HOME"/fix/shadow/*-[0-9]*/target 2>/dev/null | wc -l)
expect "cargo checks: the shadows' target dirs ($slots) are warm copies" \
  bash -c 'for t in "$@"; do [ -d "$t/debug/.fingerprint" ] || exit 1; done' _ "$XDG_CACHE_HOME"/fix/shadow/*-[0-9]*/target

# a workspace of two crates, the error in the binary crate that uses the library
fresh workspace
run "$WORK/workspace" --no-fixits --candidates 1 --replay "$R/workspace.json" -- cargo build --offline
expect "workspace: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
expect "workspace: the error was found in crates/app" grep -q "crates/app/src/main.rs:5" <<<"$out"
expect "workspace: the app runs" bash -c "cd '$WORK/workspace' && cargo run -q --offline -p app | grep -q 'ann has 15'"
fresh workspace
run "$WORK/workspace/crates/app" --no-fixits --candidates 1 --replay "$R/workspace.json" -- cargo build --offline
expect "workspace from a member directory: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]

# clippy lints with -D warnings: those with applicable suggestions are fixed; needless_range_loop's
# suggestion has placeholders ("for <item> in &v") and is never applied, so one error remains
rm -rf "$WORK/clippy"; cp -r "$HERE/../golden/rust/clippy_crate" "$WORK/clippy"; printf 'target/\n' > "$WORK/clippy/.gitignore"
git_init "$WORK/clippy"
if (cd "$WORK/clippy" && cargo clippy --version >/dev/null 2>&1); then
  run "$WORK/clippy" --backend none -- cargo clippy --offline -- -D warnings
  expect "clippy: exit 1 (got $rc): $out" [ "$rc" -eq 1 ]
  # (clippy 1.63, Debian 12's, reports 3 of the 5 lints: no ptr_arg for &Vec/&String)
  expect "clippy: errors 5 -> 1 (3 -> 1 with clippy 1.63)" grep -Eq "errors (5|3) -> 1" <<<"$out"
  expect "clippy: the needless return is gone" bash -c "! grep -q 'return total;' '$WORK/clippy/src/lib.rs'"
  if grep -q 'writing `&Vec` instead of `&\[_\]`' <<<"$out"; then
    expect "clippy: &Vec became a slice" grep -q "v: &\[i32\]" "$WORK/clippy/src/lib.rs"
  fi
  expect "clippy: the placeholder suggestion was not applied" bash -c "! grep -q '<item>' '$WORK/clippy/src/lib.rs'"
else
  left_out "clippy (cargo clippy is not installed: Debian's cargo has none)"
fi

# plain rustc
mkdir -p "$WORK/plain"
printf 'fn main() {\n    let mut s = String::new();\n    s.push_strr("x");\n    println!("{}", s);\n}\n' > "$WORK/plain/main.rs"
git_init "$WORK/plain"
run "$WORK/plain" --backend none -- rustc --edition 2021 -o "$WORK/plain/app" main.rs
expect "rustc: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
expect "rustc: fixed" grep -q "push_str(" "$WORK/plain/main.rs"
finish
