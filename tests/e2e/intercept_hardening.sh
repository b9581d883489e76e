#!/usr/bin/env bash
# intercept_hardening.sh — the interception must not change what a build does, with real processes:
# a build that compiles a program with -fsanitize=address (and thread, memory) and runs it, by every
# exec route; a response file that is a named pipe; signals sent to a compiler's process id (SIGINT,
# SIGTERM, SIGHUP, SIGUSR1, SIGKILL, SIGTSTP then SIGCONT, a stop of the compiler itself); `exec -a gcc`
# of a program that is no compiler; and `fix eval` scoring sources in a src/build/ directory.
source "$(dirname "$0")/lib.sh"
need make; need gcc; need python3; need timeout
BIN=$(dirname "$FIX")
LIB=$BIN/libfix_intercept.so
EXEC=$BIN/fix-intercept-exec
[ -f "$LIB" ] && [ -x "$EXEC" ] || { echo "skipping: the interception library is not built"; exit 77; }
LOGF=$WORK/records.jsonl
intercepted() { LD_PRELOAD=$LIB FIX_INTERCEPT_EXEC=$EXEC FIX_INTERCEPT_LOG=$LOGF "$@"; }
records() { [ -f "$LOGF" ] && grep -c '"argv"' "$LOGF" || echo 0; }

# 1. sanitized programs the build runs: they start as without fix (ASan aborts when another
# library is loaded before its runtime), and the compiles around them are still seen
S=$WORK/san; mkdir -p "$S"
cat > "$S/gen.c" <<'SRC'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
  const char *p = getenv("LD_PRELOAD");
  FILE *f = argc > 1 ? fopen(argv[1], "w") : stdout;
  if (!f)
    return 2;
  fprintf(f, "int generated(void) { return %d; }\n", p && strstr(p, "libfix_intercept") ? 1 : 0);
  printf("preload=[%s] fix=[%s]\n", p ? p : "", getenv("FIX_INTERCEPT_LOG") ? "set" : "");
  return 0;
}
SRC
cat > "$S/Makefile" <<'MK'
all: out.o
gen: gen.c
	gcc -fsanitize=address -o gen gen.c
out.c: gen
	./gen out.c
out.o: out.c
	gcc -c out.c -o out.o
MK
(cd "$S" && timeout 120 make >"$WORK/san-plain.out" 2>&1); rc_plain=$?
(cd "$S" && rm -f gen out.c out.o)
rm -f "$LOGF"
(cd "$S" && intercepted timeout 120 make >"$WORK/san-icpt.out" 2>&1); rc=$?
expect "asan: the build works without fix (got $rc_plain): $(cat "$WORK/san-plain.out")" [ "$rc_plain" -eq 0 ]
expect "asan: and with it (got $rc): $(cat "$WORK/san-icpt.out")" [ "$rc" -eq 0 ]
expect "asan: no runtime complaint" bash -c "! grep -q 'ASan runtime' '$WORK/san-icpt.out'"
expect "asan: the generator ran without the library" grep -q 'preload=\[\] fix=\[\]' "$WORK/san-icpt.out"
expect "asan: both compiles recorded (got $(records))" [ "$(records)" -eq 2 ]
# every route: execve (sh), execvp (env), posix_spawn and posix_spawnp (python), a user's own
# LD_PRELOAD entry kept (libm: harmless; TSan does not insist on coming first)
(cd "$S" && gcc -fsanitize=thread -o tgen gen.c 2>/dev/null) && tsan=1 || tsan=0
cat > "$WORK/routes.py" <<'PY'
import os, sys
prog = os.path.abspath(sys.argv[1])
for route in ("spawn", "spawnp"):
    if route == "spawn":
        pid = os.posix_spawn(prog, [prog], os.environ)
    else:
        os.environ["PATH"] = os.path.dirname(prog) + ":" + os.environ["PATH"]
        pid = os.posix_spawnp(os.path.basename(prog), [prog], os.environ)
    _, st = os.waitpid(pid, 0)
    print(route, os.waitstatus_to_exitcode(st), flush=True)
PY
for p in gen tgen; do
  [ "$p" = tgen ] && [ "$tsan" -eq 0 ] && continue
  out=$(cd "$S" && intercepted timeout 60 sh -c "./$p; env PATH=$S:\$PATH $p; python3 '$WORK/routes.py' ./$p" 2>&1)
  expect "$p: four routes, four clean runs: $out" [ "$(grep -c 'preload=\[\] fix=\[\]' <<<"$out")" -eq 4 ]
  expect "$p: spawn routes succeeded: $out" [ "$(grep -c '^spawn.* 0$' <<<"$out")" -eq 2 ]
done
if [ "$tsan" -eq 1 ]; then
  out=$(cd "$S" && LD_PRELOAD="$LIB:libm.so.6" FIX_INTERCEPT_EXEC=$EXEC FIX_INTERCEPT_LOG=$LOGF \
    timeout 60 sh -c ./tgen 2>&1)
  expect "tsan: the user's LD_PRELOAD entry kept: $out" grep -q 'preload=\[libm.so.6\] fix=\[\]' <<<"$out"
fi
# clang links the runtimes in (no DT_NEEDED): ASan, TSan and MSan seen by their entry points
if command -v clang >/dev/null; then
  for san in address thread memory; do
    (cd "$S" && clang -fsanitize=$san -o "c-$san" gen.c 2>/dev/null) || continue
    out=$(cd "$S" && intercepted timeout 60 sh -c "./c-$san" 2>&1)
    expect "clang -fsanitize=$san: runs without the library: $out" grep -q 'preload=\[\] fix=\[\]' <<<"$out"
  done
fi
# the build command itself carries ASan: fix says so and runs it untouched
out=$(cd "$S" && "$FIX" --backend none --allow-no-vcs -- ./gen 2>&1); rc=$?
expect "asan build command: exit 0 (got $rc): $out" [ "$rc" -eq 0 ]
expect "asan build command: fix says why it cannot see: $out" grep -q 'carries a sanitizer runtime' <<<"$out"
expect "asan build command: no runtime complaint" bash -c "! grep -q 'ASan runtime' <<<\"\$1\"" _ "$out"

# 2. a response file that is a named pipe, fed once by the build: compiled, never read again
F=$WORK/fifo; mkdir -p "$F"; echo 'int g(void) { return SIZE; }' > "$F/g.c"
mkfifo "$F/args.fifo"
rm -f "$LOGF"
# clang reads a fifo once (gcc's driver cannot read one at all); without clang, a stand-in that does
if command -v clang >/dev/null; then FCC=clang; else
  mkdir -p "$F/bin"; printf '#!/bin/sh\nargs=$(cat "${1#@}")\nexec gcc $args\n' > "$F/bin/clang"
  chmod +x "$F/bin/clang"; FCC=$F/bin/clang
fi
(cd "$F" && intercepted timeout 30 sh -c '(printf -- "-DSIZE=4 -c g.c -o g.o" > args.fifo &) ; "$0" @args.fifo' "$FCC"); rc=$?
expect "fifo: compiled and returned (got $rc; 124 is a hang)" [ "$rc" -eq 0 ]
expect "fifo: recorded with @args.fifo as it was" grep -q '"@args.fifo"' "$LOGF"

# 3. signals sent to the compiler's process id, through the wrapper, the same as without fix
K=$WORK/sig; mkdir -p "$K/bin"
# a "compiler" that leaves its pid and waits; the wrapper's child becomes this sleep
printf '#!/bin/sh\necho $$ > "%s/pid"\nexec sleep 60\n' "$K" > "$K/bin/gcc"; chmod +x "$K/bin/gcc"
cat > "$WORK/signals.py" <<'PY'
import os, signal, subprocess, sys, time
K = sys.argv[1]
for s in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM, signal.SIGUSR1, signal.SIGTSTP, signal.SIGCONT):
    signal.signal(s, signal.SIG_DFL)  # the caller's dispositions (an ignored SIGINT) are not under test
def state(pid):
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"
def until(cond, secs=10):
    end = time.time() + secs
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.02)
    return False
def wait_stopped(pid, secs=10):
    end = time.time() + secs
    while time.time() < end:
        got, st = os.waitpid(pid, os.WNOHANG | os.WUNTRACED)
        if got == pid:
            return os.WIFSTOPPED(st)
        time.sleep(0.02)
    return False
started = []
def cleanup():  # bounded and self-cleaning whatever failed: no compiler outlives the test
    for pid in started:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
import atexit
atexit.register(cleanup)
def start():
    try:
        os.unlink(f"{K}/pid")
    except OSError:
        pass
    # its own process group, under this one in the same session: not orphaned, so a stop signal stops
    p = subprocess.Popen(["gcc", "-c", "x.c"], cwd=K, process_group=0)
    assert until(lambda: os.path.exists(f"{K}/pid") and open(f"{K}/pid").read().strip()), "no compiler"
    cpid = int(open(f"{K}/pid").read())
    started.extend([p.pid, cpid])
    assert until(lambda: "sleep" in open(f"/proc/{cpid}/cmdline").read()), "no sleep"
    return p, cpid
def check(name, ok):
    print(("ok " if ok else "FAIL ") + name, flush=True)
for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1):
    p, c = start()
    p.send_signal(sig)
    try:
        rc = p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        rc = "still running"
        p.kill(); p.wait()
    check(f"{sig.name} to the pid: dies of it (got {rc})", rc == -sig)
    check(f"{sig.name}: the compiler is gone ({state(c)})", until(lambda: state(c) in ("gone", "Z", "X")))
p, c = start()
p.kill()  # SIGKILL: cannot be forwarded; the compiler must not run on
p.wait()
check(f"SIGKILL to the pid: the compiler dies with it ({state(c)})", until(lambda: state(c) in ("gone", "Z", "X")))
try:
    os.kill(c, signal.SIGKILL)
except OSError:
    pass
p, c = start()
p.send_signal(signal.SIGTSTP)
check(f"SIGTSTP to the pid: the compiler stops ({state(c)})", until(lambda: state(c) == "T"))
check("SIGTSTP: the caller sees the pid stopped", wait_stopped(p.pid))
p.send_signal(signal.SIGCONT)
check(f"SIGCONT to the pid: the compiler runs again ({state(c)})", until(lambda: state(c) == "S"))
check(f"SIGCONT: the pid runs again ({state(p.pid)})", until(lambda: state(p.pid) == "S"))
os.kill(c, signal.SIGSTOP)  # the compiler stopped on its own: the pid shows it
check("the compiler stopped: the caller sees the pid stopped", wait_stopped(p.pid))
p.send_signal(signal.SIGCONT)
check(f"SIGCONT again: the compiler runs ({state(c)})", until(lambda: state(c) == "S"))
p.send_signal(signal.SIGTERM)
try:
    rc = p.wait(timeout=10)
except subprocess.TimeoutExpired:
    rc = "still running"
check(f"SIGTERM after the stops: dies of it (got {rc})", rc == -signal.SIGTERM)
PY
# the same expectations without fix first: they hold for the compiler itself
for mode in plain intercepted; do
  if [ "$mode" = plain ]; then runner=(); else runner=(intercepted); fi
  out=$(cd "$K" && PATH="$K/bin:$PATH" "${runner[@]}" timeout 90 python3 "$WORK/signals.py" "$K" 2>&1); rc=$?
  expect "signals ($mode): the script finished (rc $rc): $out" [ "$rc" -eq 0 ]
  expect "signals ($mode): every step as expected: $(grep -v '^ok' <<<"$out")" \
    bash -c "! grep -qv '^ok' <<<\"\$1\" && [ \$(grep -c '^ok' <<<\"\$1\") -eq 16 ]" _ "$out"
done

# 4. the executable decides what is a compiler, not argv[0]
rm -f "$LOGF"
out=$(intercepted bash -c 'exec -a gcc /bin/echo hi' 2>&1)
expect "exec -a gcc echo: echo ran ($out)" [ "$out" = hi ]
expect "exec -a gcc echo: no record (got $(records))" [ "$(records)" -eq 0 ]

# 5. fix eval: sources under src/build/ are scored; a build's outputs are not (a top-level build/
# the .gitignore names, a CMake build tree anywhere)
E=$WORK/corpus/c
mkdir -p "$E/srcbuild/broken/src/build" "$E/srcbuild/fixed/src/build"
printf 'int helper(void) { return 1; }\nint extra(void) { return 2; }\n' > "$E/srcbuild/fixed/src/build/helper.c"
printf 'int helper(void) { return 1; }\n' > "$E/srcbuild/broken/src/build/helper.c"
for t in broken fixed; do
  printf 'int helper(void);\nint main(void) { return helper() - 1; }\n' > "$E/srcbuild/$t/main.c"
done
mkdir -p "$E/outputs/broken" "$E/outputs/fixed/build" "$E/outputs/fixed/sub/out"
for t in broken fixed; do printf 'int main(void) { return 0; }\n' > "$E/outputs/$t/main.c"; done
printf '/build/\n' > "$E/outputs/fixed/.gitignore"; cp "$E/outputs/fixed/.gitignore" "$E/outputs/broken/"
printf 'int generated_only(void) { return 0; }\n' > "$E/outputs/fixed/build/gen.c"
printf '# cache\n' > "$E/outputs/fixed/sub/out/CMakeCache.txt"
printf 'int configured_only(void) { return 0; }\n' > "$E/outputs/fixed/sub/out/conf.c"
for c in srcbuild outputs; do
  cat > "$E/$c/case.json" <<JSON
{"language": "c", "build": ["sh", "-c", "cc -o prog main.c \$(find src -name '*.c' 2>/dev/null)"],
 "category": "x", "errors": ["y"]}
JSON
done
out=$("$FIX" eval "$WORK/corpus" --backend none -j 1 --out "$WORK/eval.json" 2>&1); rc=$?
expect "eval: ran (rc $rc): $out" [ -f "$WORK/eval.json" ]
verdict() {
  python3 -c "import json; r={c['id']: c for c in json.load(open('$WORK/eval.json'))['results']}; print(r['$1']['$2'])"
}
v=$(verdict c/srcbuild items_kept)
expect "eval: src/build/helper.c scored: extra() is missing (items_kept $v)" [ "$v" = False ]
expect "eval: so not a repair" [ "$(verdict c/srcbuild repaired)" = False ]
v=$(verdict c/outputs items_kept)
expect "eval: build outputs not scored (items_kept $v)" [ "$v" = True ]
finish
