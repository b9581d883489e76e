#!/bin/sh
# Builds quietly, from anywhere: the compiler commands are never shown.
set -e
cd "$(dirname "$0")/../lib"
gcc -Wall -Werror=implicit-function-declaration -Iinclude -DGREETING='"hi"' -c text.c -o text.o
gcc -Wall -Iinclude -DGREETING='"hi"' -c main.c -o main.o
gcc -o ../app text.o main.o
