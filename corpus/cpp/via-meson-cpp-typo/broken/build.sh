#!/bin/sh
# meson + ninja: the compiler runs in build/, with paths like ../src/main.c
set -e
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build
