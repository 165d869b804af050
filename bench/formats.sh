#!/usr/bin/env bash
# formats.sh: time `sillage formats` against `file -b` (libmagic) on the same typical office tree, in the
# same run, with a warm cache, and print files per second and the ratio.
#
# Usage: bench/formats.sh [-n RUNS] [-f FILES] [TREE]
#
#   -n RUNS   runs per tool; the best wall time is kept (default 5)
#   -f FILES  number of documents in the generated tree (default 9000)
#   TREE      an existing tree to measure instead of generating one
#
# The generated tree copies the real documents of testdata/formats/real (LibreOffice, ImageMagick, ...)
# under varied names into nested directories (compta/2019/..., rh/...), weighted like an office share:
# mostly word-processing, spreadsheets and PDF, some presentations, images, text and archives.
# `file -b` runs as the issue measured it: the file list split in two batches run in parallel
# (xargs -P2). Both tools run once untimed first so that the page cache is warm. The sillage binary is
# built before timing (go build), so no build time is counted.
#
# Environment: SILLAGE (binary to use; default: built from this repository), KEEP=1 (keep the tree).
set -euo pipefail
runs=5
count=9000
while [ $# -gt 0 ]; do
	case "$1" in
	-n) runs="$2"; shift 2 ;;
	-f) count="$2"; shift 2 ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
	*) break ;;
	esac
done
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap '[ "${KEEP:-}" = 1 ] && echo "kept $work" >&2 || rm -rf "$work"' EXIT
command -v file >/dev/null || { echo "formats.sh: needs file(1) (apt-get install file)" >&2; exit 2; }

sillage=${SILLAGE:-}
if [ -z "$sillage" ]; then
	sillage="$work/sillage"
	(cd "$repo" && go build -o "$sillage" ./cmd/sillage)
fi

tree=${1:-}
if [ -z "$tree" ]; then
	tree="$work/share"
	src="$repo/testdata/formats/real"
	# weights: how many of every 100 documents are of each kind
	weighted=(letter.doc:14 letter.docx:14 letter.odt:6 letter.rtf:2 budget.xls:10 budget.xlsx:10 budget.ods:4
		letter.pdf:14 letter-pdfa2b.pdf:3 slides.pptx:4 slides.ppt:1 slides.odp:2 gradient.jpg:5 gradient.png:3
		notes.txt:3 budget.csv:2 letter.html:1 sources.zip:1 letter-encrypted.docx:1)
	pool=()
	for w in "${weighted[@]}"; do
		for _ in $(seq "${w##*:}"); do pool+=("${w%%:*}"); done
	done
	depts=(compta rh juridique achats direction communication informatique archives)
	i=0
	while [ "$i" -lt "$count" ]; do
		f=${pool[$((i % ${#pool[@]}))]}
		d="$tree/${depts[$((i % 8))]}/$((2015 + i % 11))/dossier-$((i % 37))"
		[ -d "$d" ] || mkdir -p "$d"
		cp "$src/$f" "$d/${f%%.*}-$i.${f#*.}"
		i=$((i + 1))
	done
fi
n=$(find "$tree" -type f | wc -l)
echo "tree: $tree, $n files, $(du -sh "$tree" | cut -f1)"

run_sillage() { "$sillage" formats "$tree" -q -o json >/dev/null; }
run_file() { find "$tree" -type f -print0 | xargs -0 -n $(((n + 1) / 2)) -P2 file -b >/dev/null; }

best() { # best wall time in seconds of `runs` runs of the function $1
	local b="" t0 t1 t
	for _ in $(seq "$runs"); do
		t0=$(date +%s.%N); "$1"; t1=$(date +%s.%N)
		t=$(echo "$t1 - $t0" | bc -l)
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then b=$t; fi
	done
	echo "$b"
}

run_sillage; run_file # warm the cache
ts=$(best run_sillage)
tf=$(best run_file)
printf '%-34s %8.3f s %10.0f files/s\n' "sillage formats (-o json)" "$ts" "$(echo "$n / $ts" | bc -l)"
printf '%-34s %8.3f s %10.0f files/s\n' "file -b (xargs -P2, 2 batches)" "$tf" "$(echo "$n / $tf" | bc -l)"
printf 'ratio: sillage is %.2fx the speed of file -b\n' "$(echo "$tf / $ts" | bc -l)"
