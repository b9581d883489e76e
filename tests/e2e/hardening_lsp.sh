#!/usr/bin/env bash
# hardening_lsp.sh — a cloned repository's compile_commands.json may not run code of its choosing
# when a file is opened in the editor (`fix lsp`, over stdio) or checked by `fix -- make`:
#  1. an entry with gcc's `-wrapper /bin/sh,-c,...`: the entry is used without the flag (its -D
#     still counts), nothing runs, the notice is said once over two checks;
#  2. an entry whose compiler is the repository's own script (./evil.sh): the entry is not used,
#     the file is checked with the guessed command, diagnostics still arrive;
#  3. the same through `fix -- make`'s checks;
#  4. after `fix trust`, the entries are used as written (the markers appear): trust restores the
#     old behaviour.
source "$(dirname "$0")/lib.sh"
need git; need gcc; need cc; need python3; need make


# lsp DIR FILE -> $res (JSON)
lsp() { res=$(cd "$1" && python3 "$HERE/lsp_client.py" "$FIX" "$1" "$1/$2"); }
field() { python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$res" "$1"; }

MAIN=$'#include <stdio.h>\n#ifndef FROM_DB\n#error the compile command was not used\n#endif\nint main(void) {\n  return zzz;\n}\n'

# ---- 1: -wrapper runs a shell around cc1
P=$WORK/wrapper; mkdir -p "$P"; printf '%s' "$MAIN" > "$P/main.c"
M1=$WORK/pwned-wrapper
python3 - "$P" "$M1" > "$P/compile_commands.json" <<'PY'
import json, sys
p, marker = sys.argv[1:]
print(json.dumps([{"directory": p, "file": "main.c", "arguments":
    ["gcc", "-DFROM_DB=1", "-wrapper", "/bin/sh,-c,id > %s; exec \"$0\" \"$@\"" % marker, "-c", "main.c"]}]))
PY
git_init "$P"
lsp "$P" main.c
expect "wrapper: nothing ran on didOpen or didSave" [ ! -e "$M1" ]
expect "wrapper: diagnostics arrived for both checks: $res" [ "$(field 'all(c is not None for c in r["checks"])')" = True ]
expect "wrapper: the entry was used, without -wrapper (its -D counts, the error is there): $res" \
  [ "$(field 'any("zzz" in m for m in r["checks"][0]) and not any("not used" in m for m in r["checks"][0])')" = True ]
expect "wrapper: the notice, once, names -wrapper: $res" \
  [ "$(field 'sum(l.count("not trusted") for l in r["stderr"].splitlines())')" = 1 ]
expect "wrapper: it names the flag" [ "$(field '"-wrapper" in r["stderr"] and "fix trust" in r["stderr"]')" = True ]

# ---- 2: the compiler is the repository's own script
P=$WORK/script; mkdir -p "$P"; printf '%s' "$MAIN" | sed 's/#ifndef FROM_DB/#if 0/' > "$P/main.c"
M2=$WORK/pwned-script
printf '#!/bin/sh\ntouch %s\nexec cc "$@"\n' "$M2" > "$P/evil.sh"; chmod +x "$P/evil.sh"
printf '[{"directory": "%s", "file": "main.c", "arguments": ["./evil.sh", "-c", "main.c"]}]\n' "$P" > "$P/compile_commands.json"
printf 'app: main.c\n\t@cc -o app main.c\n' > "$P/Makefile"
git_init "$P"
lsp "$P" main.c
expect "script: nothing ran" [ ! -e "$M2" ]
expect "script: diagnostics from the guessed command: $res" \
  [ "$(field 'all(c is not None and any("zzz" in m for m in c) for c in r["checks"])')" = True ]
expect "script: the notice, once, names the script and the guess: $res" \
  [ "$(field 'sum(l.count("not trusted") for l in r["stderr"].splitlines()) == 1 and "./evil.sh" in r["stderr"] and "guess" in r["stderr"]')" = True ]

# ---- 3: fix -- make's checks (no interception, a silent build: the compile database is all it has)
out=$(cd "$P" && FIX_INTERCEPT=0 "$FIX" --backend none -n -- make 2>&1)
expect "cli: nothing ran: $out" [ ! -e "$M2" ]
expect "cli: the notice, once" [ "$(grep -c 'not trusted' <<<"$out")" -eq 1 ]
expect "cli: and the file checked with a guess" grep -q "checking it with a guess" <<<"$out"

# ---- 4: trusted, the entries are used as written
"$FIX" trust -C "$WORK/wrapper" >/dev/null 2>&1
lsp "$WORK/wrapper" main.c
expect "trusted wrapper: the entry ran as written" [ -e "$M1" ]
expect "trusted wrapper: no notice" [ "$(field '"not trusted" in r["stderr"]')" = False ]
"$FIX" trust -C "$WORK/script" >/dev/null 2>&1
lsp "$WORK/script" main.c
expect "trusted script: the entry ran as written" [ -e "$M2" ]
rm -f "$M2"
out=$(cd "$P" && FIX_INTERCEPT=0 "$FIX" --backend none -n -- make 2>&1)
expect "trusted cli: the entry ran as written: $out" [ -e "$M2" ]
"$FIX" trust --revoke -C "$WORK/script" >/dev/null 2>&1
rm -f "$M2"
lsp "$WORK/script" main.c
expect "revoked: refused again" [ ! -e "$M2" ]

finish
