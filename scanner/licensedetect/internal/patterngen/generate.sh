#!/bin/sh
# generate.sh: fetch the pinned SPDX licence texts and regenerate
# data/patterns.json.gz. Run from scanner/licensedetect (go generate does).
# Set SILLAGE_SPDX_LICENSE_LIST to an unpacked spdx-license-list package
# (the "package" directory of the npm tarball) to work offline.
# Needs npm and go; reads the npm registry only.
set -eu
LIST=spdx-license-list@6.12.0 # SPDX License List 3.28.0, like rules/data/licenses.json
src=${SILLAGE_SPDX_LICENSE_LIST:-}
if [ -z "$src" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && npm pack --silent "$LIST" >/dev/null && tar xzf ./*.tgz)
	src=$tmp/package
fi
go run ./internal/patterngen -src "$src" -curated data/curated.lre -out data/patterns.json.gz
