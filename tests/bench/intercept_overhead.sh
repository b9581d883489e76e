#!/usr/bin/env bash
# intercept_overhead.sh FIX [RUNS] — what watching a build costs, on a real one: curl 7.88.1 from
# Debian 12's source package (about 200 translation units), built with CMake (Unix Makefiles) and
# with its autotools build (libtool), make -j2, from clean, alternating plain and intercepted runs
# (the environment fix gives its builds). Then `fix compdb` against Bear (Debian's bear) on the same
# build: time, translation units and flags. Prints figures; needs the network to Debian's source
# archive once (the source is kept in $FIX_BENCH_SRC, default /tmp/fix-bench-src).
set -u
FIX=$(readlink -f "${1:?usage: $0 path/to/fix [runs]}")
RUNS=${2:-3}
BIN=$(dirname "$FIX")
SRC=${FIX_BENCH_SRC:-/tmp/fix-bench-src}
mkdir -p "$SRC"
if ! ls -d "$SRC"/curl-7.88.1 >/dev/null 2>&1; then
  A=$SRC/apt; mkdir -p "$A/lists/partial"
  echo "deb-src http://deb.debian.org/debian bookworm main" > "$A/sources.list"
  opts=(-o Dir::Etc::SourceList="$A/sources.list" -o Dir::Etc::SourceParts=/nonexistent -o Dir::State::Lists="$A/lists")
  apt-get "${opts[@]}" update >/dev/null 2>&1 && (cd "$SRC" && apt-get "${opts[@]}" source --download-only curl >/dev/null 2>&1)
  tar -C "$SRC" -xzf "$SRC"/curl_7.88.1.orig.tar.gz || { echo "cannot fetch curl's source package"; exit 77; }
fi
S=$SRC/curl-7.88.1
icpt() { LD_PRELOAD=$BIN/libfix_intercept.so FIX_INTERCEPT_EXEC=$BIN/fix-intercept-exec FIX_INTERCEPT_LOG=$LOG "$@"; }
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

measure() { # measure NAME DIR: RUNS clean builds each way, alternating
  local name=$1 dir=$2 p=() i=() t0 t1
  for r in $(seq 1 "$RUNS"); do
    make -C "$dir" clean >/dev/null 2>&1; t0=$(now); make -C "$dir" -j2 >/dev/null 2>&1; t1=$(now)
    p+=("$(echo "$t1 - $t0" | bc)")
    make -C "$dir" clean >/dev/null 2>&1; rm -f "$LOG"; t0=$(now); icpt make -C "$dir" -j2 >/dev/null 2>&1; t1=$(now)
    i+=("$(echo "$t1 - $t0" | bc)")
  done
  local mp mi
  mp=$(printf '%s\n' "${p[@]}" | median); mi=$(printf '%s\n' "${i[@]}" | median)
  local tus; tus=$(grep -c '"argv"' "$LOG")
  printf '%-22s %4d compiles  plain %6.2f s  intercepted %6.2f s  overhead %+5.1f%%   (runs: plain %s; intercepted %s)\n' \
    "$name" "$tus" "$mp" "$mi" "$(echo "($mi - $mp) * 100 / $mp" | bc -l)" "${p[*]}" "${i[*]}"
}

LOG=$(mktemp /tmp/fix-bench-records-XXXXXX)
echo "interception overhead, make -j2 from clean, median of $RUNS (this machine: $(nproc) cores)"
B=$SRC/build-cmake
if [ ! -f "$B/Makefile" ]; then
  cmake -S "$S" -B "$B" -G "Unix Makefiles" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DCURL_USE_LIBPSL=OFF \
    -DUSE_LIBIDN2=OFF -DCURL_USE_LIBSSH2=OFF -DCURL_BROTLI=OFF -DCURL_ZSTD=OFF >/dev/null 2>&1 || { echo "cmake configure failed"; exit 1; }
fi
measure "curl, CMake Makefiles" "$B"
AT=$SRC/build-autotools
if [ ! -f "$AT/Makefile" ]; then
  rm -rf "$AT"; cp -r "$S" "$AT"
  (cd "$AT" && ./configure --with-openssl --without-libpsl --without-libidn2 --without-libssh2 --without-brotli \
     --without-zstd --disable-manual >/dev/null 2>&1) || { echo "configure failed"; exit 1; }
fi
measure "curl, autotools+libtool" "$AT"

# fix compdb against Bear: same build, same translation units, same flags
echo
echo "fix compdb vs bear, CMake build, make -j2 from clean"
make -C "$B" clean >/dev/null 2>&1; t0=$(now)
(cd "$B" && "$FIX" compdb --no-keep-going -o "$SRC/fix.json" -- make -j2 >/dev/null 2>&1); t1=$(now)
fix_s=$(echo "$t1 - $t0" | bc)
if command -v bear >/dev/null; then
  make -C "$B" clean >/dev/null 2>&1; t0=$(now)
  (cd "$B" && bear --output "$SRC/bear.json" -- make -j2 >/dev/null 2>&1); t1=$(now)
  bear_s=$(echo "$t1 - $t0" | bc)
  python3 - "$SRC/fix.json" "$SRC/bear.json" "$fix_s" "$bear_s" <<'PY'
import json, os, sys
f = {e["file"]: e for e in json.load(open(sys.argv[1]))}
b = {os.path.normpath(os.path.join(e["directory"], e["file"])): e for e in json.load(open(sys.argv[2]))}
def flags(e):
    # fix records the compiler's argv verbatim; Bear drops dependency-file flags and moves -c/-o:
    # compare what decides compilation, in order
    a, out, skip = e["arguments"][1:], [], False
    for i, x in enumerate(a):
        if skip:
            skip = False
            continue
        if x in ("-MT", "-MF", "-MQ", "-o"):
            skip = True
            continue
        if x in ("-MD", "-MMD", "-c") or os.path.normpath(os.path.join(e["directory"], x)) == os.path.normpath(os.path.join(e["directory"], e["file"])):
            continue
        out.append(x)
    return out
same = sum(1 for k in f if k in b and flags(f[k]) == flags(b[k]))
print(f"fix compdb {float(sys.argv[3]):6.2f} s, {len(f)} TUs | bear {float(sys.argv[4]):6.2f} s, {len(b)} TUs | "
      f"in both {len(set(f) & set(b))}, same flags {same} (dependency-file flags, -c and -o aside: Bear drops them)")
PY
else
  echo "fix compdb $fix_s s; bear is not installed (apt install bear) for the comparison"
fi
rm -f "$LOG"
