#!/usr/bin/env bash
# mutate_projects.sh — the `fix eval mutate` benchmark (issue 27): seeded single mistakes in real
# projects that are not in corpus/, repaired three ways, scored per mutation class.
#
#   tests/bench/mutate_projects.sh [FIX]        (FIX: the fix executable, default build/fix)
#
# Fetches the sources at run time (Debian source packages, Rust crates from librust-*-dev), never
# commits them. For each project: `fix eval mutate` keeps PER cases (seed SEED) as a corpus, then
# `fix eval` runs the rows in ROWS over it:
#   fixits   the compilers' own fix-its alone          (--backend none --no-repairs)
#   fix      fix with no model                         (--backend none)
#   oracle   fix with the known-good edit as the model (--oracle): everything but the model
# and prints, per class and per project: repaired (built, nothing the original defines gone) and
# non-destructive (no case built by deleting or renaming a function, type, field or method).
# A corpus already made (WORK/corpus/P) is reused: run again with another FIX to compare binaries.
#
# Environment: PER (75), SEED (1), JOBS (2), WORK (/tmp/fix-mutate-bench), ROWS ("fixits fix
# oracle"), PROJECTS (all below), TAG (a label for this binary's results, default "run").
set -u
here=$(cd "$(dirname "$0")" && pwd)
FIX=$(realpath "${1:-$here/../../build/fix}")
PER=${PER:-75} SEED=${SEED:-1} JOBS=${JOBS:-2} WORK=${WORK:-/tmp/fix-mutate-bench}
ROWS=${ROWS:-fixits fix oracle} TAG=${TAG:-run}
ALL="cmark libyaml lua libpng ninja tinyxml2 regex-syntax smallvec memchr"
PROJECTS=${PROJECTS:-$ALL}
mkdir -p "$WORK/src" "$WORK/corpus" "$WORK/results/$TAG"
say() { printf '%s\n' "$*" >&2; }

# name  Debian source package  version tried first (any version apt offers otherwise)  build
declare -A PKG=([cmark]=cmark [libyaml]=libyaml [lua]=lua5.4 [libpng]=libpng1.6 [ninja]=ninja-build [tinyxml2]=tinyxml2)
declare -A VER=([cmark]=0.30.2-6 [libyaml]=0.2.5-1 [lua]=5.4.4-3+deb12u1 [libpng]=1.6.39-2+deb12u5
                [ninja]=1.11.1-2~deb12u1 [tinyxml2]=9.0.0+dfsg-3.1)
CM='cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release'
declare -A BUILD=([cmark]="$CM >/dev/null && cmake --build build"
                  [libyaml]="$CM >/dev/null && cmake --build build"
                  [lua]="make -s posix"
                  [libpng]="$CM -DPNG_TESTS=OFF -DPNG_SHARED=OFF >/dev/null && cmake --build build"
                  [ninja]="$CM >/dev/null && cmake --build build"
                  [tinyxml2]="$CM >/dev/null && cmake --build build"
                  [regex-syntax]="cargo build" [smallvec]="cargo build" [memchr]="cargo build")
declare -A CRATE=([regex-syntax]=regex-syntax-0.6.27 [smallvec]=smallvec-1.9.0 [memchr]=memchr-2.5.0)

# apt-get source needs deb-src entries; Debian 12's default sources have none
deb_src() {
  apt-cache showsrc cmark 2>/dev/null | grep -q '^Package:' && return 0
  [ "$(id -u)" = 0 ] || { say "mutate_projects: add deb-src entries for bookworm to apt's sources (needs root)"; return 1; }
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    > /etc/apt/sources.list.d/fix-bench-src.sources
  apt-get update -q >/dev/null
}

fetch() { # $1: project name; prints the tree's path
  local p=$1 t="$WORK/src/$1"
  if [ -d "$t" ]; then echo "$t"; return 0; fi
  if [ -n "${CRATE[$p]:-}" ]; then
    local reg=/usr/share/cargo/registry/${CRATE[$p]}
    [ -d "$reg" ] || apt-get install -y -q "librust-${p}-dev" >/dev/null || return 1
    cp -r "$reg" "$t.tmp" || return 1
    # a library build needs no dev-dependencies, benches, tests or examples (their crates are not in Debian)
    python3 - "$t.tmp/Cargo.toml" <<'PY'
import re, sys
f = sys.argv[1]; out = []; skip = False
for line in open(f).read().split("\n"):
    if line.startswith("["):
        skip = bool(re.match(r"^\[(dev-dependencies|\[bench\]|\[test\]|\[example\])", line))
    if not skip:
        out.append(line)
open(f, "w").write("\n".join(out))
PY
    mkdir -p "$t.tmp/.cargo"
    printf '[source.crates-io]\nreplace-with = "debian"\n[source.debian]\ndirectory = "/usr/share/cargo/registry"\n[net]\noffline = true\n' \
      > "$t.tmp/.cargo/config.toml"
  else
    deb_src || return 1
    local dl="$WORK/src/dl-$p"
    mkdir -p "$dl"
    (cd "$dl" && { apt-get source -q --download-only "${PKG[$p]}=${VER[$p]}" >/dev/null 2>&1 ||
                   apt-get source -q --download-only "${PKG[$p]}" >/dev/null 2>&1; }) || { say "cannot fetch ${PKG[$p]}"; return 1; }
    # upstream's tree: Debian's patches change some build systems (lua's to libtool)
    (cd "$dl" && dpkg-source --no-check --skip-patches -x ./*.dsc "$t.tmp" >/dev/null) || return 1
    rm -rf "$t.tmp/debian"
  fi
  mv "$t.tmp" "$t" && echo "$t"
}

command -v cmake >/dev/null && command -v ninja >/dev/null && command -v cargo >/dev/null || {
  say "mutate_projects: needs cmake, ninja and cargo"; exit 2; }
start=$(date +%s)
for p in $PROJECTS; do
  tree=$(fetch "$p") || { say "mutate_projects: $p: cannot fetch; skipped"; continue; }
  corpus="$WORK/corpus/$p" res="$WORK/results/$TAG"
  if [ ! -d "$corpus" ]; then
    say "== $p: making $PER cases (seed $SEED)"
    t0=$(date +%s)
    "$FIX" eval mutate -C "$tree" --seed "$SEED" --cases "$PER" --keep "$corpus" --no-baseline --backend none \
      -j "$JOBS" --out "$res/$p.fix.json" -- sh -c "${BUILD[$p]}" > "$res/$p.fix.txt" 2>&1 ||
      { say "mutate_projects: $p: fix eval mutate failed: $(tail -3 "$res/$p.fix.txt")"; continue; }
    say "   made and ran with no model in $(( $(date +%s) - t0 )) s: $(tail -1 "$res/$p.fix.txt")"
  fi
  for row in $ROWS; do
    [ -f "$res/$p.$row.json" ] && continue
    case $row in
      fixits) opts=(--backend none --no-repairs) ;;
      fix) opts=(--backend none) ;;
      oracle) opts=(--oracle) ;;
      *) say "mutate_projects: no row '$row'"; exit 2 ;;
    esac
    t0=$(date +%s)
    "$FIX" eval "$corpus" "${opts[@]}" -j "$JOBS" --out "$res/$p.$row.json" > "$res/$p.$row.txt" 2>&1
    say "   $p $row: $(tail -1 "$res/$p.$row.txt") in $(( $(date +%s) - t0 )) s"
  done
done

python3 - "$WORK/results/$TAG" "$ROWS" "$(( $(date +%s) - start ))" <<'PY'
import collections, glob, json, os, sys
res, rows, secs = sys.argv[1], sys.argv[2].split(), sys.argv[3]
data = collections.defaultdict(dict)   # (project, row) -> {id: case}
for f in glob.glob(os.path.join(res, "*.json")):
    p, row = os.path.basename(f)[:-5].rsplit(".", 1)
    for c in json.load(open(f))["results"]:
        data[(p, row)][c["id"]] = c
projects = sorted({p for p, _ in data})
def table(title, key):
    groups = collections.defaultdict(lambda: collections.defaultdict(list))
    for (p, row), cases in data.items():
        for c in cases.values():
            groups[key(p, c)][row].append(c)
    print("\n%-26s %5s  %s" % (title, "cases", "  ".join("%-17s" % r for r in rows)))
    tot = collections.defaultdict(list)
    for k in sorted(groups):
        n = max(len(groups[k][r]) for r in rows if groups[k][r]) if any(groups[k][r] for r in rows) else 0
        cells = []
        for r in rows:
            cs = groups[k][r]
            tot[r] += cs
            rep = sum(c["repaired"] for c in cs)
            cells.append("%4d %5.1f%%      " % (rep, 100.0 * rep / len(cs)) if cs else "%-17s" % "-")
        print("%-26s %5d  %s" % (k, n, "  ".join(cells)))
    n = max((len(v) for v in tot.values()), default=0)
    print("%-26s %5d  %s" % ("all", n, "  ".join(
        "%4d %5.1f%%      " % (sum(c["repaired"] for c in tot[r]), 100.0 * sum(c["repaired"] for c in tot[r]) / len(tot[r]))
        if tot[r] else "%-17s" % "-" for r in rows)))
    return tot
print("fix eval mutate benchmark: %d projects (%s), results in %s, %s s" % (len(projects), " ".join(projects), res, secs))
print("repaired = the build passes and every item of every file is still there; each row's cell: count, share")
table("class", lambda p, c: c["id"].split("/")[0] + "/" + c["category"])
tot = table("project", lambda p, c: p)
print("\nnon-destructive (no case whose build passes with a function, type, field or method gone):")
for r in rows:
    cs = tot[r]
    if cs:
        bad = sum(c["build_passed"] and not c["items_kept"] for c in cs)
        print("  %-8s %d/%d (%.1f%%)" % (r, len(cs) - bad, len(cs), 100.0 * (len(cs) - bad) / len(cs)))
PY
