#!/bin/sh
# CMake's default generator (Unix Makefiles), no compile database exported
set -e
[ -f build/Makefile ] || cmake -S . -B build -G 'Unix Makefiles' >/dev/null
cmake --build build
