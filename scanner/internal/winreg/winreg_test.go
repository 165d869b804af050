package winreg

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/scanner/internal/textdec"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := osReadFixture(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func osReadFixture(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join("..", "..", "..", "testdata", "windows", name))
}

func visible(t *testing.T, entries []Entry, foundBy string) map[string]sillage.Component {
	t.Helper()
	out := map[string]sillage.Component{}
	for _, e := range entries {
		if h, _ := Hidden(e); h {
			continue
		}
		c := Component(e, foundBy)
		out[c.Name] = c
	}
	return out
}

const hklm = `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\`

func TestParseRegExport(t *testing.T) {
	entries, info, err := ParseReg(bytes.NewReader(fixture(t, "uninstall-hklm.reg")))
	if err != nil {
		t.Fatal(err)
	}
	if info.Version != "5.00" || info.Encoding != textdec.UTF16LE {
		t.Errorf("info = %+v, want version 5.00 in UTF-16LE with BOM", info)
	}
	if len(entries) != 12 {
		t.Errorf("%d Uninstall subkeys, want 12 (every subkey of the export, the parent key excluded)", len(entries))
	}
	hidden := map[string]string{}
	for _, e := range entries {
		if h, why := Hidden(e); h {
			name, _ := UninstallSubkey(e.Key)
			hidden[name] = why
		}
	}
	wantHidden := map[string]string{
		"AddressBook":                            HiddenNoName,
		"Connection Manager":                     HiddenNoName,
		"{90160000-0011-0000-1000-0000000FF1CE}": HiddenSystemComponent,
		"{A181A302-3F6D-4BAD-97A8-A426A6499D78}": HiddenSystemComponent,
		"{90160000-0011-0000-1000-0000000FF1CE}_Office16.PROPLUS_{2F3AF1A1-6BB4-4B29-9B52-4C4B4A11B9E6}": HiddenParent,
	}
	if diff := cmp.Diff(wantHidden, hidden); diff != "" {
		t.Errorf("hidden entries (-want +got):\n%s", diff)
	}
	got := visible(t, entries, "reg-export")
	want := map[string]sillage.Component{}
	for _, c := range []sillage.Component{
		{Name: "7-Zip 23.01 (x64)", Version: "23.01", Supplier: "Igor Pavlov", InstallLocation: `C:\Program Files\7-Zip\`, Locations: []string{hklm + "7-Zip"}},
		{Name: "Mozilla Firefox (x64 fr)", Version: "121.0", Supplier: "Mozilla", InstallLocation: `C:\Program Files\Mozilla Firefox`, Locations: []string{hklm + "Mozilla Firefox 121.0 (x64 fr)"}},
		{Name: "Mozilla Maintenance Service", Version: "121.0", Supplier: "Mozilla", Locations: []string{hklm + "MozillaMaintenanceService"}},
		{Name: "Microsoft Office Professionnel Plus 2016", Version: "16.0.4266.1001", Supplier: "Microsoft Corporation", InstallDate: "2023-09-06", InstallLocation: `C:\Program Files\Microsoft Office\`, Locations: []string{hklm + "Office16.PROPLUS"}},
		// InstallLocation is a REG_EXPAND_SZ: hex(2) over three lines
		{Name: "VLC media player", Version: "3.0.20", Supplier: "VideoLAN", InstallLocation: `C:\Program Files\VideoLAN\VLC`, Locations: []string{hklm + "VLC media player"}},
		{Name: "WinRAR 6.24 (64-bit)", Version: "6.24.0", Supplier: "win.rar GmbH", InstallLocation: `C:\Program Files\WinRAR\`, Locations: []string{hklm + "WinRAR archiver"}},
		{Name: "Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.38.33130", Version: "14.38.33130.0", Supplier: "Microsoft Corporation", InstallDate: "2023-12-12", Locations: []string{hklm + "{8bdfe669-9705-4184-9368-db9ce581e0e7}"}},
	} {
		c.Type = sillage.TypeWindows
		c.FoundBy = "reg-export"
		c.CPEs = []string{}
		c.Licenses = sillage.Licenses{Declared: []sillage.DeclaredLicense{}, Detected: []sillage.DetectedLicense{}}
		c.ID = sillage.ComponentID(c)
		want[c.Name] = c
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("visible programs (-want +got):\n%s", diff)
	}
}

func TestParseConcatenatedExports(t *testing.T) {
	// copy /b hklm.reg+wow.reg+hkcu.reg: three headers and three BOMs
	entries, _, err := ParseReg(bytes.NewReader(fixture(t, "workstation.reg")))
	if err != nil {
		t.Fatal(err)
	}
	got := visible(t, entries, "reg-export")
	if len(got) != 10 {
		t.Errorf("%d visible programs, want 10: %v", len(got), mapsKeys(got))
	}
	acro := got["Adobe Acrobat Reader DC - Français"]
	if acro.Arch != "x86" || acro.InstallDate != "2024-01-12" || acro.Supplier != "Adobe Systems Incorporated" {
		t.Errorf("Acrobat Reader (WOW6432Node, MSI) = %+v", acro)
	}
	zoom := got["Zoom"]
	if zoom.Version != "5.17.1 (23123)" || zoom.InstallLocation != `%APPDATA%\Zoom\bin` ||
		!strings.HasPrefix(zoom.Locations[0], `HKEY_CURRENT_USER\Software\`) {
		t.Errorf("Zoom (HKCU, REG_EXPAND_SZ left unexpanded) = %+v", zoom)
	}
}

func mapsKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestPowerShellJSONMatchesRegExport(t *testing.T) {
	regEntries, _, err := ParseReg(bytes.NewReader(fixture(t, "workstation.reg")))
	if err != nil {
		t.Fatal(err)
	}
	psEntries, info, err := Parse(bytes.NewReader(fixture(t, "workstation.ps51.json")))
	if err != nil {
		t.Fatal(err)
	}
	if info.Format != FormatPowerShellJSON || info.Encoding != textdec.UTF16LE {
		t.Errorf("info = %+v, want PowerShell JSON in UTF-16LE (Windows PowerShell redirection)", info)
	}
	// the same registry read from two exports gives the same components,
	// ids included: the id depends on the key, not on the export
	fromReg, fromPS := visible(t, regEntries, "x"), visible(t, psEntries, "x")
	if diff := cmp.Diff(fromReg, fromPS); diff != "" {
		t.Errorf("PowerShell JSON and .reg disagree (-reg +ps):\n%s", diff)
	}
}

func TestPowerShellSingleObject(t *testing.T) {
	entries, info, err := Parse(bytes.NewReader(fixture(t, "7zip.ps7.json")))
	if err != nil {
		t.Fatal(err)
	}
	if info.Encoding != textdec.UTF8 || len(entries) != 1 {
		t.Fatalf("info %+v, %d entries; want UTF-8 and one entry", info, len(entries))
	}
	c := Component(entries[0], "powershell-json")
	if c.Name != "7-Zip 23.01 (x64)" || c.Locations[0] != hklm+"7-Zip" {
		t.Errorf("component = %+v", c)
	}
}

func TestHidden(t *testing.T) {
	tests := []struct {
		values map[string]string
		hidden bool
		why    string
	}{
		{map[string]string{"DisplayName": "7-Zip"}, false, ""},
		{map[string]string{"DisplayName": "   "}, true, HiddenNoName},
		{map[string]string{"DisplayVersion": "1.0"}, true, HiddenNoName},
		{map[string]string{"DisplayName": "x", "SystemComponent": "1"}, true, HiddenSystemComponent},
		{map[string]string{"displayname": "x", "systemcomponent": " 1 "}, true, HiddenSystemComponent},
		{map[string]string{"DisplayName": "x", "SystemComponent": "0"}, false, ""},
		{map[string]string{"DisplayName": "x", "SystemComponent": "0x1"}, true, HiddenSystemComponent},
		{map[string]string{"DisplayName": "x", "ParentKeyName": "Office16.PROPLUS"}, true, HiddenParent},
		{map[string]string{"DisplayName": "x", "ParentKeyName": ""}, false, ""},
		{map[string]string{"DisplayName": "x", "ReleaseType": "Security Update"}, true, HiddenUpdate},
		{map[string]string{"DisplayName": "x", "ReleaseType": "hotfix"}, true, HiddenUpdate},
		{map[string]string{"DisplayName": "x", "ReleaseType": "Update"}, true, HiddenUpdate},
		{map[string]string{"DisplayName": "x", "ReleaseType": "Service Pack"}, true, HiddenUpdate},
		{map[string]string{"DisplayName": "x", "ReleaseType": "Application"}, false, ""},
	}
	for _, tt := range tests {
		e := NewEntry(hklm + "k")
		for k, v := range tt.values {
			e.Set(k, v)
		}
		h, why := Hidden(e)
		if h != tt.hidden || why != tt.why {
			t.Errorf("Hidden(%v) = %v %q, want %v %q", tt.values, h, why, tt.hidden, tt.why)
		}
	}
}

func TestInstallDate(t *testing.T) {
	for in, want := range map[string]string{
		"20240115":            "2024-01-15",
		" 20240115 ":          "2024-01-15",
		"2024-01-15":          "2024-01-15",
		"2024/01/15 10:00:00": "2024-01-15",
		"15/01/2024":          "2024-01-15",
		"1/15/2024":           "2024-01-15",
		"3/4/2024":            "", // ambiguous
		"20241345":            "",
		"20240230":            "",
		"19000101":            "",
		"yesterday":           "",
		"":                    "",
	} {
		if got := InstallDate(in); got != want {
			t.Errorf("InstallDate(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"": "", " ": "", "3/4/2024": "2024-04-03", "18/04/2017": "2017-04-18", "2017-04-18": "2017-04-18"} {
		if got := InstallDateDMY(in); got != want {
			t.Errorf("InstallDateDMY(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUninstallSubkey(t *testing.T) {
	for key, want := range map[string]string{
		hklm + "7-Zip": "7-Zip",
		`HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\{AC76BA86}`: "{AC76BA86}",
		`HKEY_USERS\S-1-5-21-1\Software\Microsoft\Windows\CurrentVersion\Uninstall\ZoomUMX`:             "ZoomUMX",
		`HKEY_LOCAL_MACHINE\OFFLINE\Microsoft\Windows\CurrentVersion\UNINSTALL\x`:                       "x",
		hklm[:len(hklm)-1]:              "",
		hklm + `7-Zip\Sub`:              "",
		`HKEY_LOCAL_MACHINE\SOFTWARE\x`: "",
	} {
		got, ok := UninstallSubkey(key)
		if got != want || ok != (want != "") {
			t.Errorf("UninstallSubkey(%q) = %q %v, want %q", key, got, ok, want)
		}
	}
}

func utf16le(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2+2*len(u))
	b[0], b[1] = 0xFF, 0xFE
	for i, c := range u {
		b[2+2*i], b[3+2*i] = byte(c), byte(c>>8)
	}
	return b
}

func TestRegEncodings(t *testing.T) {
	body := "\r\n[" + hklm + "Prog]\r\n\"DisplayName\"=\"Caf\u00e9 \\\"Pro\\\"\"\r\n\"SystemComponent\"=dword:00000000\r\n\r\n"
	for name, data := range map[string][]byte{
		"utf-16le bom":    utf16le("Windows Registry Editor Version 5.00\r\n" + body),
		"utf-8 bom":       append([]byte{0xEF, 0xBB, 0xBF}, "Windows Registry Editor Version 5.00\r\n"+body...),
		"utf-8 no bom":    []byte("Windows Registry Editor Version 5.00\n" + strings.ReplaceAll(body, "\r\n", "\n")),
		"utf-16le no bom": utf16le("Windows Registry Editor Version 5.00\r\n" + body)[2:],
		"regedit4 ansi":   append([]byte("REGEDIT4\r\n\r\n["+hklm+"Prog]\r\n\"DisplayName\"=\"Caf"), append([]byte{0xE9}, " \\\"Pro\\\"\"\r\n"...)...),
	} {
		entries, _, err := Parse(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(entries) != 1 || entries[0].Get(ValDisplayName) != `Café "Pro"` {
			t.Errorf("%s: entries %+v, want one named Café \"Pro\"", name, entries)
		}
	}
}

func TestRegHostile(t *testing.T) {
	full := fixture(t, "uninstall-hklm.reg")
	text := string(full)
	tests := map[string]struct {
		data []byte
		want error
	}{
		"empty":     {nil, ErrNotReg},
		"not a reg": {[]byte("hello\nworld\n"), ErrNotReg},
		"binary":    {[]byte{0x00, 0x01, 0x02, 0x03, 0xFF}, ErrNotReg},
		// cut inside a UTF-16 code unit
		"odd bytes": {full[:len(full)-1], textdec.ErrOddLength},
		// cut inside the hex(2) InstallLocation of VLC, after a "\" continuation
		"cut in hex continuation": {cutAfter(t, full, `"InstallLocation"=hex(2):43,00,3a,00,5c,00,50,00,72,00,6f,00,67,00,72,00,61,00,\`), ErrTruncated},
		// cut inside a quoted string
		"cut in string": {cutAfter(t, full, `"DisplayName"="7-Zi`), ErrTruncated},
		"cut in key":    {cutAfter(t, full, `[HKEY_LOCAL_MACHINE\SOFTWARE\Micro`), ErrTruncated},
		"cut in dword":  {[]byte("Windows Registry Editor Version 5.00\r\n\r\n[" + hklm + "x]\r\n\"SystemComponent\"=dword:0000"), ErrTruncated},
	}
	_ = text
	for name, tt := range tests {
		_, _, err := Parse(bytes.NewReader(tt.data))
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: error %v, want %v", name, err, tt.want)
		}
	}
	for name, data := range map[string]string{
		"bad dword":     "[" + hklm + "x]\n\"DisplayName\"=dword:zz\n",
		"bad hex":       "[" + hklm + "x]\n\"DisplayName\"=hex(2):4g,00\n",
		"garbage value": "[" + hklm + "x]\n\"DisplayName\"=maybe\n",
		"no equals":     "[" + hklm + "x]\n\"DisplayName\" \"x\"\n",
		"text after":    "[" + hklm + "x]\n\"DisplayName\"=\"x\" y\n",
	} {
		_, _, err := ParseReg(strings.NewReader("Windows Registry Editor Version 5.00\n\n" + data))
		if err == nil || !strings.Contains(err.Error(), "line ") {
			t.Errorf("%s: error %v, want one naming the line", name, err)
		}
	}
}

// cutAfter returns the UTF-16LE file cut just after the first occurrence
// of s.
func cutAfter(t *testing.T, full []byte, s string) []byte {
	t.Helper()
	needle := utf16le(s)[2:]
	i := bytes.Index(full, needle)
	if i < 0 {
		t.Fatalf("%q not in the fixture", s)
	}
	return full[:i+len(needle)]
}

func TestRegDeletionsAndDefaults(t *testing.T) {
	in := "Windows Registry Editor Version 5.00\n\n" +
		"[" + hklm + "A]\n@=\"default\"\n\"DisplayName\"=\"A\"\n\"Publisher\"=\"P\"\n\"Publisher\"=-\n\n" +
		"[" + hklm + "B]\n\"DisplayName\"=\"B\"\n\n" +
		"[-" + hklm + "B]\n\n" +
		"; a comment\n[" + hklm + "C]\n\"DisplayName\"=hex(1):43,00,00,00\n\"SystemComponent\"=hex(4):01,00,00,00\n" +
		"\"Multi\"=hex(7):61,00,00,00,62,00,00,00,00,00\n\"Blob\"=hex:01,02\n"
	entries, _, err := ParseReg(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		h, _ := Hidden(e)
		got = append(got, fmt.Sprintf("%s=%s/%s/%v", e.Key[len(hklm):], e.Get(ValDisplayName), e.Get(ValPublisher), h))
	}
	want := []string{"A=A//false", "C=C//true"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestRegHugeExportBoundedMemory streams a 100 MB export, most of it keys
// sillage does not read (as a full `reg export HKLM` is), and checks that
// memory does not grow with it.
func TestRegHugeExportBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 100 MB")
	}
	path := filepath.Join(t.TempDir(), "huge.reg")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprint(w, "Windows Registry Editor Version 5.00\r\n\r\n")
	blob := strings.Repeat("00,", 24) + "00"
	n := 0
	for i := 0; w.Buffered()+n < 100<<20; i++ {
		k := fmt.Sprintf("[HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes\\CLSID\\{%08d}]\r\n\"Blob\"=hex:%s,\\\r\n  %s\r\n@=\"some class %d\"\r\n\r\n", i, blob, blob, i)
		if i%1000 == 0 {
			k += fmt.Sprintf("[%sProg%d]\r\n\"DisplayName\"=\"Program %d\"\r\n\r\n", hklm, i, i)
		}
		m, _ := w.WriteString(k)
		if w.Available() < 4096 {
			n += w.Buffered()
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
		}
		_ = m
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	fi, _ := os.Stat(path)
	if fi.Size() < 100<<20 {
		t.Fatalf("generated %d bytes", fi.Size())
	}
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	entries, _, err := ParseReg(in)
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if len(entries) < 300 {
		t.Errorf("%d entries", len(entries))
	}
	if grew := int64(after.HeapSys) - int64(before.HeapSys); grew > 32<<20 {
		t.Errorf("heap grew by %d MiB reading a 100 MB export: not streamed", grew>>20)
	}
}

func TestRegLongLinesAndDeepKeys(t *testing.T) {
	huge := strings.Repeat("ab", MaxLine)
	deep := strings.Repeat(`\k`, 20000)
	in := "Windows Registry Editor Version 5.00\n\n" +
		"[HKEY_LOCAL_MACHINE\\SOFTWARE" + deep + "]\n\"Other\"=\"" + huge + "\"\n\n" +
		"[" + hklm + "A]\n\"Icon\"=\"" + huge + "\"\n\"DisplayName\"=\"A\"\n\n"
	entries, _, err := ParseReg(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Get(ValDisplayName) != "A" {
		t.Errorf("entries = %v", entries)
	}
	_, _, err = ParseReg(strings.NewReader("Windows Registry Editor Version 5.00\n\n[" + hklm + "A]\n\"DisplayName\"=\"" + huge + "\"\n"))
	if err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("a DisplayName over %d bytes: error %v", MaxLine, err)
	}
	_, _, err = ParseReg(strings.NewReader("Windows Registry Editor Version 5.00\n\n[" + strings.Repeat("k", 2*MaxLine) + "]\n"))
	if err == nil {
		t.Error("a key name over the line limit was accepted")
	}
}

func TestPowerShellJSONHostile(t *testing.T) {
	deep := strings.Repeat("[", 200000) + strings.Repeat("]", 200000)
	for name, in := range map[string]string{
		"truncated":     `[{"DisplayName": "7-Zip", "PSPath": "Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL`,
		"deeply nested": `[{"DisplayName": "x", "PSDrive": ` + deep + `}]`,
		"two documents": `{"DisplayName": "x"} {"DisplayName": "y"}`,
		"not registry":  `[{"Name": "x", "Version": "1"}]`,
		"other keys":    `[{"DisplayName": "x", "PSPath": "Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes\\x"}]`,
		"scalar":        `"hello"`,
		"array of ints": `[1, 2]`,
	} {
		_, _, err := Parse(strings.NewReader(in))
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// an empty array is an empty inventory, not an error
	entries, _, err := Parse(strings.NewReader("[]"))
	if err != nil || len(entries) != 0 {
		t.Errorf("[]: %v %v", entries, err)
	}
}

func TestPowerShellJSONTooLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 100 MB")
	}
	// a 100 MB JSON document, generated on the fly, is refused early
	r := &repeatReader{prefix: []byte(`[{"DisplayName": "x", "Comments": "`), fill: 'a', n: 100 << 20}
	_, _, err := Parse(r)
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("error %v, want ErrTooLarge", err)
	}
	if r.read > MaxJSON+(1<<20) {
		t.Errorf("read %d bytes before refusing", r.read)
	}
}

type repeatReader struct {
	prefix []byte
	fill   byte
	n      int
	read   int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.read >= r.n {
		return 0, fmt.Errorf("EOF")
	}
	i := 0
	for ; i < len(p) && r.read < r.n; i++ {
		if r.read < len(r.prefix) {
			p[i] = r.prefix[r.read]
		} else {
			p[i] = r.fill
		}
		r.read++
	}
	return i, nil
}
