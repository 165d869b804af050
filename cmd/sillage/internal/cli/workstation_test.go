package cli_test

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sillage-oss/sillage"
)

// sillSummary is "component -> SILL entry" and "component -> product:
// first alternative, ..." for a result.
func sillSummary(res sillage.Result) (matches map[string]string, migrations map[string]string) {
	matches, migrations = map[string]string{}, map[string]string{}
	byID := map[string]string{}
	for _, c := range res.Components {
		byID[c.ID] = c.Name
		if c.SILL != nil {
			matches[c.Name] = c.SILL.Name
		}
	}
	for _, m := range res.Migrations {
		var alts []string
		for _, a := range m.Alternatives {
			alts = append(alts, a.Name)
		}
		migrations[byID[m.ComponentID]] = m.Product + ": " + strings.Join(alts, ", ")
	}
	return matches, migrations
}

// TestWorkstationSILLAndMigrations is the acceptance: a Windows
// workstation with Microsoft Office, Adobe Acrobat Reader, WinRAR, Zoom,
// 7-Zip, Firefox and VLC, read from each export a DSI may have of it,
// comes out with 7-Zip, Firefox and VLC on the SILL and the four
// proprietary products with SILL alternatives.
func TestWorkstationSILLAndMigrations(t *testing.T) {
	const (
		office = "Microsoft Office: LibreOffice, LibreOffice (Collabora) online"
		reader = "Adobe Acrobat Reader: SumatraPDF, MuPDF, Mozilla Firefox ESR"
		winrar = "WinRAR: 7zip"
		zoom   = "Zoom: Jitsi, BigBlueButton"
	)
	registry := struct{ matches, migrations map[string]string }{
		map[string]string{"7-Zip 23.01 (x64)": "7zip", "Mozilla Firefox (x64 fr)": "Mozilla Firefox ESR", "VLC media player": "VLC"},
		map[string]string{
			"Microsoft Office Professionnel Plus 2016": office,
			"Adobe Acrobat Reader DC - Français":       reader,
			"WinRAR 6.24 (64-bit)":                     winrar,
			"Zoom":                                     zoom,
			"Microsoft OneDrive":                       "Microsoft OneDrive: NextCloud",
		},
	}
	tests := []struct {
		arg        string
		scheme     sillage.Scheme
		format     string
		matches    map[string]string
		migrations map[string]string
	}{
		{"winreg:" + fixture(t, "windows/workstation.reg"), sillage.SchemeWinReg, "reg", registry.matches, registry.migrations},
		{"winreg:" + fixture(t, "windows/workstation.ps51.json"), sillage.SchemeWinReg, "powershell-json", registry.matches, registry.migrations},
		// a bare file: the export is recognised from its content
		{fixture(t, "windows/workstation.reg"), sillage.SchemeWinReg, "reg", registry.matches, registry.migrations},
		{"ocs:" + fixture(t, "ocs/PC-DSI-042.ocs"), sillage.SchemeOCS, "ocs-xml", registry.matches, registry.migrations},
		{"winget:" + fixture(t, "windows/winget-export.json"), sillage.SchemeWinget, "winget-export",
			map[string]string{"7zip.7zip": "7zip", "Mozilla.Firefox.fr": "Mozilla Firefox ESR", "VideoLAN.VLC": "VLC"},
			map[string]string{ // Office is no winget package
				"Adobe.Acrobat.Reader.32-bit": reader,
				"RARLab.WinRAR":               winrar,
				"Zoom.Zoom":                   zoom,
				"Microsoft.OneDrive":          "Microsoft OneDrive: NextCloud",
			}},
	}
	for _, tt := range tests {
		r := runCLI(t, nil, "scan", tt.arg, "-q", "-o", "json")
		r.expect(t, 0)
		res := decodeResult(t, r.stdout)
		if res.Target.Scheme != tt.scheme || res.Target.Document == nil || res.Target.Document.Format != tt.format {
			t.Errorf("%s: target %+v", tt.arg, res.Target)
		}
		matches, migrations := sillSummary(res)
		if diff := cmp.Diff(tt.matches, matches); diff != "" {
			t.Errorf("%s: SILL matches (-want +got):\n%s", tt.arg, diff)
		}
		if diff := cmp.Diff(tt.migrations, migrations); diff != "" {
			t.Errorf("%s: migrations (-want +got):\n%s", tt.arg, diff)
		}
		if r.stderr != "" {
			t.Errorf("%s: stderr %q", tt.arg, r.stderr)
		}
	}
}

func TestWorkstationComponentFields(t *testing.T) {
	r := runCLI(t, nil, "scan", "winreg:"+fixture(t, "windows/workstation.reg"), "-o", "json")
	r.expect(t, 0)
	res := decodeResult(t, r.stdout)
	if res.Host == nil || res.Host.OS != "Windows" {
		t.Errorf("host = %+v", res.Host)
	}
	for _, c := range res.Components {
		if c.Name != "Adobe Acrobat Reader DC - Français" {
			continue
		}
		want := sillage.Component{
			ID: c.ID, Name: c.Name, Version: "23.008.20421", Type: sillage.TypeWindows, PURL: "", CPEs: []string{},
			Locations: []string{`HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\{AC76BA86-7AD7-1036-7B44-AC0F074E4100}`},
			Licenses:  c.Licenses, Supplier: "Adobe Systems Incorporated", Arch: "x86", FoundBy: "reg-export",
			InstallDate: "2024-01-12", InstallLocation: `C:\Program Files (x86)\Adobe\Acrobat Reader DC\`, SILL: nil,
		}
		if diff := cmp.Diff(want, c); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		if c.ID != sillage.ComponentID(c) {
			t.Error("id is not the component's ComponentID")
		}
		return
	}
	t.Fatal("no Acrobat Reader")
}

func TestWorkstationHiddenEntries(t *testing.T) {
	r := runCLI(t, nil, "scan", "winreg:"+fixture(t, "windows/uninstall-hklm.reg"), "-o", "json")
	r.expect(t, 0)
	res := decodeResult(t, r.stdout)
	for _, c := range res.Components {
		for _, hidden := range []string{"Minimum Runtime", "KB5002140", "Connection Manager"} {
			if strings.Contains(c.Name, hidden) {
				t.Errorf("%s is listed: Programs and Features hides it", c.Name)
			}
		}
	}
	if len(res.Components) != 7 {
		t.Errorf("%d programs, want 7", len(res.Components))
	}
}

func TestMultiHostJSONLines(t *testing.T) {
	r := runCLI(t, nil, "scan", "glpi:"+fixture(t, "glpi"), "-o", "json")
	r.expect(t, 0)
	var hosts []string
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		res := decodeResult(t, sc.Text())
		hosts = append(hosts, res.Host.Name)
	}
	want := []string{"glpixps", "iMac de Marie", "", "pc-arg-23"}
	if diff := cmp.Diff(want, hosts); diff != "" {
		t.Errorf("one result per line (-want +got):\n%s", diff)
	}
}

func TestMultiHostTablesAndTemplates(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	out := filepath.Join(dir, "out")
	for _, d := range []string{in, out} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// the same machine inventoried twice, and a Debian server
	for name, src := range map[string]string{"a.xml": "glpi/windows-2.xml", "b.xml": "glpi/windows-2.xml", "c.json": "glpi/computer_1.json"} {
		data, err := os.ReadFile(fixture(t, src))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(in, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := runCLI(t, env{"NO_COLOR": "1"}, "scan", "glpi:"+in, "-q",
		"-o", "json="+filepath.Join(out, "{host}.json"),
		"-o", "cyclonedx-xml="+filepath.Join(out, "{host}.cdx.xml"),
		"-o", "table")
	r.expect(t, 0)
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"glpixps.cdx.xml", "glpixps.json", "pc-arg-23-2.cdx.xml", "pc-arg-23-2.json", "pc-arg-23.cdx.xml", "pc-arg-23.json"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	data, err := os.ReadFile(filepath.Join(out, "glpixps.json"))
	if err != nil {
		t.Fatal(err)
	}
	if res := decodeResult(t, string(data)); res.Host.Name != "glpixps" {
		t.Errorf("glpixps.json holds %+v", res.Host)
	}
	// one table per host on stdout, each naming its host
	if n := strings.Count(r.stdout, "host pc-arg-23"); n != 2 {
		t.Errorf("%d tables of pc-arg-23 on stdout, want 2:\n%s", n, r.stdout)
	}
	if !strings.Contains(r.stdout, "host glpixps") {
		t.Errorf("no table of glpixps:\n%s", r.stdout)
	}
}

func TestMultiHostNeedsTemplateForXML(t *testing.T) {
	out := t.TempDir()
	for _, args := range [][]string{
		{"-o", "cyclonedx-xml"},
		{"-o", "cyclonedx-xml=" + filepath.Join(out, "all.xml")},
	} {
		r := runCLI(t, nil, append([]string{"scan", "glpi:" + fixture(t, "glpi")}, args...)...)
		r.expect(t, 2)
		if !strings.Contains(r.stderr, "{host}") {
			t.Errorf("stderr does not say what to do: %s", r.stderr)
		}
	}
	r := runCLI(t, nil, "scan", "glpi:"+fixture(t, "glpi"), "-o", "json="+filepath.Join(out, "{host}", "r.json"))
	r.expect(t, 2)
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("files written after a usage error: %v", entries)
	}
}

func TestMultiHostJSONLinesFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "all.jsonl")
	r := runCLI(t, nil, "scan", "ocs:"+fixture(t, "ocs"), "-q", "-o", "json="+out)
	r.expect(t, 0)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2 (debian-vm.ocs, PC-DSI-042.ocs)", len(lines))
	}
	for _, l := range lines {
		decodeResult(t, l)
	}
}

func TestInventoryDirWithCorruptFile(t *testing.T) {
	in := t.TempDir()
	out := t.TempDir()
	good, err := os.ReadFile(fixture(t, "glpi/computer_1.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(in, "good.json"), good, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(in, "cut.json"), good[:1000], 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, "scan", "glpi:"+in, "-q", "-o", "json="+filepath.Join(out, "{host}.json"))
	r.expect(t, 3)
	for _, want := range []string{"1 of 2 inventory files", "cut.json", "truncated", "hint:"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "glpixps.json")); err != nil {
		t.Errorf("the readable inventory was not written: %v", err)
	}
}

func TestWorkstationCorruptInputs(t *testing.T) {
	dir := t.TempDir()
	full, err := os.ReadFile(fixture(t, "windows/workstation.reg"))
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.reg")
	// cut in the middle of a UTF-16 character
	if err := os.WriteFile(cut, full[:len(full)/2+1+len(full)/2%2], 0o644); err != nil {
		t.Fatal(err)
	}
	utf8 := filepath.Join(dir, "utf8.reg")
	// the same export re-saved as UTF-8 without a BOM (an editor's doing)
	text := decodeUTF16(t, full)
	if err := os.WriteFile(utf8, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.json")
	r := runCLI(t, nil, "scan", "winreg:"+cut, "-o", "json="+out)
	r.expect(t, 3)
	if !strings.Contains(r.stderr, "truncated") || !strings.Contains(r.stderr, "hint: ") {
		t.Errorf("stderr = %s", r.stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an output file was written for a failed scan")
	}
	r = runCLI(t, nil, "scan", "winreg:"+utf8, "-q", "-o", "json")
	r.expect(t, 0)
	if res := decodeResult(t, r.stdout); len(res.Components) != 10 {
		t.Errorf("UTF-8 export: %d programs, want 10", len(res.Components))
	}
	for _, arg := range []string{"winget:" + utf8, "glpi:" + utf8, "ocs:" + utf8} {
		r := runCLI(t, nil, "scan", arg)
		r.expect(t, 3)
		if !strings.Contains(r.stderr, "hint: ") {
			t.Errorf("%s: no hint: %s", arg, r.stderr)
		}
	}
}

func decodeUTF16(t *testing.T, b []byte) string {
	t.Helper()
	if len(b) < 2 || b[0] != 0xFF || b[1] != 0xFE {
		t.Fatal("not UTF-16LE with a BOM")
	}
	var runes []rune
	for i := 2; i+1 < len(b); i += 2 {
		u := rune(b[i]) | rune(b[i+1])<<8
		if u == 0xFEFF {
			continue // the BOMs of the concatenated exports
		}
		runes = append(runes, u)
	}
	return string(runes)
}

func TestHostTemplateForOneHost(t *testing.T) {
	out := t.TempDir()
	r := runCLI(t, nil, "scan", "winreg:"+fixture(t, "windows/workstation.reg"), "-q", "-o", "json="+filepath.Join(out, "{host}.json"))
	r.expect(t, 0)
	// no host name in a .reg export: the file's name stands in
	if _, err := os.Stat(filepath.Join(out, "workstation.json")); err != nil {
		t.Error(err)
	}
}

func TestHostDesktopApplications(t *testing.T) {
	r := runCLI(t, nil, "scan", "host:"+fixture(t, "rootfs/linux-desktop-apps"), "-q", "-o", "json")
	r.expect(t, 0)
	res := decodeResult(t, r.stdout)
	matches, migrations := sillSummary(res)
	if matches["org.videolan.VLC"] != "VLC" {
		t.Errorf("matches = %v", matches)
	}
	if migrations["us.zoom.Zoom"] != "Zoom: Jitsi, BigBlueButton" {
		t.Errorf("migrations = %v", migrations)
	}
	var types []string
	for _, c := range res.Components {
		types = append(types, string(c.Type)+":"+c.Name+":"+string(c.Licenses.Category))
	}
	slices.Sort(types)
	want := []string{"flatpak:org.videolan.VLC:strong-copyleft", "flatpak:us.zoom.Zoom:proprietary", "snap:basic-desktop:strong-copyleft"}
	if diff := cmp.Diff(want, types); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	r = runCLI(t, nil, "scan", "host:"+fixture(t, "rootfs/macos"), "-q", "-o", "json")
	r.expect(t, 0)
	res = decodeResult(t, r.stdout)
	_, migrations = sillSummary(res)
	if _, ok := migrations["Slack"]; !ok || res.Host.OS != "Mac OS X 10.15" {
		t.Errorf("macOS: migrations %v, host %+v", migrations, res.Host)
	}
}
