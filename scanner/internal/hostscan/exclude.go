package hostscan

import (
	"fmt"
	"path"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// DefaultExcludes lists the globs a host scan skips unless Options.NoDefaultExcludes is set. They match
// in-root absolute paths, so they apply the same way to "/" and to a mounted disk image; a directory that
// matches is never read. Two kinds of places are skipped, because neither holds installed software:
//
//   - virtual and volatile filesystems: /proc, /sys and /dev are kernel views, and /run, /var/run,
//     /var/lock, /tmp and /var/tmp hold runtime state and scratch files (a live host's proc, sysfs,
//     devtmpfs and the tmpfs on /run, /dev and /sys are also skipped by mount type, wherever they are);
//   - package-manager caches: downloaded archives and indexes that were not, or not yet, installed.
//     Scanning them would report a package per cached download (apt keeps every .deb it fetched) and
//     would take longest of all, since they are large. That covers the system caches of apt, dnf, yum,
//     zypper, apk, pacman, FreeBSD pkg and snapd, and the per-user caches of pip, Go (build cache and
//     module cache, which holds dependency sources, not installed programs), npm, yarn, Maven, Gradle,
//     Cargo and Composer, in the locations those tools use by default.
//
// Installed software in home directories (virtualenvs, ~/.local, ~/go/bin, node_modules) is kept.
var DefaultExcludes = []string{
	// virtual and volatile
	"/proc",
	"/sys",
	"/dev",
	"/run",
	"/var/run",
	"/var/lock",
	"/tmp",
	"/var/tmp",
	// system package-manager caches
	"/var/cache/apt",
	"/var/lib/apt/lists",
	"/var/cache/dnf",
	"/var/cache/yum",
	"/var/cache/zypp",
	"/var/cache/apk",
	"/etc/apk/cache",
	"/var/cache/pacman/pkg",
	"/var/cache/pkg",
	"/var/lib/snapd/cache",
	// per-user language package-manager caches
	"**/.cache/pip",
	"**/.cache/go-build",
	"**/go/pkg/mod",
	"**/.npm/_cacache",
	"**/.cache/yarn",
	"**/.m2/repository",
	"**/.gradle/caches",
	"**/.cargo/registry",
	"**/.cache/composer",
}

// excluder decides which walked paths to skip. Most globs are literal paths or "**/literal" tails, which
// it answers with map lookups and suffix tests; only the rest go to doublestar, after a basename test.
type excluder struct {
	exact    map[string]bool // literal in-root paths
	suffixes []string        // "/a/b" for "**/a/b": matches a path ending in it
	globs    []compiledGlob  // everything else
}

type compiledGlob struct {
	pattern string
	base    string // last segment, when it has no "**": the basename must match it first
}

// newExcluder compiles exclusion globs. A glob that starts with neither "/" nor "**" matches at any
// depth ("*.jar" is "**/*.jar"); a trailing "/" or "/**" is dropped, because skipping a directory skips
// everything below it.
func newExcluder(globs []string) (*excluder, error) {
	e := &excluder{exact: map[string]bool{}}
	for _, g := range globs {
		g = strings.TrimSpace(g)
		if g == "" {
			continue
		}
		norm := normalizeExclude(g)
		if !doublestar.ValidatePattern(norm) {
			return nil, fmt.Errorf("invalid exclude glob %q", g)
		}
		switch {
		case norm == "/" || norm == "**":
			e.globs = append(e.globs, compiledGlob{pattern: "**"})
		case !hasMeta(norm):
			e.exact[path.Clean(norm)] = true
		case strings.HasPrefix(norm, "**/") && !hasMeta(norm[3:]):
			e.suffixes = append(e.suffixes, norm[2:])
		default:
			cg := compiledGlob{pattern: norm}
			if last := norm[strings.LastIndexByte(norm, '/')+1:]; !strings.Contains(last, "**") && !strings.ContainsAny(last, "{}") {
				cg.base = last
			}
			e.globs = append(e.globs, cg)
		}
	}
	return e, nil
}

func normalizeExclude(g string) string {
	g = strings.ReplaceAll(g, "\\", "/")
	for {
		switch {
		case strings.HasSuffix(g, "/**") && len(g) > 3:
			g = strings.TrimSuffix(g, "/**")
			continue
		case strings.HasSuffix(g, "/") && len(g) > 1:
			g = strings.TrimSuffix(g, "/")
			continue
		}
		break
	}
	if strings.HasPrefix(g, "./") {
		g = g[1:]
	}
	if !strings.HasPrefix(g, "/") && !strings.HasPrefix(g, "**") {
		g = "**/" + g
	}
	return g
}

// hasMeta reports whether s has any glob syntax.
func hasMeta(s string) bool { return strings.ContainsAny(s, "*?[]{}\\") }

// excluded reports whether the in-root path p is to be skipped.
func (e *excluder) excluded(p string) bool {
	if e == nil {
		return false
	}
	if e.exact[p] {
		return true
	}
	for _, s := range e.suffixes {
		if strings.HasSuffix(p, s) {
			return true
		}
	}
	if len(e.globs) == 0 {
		return false
	}
	base := path.Base(p)
	for _, g := range e.globs {
		if g.base != "" {
			if ok, _ := path.Match(g.base, base); !ok {
				continue
			}
		}
		if doublestar.MatchUnvalidated(g.pattern, p) {
			return true
		}
	}
	return false
}
