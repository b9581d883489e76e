#!/usr/bin/env bash
# intercept.sh — the preload library and exec wrapper on their own, with real tools: every exec
# route (exec family, posix_spawn, vfork), a parallel make of 60 files, a compiler path with
# spaces, a response file, a ccache-style launcher, a compiler killed by a signal, a build of
# thousands of processes; the build's output and exit status the same with and without it; and
# fix failing open (a library that cannot load, a statically linked build tool).
source "$(dirname "$0")/lib.sh"
need make; need cc; need python3
BIN=$(dirname "$FIX")
LIB=$BIN/libfix_intercept.so
EXEC=$BIN/fix-intercept-exec
[ -f "$LIB" ] && [ -x "$EXEC" ] || { echo "skipping: the interception library is not built"; exit 77; }
LOGF=$WORK/records.jsonl
# intercepted COMMAND...: runs it as fix's builds run, records in $LOGF
intercepted() { LD_PRELOAD=$LIB FIX_INTERCEPT_EXEC=$EXEC FIX_INTERCEPT_LOG=$LOGF "$@"; }
records() { [ -f "$LOGF" ] && grep -c '"argv"' "$LOGF" || echo 0; }
field() { python3 -c "import json,sys; [print(json.loads(l)$1) for l in open('$LOGF')]"; }

# every exec route
D=$WORK/routes; mkdir -p "$D"
cc -o "$D/execs" "$HERE/intercept/execs.c"
for n in execv execvp execvpe execl execle execlp spawn spawnp vfork; do echo "int via_$n(void) { return 1; }" > "$D/$n.c"; done
rm -f "$LOGF"
(cd "$D" && intercepted ./execs "$(command -v cc)" >/dev/null); rc=$?
expect "routes: every compile worked (got $rc)" [ "$rc" -eq 0 ]
expect "routes: nine records (got $(records))" [ "$(records)" -eq 9 ]
for n in execv execvp execvpe execl execle execlp spawn spawnp vfork; do
  expect "routes: $n recorded" grep -q "\"$n.c\"" "$LOGF"
done
expect "routes: the directory recorded" bash -c "grep -q '\"dir\":\"$D\"' '$LOGF'"

# a parallel make of 60 files, two of which fail: same output, same status, every compile seen
M=$WORK/par; mkdir -p "$M"
for i in $(seq 1 60); do echo "int f$i(void) { return $i; }" > "$M/f$i.c"; done
echo "int f7(void) { return oops; }" > "$M/f7.c"; echo "int f31(void) { return nope; }" > "$M/f31.c"
printf 'OBJS = %s\nall: $(OBJS)\n%%.o: %%.c\n\t$(CC) -c -o $@ $<\n' "$(seq -s ' ' -f 'f%g.o' 1 60)" > "$M/Makefile"
(cd "$M" && make -k -j8 >"$WORK/plain.out" 2>&1); rc_plain=$?
(cd "$M" && make clean >/dev/null 2>&1; rm -f ./*.o)
rm -f "$LOGF"
(cd "$M" && intercepted make -k -j8 >"$WORK/icpt.out" 2>&1); rc_icpt=$?
expect "parallel: the same exit status ($rc_plain vs $rc_icpt)" [ "$rc_plain" -eq "$rc_icpt" ]
expect "parallel: the same output, line for line (sorted: -j8 interleaves)" \
  bash -c "diff <(sort '$WORK/plain.out') <(sort '$WORK/icpt.out')"
expect "parallel: 60 records (got $(records))" [ "$(records)" -eq 60 ]
expect "parallel: two failed" [ "$(field '["status"]' | grep -vc '^0$')" -eq 2 ]

# a compiler path with spaces, and a response file
P="$WORK/my tools"; mkdir -p "$P"; ln -s "$(command -v gcc)" "$P/gcc"
R=$WORK/rsp; mkdir -p "$R"; echo 'int g(void) { return SIZE; }' > "$R/g.c"
printf -- "-DSIZE=4 '-DNAME=\"two words\"'\n-c g.c\n" > "$R/args.rsp"
rm -f "$LOGF"
(cd "$R" && intercepted sh -c '"$0" @args.rsp -o g.o' "$P/gcc"); rc=$?
expect "spaces+rsp: compiled (got $rc)" [ "$rc" -eq 0 ]
expect "spaces+rsp: argv[0] kept with its space" bash -c "grep -q 'my tools/gcc' '$LOGF'"
expect "spaces+rsp: the response file expanded" bash -c "grep -q '\"-DSIZE=4\",\"-DNAME=\\\\\"two words\\\\\"\",\"-c\",\"g.c\"' '$LOGF'"

# a launcher (ccache's shape: the compiler is its first argument)
L=$WORK/launch; mkdir -p "$L/bin"
printf '#!/bin/sh\nexec "$@"\n' > "$L/bin/ccache"; chmod +x "$L/bin/ccache"
echo 'int h(void) { return 0; }' > "$L/h.c"
rm -f "$LOGF"
(cd "$L" && PATH="$L/bin:$PATH" intercepted sh -c 'ccache cc -c h.c -o h.o'); rc=$?
expect "launcher: compiled (got $rc)" [ "$rc" -eq 0 ]
expect "launcher: one record, the compiler first, the launcher noted" \
  bash -c "[ \$(grep -c argv '$LOGF') -eq 1 ] && grep -q '\"argv\":\\[\"cc\",\"-c\"' '$LOGF' && grep -q '\"launcher\"' '$LOGF'"

# a compiler killed by a signal: the caller sees the same death
K=$WORK/kill; mkdir -p "$K/bin"
printf '#!/bin/sh\nkill -SEGV $$\n' > "$K/bin/gcc"; chmod +x "$K/bin/gcc"
(cd "$K" && PATH="$K/bin:$PATH" sh -c 'gcc -c x.c; echo "status $?"' >"$WORK/k1" 2>&1)
rm -f "$LOGF"
(cd "$K" && PATH="$K/bin:$PATH" intercepted sh -c 'gcc -c x.c; echo "status $?"' >"$WORK/k2" 2>&1)
expect "signal: the same status and output: $(cat "$WORK/k1") / $(cat "$WORK/k2")" diff "$WORK/k1" "$WORK/k2"
expect "signal: recorded as 139" bash -c "grep -q '\"status\":139,\"signal\":11' '$LOGF'"

# thousands of processes: the cost stays per exec, not per record
T=$WORK/many; mkdir -p "$T"; echo 'int m(void) { return 0; }' > "$T/m.c"
printf 'i=0\nwhile [ $i -lt 3000 ]; do /bin/true; i=$((i+1)); done\ncc -c m.c -o m.o\n' > "$T/run.sh"
t0=$(date +%s%N); (cd "$T" && sh run.sh); t1=$(date +%s%N)
rm -f "$LOGF"
(cd "$T" && intercepted sh run.sh); t2=$(date +%s%N)
plain_ms=$(( (t1 - t0) / 1000000 )); icpt_ms=$(( (t2 - t1) / 1000000 ))
echo "3000 processes: ${plain_ms} ms plain, ${icpt_ms} ms intercepted"
expect "many: one record" [ "$(records)" -eq 1 ]
expect "many: bounded overhead (${icpt_ms} ms vs ${plain_ms} ms)" [ "$icpt_ms" -le $((plain_ms * 2 + 500)) ]

# fail open: a library that cannot load, and a corrupt one: one notice, the build untouched
need git
F=$WORK/open; mkdir -p "$F"
printf 'int main(void) { return undefined_thing; }\n' > "$F/main.c"
printf 'app: main.c\n\t$(CC) -o app main.c\n' > "$F/Makefile"
git_init "$F"
head -c 4096 /dev/urandom > "$WORK/corrupt.so"
for lib in /nonexistent/libfix_intercept.so "$WORK/corrupt.so"; do
  out=$(FIX_INTERCEPT_LIB=$lib "$FIX" -C "$F" --backend none -- make 2>&1); rc=$?
  expect "fail open ($lib): exit 1 (got $rc)" [ "$rc" -eq 1 ]
  expect "fail open ($lib): one notice" [ "$(grep -c 'cannot see the compilers' <<<"$out")" -eq 1 ]
  expect "fail open ($lib): no loader error in the build's output (only in fix's notice)" \
    bash -c "[ \$(grep -c 'ld.so' <<<\"\$1\") -le 1 ] && ! grep -v '^fix:' <<<\"\$1\" | grep -q 'ld.so'" _ "$out"
  expect "fail open ($lib): the error still found" grep -q "undefined_thing" <<<"$out"
done

# the build command is the compiler itself: fix runs it through the wrapper
G=$WORK/direct; mkdir -p "$G"; printf 'int d(void) { return 0; }\n' > "$G/d.c"
(cd "$G" && "$FIX" compdb -- cc -DDIRECT=1 -c d.c -o d.o >/dev/null 2>&1); rc=$?
expect "direct: exit 0 (got $rc)" [ "$rc" -eq 0 ]
expect "direct: recorded" grep -q '"-DDIRECT=1"' "$G/compile_commands.json"

# a statically linked build tool: LD_PRELOAD cannot work there; fix says so and goes on
if echo 'int main(int c, char **v) { (void)c; execvp(v[1], v + 1); return 127; }' |
   cc -static -include unistd.h -x c - -o "$WORK/static-run" 2>/dev/null; then
  out=$("$FIX" -C "$F" --backend none -- "$WORK/static-run" make 2>&1); rc=$?
  expect "static: the notice names it (got $rc): $out" grep -q "static-run is statically linked" <<<"$out"
  expect "static: exit 1" [ "$rc" -eq 1 ]
fi
finish
