#!/bin/sh
# builds quietly from a subdirectory: no command is ever shown
set -e
cd "$(dirname "$0")/../lib"
gcc -Wall -Werror=implicit-function-declaration -Iinclude -DDX=2 -c geom.c -o a.o
gcc -Wall -Iinclude -DDX=2 -c main.c -o b.o
gcc -o ../app a.o b.o
