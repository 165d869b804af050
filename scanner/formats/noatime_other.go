//go:build unix && !linux

package formats

const noatime = 0
