package hostscan

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/anchore/syft/syft"
	"github.com/anchore/syft/syft/cataloging"
	"github.com/anchore/syft/syft/file"
	"github.com/anchore/syft/syft/pkg"
	"github.com/anchore/syft/syft/sbom"
	"github.com/anchore/syft/syft/source"
	"github.com/anchore/syft/syft/source/directorysource"
)

// fixtureRoot is the shared minimal Debian root filesystem (see testdata/README.md at the repository root).
const fixtureRoot = "../../../testdata/rootfs/debian-minimal"

// entry describes one thing to create in a test root: a directory, a file with content, or a symlink.
type entry struct {
	path    string // in-root, slash separated, without the leading slash
	content string // file content
	link    string // symlink target, as given to os.Symlink
	dir     bool
}

// makeRoot creates the entries under root.
func makeRoot(t *testing.T, root string, entries []entry) {
	t.Helper()
	for _, e := range entries {
		p := filepath.Join(root, filepath.FromSlash(e.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		switch {
		case e.dir:
			err = os.MkdirAll(p, 0o755)
		case e.link != "":
			err = os.Symlink(e.link, p)
		default:
			err = os.WriteFile(p, []byte(e.content), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// copyTree copies a directory tree (files, directories and symlinks).
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case fi.IsDir():
			return os.MkdirAll(target, 0o755)
		case fi.Mode()&os.ModeSymlink != 0:
			l, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(l, target)
		default:
			return copyFile(p, target)
		}
	})
	if err != nil {
		t.Fatalf("copy %s: %v", src, err)
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// linkOrCopy puts a copy of src at dst, as a hard link when the filesystem allows.
func linkOrCopy(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if os.Link(src, dst) == nil {
		return
	}
	if err := copyFile(src, dst); err != nil {
		t.Fatal(err)
	}
}

// appendFile appends text to a file of a test root.
func appendFile(t *testing.T, name, text string) {
	t.Helper()
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// needFixture skips the test where the shared fixture cannot be checked out (Windows: ':' in names) and
// fails it where the fixture is missing: it is part of the repository.
func needFixture(t testing.TB) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the dpkg fixture has ':' in file names")
	}
	if _, err := os.Stat(filepath.Join(fixtureRoot, "var/lib/dpkg/status")); err != nil {
		t.Fatalf("fixture missing (it is checked in under %s): %v", fixtureRoot, err)
	}
}

// stockSBOM runs syft's own directory source over root with the same catalogers and settings as Scan
// (installed-software catalogers, no file catalogers): the oracle Scan must agree with.
func stockSBOM(t testing.TB, root string) *sbom.SBOM {
	t.Helper()
	src, err := directorysource.New(directorysource.Config{Path: root, Base: root})
	if err != nil {
		t.Fatal(err)
	}
	ctx, err := WithLicenceScanner(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cfg := syft.DefaultCreateSBOMConfig().
		WithoutFiles().
		WithUnknownsConfig(cataloging.DefaultUnknownsConfig()).
		WithCatalogerSelection(cataloging.NewSelectionRequest().WithDefaults("image"))
	s, err := syft.CreateSBOM(ctx, src, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// stockResolver returns syft's own directory resolver over root.
func stockResolver(t *testing.T, root string) file.Resolver {
	t.Helper()
	src, err := directorysource.New(directorysource.Config{Path: root, Base: root})
	if err != nil {
		t.Fatal(err)
	}
	r, err := src.FileResolver(source.SquashedScope)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// packageLines describes every package as one line (ID, name, version, type, PURL, finder, licences,
// CPEs, locations, metadata type), sorted, so that two SBOMs compare with a plain diff.
func packageLines(s *sbom.SBOM) []string {
	var lines []string
	for p := range s.Artifacts.Packages.Enumerate() {
		lines = append(lines, packageLine(p))
	}
	sort.Strings(lines)
	return lines
}

func packageLine(p pkg.Package) string {
	var lics []string
	for _, l := range p.Licenses.ToSlice() {
		var locs []string
		for _, loc := range l.Locations.ToSlice() {
			locs = append(locs, loc.RealPath)
		}
		lics = append(lics, fmt.Sprintf("%s|%s|%s|%v", l.Value, l.SPDXExpression, l.Type, locs))
	}
	var cpes []string
	for _, c := range p.CPEs {
		cpes = append(cpes, c.Attributes.String())
	}
	var locs []string
	for _, l := range p.Locations.ToSlice() {
		locs = append(locs, fmt.Sprintf("%s<-%s%v", l.RealPath, l.AccessPath, l.Annotations))
	}
	slices.Sort(lics)
	slices.Sort(locs)
	return fmt.Sprintf("%s %s@%s type=%s purl=%s by=%s licences=%v cpes=%v locations=%v metadata=%T",
		p.ID(), p.Name, p.Version, p.Type, p.PURL, p.FoundBy, lics, cpes, locs, p.Metadata)
}

// diffLines returns the lines only in want (-) and only in got (+).
func diffLines(want, got []string) string {
	w, g := map[string]bool{}, map[string]bool{}
	for _, l := range want {
		w[l] = true
	}
	for _, l := range got {
		g[l] = true
	}
	var b strings.Builder
	for _, l := range want {
		if !g[l] {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range got {
		if !w[l] {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}

// packageNames returns "type/name@version" for every package, sorted.
func packageNames(s *sbom.SBOM) []string {
	var names []string
	for p := range s.Artifacts.Packages.Enumerate() {
		names = append(names, fmt.Sprintf("%s/%s@%s", p.Type, p.Name, p.Version))
	}
	sort.Strings(names)
	return names
}
