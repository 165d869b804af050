#!/bin/sh
# fetch.sh DIR: put the pinned inputs of licensegen into DIR, with the
# layout licensegen -src DIR expects. Needs npm, apt-get and dpkg-deb (a
# Debian bookworm machine or one with its repositories), and go. It reads
# from the npm registry, the Debian archive and the Go module proxy only.
# Versions are pinned: change them here and in rules/data/SOURCES.md.
set -eu

LIST=spdx-license-list@6.12.0      # SPDX License List 3.28.0
IDS=spdx-license-ids@3.0.23        # the same SPDX release as LIST
EXC=spdx-exceptions@2.5.0          # latest published
DEB=python3-license-expression=30.1.0-1  # ScanCode LicenseDB index
GOSPDX=github.com/github/go-spdx/v2@v2.3.3   # SPDX licenses.json with isFsfLibre

dir=${1:?usage: fetch.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

unpack() { # unpack NPM-SPEC TARGET
	(cd "$work" && npm pack --silent "$1" >/dev/null)
	rm -rf "$dir/$2" && mkdir -p "$dir/$2"
	tar -xzf "$work"/"$2"-*.tgz -C "$dir/$2" --strip-components=1
}
unpack "$LIST" spdx-license-list
unpack "$IDS" spdx-license-ids
unpack "$EXC" spdx-exceptions

(cd "$work" && apt-get download "$DEB" >/dev/null)
dpkg-deb -x "$work"/python3-license-expression_*.deb "$work/deb"
rm -rf "$dir/scancode" && mkdir -p "$dir/scancode"
cp "$work"/deb/usr/lib/python3/dist-packages/license_expression/data/scancode-licensedb-index.json \
	"$work"/deb/usr/lib/python3/dist-packages/license_expression/data/license_key_index.json.ABOUT \
	"$dir/scancode/"

# Outside any module, so that the project's go.mod and go.sum are not touched.
moddir=$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "$GOSPDX" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$moddir" ] || { echo "fetch.sh: go mod download $GOSPDX failed" >&2; exit 1; }
rm -rf "$dir/spdx-json" && mkdir -p "$dir/spdx-json"
cp "$moddir/cmd/licenses.json" "$moddir/cmd/exceptions.json" "$dir/spdx-json/"
chmod -R u+w "$dir/spdx-json"
echo "fetch.sh: inputs in $dir"
