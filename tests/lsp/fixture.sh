# fixture.sh — the broken C project the editor tests open (sourced). make_fixture sets DIR;
# check_fixed NAME RC checks the file the editor saved.
make_fixture() {
  DIR=$(mktemp -d /tmp/fix-lsp-editor-XXXXXX)
  trap 'rm -rf "$DIR"' EXIT
  cat > "$DIR/main.c" <<'C'
#include <stdio.h>

static int add(int a, int b) { return a + b; }

int main(void) {
  int count = 3;
  printf("café € 😀 %d\n", cuont);
  return add(count);
}
C
  cat > "$DIR/compile_commands.json" <<JSON
[{"directory": "$DIR", "file": "$DIR/main.c", "arguments": ["cc", "-Wall", "-c", "main.c", "-o", "main.o"]}]
JSON
  cat > "$DIR/replay.json" <<'JSON'
{"replies": ["main.c\n<<<<<<< SEARCH\n  return add(count);\n=======\n  return add(count, 0);\n>>>>>>> REPLACE\n"], "delay_ms": 200}
JSON
  (cd "$DIR" && git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm broken)
}

check_fixed() {
  local name=$1 rc=$2
  if [ "$rc" -ne 0 ]; then
    echo "FAIL: $name exited with $rc"
    exit 1
  fi
  if ! grep -q 'return add(count, 0);' "$DIR/main.c" || ! grep -q '😀 %d\\n", count);' "$DIR/main.c"; then
    echo "FAIL: $name did not save the fixed file:"
    cat "$DIR/main.c"
    exit 1
  fi
  if ! cc -fsyntax-only -Wall "$DIR/main.c"; then
    echo "FAIL: the file $name saved does not compile"
    exit 1
  fi
  echo "$name: diagnostics, Fix with AI and the saved file are right"
}
