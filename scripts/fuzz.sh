#!/usr/bin/env bash
# fuzz.sh runs every Fuzz* target in the module for a bounded time each ($1, default 20s).
set -euo pipefail
t=${1:-20s}
for dir in $(go list -f '{{.Dir}}' ./...); do
	for f in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
		echo "== $dir $f"
		(cd "$dir" && go test -run '^$' -fuzz "^$f\$" -fuzztime "$t" .)
	done
done
