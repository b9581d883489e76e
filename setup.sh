#!/usr/bin/env bash
# setup.sh — installs what fix needs on Debian 12 and builds it into ./build.
#
#   ./setup.sh            packages (apt, if any are missing) + tree-sitter grammars (npm) + build
#   BUILD_DIR=dir ./setup.sh   build somewhere else
#   FIX_WERROR=ON ./setup.sh   warnings are errors (CI and development; off by default so that a
#                              newer compiler's new warning never breaks an install)
#
# Debian packages: the build toolchain and the libraries fix links (libclang, libcurl, cJSON,
# tree-sitter, PCRE2), plus what the tests use (clang with its sanitizer and libFuzzer runtimes,
# rustc and cargo unless a Rust toolchain is installed,
# git, make, meson (a build system the interception tests drive), the linkers the linker-output test runs
# besides binutils' bfd and gold (lld, mold), and the editors the language-server tests drive: Neovim, Emacs with eglot). The tree-sitter grammars are fetched from the npm registry by CMake at configure
# time (pinned versions, see src/context/CMakeLists.txt), unpacked into the build tree and compiled
# there; nothing fetched is ever committed.
set -euo pipefail
cd "$(dirname "$0")"
BUILD_DIR=${BUILD_DIR:-build}

pkgs=(build-essential cmake ninja-build meson pkg-config git make
      clang libclang-14-dev libclang-rt-14-dev lld mold
      libcurl4-openssl-dev libcjson-dev libtree-sitter-dev libpcre2-dev
      neovim emacs-nox elpa-eglot chromium zsh fish tmux man-db mercurial)
command -v npm >/dev/null 2>&1 || pkgs+=(npm)
# Rust: the tests drive rustc and cargo; Debian's when no toolchain is on PATH (rustup's is used when
# it is: the tests pass with either)
{ command -v rustc && command -v cargo; } >/dev/null 2>&1 || pkgs+=(rustc cargo rust-clippy)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The SARIF validator the tests use: Microsoft's SARIF Multitool from the npm registry (a
# self-contained Linux build); without it the SARIF test checks everything but the schema.
if [ ! -x "$BUILD_DIR/npm/sarif/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" ]; then
  mkdir -p "$BUILD_DIR/npm/sarif"
  if npm install --prefix "$BUILD_DIR/npm/sarif" --no-audit --no-fund --silent @microsoft/sarif-multitool@5.7.0 >/dev/null 2>&1; then
    chmod u+x "$BUILD_DIR/npm/sarif/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" 2>/dev/null || true
  else
    echo "setup: the SARIF validator could not be installed from npm (the SARIF test will skip schema validation)"
  fi
fi

cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFIX_WERROR="${FIX_WERROR:-OFF}" >/dev/null
cmake --build "$BUILD_DIR"
echo "setup: built $BUILD_DIR/fix"
