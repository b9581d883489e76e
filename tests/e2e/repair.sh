#!/usr/bin/env bash
# repair.sh — the repair loop on projects shaped like the real ones it was tried on (issue 21):
# Lua's recursive make (a read-only file, --only/--select/--ignore, a failing backend, a dry run
# as a clean patch), tinyxml2's CMake C++ with CRLF files and a platform #if around its includes,
# and semver's multi-module crate (an edit that exposes an error rustc fixes; unsafe fix-its that
# must beat the model's candidates; a backend that fails midway).
source "$(dirname "$0")/lib.sh"
# the model's paths are what this tests: fix's own repairs (test_repairs, repairs_e2e in
# fixit_session.sh) would take some of its errors before the model sees them
export FIX_REPAIRS=0
need git; need make; need cc
R=$HERE/repair

fresh() { # fresh NAME: a committed copy of fixture NAME in $WORK/NAME
  rm -rf "$WORK/$1"; cp -r "$R/$1" "$WORK/$1"; git_init "$WORK/$1"
}
run() { # run DIR ARGS... -> $out, $rc
  local d=$1; shift
  out=$("$FIX" -C "$d" "$@" 2>&1); rc=$?
}
changed() { (cd "$1" && git diff --name-only | sort | tr '\n' ' '); }

# ---- luaish: recursive make ----
L=$WORK/luaish
fresh luaish; chmod 0444 "$L/src/lvm.c"; lvm=$(sha256sum "$L/src/lvm.c")
run "$L" --backend none -- make
expect "read-only: exit 1 (got $rc): $out" [ "$rc" -eq 1 ]
expect "read-only: skipped with a notice" grep -q "skipping src/lvm.c: it is read-only (mode 444; pass --allow-readonly); its errors are left alone" <<<"$out"
expect "read-only: untouched" [ "$(sha256sum "$L/src/lvm.c")" = "$lvm" ]
expect "read-only: the other files were repaired ($(changed "$L"))" [ "$(changed "$L")" = "src/lapi.c src/lcode.c " ]
expect "include: inserted at file scope, not inside #ifdef LUA_USE_POSIX" \
  [ "$(sed -n 2p "$L/src/lcode.c")" = "#include <string.h>" ]
# the errors left are in a read-only file and in one only a model fixes; make that one read-only too
chmod 0444 "$L/src/lua.c"
run "$L" --backend none -- make
expect "nothing else left: refused with exit 2 (got $rc): $out" [ "$rc" -eq 2 ]
expect "nothing else left: the refusal says why" grep -q "error: refusing to edit .*is read-only" <<<"$out"

fresh luaish; chmod 0444 "$L/src/lvm.c"
run "$L" --backend none --allow-readonly -- make
expect "--allow-readonly: lvm.c repaired ($(changed "$L"))" [ "$(changed "$L")" = "src/lapi.c src/lcode.c src/lvm.c " ]
expect "--allow-readonly: the mode is kept" [ "$(stat -c %a "$L/src/lvm.c")" = 444 ]

fresh luaish
run "$L" --backend none --only "$L/src/lapi.c" -- make
expect "--only: exit 1 (got $rc)" [ "$rc" -eq 1 ]
expect "--only: only that file changed ($(changed "$L"))" [ "$(changed "$L")" = "src/lapi.c " ]
expect "--only: says what was left" grep -q "remaining 4 errors are outside what fix may act on" <<<"$out"
fresh luaish
run "$L" --backend none --select implicit-function-declaration -- make
expect "--select: only the implicit declarations ($(changed "$L"))" [ "$(changed "$L")" = "src/lcode.c " ]
fresh luaish
run "$L" --backend none --ignore -Wimplicit-function-declaration -- make
expect "--ignore: all but them ($(changed "$L"))" [ "$(changed "$L")" = "src/lapi.c src/lvm.c " ]

# a backend that cannot be reached: the verified fix-its stay, exit 1
fresh luaish
run "$L" --backend openai --base-url http://127.0.0.1:1/v1 --model m --llm-timeout 5 -- make
expect "unreachable backend: exit 1 (got $rc): $out" [ "$rc" -eq 1 ]
expect "unreachable backend: said" grep -q "the model backend failed: openai: cannot connect" <<<"$out"
expect "unreachable backend: what was kept is said" grep -q "kept the 3 verified edits in 3 files made before the backend failed" <<<"$out"
expect "unreachable backend: the fix-its stay ($(changed "$L"))" [ "$(changed "$L")" = "src/lapi.c src/lcode.c src/lvm.c " ]

# the same unusable reply three times: said once
fresh luaish
run "$L" --candidates 3 --attempts 1 --replay "$R/luaish-unusable.json" -- make
line=$(grep "no candidate improves the build" <<<"$out")
expect "feedback: said once per call ($line)" [ "$(grep -o "no search-replace edit block" <<<"$line" | wc -l)" -eq 1 ]

# Ctrl-C during a slow model call: the call's time is model time, not fix's own
fresh luaish
"$FIX" -C "$L" --candidates 1 --replay "$R/luaish-slow.json" -- make >"$WORK/int.out" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "asking replay" "$WORK/int.out" && break; sleep 0.1; done
sleep 1.5; kill -INT $pid; wait $pid; rc=$?
out=$(cat "$WORK/int.out")
expect "interrupted: exit 130 (got $rc)" [ "$rc" -eq 130 ]
model_s=$(sed -nE 's/.*model: 1 call.* out, ([0-9.]+) s;.*/\1/p' <<<"$out")
own_s=$(sed -nE "s/.*fix's own time ([0-9.]+) s.*/\1/p" <<<"$out")
expect "interrupted: the call counts as model time (model ${model_s:-?} s, own ${own_s:-?} s): $out" \
  awk -v m="${model_s:-0}" -v o="${own_s:-9}" 'BEGIN { exit !(m >= 1.2 && o < 1.0) }'
expect "interrupted: every file restored" [ -z "$(changed "$L")" ]

# a dry run: stdout is a patch that applies, the build's output and fix's messages go to stderr
fresh luaish
"$FIX" -n -C "$L" --backend none -- make >"$WORK/dry.patch" 2>"$WORK/dry.err"; rc=$?
expect "dry run: exit 1 (got $rc)" [ "$rc" -eq 1 ]
expect "dry run: stdout applies as a patch" bash -c "cd '$L' && git apply --check '$WORK/dry.patch'"
expect "dry run: no build output on stdout" bash -c "! grep -q 'make\\[1\\]\\|error:' '$WORK/dry.patch'"
expect "dry run: the estimate is labelled" grep -q "errors 5 -> about 1 (an estimate" "$WORK/dry.err"
expect "dry run: the tree is untouched" [ -z "$(changed "$L")" ]

# a .fix.json that does not parse says where
fresh luaish
printf '{\n  "candidates": 2,\n  "backend" "none"\n}\n' >"$L/.fix.json"
run "$L" -- make
expect "bad .fix.json: exit 2 (got $rc)" [ "$rc" -eq 2 ]
expect "bad .fix.json: line and column ($out)" grep -q "\.fix\.json:3:13: not valid JSON" <<<"$out"

# ---- a big log: 2 million warning lines (80 MB, past the 64 MiB fix keeps), then the error that
# fails the build: every line is parsed as it streams, the error at the end is found, memory stays
# bounded ----
B=$WORK/biglog; mkdir -p "$B"
printf 'int main(void) { return undeclared_thing; }\n' >"$B/bad.c"
cat >"$B/Makefile" <<'MK'
all:
	@awk 'BEGIN { for (i = 0; i < 2000000; i++) printf "src/big%d.c:%d:9: warning: unused variable %cx%d%c [-Wunused-variable]\n", i % 50, 100 + i % 5000, 39, i, 39 }'
	cc -c bad.c
MK
printf '*.o\n' >"$B/.gitignore"; git_init "$B"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "%M" -o "$WORK/rss" "$FIX" -C "$B" --backend none -- make >/dev/null 2>"$WORK/big.err"; rc=$?
else
  "$FIX" -C "$B" --backend none -- make >/dev/null 2>"$WORK/big.err"; rc=$?
fi
expect "big log: exit 1 (got $rc)" [ "$rc" -eq 1 ]
expect "big log: the error at the end is found, every warning counted ($(grep 'build failed' "$WORK/big.err"))" \
  grep -q "build failed with exit code 2: 1 error, 2000000 warnings" "$WORK/big.err"
expect "big log: the error is named" grep -q "undeclared_thing" "$WORK/big.err"
if [ -s "$WORK/rss" ] && [ -z "${ASAN_OPTIONS:-}" ]; then # (a sanitizer build's memory is not fix's)
  rss=$(tail -1 "$WORK/rss")
  echo "big log (80 MB): peak memory $((rss / 1024)) MiB"
  expect "big log: peak memory under 320 MiB (got $((rss / 1024)) MiB)" [ "$rss" -lt 327680 ]
fi

# ---- tinyish: CMake, C++, CRLF, a platform #if around the includes ----
if command -v cmake >/dev/null && command -v c++ >/dev/null; then
  T=$WORK/tinyish
  fresh tinyish
  cmake -S "$T" -B "$T/build" >/dev/null 2>&1
  run "$T" --backend none -- cmake --build build
  expect "cmake: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
  expect "cmake: <vector> at file scope, after <string>, with CRLF" \
    [ "$(sed -n 3p "$T/src/tinyish.cpp" | od -c | head -1 | tr -s ' ')" = "$(printf '#include <vector>\r\n' | od -c | head -1 | tr -s ' ')" ]
  expect "cmake: the #else branch is as it was" [ "$(sed -n 7p "$T/src/tinyish.cpp")" = $'#include <unistd.h>\r' ]
  expect "cmake: the test program runs" "$T/build/tinyish_test"
fi

# ---- semverish: a crate with modules ----
if command -v cargo >/dev/null; then
  S=$WORK/semverish
  fresh semverish
  run "$S" --candidates 1 --replay "$R/semverish-right.json" -- cargo build
  expect "crate: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
  expect "crate: merged fix-its name every file they edit" grep -q "fix-it  src/display.rs, src/parse.rs: 2 fix-its together" <<<"$out"
  expect "crate: the edit that exposed E0384 was kept with rustc's fix" \
    grep -q "model candidate 1 of 1, with 1 fix-it of the errors it exposed" <<<"$out"
  expect "crate: let mut pos" grep -q "let mut pos = 0;" "$S/src/parse.rs"
  expect "crate: the model's .iter() beat rustc's unsafe clone" grep -q "self.comparators.iter()" "$S/src/display.rs"
  expect "crate: honest counts" grep -q "summary: build passes; errors 5 -> 0; 4 edits in 2 files" <<<"$out"
  expect "crate: model candidates counted apart from fix-its" grep -q "model: 3 calls, 3 candidates" <<<"$out"
  expect "crate: its tests pass" bash -c "cd '$S' && cargo test -q >/dev/null 2>&1"

  fresh semverish
  run "$S" --candidates 1 --replay "$R/semverish-wrong.json" -- cargo build
  expect "unsafe wins: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
  expect "unsafe wins: it had to beat the model" grep -q "the compiler's unsafe fix-it (.*), better than the model's 1 candidate" <<<"$out"
  expect "unsafe wins: listed in the summary" grep -q "unsafe fix-it applied: src/display.rs:7:41: no field .majr." <<<"$out"
  expect "unsafe wins: the field is right" grep -q "self.op, self.major)" "$S/src/display.rs"

  fresh semverish
  run "$S" --backend none -- cargo build
  expect "no model: exit 1 (got $rc)" [ "$rc" -eq 1 ]
  expect "no model: rustc's one suggestion for the typo, which works, is applied" \
    grep -q "the compiler's unsafe fix-it (rustc marks it MaybeIncorrect), the only one that works" <<<"$out"
  expect "no model: and listed" grep -q "unsafe fix-it applied: src/display.rs:7:41" <<<"$out"
  expect "no model: two alternatives that both compile are no choice" grep -q "self.comparators.into_iter()" "$S/src/display.rs"
  expect "no model: and the summary says so" grep -A1 "unsafe fix-its not applied (--unsafe-fixes applies them" <<<"$out" | grep -q "src/display.rs:13:23"
  fresh semverish
  run "$S" --backend none --unsafe-fixes -- cargo build
  expect "--unsafe-fixes: applied" grep -q "clone.*into_iter()" "$S/src/display.rs"
  expect "--unsafe-fixes: listed" grep -q "unsafe fix-it applied: src/display.rs:13:23" <<<"$out"

  fresh semverish
  run "$S" --candidates 1 --replay "$R/semverish-exhausted.json" -- cargo build
  expect "exhausted replay: exit 1 (got $rc): $out" [ "$rc" -eq 1 ]
  expect "exhausted replay: the verified edits stay ($(changed "$S"))" [ "$(changed "$S")" = "src/display.rs src/parse.rs " ]
  expect "exhausted replay: said" grep -q "kept the 3 verified edits in 2 files made before the backend failed" <<<"$out"

  fresh semverish
  sed -i 's/let s = String::new();/let mut s = String::new();/; s/self.majr/self.major/' "$S/src/display.rs"
  sed -i 's/let out = Vec::new();/let mut out = Vec::new();/' "$S/src/parse.rs"; (cd "$S" && git commit -qam 'no fix-its')
  before=$(tree_hash "$S")
  run "$S" --backend openai --base-url http://127.0.0.1:1/v1 --model m -- cargo build
  expect "nothing done: exit 2 (got $rc): $out" [ "$rc" -eq 2 ]
  expect "nothing done: said" grep -q "error: the model backend failed, and nothing else could be fixed" <<<"$out"
  expect "nothing done: the tree is untouched" [ "$(tree_hash "$S")" = "$before" ]
fi

finish
