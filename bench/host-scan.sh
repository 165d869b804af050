#!/usr/bin/env bash
# host-scan.sh: time `sillage scan host:ROOT` against syft's installed-software mode, Trivy's rootfs scan
# and dpkg-query on the same root filesystem, in the same run, and check that sillage reports what they do.
#
# Usage: bench/host-scan.sh [-n RUNS] [-x GLOB]... [--syft-plain] ROOT
#
#   ROOT          a root filesystem; bench/mkroot.sh builds the Debian 12 one that bench/host-scan.md reports on
#   -n RUNS       rounds: each tool runs once per round, in turn; its best wall time is kept (default 3)
#   -x GLOB       extra exclude glob for every tool, repeatable (e.g. -x /home when ROOT=/)
#   --syft-plain  run syft exactly as `syft ROOT --override-default-catalogers image`, without sillage's
#                 default excludes (by default syft gets the same excludes, so both scan the same tree)
#
# Environment:
#   SILLAGE  sillage binary to use (default: built from this repository with go build ./cmd/sillage, which
#            applies cmd/sillage/default.pgo as a release build does; the script says which profile a binary has)
#   SYFT     syft binary (default: syft on PATH, else built from the Go module proxy: syft v1.57.0)
#   TRIVY    trivy binary (default: trivy on PATH; skipped when there is none). The issue's reference is
#            Trivy v0.58.0; the script says when the binary is another version (newer ones are faster)
#   TRIVY_ARGS  arguments before ROOT (default: rootfs --pkg-types os --format cyclonedx --offline-scan
#               --quiet, plus --skip-version-check --disable-telemetry when the binary has them (v0.58.0
#               does not): the OS package listing, which needs no vulnerability database; with one,
#               "rootfs --pkg-types os --scanners vuln --skip-db-update --list-all-pkgs --format json ..."
#               also loads it)
#   KEEP=1   keep the work directory (the JSON outputs) and print its path
#
# sillage is timed twice: with a cold licence-match cache (emptied before every run: a first scan) and with
# a warm one (filled by one untimed run: a rescan). Both use a cache directory of their own under the work
# directory, never the user's.
#
# Output: a table (tool, best wall time, peak RSS, packages), the ratios, and the coverage check: the share
# of syft's packages (by package-URL type, name and version) that sillage reports, and every package
# dpkg-query lists as installed that sillage misses. Exits 1 when coverage is below 99% or a dpkg package
# is missed, 2 on a usage or setup error.
set -euo pipefail

SYFT_VERSION=v1.57.0
runs=3
extra=()
syft_plain=0
while [ $# -gt 0 ]; do
	case "$1" in
	-n) runs="$2"; shift 2 ;;
	-x) extra+=("$2"); shift 2 ;;
	--syft-plain) syft_plain=1; shift ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || { echo "usage: $0 [-n RUNS] [-x GLOB]... [--syft-plain] ROOT" >&2; exit 2; }
root="$1"
[ -d "$root" ] || { echo "$root is not a directory" >&2; exit 2; }
case "$runs" in ''|*[!0-9]*|0) echo "-n wants a positive number" >&2; exit 2 ;; esac

repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/host-scan.XXXXXX")"
if [ "${KEEP:-}" = 1 ]; then
	echo "work directory: $work" >&2
else
	trap 'rm -rf "$work"' EXIT
fi
say() { echo "$*" >&2; }

# JSON helper: jq when present, else python3
if command -v jq >/dev/null; then
	json=jq
elif command -v python3 >/dev/null; then
	json=python3
else
	say "need jq or python3 to read the JSON outputs"; exit 2
fi

# --- tools ----------------------------------------------------------------------------------------------
sillage="${SILLAGE:-}"
if [ -z "$sillage" ]; then
	say "building sillage from $repo"
	(cd "$repo" && go build -o "$work/sillage" ./cmd/sillage) || { say "go build ./cmd/sillage failed (set SILLAGE=/path/to/sillage)"; exit 2; }
	sillage="$work/sillage"
fi
# the profile-guided optimisation profile takes 5 to 10% off a scan (bench/host-scan.md)
sillage_pgo=$(go version -m "$sillage" 2>/dev/null | awk '$1 == "build" && $2 ~ /^-pgo=/ {sub(/^-pgo=/, "", $2); print $2}')
if [ -n "$sillage_pgo" ]; then
	say "sillage build: profile-guided optimisation with $sillage_pgo"
else
	say "sillage build: no profile-guided optimisation"
fi

syft="${SYFT:-$(command -v syft || true)}"
if [ -z "$syft" ]; then
	say "no syft on PATH: building syft $SYFT_VERSION from the Go module proxy (set SYFT to skip this)"
	mkdir -p "$work/syftbuild"
	{
		echo "module syftbuild"
		echo
		grep -m1 '^go ' "$repo/go.mod"
		echo
		echo "require github.com/anchore/syft $SYFT_VERSION"
		echo
		# the same replace lines as sillage: they make syft's dependency graph resolvable here
		awk '/^replace \(/{p=1} p{print} p&&/^\)/{exit}' "$repo/go.mod"
	} > "$work/syftbuild/go.mod"
	printf 'package main\n\nimport _ "github.com/anchore/syft/cmd/syft"\n' > "$work/syftbuild/tools.go"
	(cd "$work/syftbuild" && go mod tidy >/dev/null 2>&1 &&
		go build -ldflags "-X main.version=${SYFT_VERSION#v}" -o "$work/syft" github.com/anchore/syft/cmd/syft) ||
		{ say "building syft failed (set SYFT=/path/to/syft)"; exit 2; }
	syft="$work/syft"
fi
if ! "$syft" version 2>/dev/null | grep -q "${SYFT_VERSION#v}"; then
	say "note: $syft does not say it is syft ${SYFT_VERSION#v}; the comparison is with whatever version it is"
fi

trivy="${TRIVY:-$(command -v trivy || true)}"
trivy_note=""
if [ -z "$trivy" ]; then
	trivy_note="skipped: no trivy binary (set TRIVY=/path/to/trivy; no package registry this project uses ships one)"
fi
TRIVY_REFERENCE=0.58.0 # the version the issue measured
trivy_version="-"
if [ -z "$trivy_note" ]; then
	trivy_version=$("$trivy" --version 2>/dev/null | awk '/^Version:/ {print $2; exit}')
	trivy_version="${trivy_version:-unknown}"
	if [ "$trivy_version" != "$TRIVY_REFERENCE" ]; then
		say "note: $trivy is Trivy $trivy_version, not the issue's reference $TRIVY_REFERENCE; the ratio is against that version"
	fi
fi
if [ -n "${TRIVY_ARGS:-}" ]; then
	read -r -a trivy_args <<< "$TRIVY_ARGS"
else
	trivy_args=(rootfs --pkg-types os --format cyclonedx --offline-scan --quiet)
	if [ -z "$trivy_note" ]; then
		# flags newer releases have and older ones reject (v0.58.0 knows neither)
		trivy_help=$("$trivy" rootfs --help 2>/dev/null || true)
		for f in --skip-version-check --disable-telemetry; do
			if grep -q -- "$f" <<< "$trivy_help"; then trivy_args+=("$f"); fi
		done
	fi
fi

admindir="${root%/}/var/lib/dpkg"
dpkg_note=""
if ! command -v dpkg-query >/dev/null; then
	dpkg_note="skipped: no dpkg-query"
elif [ ! -f "$admindir/status" ]; then
	dpkg_note="skipped: $admindir/status does not exist (not a Debian root)"
fi

# --- excludes: sillage's defaults, read from its help, so that syft scans the same tree -----------------
defaults=()
if [ "$syft_plain" = 0 ]; then
	mapfile -t defaults < <("$sillage" scan --help 2>/dev/null |
		awk '/^host: targets skip/{p=1; next} p&&/^$/{exit} p' | tr ',' '\n' | sed 's/^ *//; s/ *$//' | grep -v '^$' || true)
	if [ "${#defaults[@]}" -eq 0 ]; then
		say "could not read sillage's default excludes from 'sillage scan --help'; syft runs without them"
	fi
fi
sillage_ex=()
for g in "${extra[@]+"${extra[@]}"}"; do sillage_ex+=(--exclude "$g"); done
syft_ex=()
for g in "${defaults[@]+"${defaults[@]}"}" "${extra[@]+"${extra[@]}"}"; do
	case "$g" in
	/*) g=".$g" ;;                # syft wants root-relative "./x" ...
	'**'*|'./'*|'*/'*) ;;
	*) g="**/$g" ;;                 # ... or "**/x" for any depth
	esac
	syft_ex+=(--exclude "${g%'/**'}") # a directory glob: syft skips the directory itself
done

# --- timing ---------------------------------------------------------------------------------------------
# keys_sillage_raw FILE: the components of a sillage result with their licences, to compare two runs
keys_sillage_raw() {
	if [ "$json" = jq ]; then
		jq -c '.components' "$1"
	else
		python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["components"], sort_keys=True))' "$1"
	fi
}
have_time=0
[ -x /usr/bin/time ] && /usr/bin/time -f "%e" true 2>/dev/null && have_time=1

# time_once NAME OUTFILE CMD...: runs CMD once with stdout to OUTFILE and keeps, in $work/NAME.result, the best
# wall time so far and the peak RSS of that run, as "seconds kilobytes"
time_once() {
	local name="$1" out="$2"; shift 2
	local t rss best=""
	if [ "$have_time" = 1 ]; then
		/usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" > "$out" 2> "$work/$name.err" ||
			{ say "$name failed, see below"; tail -5 "$work/$name.err" >&2; return 1; }
		read -r t rss < <(tail -1 "$work/$name.time")
	else
		local s e
		s=$(date +%s.%N)
		"$@" > "$out" 2> "$work/$name.err" || { say "$name failed"; tail -5 "$work/$name.err" >&2; return 1; }
		e=$(date +%s.%N)
		t=$(awk -v s="$s" -v e="$e" 'BEGIN{printf "%.2f", e - s}')
		rss="n/a"
	fi
	[ -f "$work/$name.result" ] && read -r best _ < "$work/$name.result"
	if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN{exit !(a < b)}'; then
		echo "$t $rss" > "$work/$name.result"
	fi
}

export SYFT_CHECK_FOR_APP_UPDATE=false NO_COLOR=1
export SILLAGE_CACHE_DIR="$work/cache"

say "sillage: $sillage scan host:$root -o json ${sillage_ex[*]-}, with a cold then a warm licence cache"
say "syft: $syft $root --override-default-catalogers image -o json (${#syft_ex[@]} exclude arguments)"
[ -z "$trivy_note" ] && say "trivy: $trivy ${trivy_args[*]} $root"
[ -z "$dpkg_note" ] && say "dpkg-query: dpkg-query -W --admindir=$admindir"
# The tools take turns, one run each per round, so that a machine whose speed drifts over minutes (a shared
# VM) slows them alike and the ratios stay fair.
for ((round = 1; round <= runs; round++)); do
	say "round $round of $runs"
	rm -rf "$SILLAGE_CACHE_DIR" # a first scan
	time_once sillage "$work/sillage.json" "$sillage" scan "host:$root" -o json -q "${sillage_ex[@]+"${sillage_ex[@]}"}"
	# the cold run filled the cache: a rescan
	time_once sillage-warm "$work/sillage-warm.json" "$sillage" scan "host:$root" -o json -q "${sillage_ex[@]+"${sillage_ex[@]}"}"
	time_once syft "$work/syft.json" "$syft" "$root" --override-default-catalogers image -o json -q "${syft_ex[@]+"${syft_ex[@]}"}"
	if [ -z "$trivy_note" ]; then
		time_once trivy "$work/trivy.json" "$trivy" "${trivy_args[@]}" "$root" || trivy_note="failed (see above)"
	fi
	if [ -z "$dpkg_note" ]; then
		# shellcheck disable=SC2016 # the ${...} are dpkg-query fields, not shell expansions
		time_once dpkg "$work/dpkg.txt" dpkg-query -W --admindir="$admindir" -f '${db:Status-Abbrev} ${Package} ${Version}\n'
	fi
done
if ! cmp -s <(keys_sillage_raw "$work/sillage.json") <(keys_sillage_raw "$work/sillage-warm.json"); then
	say "sillage's result with a warm cache differs from the cold one"; exit 1
fi

# --- counting -------------------------------------------------------------------------------------------
# keys: "purl-type name version" (the package-URL type both tools derive from the same syft package)
keys_sillage() {
	if [ "$json" = jq ]; then
		jq -r '.components[] | . as $c | [((($c.purl // "") | capture("^pkg:(?<t>[^/]+)/").t) // $c.type), .name, .version] | join(" ")' "$1"
	else
		python3 - "$1" <<'EOF'
import json, re, sys
for c in json.load(open(sys.argv[1]))["components"]:
    m = re.match(r"^pkg:([^/]+)/", c.get("purl") or "")
    print(" ".join([m.group(1) if m else c["type"], c["name"], c["version"]]))
EOF
	fi
}
keys_syft() {
	if [ "$json" = jq ]; then
		jq -r '.artifacts[] | . as $a | [((($a.purl // "") | capture("^pkg:(?<t>[^/]+)/").t) // $a.type), .name, .version] | join(" ")' "$1"
	else
		python3 - "$1" <<'EOF'
import json, re, sys
for a in json.load(open(sys.argv[1]))["artifacts"]:
    m = re.match(r"^pkg:([^/]+)/", a.get("purl") or "")
    print(" ".join([m.group(1) if m else a["type"], a["name"], a["version"]]))
EOF
	fi
}
# trivy's JSON report lists packages per result; its CycloneDX SBOM lists components (packages have a purl)
count_trivy() {
	if [ "$json" = jq ]; then
		jq 'if .Results then [.Results[]?.Packages[]?] | length else [.components[]? | select(.purl)] | length end' "$1"
	else
		python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
if "Results" in d:
    print(sum(len(r.get("Packages") or []) for r in d.get("Results") or []))
else:
    print(sum(1 for c in d.get("components") or [] if c.get("purl")))' "$1"
	fi
}

keys_sillage "$work/sillage.json" | sort -u > "$work/sillage.keys"
keys_syft "$work/syft.json" | sort -u > "$work/syft.keys"
n_sillage=$(keys_sillage "$work/sillage.json" | wc -l)
n_syft=$(keys_syft "$work/syft.json" | wc -l)
n_trivy="-"
[ -z "$trivy_note" ] && n_trivy=$(count_trivy "$work/trivy.json")
n_dpkg="-"
if [ -z "$dpkg_note" ]; then
	# installed packages only: "ii" (and "hi", held); removed packages that left config files are not software
	awk '$1 ~ /^[ih]i/ {print $2, $3}' "$work/dpkg.txt" | sort -u > "$work/dpkg.keys"
	n_dpkg=$(wc -l < "$work/dpkg.keys")
fi

# --- report ---------------------------------------------------------------------------------------------
field() { [ -f "$work/$1.result" ] && awk -v f="$2" '{print $f}' "$work/$1.result" || echo "-"; }
row() { printf '%-12s %10s %12s %10s  %s\n' "$@"; }
echo
echo "root: $root   rounds: $runs (each tool once per round, best kept)   syft excludes: $([ "$syft_plain" = 1 ] && echo none || echo "sillage's defaults")${extra[*]:+, extra: ${extra[*]}}"
echo
row tool "wall (s)" "peak RSS" packages ""
row sillage "$(field sillage 1)" "$(field sillage 2)K" "$n_sillage" "sillage scan host:$root -o json (cold licence cache)"
row "  warm" "$(field sillage-warm 1)" "$(field sillage-warm 2)K" "$n_sillage" "the same, warm licence cache (a rescan)"
row syft "$(field syft 1)" "$(field syft 2)K" "$n_syft" "syft $root --override-default-catalogers image"
if [ -z "$trivy_note" ]; then
	row trivy "$(field trivy 1)" "$(field trivy 2)K" "$n_trivy" "trivy $trivy_version: ${trivy_args[*]:0:3}"
else
	row trivy - - - "$trivy_note"
fi
if [ -z "$dpkg_note" ]; then
	row dpkg-query "$(field dpkg 1)" "$(field dpkg 2)K" "$n_dpkg" "installed packages (floor)"
else
	row dpkg-query - - - "$dpkg_note"
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
echo
echo "syft / sillage:       $(ratio "$(field syft 1)" "$(field sillage 1)")x cold, $(ratio "$(field syft 1)" "$(field sillage-warm 1)")x warm   (target: at least 5)"
if [ -z "$trivy_note" ]; then
	echo "sillage / trivy:      $(ratio "$(field sillage 1)" "$(field trivy 1)")x cold, $(ratio "$(field sillage-warm 1)" "$(field trivy 1)")x warm   (target: at most 2, against Trivy $TRIVY_REFERENCE; this is $trivy_version)"
else
	echo "sillage / trivy:      - ($trivy_note)"
fi
if [ -z "$dpkg_note" ]; then
	r=$(ratio "$(field sillage 1)" "$(field dpkg 1)")
	if [ "$r" = "-" ]; then
		echo "sillage / dpkg-query: - (dpkg-query took under 10 ms: too short to divide by)"
	else
		echo "sillage / dpkg-query: ${r}x"
	fi
fi

fail=0
covered=$(comm -12 "$work/syft.keys" "$work/sillage.keys" | wc -l)
total=$(wc -l < "$work/syft.keys")
share=$(awk -v c="$covered" -v t="$total" 'BEGIN{ if (t == 0) print "100.00"; else printf "%.2f", 100 * c / t }')
echo
echo "coverage: sillage reports $covered of syft's $total distinct packages ($share%; target: at least 99%)"
if awk -v s="$share" 'BEGIN{exit !(s < 99)}'; then
	fail=1
fi
missing=$(comm -23 "$work/syft.keys" "$work/sillage.keys" | wc -l)
if [ "$missing" -gt 0 ]; then
	echo "  syft packages sillage does not report ($missing):"
	comm -23 "$work/syft.keys" "$work/sillage.keys" | head -50 | sed 's/^/    /'
fi
extra_pkgs=$(comm -13 "$work/syft.keys" "$work/sillage.keys" | wc -l)
[ "$extra_pkgs" -gt 0 ] && echo "  sillage packages syft does not report: $extra_pkgs"
if [ -z "$dpkg_note" ]; then
	awk '$1 == "deb" {print $2, $3}' "$work/sillage.keys" | sort -u > "$work/sillage.deb"
	dmiss=$(comm -23 "$work/dpkg.keys" "$work/sillage.deb" | wc -l)
	if [ "$dmiss" -eq 0 ]; then
		echo "dpkg-query: every installed package ($n_dpkg) is reported"
	else
		fail=1
		echo "dpkg-query: sillage misses $dmiss installed package(s):"
		comm -23 "$work/dpkg.keys" "$work/sillage.deb" | sed 's/^/    /'
	fi
fi
[ "$fail" = 0 ] && echo "coverage: OK" || echo "coverage: FAILED"
exit "$fail"
