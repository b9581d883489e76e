# lib.sh — helpers for the end-to-end scripts (sourced).
set -u
FIX=${1:?usage: $0 path/to/fix}
FIX=$(readlink -f "$FIX")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pass=0
fail=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fix-e2e-XXXXXX")
export XDG_STATE_HOME="$WORK/state" XDG_CONFIG_HOME="$WORK/config" NO_COLOR=1
unset FIX_MAX_ITERATIONS FIX_CANDIDATES FIX_BACKEND FIX_FIXITS FIX_REPAIRS FIX_ALLOW_DIRTY FIX_ALLOW_NO_VCS FIX_COLOR
trap 'rm -rf "$WORK"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect() { # expect DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then ok; else bad "$what"; fi
}
need() { command -v "$1" >/dev/null 2>&1 || { echo "skipping: $1 is not installed"; exit 77; }; }
# a part left out for want of a tool: the script runs the rest, then skips (77) unless something failed
partly=""
left_out() { echo "left out: $*"; partly="${partly:+$partly; }$*"; }
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ] || return 1
  if [ -n "$partly" ]; then echo "skipping: parts did not run: $partly"; exit 77; fi
}
# a git repository in $1 with everything committed
git_init() {
  (cd "$1" && git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm init)
}
# hash of every tracked file's content
tree_hash() { (cd "$1" && git ls-files -z | xargs -0 sha256sum | sha256sum | cut -c1-64); }
