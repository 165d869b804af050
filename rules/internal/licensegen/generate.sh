#!/bin/sh
# generate.sh: fetch the pinned inputs into a temporary directory and
# regenerate rules/data/licenses.json. Run from rules/ (go generate does).
# Set SILLAGE_LICENSE_SOURCES to a directory already filled by fetch.sh to
# work offline or to keep the inputs.
set -eu
here=$(dirname "$0")
src=${SILLAGE_LICENSE_SOURCES:-}
if [ -z "$src" ]; then
	src=$(mktemp -d)
	trap 'rm -rf "$src"' EXIT
	sh "$here/fetch.sh" "$src"
fi
go run ./internal/licensegen -src "$src" -data data
