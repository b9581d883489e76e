#!/usr/bin/env bash
# hardening_rust_lsp.sh — opening a .rs file of a project not trusted runs nothing it chose:
# `fix lsp` (a real server over stdio) does not run `cargo check`, which would run the crate's
# build.rs and proc macros and the rustc-wrapper its .cargo/config.toml names;
#  1. untrusted: on didOpen and didSave no marker appears (neither build.rs's nor the wrapper's),
#     no Rust diagnostics are published, the notice is said once (a window/showMessage and one log
#     line) and names the project and `fix trust`;
#  2. after `fix trust`, the check runs as before: the diagnostics arrive (and the markers appear);
#  3. `fix trust --revoke`: refused again.
# The command line's `fix -- cargo build` is the user's own command: unchanged (e2e.rust).
source "$(dirname "$0")/lib.sh"
need git; need python3; need cargo; need rustc
export XDG_CACHE_HOME="$WORK/cache"


lsp() { res=$(cd "$1" && python3 "$HERE/lsp_client.py" "$FIX" "$1" "$1/$2"); }
field() { python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$res" "$1"; }

# a crate whose build script and whose rustc-wrapper (.cargo/config.toml) each leave a marker
# outside the crate; main.rs has a type error
P=$WORK/crate; mkdir -p "$P/src" "$P/.cargo"
MB=$WORK/pwned-build-rs; MW=$WORK/pwned-wrapper
printf '[package]\nname = "hardening_case"\nversion = "0.1.0"\nedition = "2021"\nbuild = "build.rs"\n' > "$P/Cargo.toml"
printf 'fn main() {\n    std::fs::write("%s", "ran").unwrap();\n}\n' "$MB" > "$P/build.rs"
printf 'fn main() {\n    let n: u32 = "three";\n    println!("{}", n);\n}\n' > "$P/src/main.rs"
printf '#!/bin/sh\ntouch %s\nexec "$@"\n' "$MW" > "$P/wrap.sh"; chmod +x "$P/wrap.sh"
printf '[build]\nrustc-wrapper = "%s/wrap.sh"\n' "$P" > "$P/.cargo/config.toml"
printf 'target/\n' > "$P/.gitignore"
git_init "$P"
NOTICE='need `fix trust`'

# ---- 1: untrusted
lsp "$P" src/main.rs
expect "untrusted: build.rs did not run" [ ! -e "$MB" ]
expect "untrusted: the rustc-wrapper did not run" [ ! -e "$MW" ]
expect "untrusted: both checks answered with no diagnostics: $res" \
  [ "$(field 'r["checks"] == [[], []] and all(not p["diagnostics"] for p in r["published"])')" = True ]
expect "untrusted: the notice, shown once: $res" \
  [ "$(field 'sum("'"$NOTICE"'" in m for m in r["shown"])')" = 1 ]
expect "untrusted: it names the project and why: $res" \
  [ "$(field 'any("Rust diagnostics in '"$P"' need" in m and "build scripts and proc macros" in m for m in r["shown"])')" = True ]
expect "untrusted: logged once: $res" [ "$(field 'r["stderr"].count("'"$NOTICE"'")')" = 1 ]
expect "untrusted: no target/ in the crate" [ ! -e "$P/target" ]

# ---- 2: trusted, cargo check runs as before
"$FIX" trust -C "$P" >/dev/null 2>&1
lsp "$P" src/main.rs
expect "trusted: the diagnostics arrive: $res" \
  [ "$(field 'all(c and any("mismatched types" in m for m in c) for c in r["checks"])')" = True ]
expect "trusted: build.rs ran" [ -e "$MB" ]
expect "trusted: the rustc-wrapper ran" [ -e "$MW" ]
expect "trusted: no notice: $res" [ "$(field '"'"$NOTICE"'" in r["stderr"] or any("'"$NOTICE"'" in m for m in r["shown"])')" = False ]

# ---- 3: revoked: refused again
"$FIX" trust --revoke -C "$P" >/dev/null 2>&1
rm -f "$MB" "$MW"
touch "$P/build.rs" # (cargo would run it again)
lsp "$P" src/main.rs
expect "revoked: build.rs did not run" [ ! -e "$MB" ]
expect "revoked: the rustc-wrapper did not run" [ ! -e "$MW" ]
expect "revoked: no diagnostics, the notice: $res" \
  [ "$(field 'r["checks"] == [[], []] and sum("'"$NOTICE"'" in m for m in r["shown"]) == 1')" = True ]

finish
