#!/bin/sh
# builds quietly from a subdirectory: no command is ever shown
set -e
cd "$(dirname "$0")/../lib"
g++ -Wall -Werror=implicit-function-declaration -Iinclude -DSIDES=4 -c shape.cpp -o a.o
g++ -Wall -Iinclude -DSIDES=4 -c main.cpp -o b.o
g++ -o ../app a.o b.o
