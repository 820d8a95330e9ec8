#!/usr/bin/env bash
# layers.sh checks the import direction STYLE.md sets: the root package uses the standard
# library only; ingest, detect, index and dashboard import the root package and never each
# other; only index imports Bleve, only dashboard imports go-echarts; nothing imports cmd.
set -euo pipefail
mod=$(go list -m)
fail=0
while read -r pkg imports; do
	rel=${pkg#"$mod"}
	rel=${rel#/}
	area=${rel%%/*}
	for imp in $imports; do
		case $imp in
		"$mod"/cmd/*)
			echo "layers: $pkg imports $imp (nothing imports cmd)"; fail=1 ;;
		github.com/blevesearch/bleve*)
			[[ $area == index ]] || { echo "layers: $pkg imports $imp (only index/ imports Bleve)"; fail=1; } ;;
		github.com/go-echarts/*)
			[[ $area == dashboard ]] || { echo "layers: $pkg imports $imp (only dashboard/ imports go-echarts)"; fail=1; } ;;
		"$mod"/*)
			other=${imp#"$mod"/}
			other=${other%%/*}
			if [[ $area != cmd && $other != "$area" ]]; then
				echo "layers: $pkg imports $imp (pipeline packages import only the root package)"; fail=1
			fi ;;
		esac
		if [[ -z $rel ]]; then
			# The root package: standard library only (no dot in the first path element).
			first=${imp%%/*}
			if [[ $first == *.* ]]; then
				echo "layers: root package imports $imp (standard library only)"; fail=1
			fi
		fi
	done
done < <(go list -f '{{.ImportPath}} {{join .Imports " "}}' ./...)
exit $fail
