#!/usr/bin/env bash
# ci_outputs.sh — what fix leaves for CI: `--sarif` (valid SARIF 2.1.0 by Microsoft's SARIF
# Multitool when setup.sh installed it; every result's region on the right bytes; the fixes'
# replacements applied to the original files give exactly the files fix wrote, for a real run and a
# dry run), `--patch` (`git apply` on a fresh copy, then the build passes; the tree untouched by
# -n), and the README's CI command run verbatim on a broken example.
source "$(dirname "$0")/lib.sh"
need git; need make; need cc; need python3
SRC=$(cd "$HERE/../../corpus/c/quickstart/broken" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# (FIX_SARIF_MULTITOOL: another build tree's copy, for a build that setup.sh did not make: CI's sanitizer build)
MT=${FIX_SARIF_MULTITOOL:-$(dirname "$FIX")/npm/sarif/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool}
fresh() { rm -rf "$WORK/$1"; cp -r "$SRC" "$WORK/$1"; git_init "$WORK/$1"; }
validate() { # validate FILE: the Multitool finds no error (warnings are best-practice advice)
  if [ ! -x "$MT" ]; then left_out "SARIF schema validation (no SARIF Multitool: setup.sh installs it)"; return 0; fi
  "$MT" validate "$1" -o "$WORK/validation.sarif" --log ForceOverwrite >/dev/null 2>&1 ||
    { left_out "SARIF schema validation (the Multitool did not run here)"; return 0; }
  python3 - "$WORK/validation.sarif" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
errors = [r for run in v["runs"] for r in run.get("results", []) if r.get("level", "warning") == "error"]
for r in errors:
    print("SARIF validation:", r.get("ruleId"), r["message"].get("arguments"))
sys.exit(1 if errors else 0)
PY
}
# check_fixes SARIF DIR: applying every fix's replacements to the files as git has them (the
# originals) gives the files as they are in DIR now (or, with a third argument, after that patch)
check_fixes() {
  python3 - "$@" <<'PY'
import json, os, subprocess, sys
log, d = json.load(open(sys.argv[1])), sys.argv[2]
want_dir = sys.argv[3] if len(sys.argv) > 3 else d
edits = {}
for run in log["runs"]:
    assert run["columnKind"] == "unicodeCodePoints"
    for r in run["results"]:
        assert r["ruleId"] and r["message"]["text"]
        for f in r.get("fixes", []):
            for ac in f["artifactChanges"]:
                uri = ac["artifactLocation"]["uri"]
                for rep in ac["replacements"]:
                    reg = rep["deletedRegion"]
                    edits.setdefault(uri, []).append((reg["byteOffset"], reg["byteLength"], rep["insertedContent"]["text"]))
changed = subprocess.run(["git", "-C", want_dir, "diff", "--name-only"], capture_output=True, text=True).stdout.split()
assert sorted(edits) == sorted(changed), (sorted(edits), changed)
for uri, es in edits.items():
    orig = subprocess.run(["git", "-C", d, "show", "HEAD:" + uri], capture_output=True).stdout
    out, pos = b"", 0
    for off, n, text in sorted(es):
        assert off >= pos, "overlapping replacements"
        out += orig[pos:off] + text.encode()
        pos = off + n
    out += orig[pos:]
    assert out == open(os.path.join(want_dir, uri), "rb").read(), uri
print("fixes reproduce", len(edits), "files,", sum(len(e) for e in edits.values()), "replacements")
PY
}

# a real run: SARIF, regions, fixes
fresh real
out=$("$FIX" -C "$WORK/real" --backend none --sarif "$WORK/real.sarif" -- make 2>&1); rc=$?
expect "sarif (real run): exit 0 (got $rc)" [ "$rc" -eq 0 ]
expect "sarif (real run): valid" validate "$WORK/real.sarif"
expect "sarif (real run): the fixes give the files fix wrote" check_fixes "$WORK/real.sarif" "$WORK/real"
expect "sarif: a gcc run with its version and rules" python3 -c "
import json,sys; l=json.load(open('$WORK/real.sarif')); d=l['runs'][0]['tool']['driver']
sys.exit(0 if d['name']=='gcc' and d['version'][0].isdigit() and d['rules'] else 1)"
expect "sarif: the first error's region is on the byte gcc names (the '.' of p.x, after a tab)" python3 -c "
import json,sys,subprocess
l=json.load(open('$WORK/real.sarif')); r=[x for x in l['runs'][0]['results'] if 'pointer' in x['message']['text']][0]
reg=r['locations'][0]['physicalLocation']['region']
src=subprocess.run(['git','-C','$WORK/real','show','HEAD:main.c'],capture_output=True).stdout
sys.exit(0 if src[reg['byteOffset']:reg['byteOffset']+3]==b'.x,' and reg['startLine']==6 and reg['startColumn']==19 else 1)"

# a dry run: the patch and the SARIF agree, the tree is untouched
fresh dry
out=$("$FIX" -C "$WORK/dry" -n --backend none --sarif "$WORK/dry.sarif" --patch "$WORK/dry.patch" -- make 2>&1); rc=$?
expect "dry run: exit 0 (got $rc)" [ "$rc" -eq 0 ]
expect "dry run: the tree untouched" [ -z "$(cd "$WORK/dry" && git status --porcelain --untracked-files=no)" ]
expect "dry run: valid SARIF" validate "$WORK/dry.sarif"
fresh applied
expect "patch: git apply on a fresh copy" bash -c "cd '$WORK/applied' && git apply '$WORK/dry.patch'"
expect "patch: then the build passes" make -s -C "$WORK/applied"
expect "dry run: the SARIF's fixes are the patch" check_fixes "$WORK/dry.sarif" "$WORK/dry" "$WORK/applied"
fresh stdout
"$FIX" -C "$WORK/stdout" -n --backend none --patch - -- make > "$WORK/stdout.patch" 2>/dev/null
expect "patch on stdout: the same patch, and nothing else" cmp "$WORK/stdout.patch" "$WORK/dry.patch"

# a Rust crate: rustc's run, its rules' explanation URLs
if command -v cargo >/dev/null; then
  rm -rf "$WORK/crate"; cp -r "$HERE/rust/fixits" "$WORK/crate"; git_init "$WORK/crate"
  out=$(CARGO_TERM_COLOR=never "$FIX" -C "$WORK/crate" --backend none --sarif "$WORK/rust.sarif" -- cargo build --offline 2>&1); rc=$?
  expect "rust sarif: exit 0 (got $rc)" [ "$rc" -eq 0 ]
  expect "rust sarif: valid" validate "$WORK/rust.sarif"
  expect "rust sarif: rustc run, E-code rules with the error index" python3 -c "
import json,sys; l=json.load(open('$WORK/rust.sarif')); r=[x for x in l['runs'] if x['tool']['driver']['name']=='rustc'][0]
sys.exit(0 if any(u.get('helpUri','').startswith('https://doc.rust-lang.org/error_codes/E') for u in r['tool']['driver']['rules']) else 1)"
  expect "rust sarif: the fixes give the files fix wrote" check_fixes "$WORK/rust.sarif" "$WORK/crate"
fi

# each fix is attached to the result it repairs (the step that made it), not to the nearest one:
# the #include errno needs lands at the top, next to another error's line
P=$WORK/attach; mkdir -p "$P"
{ printf '#include <stdio.h>\n\nint main(void) {\n  int x = 1\n  printf("%%d\\n", x);\n'
  for i in $(seq 1 25); do printf '  x += %d;\n' "$i"; done
  printf '  return errno + x;\n}\n'; } > "$P/main.c"
printf 'app: main.c\n\t$(CC) -Wall -o app main.c\n' > "$P/Makefile"
git_init "$P"
out=$("$FIX" -C "$P" --backend none --sarif "$WORK/attach.sarif" -- make 2>&1); rc=$?
expect "attach: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
expect "attach: the include is errno's fix, the ';' the other's" python3 -c "
import json,sys; l=json.load(open('$WORK/attach.sarif'))
fixes={}
for run in l['runs']:
  for r in run['results']:
    for f in r.get('fixes',[]):
      for ac in f['artifactChanges']:
        for rep in ac['replacements']:
          fixes.setdefault(r['message']['text'],[]).append(rep['insertedContent']['text'])
e=[k for k in fixes if 'errno' in k]; s=[k for k in fixes if 'errno' not in k]
ok = e and any('errno.h' in t for t in fixes[e[0]]) and s and not any('errno.h' in t for k in s for t in fixes[k])
print(fixes) if not ok else None
sys.exit(0 if ok else 1)"

# a model backend that fails before anything was fixed: exit 2, files untouched, and the SARIF
# log is still written with the build's diagnostics (code scanning gets them)
fresh real
out=$(FIX_REPAIRS=0 "$FIX" -C "$WORK/real" --no-fixits --backend openai --base-url http://127.0.0.1:9/v1 \
      --sarif "$WORK/fail.sarif" -- make 2>&1); rc=$?
expect "backend failed: exit 2 (got $rc)" [ "$rc" -eq 2 ]
expect "backend failed: files untouched" [ -z "$(cd "$WORK/real" && git status --porcelain)" ]
expect "backend failed: the SARIF is written, valid" validate "$WORK/fail.sarif"
expect "backend failed: with the build's errors and no fixes" python3 -c "
import json,sys; l=json.load(open('$WORK/fail.sarif')); rs=[r for run in l['runs'] for r in run['results']]
sys.exit(0 if any(r['level']=='error' for r in rs) and not any(r.get('fixes') for r in rs) else 1)"

# the README's CI command, verbatim
cmd=$(sed -n '/<!-- ci-command -->/,/<!-- \/ci-command -->/p' "$ROOT/README.md" | grep -v '^<!--' | grep -v '^```')
expect "the README has a CI command" [ -n "$cmd" ]
fresh ci
(cd "$WORK/ci" && PATH="$(dirname "$FIX"):$PATH" bash -c "make >/dev/null 2>&1 || $cmd" >/dev/null 2>&1)
expect "CI command: the SARIF" validate "$WORK/ci/fix.sarif"
expect "CI command: the patch applies and the build passes" bash -c "cd '$WORK/ci' && git checkout -q . && git apply fix.patch && make -s"
finish
