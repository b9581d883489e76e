#!/bin/sh
# A library built with rustc alone: edition, a cfg and the crate type all matter to the check.
set -e
mkdir -p out
rustc --edition 2021 --crate-type lib --cfg fast --crate-name speed --out-dir out src/lib.rs
