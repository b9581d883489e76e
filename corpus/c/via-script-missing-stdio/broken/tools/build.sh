#!/bin/sh
# builds quietly from a subdirectory: no command is ever shown
set -e
cd "$(dirname "$0")/../lib"
gcc -Wall -Werror=implicit-function-declaration -Iinclude -DTIMES=3 -c report.c -o a.o
gcc -Wall -Iinclude -DTIMES=3 -c main.c -o b.o
gcc -o ../app a.o b.o
