package scanner_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/scanner"
)

func TestScanWinReg(t *testing.T) {
	inv := scan(t, "winreg:"+fixture(t, "windows/workstation.reg"), scanner.Options{})
	if inv.Target.Scheme != sillage.SchemeWinReg || inv.Target.Document == nil || inv.Target.Document.Format != "reg" ||
		inv.Target.Document.Version != "5.00" {
		t.Errorf("target = %+v", inv.Target)
	}
	if inv.Host == nil || inv.Host.OS != "Windows" {
		t.Errorf("host = %+v", inv.Host)
	}
	if len(inv.Components) != 10 {
		t.Errorf("%d programs, want 10: %v", len(inv.Components), labels(inv.Components))
	}
	for _, c := range inv.Components {
		if c.Type != sillage.TypeWindows || c.FoundBy != scanner.FoundByRegExport || c.PURL != "" || len(c.Locations) != 1 {
			t.Errorf("component %+v", c)
		}
	}
}

// TestSniffWorkstationFiles: a bare file is recognised from its content,
// whatever its name.
func TestSniffWorkstationFiles(t *testing.T) {
	for rel, want := range map[string]sillage.Scheme{
		"windows/workstation.reg":       sillage.SchemeWinReg,
		"windows/workstation.ps51.json": sillage.SchemeWinReg,
		"windows/7zip.ps7.json":         sillage.SchemeWinReg,
		"windows/winget-export.json":    sillage.SchemeWinget,
		"glpi/computer_1.json":          sillage.SchemeGLPI,
		"glpi/windows-2.xml":            sillage.SchemeOCS,
		"ocs/debian-vm.ocs":             sillage.SchemeOCS,
		"ocs/PC-DSI-042.ocs":            sillage.SchemeOCS,
		"sbom/npm-basic.cdx.json":       sillage.SchemeSBOM,
		"sbom/go-basic.gomod.cdx.xml":   sillage.SchemeSBOM,
	} {
		// copied under a neutral name: the extension plays no part
		tmp := filepath.Join(t.TempDir(), "input")
		data, err := os.ReadFile(fixture(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(tmp, data, 0o644); err != nil {
			t.Fatal(err)
		}
		target, err := scanner.ResolveTarget(tmp)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		if target.Scheme != want {
			t.Errorf("%s sniffed as %q, want %q", rel, target.Scheme, want)
		}
	}
}

func TestScanWinget(t *testing.T) {
	inv := scan(t, "winget:"+fixture(t, "windows/winget-export.json"), scanner.Options{})
	if inv.Target.Document.Format != "winget-export" || inv.Target.Document.Version != "2.0" || len(inv.Components) != 7 {
		t.Fatalf("inventory = %+v", inv)
	}
	if c := find(t, inv.Components, "VideoLAN.VLC"); c.Version != "3.0.20" || c.Type != sillage.TypeWindows {
		t.Errorf("VLC = %+v", c)
	}
	if len(inv.Warnings) != 0 {
		t.Errorf("warnings: %v", inv.Warnings)
	}
}

func TestScanGLPIFileAndDirectory(t *testing.T) {
	inv := scan(t, "glpi:"+fixture(t, "glpi/windows-2.xml"), scanner.Options{})
	if inv.Host.Name != "pc-arg-23" || inv.Target.Document.Name != "pc-arg-23.cedre.local-2017-04-18-09-26-44" {
		t.Errorf("host %+v, document %+v", inv.Host, inv.Target.Document)
	}

	dir := fixture(t, "glpi")
	if !scanner.MultiHost("glpi:" + dir) {
		t.Error("glpi:DIR is not multi-host")
	}
	if scanner.MultiHost("glpi:" + fixture(t, "glpi/windows-2.xml")) {
		t.Error("glpi:FILE is multi-host")
	}
	invs, err := scanner.ScanAll(t.Context(), "glpi:"+dir, scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var hosts []string
	for _, inv := range invs {
		hosts = append(hosts, inv.Host.Name+" "+filepath.Base(inv.Target.Path))
	}
	// LICENSE is not an inventory file; the printer has no software
	want := []string{"glpixps computer_1.json", "iMac de Marie macos-4.xml", " printer_2.json", "pc-arg-23 windows-2.xml"}
	if diff := cmp.Diff(want, hosts); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(invs[2].Warnings) != 1 || !strings.Contains(invs[2].Warnings[0], "Printer inventory has no software") {
		t.Errorf("printer warnings = %v", invs[2].Warnings)
	}
	// Scan refuses a directory: it returns one inventory
	if _, err := scanner.Scan(t.Context(), "glpi:"+dir, scanner.Options{}); !errors.Is(err, sillage.ErrInvalidInput) {
		t.Errorf("Scan(glpi:DIR) = %v", err)
	}
}

func TestScanInventoryDirWithBadFiles(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(fixture(t, "ocs/debian-vm.ocs"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"a-good.ocs":      good,
		"b-truncated.ocs": good[:len(good)/3],
		"c-notes.txt":     []byte("not an inventory, not read"),
		"d-empty.xml":     nil,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	invs, err := scanner.ScanAll(t.Context(), "ocs:"+dir, scanner.Options{})
	if !errors.Is(err, scanner.ErrTarget) {
		t.Fatalf("error %v, want ErrTarget", err)
	}
	if len(invs) != 1 || invs[0].Host.Name != "vm" {
		t.Errorf("inventories = %d, want the good one", len(invs))
	}
	for _, want := range []string{"2 of 3 inventory files", "b-truncated.ocs", "truncated", "d-empty.xml"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}

	empty := t.TempDir()
	if _, err := scanner.ScanAll(t.Context(), "glpi:"+empty, scanner.Options{}); !errors.Is(err, scanner.ErrTarget) ||
		!strings.Contains(err.Error(), "no inventory file") {
		t.Errorf("empty directory: %v", err)
	}
}

func TestScanWorkstationErrors(t *testing.T) {
	dir := t.TempDir()
	notReg := filepath.Join(dir, "x.reg")
	if err := os.WriteFile(notReg, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, arg := range []string{"winreg:" + notReg, "winget:" + notReg, "glpi:" + notReg, "ocs:" + notReg, "winreg:" + dir} {
		_, err := scanner.Scan(t.Context(), arg, scanner.Options{})
		if !errors.Is(err, scanner.ErrTarget) || sillage.HintOf(err) == "" {
			t.Errorf("%s: error %v (hint %q), want a target error with a hint", arg, err, sillage.HintOf(err))
		}
	}
}

func TestHostFindsFlatpakAndSnap(t *testing.T) {
	inv := scan(t, "host:"+fixture(t, "rootfs/linux-desktop-apps"), scanner.Options{})
	if inv.Host.Name != "poste-linux-07" {
		t.Errorf("host = %+v", inv.Host)
	}
	vlc := find(t, inv.Components, "org.videolan.VLC")
	if vlc.Type != sillage.TypeFlatpak || vlc.Version != "3.0.20" || vlc.Supplier != "VideoLAN et al." ||
		len(vlc.Licenses.Declared) != 1 || vlc.Licenses.Declared[0].SPDX != "GPL-2.0-or-later" {
		t.Errorf("VLC = %+v", vlc)
	}
	zoom := find(t, inv.Components, "us.zoom.Zoom")
	if zoom.Licenses.Declared[0].Value != "LicenseRef-proprietary" {
		t.Errorf("Zoom licences = %+v", zoom.Licenses)
	}
	snap := find(t, inv.Components, "basic-desktop")
	if snap.Type != sillage.TypeSnap || snap.Version != "1.0" || snap.FoundBy != scanner.FoundBySnap {
		t.Errorf("snap = %+v", snap)
	}
	// --exclude reaches the application readers
	inv = scan(t, "host:"+fixture(t, "rootfs/linux-desktop-apps"), scanner.Options{Exclude: []string{"/home/**"}})
	for _, c := range inv.Components {
		if c.Name == "org.videolan.VLC" {
			t.Error("VLC found under an excluded /home")
		}
	}
}

func TestHostMacOSApplications(t *testing.T) {
	inv := scan(t, "host:"+fixture(t, "rootfs/macos"), scanner.Options{})
	if inv.Host.OS != "Mac OS X 10.15" {
		t.Errorf("host = %+v", inv.Host)
	}
	var macos []string
	for _, c := range inv.Components {
		if c.Type == sillage.TypeMacOS {
			macos = append(macos, c.Label()+" "+c.PURL+" "+c.InstallLocation)
		}
	}
	// Ghostty's Info.plist is a binary plist; Slack Helper.app, inside
	// Slack.app, is not an application of its own
	want := []string{
		"Ghostty@1.3.1 pkg:generic/Ghostty@1.3.1?bundle_id=com.mitchellh.ghostty /Applications/Ghostty.app",
		"Slack@4.50.128 pkg:generic/Slack@4.50.128?bundle_id=com.tinyspeck.slackmacgap /Applications/Slack.app",
	}
	if diff := cmp.Diff(want, macos); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
