#!/usr/bin/env bash
# readme_example.sh — README.md's example command, as written, except that it uses the binary
# under test instead of running ./setup.sh again; it must end with the example building.
source "$(dirname "$0")/lib.sh"
need make; need cc
README=$HERE/../../README.md
cmd=$(sed -n '/<!-- example-command -->/,/<!-- \/example-command -->/p' "$README" | grep -v '^<!--' | grep -v '^```')
expect "README has an example command" [ -n "$cmd" ]
expect "it starts with ./setup.sh" grep -q '^\./setup.sh && ' <<<"$cmd"
cmd=${cmd#./setup.sh && }
cmd=${cmd//\/tmp\/fix-quickstart/$WORK\/quickstart}
cmd=${cmd//.\/build\/fix/$FIX}
out=$(cd "$HERE/../.." && bash -c "$cmd" 2>&1); rc=$?
expect "the example command succeeds (got $rc): $out" [ "$rc" -eq 0 ]
expect "the example's check ran" grep -q "total = 7" <<<"$out"
expect "the corpus copy in the repository is untouched" bash -c "grep -q 'reslt' '$HERE/../../corpus/c/quickstart/broken/util.c'"
finish
