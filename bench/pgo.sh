#!/usr/bin/env bash
# pgo.sh: make cmd/sillage/default.pgo, the CPU profile that `go build ./cmd/sillage` uses for profile-guided
# optimisation (PGO), and measure what it gains.
#
# Usage: bench/pgo.sh [-n RUNS] [--compare-only] ROOT
#
#   ROOT            a root filesystem to scan as host:ROOT (an unpacked Debian rootfs, or / on a test machine)
#   -n RUNS         rounds of the comparison: both builds run once per round, in turn (default 7)
#   --compare-only  keep the current default.pgo and only measure it
#
# The profile is taken from a build without PGO, with SILLAGE_DEV_CPUPROFILE, on the scans sillage is run for
# most: host:ROOT with a cold licence-match cache (a first scan) and with a warm one (a rescan), three times
# each, and a directory scan of this repository (source trees, lock files). The profiles are merged with
# `go tool pprof -proto`. Regenerate it when the hot code changes (a new syft or licensecheck release, a new
# scan stage); a stale profile still builds, it only optimises less.
#
# The comparison builds sillage twice from the same tree, with -pgo=off and with the profile, and times
# `sillage scan host:ROOT -o json` cold and warm, alternating the builds in each round so that drift in the
# machine's speed hits both alike. It prints every run, the medians and the ratios.
set -euo pipefail

runs=7
compare_only=0
while [ $# -gt 0 ]; do
	case "$1" in
	-n) runs="$2"; shift 2 ;;
	--compare-only) compare_only=1; shift ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || { echo "usage: $0 [-n RUNS] [--compare-only] ROOT" >&2; exit 2; }
root="$1"
[ -d "$root" ] || { echo "$root is not a directory" >&2; exit 2; }
case "$runs" in ''|*[!0-9]*|0) echo "-n wants a positive number" >&2; exit 2 ;; esac

repo="$(cd "$(dirname "$0")/.." && pwd)"
pgo="$repo/cmd/sillage/default.pgo"
work="$(mktemp -d "${TMPDIR:-/tmp}/pgo.XXXXXX")"
trap 'rm -rf "$work"' EXIT
say() { echo "$*" >&2; }

say "building sillage without PGO"
(cd "$repo" && go build -pgo=off -o "$work/sillage-nopgo" ./cmd/sillage)

if [ "$compare_only" = 0 ]; then
	say "profiling: host:$root cold and warm (3 each), and a directory scan of $repo"
	profiles=()
	for i in 1 2 3; do
		rm -rf "$work/cache-cold"
		SILLAGE_CACHE_DIR="$work/cache-cold" SILLAGE_DEV_CPUPROFILE="$work/cold$i.pprof" \
			"$work/sillage-nopgo" scan -q "host:$root" -o json >/dev/null
		SILLAGE_CACHE_DIR="$work/cache-warm" SILLAGE_DEV_CPUPROFILE="$work/warm$i.pprof" \
			"$work/sillage-nopgo" scan -q "host:$root" -o json >/dev/null
		profiles+=("$work/cold$i.pprof" "$work/warm$i.pprof")
	done
	SILLAGE_CACHE_DIR="$work/cache-dir" SILLAGE_DEV_CPUPROFILE="$work/dir.pprof" \
		"$work/sillage-nopgo" scan -q "dir:$repo" -o json >/dev/null
	profiles+=("$work/dir.pprof")
	go tool pprof -proto "${profiles[@]}" >"$work/merged.pgo" 2>/dev/null
	[ -s "$work/merged.pgo" ] || { say "merging the profiles failed"; exit 1; }
	mv "$work/merged.pgo" "$pgo"
	say "wrote $pgo ($(wc -c <"$pgo") bytes)"
fi
[ -s "$pgo" ] || { say "no $pgo: run without --compare-only first"; exit 2; }

say "building sillage with $pgo"
(cd "$repo" && go build -pgo="$pgo" -o "$work/sillage-pgo" ./cmd/sillage)

# one untimed run each fills the warm caches
for b in nopgo pgo; do
	SILLAGE_CACHE_DIR="$work/bench-warm-$b" "$work/sillage-$b" scan -q "host:$root" -o json >/dev/null
done
now() { date +%s.%N; }
: >"$work/times"
for i in $(seq "$runs"); do
	for b in nopgo pgo; do
		rm -rf "$work/bench-cold-$b"
		s=$(now); SILLAGE_CACHE_DIR="$work/bench-cold-$b" "$work/sillage-$b" scan -q "host:$root" -o json >/dev/null; e=$(now)
		echo "$b cold $(echo "$e - $s" | bc)" >>"$work/times"
		s=$(now); SILLAGE_CACHE_DIR="$work/bench-warm-$b" "$work/sillage-$b" scan -q "host:$root" -o json >/dev/null; e=$(now)
		echo "$b warm $(echo "$e - $s" | bc)" >>"$work/times"
	done
	say "round $i of $runs done"
done

median() { grep "^$1 $2 " "$work/times" | awk '{print $3}' | sort -n | awk '{v[NR]=$1} END{if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
echo "sillage scan host:$root -o json, $runs rounds (seconds)"
for b in nopgo pgo; do
	for c in cold warm; do
		printf '%-6s %-5s median %.3f  runs: %s\n' "$b" "$c" "$(median $b $c)" "$(grep "^$b $c " "$work/times" | awk '{printf "%.3f ", $3}')"
	done
done
for c in cold warm; do
	printf 'PGO / no PGO, %s: %.3f\n' "$c" "$(echo "$(median pgo $c) / $(median nopgo $c)" | bc -l)"
done
