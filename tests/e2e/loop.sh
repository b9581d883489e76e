#!/usr/bin/env bash
# loop.sh — the repair loop end to end with real compilers: the replay backend serving recorded
# replies (right edits; a wrong candidate beside a right one; an unusable reply whose rejection is
# fed back; an edit that breaks another file, caught by the checks and, in a CMake project without
# a compile database, by the real build; a group given up on and rolled back; C++ const
# correctness with a unified diff), and the openai backend against a misbehaving loopback server.
source "$(dirname "$0")/lib.sh"
# the model's paths are what this tests: fix's own repairs (test_repairs, repairs_e2e in
# fixit_session.sh) would take some of its errors before the model sees them
export FIX_REPAIRS=0
need git; need make; need cc
L=$HERE/loop
SERVER=$(dirname "$FIX")/tests/fix_test_server

fresh() { # fresh NAME: a committed copy of fixture NAME in $WORK/NAME
  rm -rf "$WORK/$1"; cp -r "$L/$1" "$WORK/$1"; git_init "$WORK/$1"
}
run() { # run DIR ARGS... -> $out, $rc
  local d=$1; shift
  out=$("$FIX" -v -C "$d" "$@" 2>&1); rc=$?
}

# right edits, one candidate per call: four error groups in three files
fresh inventory
run "$WORK/inventory" --candidates 1 --replay "$L/inventory-right.json" -- make
expect "right edits: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
expect "right edits: the program works" make -s -C "$WORK/inventory" check
expect "right edits: four model calls" grep -q "model: 4 calls" <<<"$out"
expect "right edits: the type mismatch was fixed" grep -q "items\[0\].name" "$WORK/inventory/src/main.c"

# a wrong candidate beside a right one: the right one is kept
fresh inventory
run "$WORK/inventory" --candidates 2 --replay "$L/inventory-wrong-then-right.json" -- make
expect "wrong+right: exit 0 (got $rc)" [ "$rc" -eq 0 ]
expect "wrong+right: candidate 1 left the error" grep -q "candidate 1: error remains" <<<"$out"
expect "wrong+right: candidate 2 was kept" grep -q "model candidate 2 of 2" <<<"$out"
expect "wrong+right: the wrong edit is not in the file" bash -c "! grep -q 'sums the quantities' '$WORK/inventory/src/inventory.c'"

# an unusable reply: rejected with a reason that is fed back, then the next reply works
fresh inventory
"$FIX" --json -C "$WORK/inventory" --candidates 1 --replay "$L/inventory-feedback.json" -- make >"$WORK/ev" 2>/dev/null; rc=$?
expect "feedback: exit 0 (got $rc)" [ "$rc" -eq 0 ]
expect "feedback: the rejection reason is reported" grep -q '"event":"edit_rolled_back".*no search-replace edit block' "$WORK/ev"
expect "feedback: the summary counts one unusable reply" grep -q '"candidates":5' "$WORK/ev"

# an edit to a header that breaks another translation unit: rejected by the checks
fresh inventory
run "$WORK/inventory" --candidates 1 --replay "$L/inventory-breaks-other.json" -- make
expect "breaks-other: exit 0 (got $rc)" [ "$rc" -eq 0 ]
expect "breaks-other: the header edit was rejected" grep -Eq "introduced [0-9]+ new errors? in files it did not change, the first: src/[a-z]+\.c:[0-9]+:[0-9]+: " <<<"$out"
expect "breaks-other: the header is unchanged" bash -c "cd '$WORK/inventory' && git diff --quiet -- include/inventory.h"
expect "breaks-other: the program works" make -s -C "$WORK/inventory" check

# a group that never gets fixed: rolled back and set aside; the others are fixed; exit 1
fresh inventory
run "$WORK/inventory" --candidates 1 --replay "$L/inventory-give-up.json" -- make
expect "give-up: exit 1 (got $rc)" [ "$rc" -eq 1 ]
expect "give-up: says so" grep -q "giving up on src/main.c:5" <<<"$out"
expect "give-up: the other groups were fixed" grep -q '#include "report.h"' "$WORK/inventory/src/main.c"
expect "give-up: the unfixed line is as it was" grep -q "const char \*label = items\[0\].qty;" "$WORK/inventory/src/main.c"

# CMake without a compile database, and without interception (FIX_INTERCEPT=0): fix knows only
# the failing TU's command, so the header edit passes the check of its own TU, the real build shows
# it broke another one, and it is rolled back
if command -v cmake >/dev/null; then
  fresh calc
  cmake -S "$WORK/calc" -B "$WORK/calc/build" >/dev/null 2>&1
  FIX_INTERCEPT=0 run "$WORK/calc" --candidates 1 --replay "$L/calc-confirm.json" -- cmake --build build
  expect "confirm: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
  expect "confirm: the breaking edit was rolled back" grep -q "broke the build elsewhere; rolling it back" <<<"$out"
  expect "confirm: the header is unchanged" bash -c "cd '$WORK/calc' && git diff --quiet -- include/calc.h"
  expect "confirm: the program works" "$WORK/calc/build/app"
  # with interception every TU's real command is known: the checks see the other TU break
  fresh calc
  cmake -S "$WORK/calc" -B "$WORK/calc/build" >/dev/null 2>&1
  run "$WORK/calc" --candidates 1 --replay "$L/calc-confirm.json" -- cmake --build build
  expect "intercepted: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
  expect "intercepted: the header edit was rejected by the checks" grep -Eq "introduced [0-9]+ new errors? in files it did not change, the first: src/[a-z]+\.c:[0-9]+:[0-9]+: " <<<"$out"
  expect "intercepted: no rollback was needed" bash -c "! grep -q 'rolling it back' <<<\"\$1\"" _ "$out"
  expect "intercepted: the program works" "$WORK/calc/build/app"
  if command -v c++ >/dev/null; then
    fresh counter
    cmake -S "$WORK/counter" -B "$WORK/counter/build" >/dev/null 2>&1
    run "$WORK/counter" --edit-format udiff --candidates 1 --replay "$L/counter-const.json" -- cmake --build build
    expect "c++ const: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
    expect "c++ const: value() is const" grep -q "int value() const" "$WORK/counter/include/counter.hpp"
  fi
fi

# the openai backend against a loopback server
serve() { # serve SCRIPT-JSON: starts the scripted server, sets $port and $spid
  echo "$1" > "$WORK/script.json"; rm -f "$WORK/port"
  "$SERVER" "$WORK/script.json" "$WORK/port" > "$WORK/served" &
  spid=$!
  for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done
  port=$(cat "$WORK/port")
}
stop() { kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null; }
if [ -x "$SERVER" ] && command -v node >/dev/null; then
  sse=$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1])).replies;
    const chunk = t => "data: " + JSON.stringify({choices: [{index: 0, delta: {content: t}}]}) + "\n\n";
    const body = r.map(x => chunk(x.slice(0, 20)) + chunk(x.slice(20)) + "data: [DONE]\n\n");
    console.log(JSON.stringify(body.map(b => ({status: 200, content_type: "text/event-stream", body: b}))));' \
    "$L/inventory-right.json")
  # a 429 first (Retry-After 0), then the four right replies
  serve "$(node -e 'const s = JSON.parse(process.argv[1]); s.unshift({status: 429, body: "{}", headers: "Retry-After: 0\r\n"}); console.log(JSON.stringify(s))' "$sse")"
  fresh inventory
  OPENAI_API_KEY=sk-e2e-SECRET run "$WORK/inventory" --backend openai --base-url "http://127.0.0.1:$port/v1" --candidates 1 -- make
  stop
  expect "openai: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
  expect "openai: the program works" make -s -C "$WORK/inventory" check
  expect "openai: the key is never printed" bash -c "! grep -q SECRET <<<\"\$1\"" _ "$out"

  # always 500: a clean error, exit 2, every file as it was
  serve '[{"status": 500, "body": "{\"error\": {\"message\": \"overloaded\"}}", "headers": "Retry-After: 0\r\n"}]'
  fresh inventory
  run "$WORK/inventory" --backend openai --base-url "http://127.0.0.1:$port/v1" -- make
  stop
  expect "openai 500: exit 2 (got $rc)" [ "$rc" -eq 2 ]
  expect "openai 500: one clear line" grep -q "HTTP 500.*overloaded.*retries exhausted" <<<"$out"
  expect "openai 500: files untouched" [ -z "$(cd "$WORK/inventory" && git status --porcelain)" ]

  # a slow first byte past --llm-timeout: timed out, exit 2, files untouched
  serve '[{"status": 200, "content_type": "text/event-stream", "body": "data: [DONE]\n\n", "delay_ms": 4000}]'
  fresh inventory
  run "$WORK/inventory" --backend openai --base-url "http://127.0.0.1:$port/v1" --llm-timeout 1 -- make
  stop
  expect "openai slow: exit 2 (got $rc)" [ "$rc" -eq 2 ]
  expect "openai slow: says it timed out" grep -q "no complete reply.*within 1 s" <<<"$out"
  expect "openai slow: files untouched" [ -z "$(cd "$WORK/inventory" && git status --porcelain)" ]

  # malformed JSON and the wrong content type
  for bad in '[{"status": 200, "content_type": "text/event-stream", "body": "data: {oops\n\n"}]' \
             '[{"status": 200, "content_type": "text/html", "body": "<html></html>"}]'; do
    serve "$bad"
    fresh inventory
    run "$WORK/inventory" --backend openai --base-url "http://127.0.0.1:$port/v1" -- make
    stop
    expect "openai bad reply: exit 2 (got $rc)" [ "$rc" -eq 2 ]
    expect "openai bad reply: files untouched" [ -z "$(cd "$WORK/inventory" && git status --porcelain)" ]
  done
fi

# the local engine in the loop: a model made by fix's writer (random weights: it repairs nothing)
# is asked, its unusable replies are rejected, and the files end as they began or better
VOCAB=$(dirname "$FIX")/npm/tokenizer-qwen3/models/tokenizer.json
if [ -f "$VOCAB" ]; then
  "$FIX" model synth --shape tiny-qwen2 --vocab "$VOCAB" --type q4_0 -o "$WORK/tiny.gguf" >/dev/null 2>&1
  fresh inventory
  run "$WORK/inventory" --backend local -m "$WORK/tiny.gguf" --candidates 2 --attempts 1 --max-tokens 64 -- make
  expect "local: exit 1, not repaired (got $rc)" [ "$rc" -eq 1 ]
  expect "local: the model was asked" grep -Eq "model: [1-9][0-9]* calls?, [0-9]+ candidates" <<<"$out"
  expect "local: its replies were rejected: files untouched" [ -z "$(cd "$WORK/inventory" && git status --porcelain)" ]
  # constrained decoding (the default): even a random model's every reply is an edit that applies
  expect "local, constrained: no unusable reply" grep -Eq "candidates? \(0 unusable\)" <<<"$out"
  run "$WORK/inventory" --backend local -m "$WORK/tiny.gguf" --candidates 2 --attempts 1 --max-tokens 64 --no-constrain -- make
  expect "local, --no-constrain: the same model's replies are unusable" \
    grep -Eq "candidates? \([1-9][0-9]* unusable\)" <<<"$out"
  expect "local, --no-constrain: files untouched" [ -z "$(cd "$WORK/inventory" && git status --porcelain)" ]
  # fix bench on the same model: the repair-shaped run alone (the full bench measures a 1 GiB read
  # bandwidth and five repair runs: minutes under the sanitizers), with its prompts written out
  out=$("$FIX" bench -m "$WORK/tiny.gguf" -t 2 --quick --json --repair-tokens "$WORK/repair.json" 2>&1); rc=$?
  expect "bench --repair-tokens --json: exit 0 and timings (got $rc)" node -e '
    const j = JSON.parse(process.argv[1]);
    if (!(j.repair_s > 0 && Math.abs(j.first_s + j.second_s - j.repair_s) < 0.01)) process.exit(1)' "$out"
  expect "bench --repair-tokens: two 300-token prompts sharing their first 240" node -e '
    const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const same = j.a.slice(0, j.shared).every((t, i) => t === j.b[i]);
    if (!(j.a.length === 300 && j.b.length === 300 && j.shared === 240 && same && j.candidates === 3 && j.tokens === 40 &&
          j.a.slice(240).some((t, i) => t !== j.b[240 + i]))) process.exit(1)' "$WORK/repair.json"
  out=$("$FIX" bench -m "$WORK/tiny.gguf" --quick --repair-tokens "$WORK/no/such/dir/r.json" 2>&1); rc=$?
  expect "bench --repair-tokens to an unwritable path: exit 2 with a message (got $rc)" \
    bash -c '[ "$1" -eq 2 ] && grep -q "cannot write" <<<"$2"' _ "$rc" "$out"
  out=$("$FIX" bench -m "$WORK/no-such-model.gguf" 2>&1); rc=$?
  expect "bench on a missing model: exit 2 naming it (got $rc)" \
    bash -c '[ "$1" -eq 2 ] && grep -q "no-such-model" <<<"$2"' _ "$rc" "$out"
else
  # (the configure step fetches it from the npm registry: a build without it tests less than it claims)
  expect "the Qwen vocabulary is in the build tree ($VOCAB)" false
fi

# Ctrl-C while the model is thinking, after an edit was kept: every file restored, exit 130
fresh inventory
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["delay_ms"]=3000; json.dump(d, open(sys.argv[2],"w"))' \
  "$L/inventory-right.json" "$WORK/slow.json" 2>/dev/null || \
  node -e 'const f=require("fs"); const d=JSON.parse(f.readFileSync(process.argv[1])); d.delay_ms=3000; f.writeFileSync(process.argv[2], JSON.stringify(d))' "$L/inventory-right.json" "$WORK/slow.json"
"$FIX" -C "$WORK/inventory" --candidates 1 --replay "$WORK/slow.json" -- make >"$WORK/int.out" 2>&1 &
pid=$!
for _ in $(seq 200); do grep -q "asking replay" "$WORK/int.out" 2>/dev/null && [ "$(grep -c 'asking replay' "$WORK/int.out")" -ge 2 ] && break; sleep 0.05; done
kill -INT "$pid"; wait "$pid"; rc=$?
expect "interrupt during a model call: exit 130 (got $rc)" [ "$rc" -eq 130 ]
expect "interrupt: every file restored" [ -z "$(cd "$WORK/inventory" && git status --porcelain)" ]
finish
