#!/usr/bin/env bash
# hardening_url.sh — credentials in the model endpoint's URL (user:password@, ?api-key=) are never
# shown: not in the "cannot connect" lines, not in `fix config`, not when the server echoes them,
# not in the --record file; and a malformed --base-url is refused before anything runs (exit 2).
# The path the server receives (/v1/chat/completions?api-key=..., not /v1?api-key=.../chat/...)
# is checked by unit.llm against the same loopback server.
source "$(dirname "$0")/lib.sh"
need git; need cc; need make; need python3
SERVER=$(dirname "$FIX")/tests/fix_test_server
[ -x "$SERVER" ] || { echo "skipping: no fix_test_server next to fix"; exit 77; }

PW=hunter2pass
QK=QuErYkEy4242
P=$WORK/p; mkdir -p "$P"
printf 'int main(void) {\n  return zzz;\n}\n' > "$P/main.c"
printf 'app: main.c\n\t@cc -o app main.c\n' > "$P/Makefile"
git_init "$P"
clean() { ! grep -q -e "$PW" -e "$QK" <<<"$1"; }

# 1. nothing listening (the issue's reproduction, on a port known to be free)
free=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
out=$(cd "$P" && "$FIX" --backend openai --base-url "http://alice:$PW@127.0.0.1:$free/v1?api-key=$QK" -n -- make 2>&1)
expect "cannot connect: neither the password nor the key is printed: $out" clean "$out"
expect "cannot connect: both lines, masked: $out" \
  [ "$(grep -c "cannot connect to http://alice:\*\*\*@127.0.0.1:$free/v1/chat/completions?api-key=\*\*\*: " <<<"$out")" -eq 2 ]

# 2. fix config: from FIX_BASE_URL and from the user's config file
out=$(cd "$P" && FIX_BASE_URL="http://alice:$PW@127.0.0.1:18099/v1" "$FIX" config 2>&1)
expect "config (environment): masked: $out" grep -q "^base_url *= http://alice:\*\*\*@127.0.0.1:18099/v1 " <<<"$out"
expect "config (environment): no password" clean "$out"
mkdir -p "$XDG_CONFIG_HOME/fix"
printf '{"base_url": "https://api.example.com/v1?api-key=%s"}\n' "$QK" > "$XDG_CONFIG_HOME/fix/config.json"
out=$(cd "$P" && "$FIX" config 2>&1)
expect "config (user file): masked: $out" grep -q "^base_url *= https://api.example.com/v1?api-key=\*\*\* " <<<"$out"
expect "config (user file): no key" clean "$out"
rm -f "$XDG_CONFIG_HOME/fix/config.json"

# 3. a server that echoes them, in an error and in a reply (which --record writes down)
serve() { # serve SCRIPT-JSON: starts the scripted server, sets $port and $spid
  echo "$1" > "$WORK/script.json"; rm -f "$WORK/port"
  "$SERVER" "$WORK/script.json" "$WORK/port" > "$WORK/served" &
  spid=$!
  for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done
  port=$(cat "$WORK/port")
}
stop() { kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null; }
serve "$(python3 -c 'import json, sys; pw, qk = sys.argv[1:]
print(json.dumps([{"status": 401, "body": json.dumps({"error": {"message":
    "Incorrect API key provided: %s for alice:%s at /v1?api-key=%s/chat/completions" % (qk, pw, qk)}})}]))' "$PW" "$QK")"
out=$(cd "$P" && "$FIX" --backend openai --base-url "http://alice:$PW@127.0.0.1:$port/v1?api-key=$QK" -n -- make 2>&1)
stop
expect "echoed in a 401: said: $out" grep -q "HTTP 401" <<<"$out"
expect "echoed in a 401: neither the password nor the key is printed: $out" clean "$out"

# (a reply that quotes the endpoint it was sent to, around an edit that does not)
reply="Asked at http://alice:$PW@h/v1?api-key=$QK, here is the fix:\nmain.c\n<<<<<<< SEARCH\n  return zzz;\n=======\n  return 0;\n>>>>>>> REPLACE\n"
serve "$(python3 -c 'import json, sys
chunk = lambda t: "data: " + json.dumps({"choices": [{"index": 0, "delta": {"content": t}}]}) + "\n\n"
print(json.dumps([{"status": 200, "content_type": "text/event-stream", "body": chunk(sys.argv[1].replace("\\n", "\n")) + "data: [DONE]\n\n"}]))' "$reply")"
out=$(cd "$P" && "$FIX" --backend openai --base-url "http://alice:$PW@127.0.0.1:$port/v1?api-key=$QK" --candidates 1 \
  --record "$WORK/rec.json" -n -- make 2>&1)
stop
expect "recorded: the reply was written down: $out" [ -s "$WORK/rec.json" ]
expect "recorded: without the password or the key: $(cat "$WORK/rec.json" 2>/dev/null)" clean "$(cat "$WORK/rec.json" 2>/dev/null)"
expect "recorded: masked where it was" grep -q 'alice:\*\*\*@h/v1?api-key=\*\*\*' "$WORK/rec.json"
expect "recorded: the edit was found: $out" grep -q "^+  return 0;" <<<"$out"
expect "recorded: the run said neither: $out" clean "$out"

# 4. malformed URLs are refused when the settings load: exit 2, a reason, nothing built
for bad in "http://127.0.0.1:/v1|port after ':' is empty" "127.0.0.1:8080/v1|no scheme" "ftp://h/v1|not http or https" \
           "http:///v1|no host" "http://h:70000/v1|not a number from 1 to 65535"; do
  url=${bad%%|*} why=${bad#*|}
  out=$(cd "$P" && "$FIX" --backend openai --base-url "$url" -n -- make 2>&1); rc=$?
  expect "$url: exit 2 (got $rc)" [ "$rc" -eq 2 ]
  expect "$url: says why: $out" grep -q "invalid base_url.*$why" <<<"$out"
  expect "$url: nothing was built" bash -c "! grep -q zzz <<<\"\$1\"" _ "$out"
done
out=$(cd "$P" && FIX_BASE_URL="http://alice:$PW@127.0.0.1:/v1" "$FIX" --backend openai -n -- make 2>&1); rc=$?
expect "FIX_BASE_URL malformed: exit 2 (got $rc), masked: $out" [ "$rc" -eq 2 ]
expect "FIX_BASE_URL malformed: names the environment, not the password" \
  bash -c 'grep -q "invalid base_url.*environment" <<<"$1" && ! grep -q "$2" <<<"$1"' _ "$out" "$PW"
out=$(cd "$P" && OPENAI_BASE_URL="http://127.0.0.1:/v1" "$FIX" --backend openai -n -- make 2>&1); rc=$?
expect "OPENAI_BASE_URL malformed: exit 2 (got $rc): $out" [ "$rc" -eq 2 ]
expect "OPENAI_BASE_URL malformed: says why" grep -q "invalid base URL.*port" <<<"$out"

finish
