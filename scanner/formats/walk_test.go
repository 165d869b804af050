package formats

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/sillage-oss/sillage"
)

func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// skipUnlessLinux skips a test whose setup the file system refused, on
// systems where that can happen; on Linux, where CI runs, it fails: the
// case must be tested there.
func skipUnlessLinux(t *testing.T, why string, err error) {
	t.Helper()
	if runtime.GOOS == "linux" {
		t.Fatal(why, err)
	}
	t.Skip(why, err)
}

func real(name string) string { return filepath.Join(testdata, "real", name) }

func inventory(t *testing.T, roots []string, o Options) *sillage.FormatInventory {
	t.Helper()
	inv, err := Inventory(t.Context(), roots, o)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func fileByName(inv *sillage.FormatInventory, suffix string) (sillage.FileFormat, bool) {
	for _, f := range inv.Files {
		if strings.HasSuffix(f.Path, suffix) {
			return f, true
		}
	}
	return sillage.FileFormat{}, false
}

func summaryOf(inv *sillage.FormatInventory, id, variant string) (sillage.FormatSummary, bool) {
	for _, s := range inv.Summary {
		if s.FormatID == id && s.Variant == variant {
			return s, true
		}
	}
	return sillage.FormatSummary{}, false
}

// A small share: legacy files in one directory, ODF in another.
func TestInventoryShare(t *testing.T) {
	root := t.TempDir()
	copyFile(t, real("letter.doc"), filepath.Join(root, "compta", "a.doc"))
	copyFile(t, real("letter.doc"), filepath.Join(root, "compta", "b.doc"))
	copyFile(t, real("budget.xls"), filepath.Join(root, "compta", "budget.xls"))
	copyFile(t, real("letter.docx"), filepath.Join(root, "rh", "contrat.docx"))
	copyFile(t, real("letter.odt"), filepath.Join(root, "rh", "note.odt"))
	copyFile(t, real("letter.pdf"), filepath.Join(root, "rh", "note.pdf"))
	copyFile(t, real("budget.xlsx"), filepath.Join(root, "rh", "conges.xlsx"))

	inv := inventory(t, []string{root}, Options{})
	if inv.Totals.Files != 7 || inv.Totals.Migrate != 4 || inv.Totals.Review != 1 || inv.Totals.Unidentified != 0 {
		t.Errorf("totals %+v, want 7 files, 4 to migrate (3 legacy, 1 docx), 1 to review (xlsx)", inv.Totals)
	}
	if len(inv.Files) != 7 || inv.FilesListed != "all" {
		t.Fatalf("%d files listed (%s)", len(inv.Files), inv.FilesListed)
	}
	doc, ok := summaryOf(inv, "doc", "")
	if !ok || doc.Files != 2 || doc.Action != "migrate" || doc.Replacement != "odt" || doc.RGIStatus != "absent" ||
		doc.Severity != sillage.SeverityHigh || len(doc.ConvertWith) != 1 || doc.ConvertWith[0].SILLID != "78" || doc.PUIDs[0] != "fmt/40" {
		t.Errorf("doc summary %+v", doc)
	}
	if s, _ := summaryOf(inv, "docx", "transitional"); s.RGIStatus != "not-recommended" || s.Severity != sillage.SeverityMedium {
		t.Errorf("docx transitional summary %+v: the RGI does not recommend Transitional", s)
	}
	if s, _ := summaryOf(inv, "odt", ""); s.Action != "none" || s.RGIStatus != "recommended" {
		t.Errorf("odt summary %+v", s)
	}
	if inv.Summary[0].Action != "migrate" || inv.Summary[len(inv.Summary)-1].Action != "none" {
		t.Errorf("summary not ordered migrate → none: %v", inv.Summary)
	}
	if len(inv.Directories) != 2 || !strings.HasSuffix(inv.Directories[0].Path, "/compta") || inv.Directories[0].Migrate != 3 ||
		inv.Directories[0].ByFormat["doc"] != 2 || inv.Directories[1].Migrate != 1 {
		t.Errorf("directories %+v, want compta (3) then rh (1)", inv.Directories)
	}
	f, _ := fileByName(inv, "/compta/a.doc")
	if f.Path != filepath.ToSlash(root)+"/compta/a.doc" || f.Size != 9728 || f.Basis != BasisContent {
		t.Errorf("file %+v", f)
	}

	// --list action keeps the counts, lists only files to act on
	inv = inventory(t, []string{root}, Options{ActionOnly: true})
	if len(inv.Files) != 5 || inv.Totals.Files != 7 || inv.FilesListed != "action" {
		t.Errorf("action only: %d files listed, totals %+v", len(inv.Files), inv.Totals)
	}
}

func TestInventoryFileRootsAndExclude(t *testing.T) {
	root := t.TempDir()
	copyFile(t, real("letter.doc"), filepath.Join(root, "keep", "a.doc"))
	copyFile(t, real("letter.doc"), filepath.Join(root, "old", "b.doc"))
	copyFile(t, real("letter.doc"), filepath.Join(root, "keep", "c.tmp"))
	inv := inventory(t, []string{root}, Options{Exclude: []string{"/old/**", "*.tmp"}})
	if inv.Totals.Files != 1 {
		t.Errorf("%d files, want 1 (old/ and *.tmp excluded): %+v", inv.Totals.Files, inv.Files)
	}
	// a file given as a root is identified; two roots are both walked
	inv = inventory(t, []string{filepath.Join(root, "old", "b.doc"), filepath.Join(root, "keep")}, Options{})
	if inv.Totals.Files != 3 || len(inv.Roots) != 2 {
		t.Errorf("totals %+v roots %v", inv.Totals, inv.Roots)
	}
	if err := ValidateExcludes([]string{"[unclosed"}); !errors.Is(err, sillage.ErrInvalidInput) {
		t.Errorf("bad glob: %v", err)
	}
}

func TestInventoryMissingRoot(t *testing.T) {
	_, err := Inventory(t.Context(), []string{filepath.Join(t.TempDir(), "nope")}, Options{})
	if !errors.Is(err, ErrRoot) || sillage.HintOf(err) == "" {
		t.Errorf("missing root: %v", err)
	}
}

func TestInventoryCancelled(t *testing.T) {
	root := t.TempDir()
	for i := range 50 {
		copyFile(t, real("letter.odt"), filepath.Join(root, "d", strings.Repeat("x", i%7+1), filepath.Base(t.Name())+string(rune('a'+i%26))+".odt"))
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Inventory(ctx, []string{root}, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled inventory: %v", err)
	}
}

// Links are not followed by default; followed, a loop is walked once.
func TestInventorySymlinkLoop(t *testing.T) {
	root := t.TempDir()
	copyFile(t, real("letter.doc"), filepath.Join(root, "a", "x.doc"))
	if err := os.Symlink("..", filepath.Join(root, "a", "up")); err != nil {
		skipUnlessLinux(t, "no symlinks:", err)
	}
	if err := os.Symlink("x.doc", filepath.Join(root, "a", "link.doc")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("nowhere", filepath.Join(root, "a", "dangling")); err != nil {
		t.Fatal(err)
	}
	inv := inventory(t, []string{root}, Options{})
	if inv.Totals.Files != 1 || inv.Totals.Skipped != 3 {
		t.Errorf("not following: totals %+v, want 1 file and 3 links skipped", inv.Totals)
	}
	inv = inventory(t, []string{root}, Options{FollowSymlinks: true})
	// x.doc and link.doc; "up" leads back to the root, already walked
	if inv.Totals.Files != 2 || inv.Totals.Skipped != 2 {
		t.Errorf("following: totals %+v, want 2 files, the loop and the dangling link skipped", inv.Totals)
	}
}

func TestInventoryNonUTF8Name(t *testing.T) {
	root := t.TempDir()
	name := "caf\xe9.doc" // Latin-1, as old Samba shares hold them
	if err := os.WriteFile(filepath.Join(root, name), mustRead(t, real("letter.doc")), 0o644); err != nil {
		skipUnlessLinux(t, "file system refuses non-UTF-8 names:", err)
	}
	inv := inventory(t, []string{root}, Options{})
	if len(inv.Files) != 1 {
		t.Fatalf("files %+v", inv.Files)
	}
	f := inv.Files[0]
	raw, err := base64.StdEncoding.DecodeString(f.PathBase64)
	if err != nil || string(raw) != filepath.ToSlash(root)+"/"+name {
		t.Errorf("pathBase64 %q decodes to %q", f.PathBase64, raw)
	}
	if !strings.HasSuffix(f.Path, "/caf\uFFFD.doc") || f.FormatID != "doc" {
		t.Errorf("file %+v", f)
	}
}

func mustRead(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Unreadable files and directories are listed, not fatal; files that
// vanish between the listing and the read are counted.
func TestInventoryUnreadableAndVanished(t *testing.T) {
	root := t.TempDir()
	copyFile(t, real("letter.doc"), filepath.Join(root, "ok.doc"))
	copyFile(t, real("letter.doc"), filepath.Join(root, "secret.doc"))
	copyFile(t, real("letter.doc"), filepath.Join(root, "gone.doc"))
	copyFile(t, real("letter.doc"), filepath.Join(root, "rh", "paie.doc"))
	oldOpen, oldRead := openFileFn, readDirFn
	t.Cleanup(func() { openFileFn, readDirFn = oldOpen, oldRead })
	openFileFn = func(p string, follow bool) (*os.File, error) {
		switch filepath.Base(p) {
		case "secret.doc":
			return nil, &fs.PathError{Op: "open", Path: p, Err: syscall.EACCES}
		case "gone.doc":
			os.Remove(p) // removed by someone else after the listing
		}
		return oldOpen(p, follow)
	}
	readDirFn = func(p string) ([]fs.DirEntry, error) {
		if filepath.Base(p) == "rh" {
			return nil, &fs.PathError{Op: "open", Path: p, Err: syscall.EACCES}
		}
		return oldRead(p)
	}
	inv := inventory(t, []string{root}, Options{})
	if inv.Totals.Files != 1 || inv.Totals.Unreadable != 2 || inv.Totals.Vanished != 1 {
		t.Errorf("totals %+v, want 1 file, 2 unreadable, 1 vanished", inv.Totals)
	}
	if len(inv.Unreadable) != 2 || !strings.HasSuffix(inv.Unreadable[0].Path, "/rh") || inv.Unreadable[0].Error != "permission denied" ||
		!strings.HasSuffix(inv.Unreadable[1].Path, "/secret.doc") {
		t.Errorf("unreadable %+v", inv.Unreadable)
	}
}

// With real permissions, for a user that is not root. Run as root (CI),
// the test prepares the tree and runs itself again as nobody over it
// (nobodyRootEnv), since root reads every file.
func TestInventoryPermissionDenied(t *testing.T) {
	root := os.Getenv(nobodyRootEnv)
	if root == "" {
		root = t.TempDir()
		copyFile(t, real("letter.doc"), filepath.Join(root, "secret.doc"))
		if err := os.Chmod(filepath.Join(root, "secret.doc"), 0); err != nil {
			t.Fatal(err)
		}
		if os.Geteuid() == 0 {
			rerunAsNobody(t, root)
			return
		}
	}
	inv := inventory(t, []string{root}, Options{})
	if inv.Totals.Unreadable != 1 {
		t.Errorf("totals %+v", inv.Totals)
	}
}

// A tree deeper than PATH_MAX (4,096 bytes on Linux) is read through
// directory handles.
func TestInventoryLongPath(t *testing.T) {
	root := t.TempDir()
	seg := strings.Repeat("d", 200)
	dir := root
	for len(dir) < 5000 {
		dir += "/" + seg
	}
	if err := mkdirLong(dir); err != nil {
		skipUnlessLinux(t, "cannot build a deep tree here:", err)
	}
	if err := writeLong(dir+"/deep.odt", mustRead(t, real("letter.odt"))); err != nil {
		skipUnlessLinux(t, "cannot write in a deep tree here:", err)
	}
	inv := inventory(t, []string{root}, Options{})
	if inv.Totals.Files != 1 || inv.Totals.Unreadable != 0 || len(inv.Files) != 1 || inv.Files[0].FormatID != "odt" {
		t.Errorf("totals %+v unreadable %+v files %+v", inv.Totals, inv.Unreadable, inv.Files)
	}
	if len(inv.Files) == 1 && len(inv.Files[0].Path) < 5000 {
		t.Errorf("path %d bytes long", len(inv.Files[0].Path))
	}
}

// BenchmarkInventory walks a tree of copies of the real documents; see
// bench/formats.sh for the comparison with file(1).
func BenchmarkInventory(b *testing.B) {
	root := b.TempDir()
	ls := readLabels(b)
	for i := range 2000 {
		l := ls[i%len(ls)]
		if !strings.HasPrefix(l.file, "real/") {
			continue
		}
		copyFile(b, filepath.Join(testdata, l.file), filepath.Join(root, "d"+strings.Repeat("x", i%13), filepath.Base(l.file)+"-"+string(rune('a'+i%26))+strings.Repeat("y", i%40)))
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Inventory(b.Context(), []string{root}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(files[name])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// With Archives, the members of ZIP archives are identified, two archives
// deep, and ZIP bombs inside are not inflated.
func TestInventoryArchives(t *testing.T) {
	root := t.TempDir()
	inner := zipOf(t, map[string][]byte{"budget.xls": mustRead(t, real("budget.xls")), "deeper.zip": zipOf(t, map[string][]byte{"x.doc": mustRead(t, real("letter.doc"))})})
	outer := zipOf(t, map[string][]byte{"note.doc": mustRead(t, real("letter.doc")), "inner.zip": inner, "odt/letter.odt": mustRead(t, real("letter.odt")),
		"bomb.zip": mustRead(t, filepath.Join(testdata, "hostile", "bomb.zip"))})
	if err := os.WriteFile(filepath.Join(root, "archive.zip"), outer, 0o644); err != nil {
		t.Fatal(err)
	}
	copyFile(t, filepath.Join(testdata, "hostile", "bomb.zip"), filepath.Join(root, "bomb.zip"))
	copyFile(t, real("letter.docx"), filepath.Join(root, "letter.docx")) // a ZIP-based document: not an archive

	inv := inventory(t, []string{root}, Options{})
	if inv.Totals.Files != 3 || inv.Totals.ArchiveMembers != 0 {
		t.Errorf("without Archives: totals %+v", inv.Totals)
	}
	inv = inventory(t, []string{root}, Options{Archives: true})
	got := map[string]string{}
	for _, f := range inv.Files {
		got[strings.TrimPrefix(f.Path, filepath.ToSlash(root))] = f.FormatID + " " + f.Problem
	}
	for p, want := range map[string]string{
		"/archive.zip!/note.doc":                    "doc ",
		"/archive.zip!/odt/letter.odt":              "odt ",
		"/archive.zip!/inner.zip":                   "zip ",
		"/archive.zip!/inner.zip!/budget.xls":       "xls ",
		"/archive.zip!/inner.zip!/deeper.zip":       "zip archive nested 3 deep: members not inspected",
		"/archive.zip!/bomb.zip":                    "zip ",
		"/archive.zip!/bomb.zip!/hostile/zeros.bin": "unidentified member of 20000000 bytes possible ZIP bomb (expands 1029:1): identified from its first 32 KiB only",
		"/bomb.zip!/hostile/zeros.bin":              "unidentified member of 20000000 bytes possible ZIP bomb (expands 1029:1): identified from its first 32 KiB only",
	} {
		if g, ok := got[p]; !ok || !strings.HasPrefix(g, want) {
			t.Errorf("%s: %q, want %q", p, g, want)
		}
	}
	if _, ok := got["/letter.docx!/word/document.xml"]; ok {
		t.Error("the members of a .docx were listed")
	}
	if inv.Totals.Files != 3 || inv.Totals.ArchiveMembers != 8 || inv.Totals.Migrate != 3 {
		t.Errorf("totals %+v, want 3 files, 8 members, 3 to migrate (2 doc, 1 xls)", inv.Totals)
	}
	if d := inv.Directories; len(d) == 0 || !strings.HasSuffix(d[0].Path, "/archive.zip") {
		t.Errorf("directories %+v", d)
	}
}
