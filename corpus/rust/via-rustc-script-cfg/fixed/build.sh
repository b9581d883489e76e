#!/bin/sh
# rustc from a script, with flags the check must reuse
set -e
mkdir -p out
rustc --edition 2021 --crate-type bin --cfg fast -o out/app src/main.rs
