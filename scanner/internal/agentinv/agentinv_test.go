package agentinv

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sillage-oss/sillage"
)

func read(t *testing.T, rel string, kind Kind) Inventory {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "..", "testdata", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	inv, err := Read(f, kind)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func byName(cs []sillage.Component) map[string]sillage.Component {
	m := map[string]sillage.Component{}
	for _, c := range cs {
		m[c.Name] = c
	}
	return m
}

func TestGLPIJSON(t *testing.T) {
	inv := read(t, "glpi/computer_1.json", GLPI)
	if inv.Format != "glpi-json" || inv.HostName != "glpixps" || inv.OS != "Fedora 31 (Workstation Edition)" ||
		inv.DeviceID != "glpixps-2018-07-09-09-07-13" || !inv.HasSoftware {
		t.Fatalf("inventory = %+v", inv)
	}
	cs := inv.Components("glpi-inventory")
	if len(cs) != 6 {
		t.Fatalf("%d components, want 6", len(cs))
	}
	g := byName(cs)["gitg"]
	if g.Type != sillage.TypeRPM || g.Version != "3.32.1-1.fc31" || g.Arch != "x86_64" || g.Supplier != "Fedora Project" ||
		g.InstallDate != "2019-12-19" || g.PURL != "pkg:rpm/fedora/gitg@3.32.1-1.fc31?arch=x86_64" {
		t.Errorf("gitg = %+v", g)
	}
}

func TestGLPIWindowsXML(t *testing.T) {
	inv := read(t, "glpi/windows-2.xml", GLPI)
	if inv.Format != "glpi-xml" || inv.HostName != "pc-arg-23" || inv.OS != "Microsoft Windows 8.1 Professionnel" ||
		inv.DeviceID != "pc-arg-23.cedre.local-2017-04-18-09-26-44" || len(inv.Software) != 8 {
		t.Fatalf("inventory = %+v", inv)
	}
	got := byName(inv.Components("glpi-inventory"))
	// the WMI security update (RELEASE_TYPE) and the Office patch (its
	// {product}_parent_{patch} key) are not programs
	for _, name := range []string{"KB4019215", "Update for Microsoft Office 2010 (KB2553140) 64-Bit Edition"} {
		if _, ok := got[name]; ok {
			t.Errorf("%s listed", name)
		}
	}
	if len(got) != 6 {
		t.Errorf("%d programs, want 6: %v", len(got), got)
	}
	office := got["Microsoft Office Famille et Petite Entreprise 2010"]
	if office.Type != sillage.TypeWindows || office.InstallDate != "2015-09-18" || office.Supplier != "Microsoft Corporation" || office.Arch != "x86_64" {
		t.Errorf("Office = %+v", office)
	}
	if v := got["OpenVPN 2.3.8-I001"]; v.Version != "2.3.8-I001" || v.Supplier != "" {
		t.Errorf("OpenVPN (trailing space in NAME, no publisher) = %+v", v)
	}
}

func TestGLPIMacOSXML(t *testing.T) {
	inv := read(t, "glpi/macos-4.xml", GLPI)
	cs := inv.Components("glpi-inventory")
	if inv.HostName != "iMac de Marie" || len(cs) != 7 {
		t.Fatalf("host %q, %d components", inv.HostName, len(cs))
	}
	for _, c := range cs {
		if c.Type != sillage.TypeMacOS {
			t.Errorf("%s has type %s, want macos (entries without FROM on a Mac)", c.Name, c.Type)
		}
	}
	if te := byName(cs)["TextEdit"]; te.Version != "1.13" || te.InstallDate != "2018-06-21" {
		t.Errorf("TextEdit = %+v", te)
	}
}

func TestGLPIWithoutSoftware(t *testing.T) {
	inv := read(t, "glpi/printer_2.json", GLPI)
	if inv.HasSoftware || inv.ItemType != "Printer" || len(inv.Components("x")) != 0 {
		t.Errorf("printer = %+v", inv)
	}
}

func TestOCSUnixAgent(t *testing.T) {
	inv := read(t, "ocs/debian-vm.ocs", OCS)
	if inv.Format != "ocs-xml" || inv.HostName != "vm" || inv.OS != "Debian GNU/Linux 12" || inv.DeviceID != "vm-2026-11-23-07-22-17" {
		t.Fatalf("inventory = %+v", inv)
	}
	cs := inv.Components("ocs-inventory")
	if len(cs) != 13 {
		t.Fatalf("%d components, want 13", len(cs))
	}
	p := byName(cs)["p7zip-full"]
	if p.Type != sillage.TypeDeb || p.Arch != "amd64" || !strings.HasPrefix(p.PURL, "pkg:deb/debian/p7zip-full@") ||
		!strings.HasPrefix(p.InstallDate, "20") {
		t.Errorf("p7zip-full = %+v", p)
	}
}

func TestOCSWindowsAgentCompressed(t *testing.T) {
	inv := read(t, "ocs/PC-DSI-042.ocs", OCS)
	if inv.HostName != "PC-DSI-042" || inv.OS != "Microsoft Windows 10 Professionnel" {
		t.Fatalf("inventory = %+v", inv)
	}
	got := byName(inv.Components("ocs-inventory"))
	if len(got) != 11 {
		t.Errorf("%d programs, want 11 (13 named keys, the Office patch left out, Office's MSI entry merged with its suite)", len(got))
	}
	acro := got["Adobe Acrobat Reader DC - Français"]
	if acro.Arch != "x86" || acro.InstallDate != "2024-01-12" || acro.Type != sillage.TypeWindows {
		t.Errorf("Acrobat Reader = %+v", acro)
	}
	if z := got["7-Zip 23.01 (x64)"]; z.InstallDate != "" || z.InstallLocation != `C:\Program Files\7-Zip\` {
		t.Errorf("7-Zip (INSTALLDATE 0000/00/00) = %+v", z)
	}
}

func TestFlatpakFromGLPI(t *testing.T) {
	doc := `{"deviceid": "d", "content": {"hardware": {"name": "h"}, "softwares": [
		{"name": "Firefox", "version": "121.0", "from": "flatpak", "comments": "AppID: org.mozilla.firefox", "publisher": "flathub"},
		{"name": "firefox", "version": "121.0", "from": "snap", "filesize": 123},
		{"name": "", "version": "1"}]}}`
	inv, err := Read(strings.NewReader(doc), GLPI)
	if err != nil {
		t.Fatal(err)
	}
	got := byName(inv.Components("x"))
	if c := got["org.mozilla.firefox"]; c.Type != sillage.TypeFlatpak {
		t.Errorf("flatpak = %+v", c)
	}
	if c := got["firefox"]; c.Type != sillage.TypeSnap {
		t.Errorf("snap = %+v", c)
	}
	if len(got) != 2 {
		t.Errorf("%d components", len(got))
	}
}

func TestXMLEncodingsAndControls(t *testing.T) {
	latin1 := append([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><REQUEST><CONTENT><HARDWARE><NAME>poste-`), 0xE9)
	latin1 = append(latin1, []byte("</NAME></HARDWARE><SOFTWARES><NAME>Caf\xe9\x01</NAME></SOFTWARES></CONTENT></REQUEST>")...)
	inv, err := Read(bytes.NewReader(latin1), OCS)
	if err != nil {
		t.Fatal(err)
	}
	if inv.HostName != "poste-é" || inv.Software[0].Name != "Café" {
		t.Errorf("inventory = %+v", inv)
	}
}

func TestHostile(t *testing.T) {
	full, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "glpi", "windows-2.xml"))
	if err != nil {
		t.Fatal(err)
	}
	jsonFull, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "glpi", "computer_1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	_, _ = zw.Write(full)
	_ = zw.Close()
	deep := "<REQUEST><CONTENT>" + strings.Repeat("<A>", 100000) + strings.Repeat("</A>", 100000) + "</CONTENT></REQUEST>"
	tests := map[string]struct {
		data []byte
		kind Kind
		want error
	}{
		"truncated xml":         {full[:len(full)/2], GLPI, ErrTruncated},
		"truncated zlib":        {z.Bytes()[:z.Len()/2], OCS, nil},
		"truncated json":        {jsonFull[:len(jsonFull)/2], GLPI, ErrTruncated},
		"other root":            {[]byte(`<?xml version="1.0"?><bom/>`), OCS, ErrNotInventory},
		"no content":            {[]byte(`<REQUEST><DEVICEID>x</DEVICEID></REQUEST>`), OCS, ErrNotInventory},
		"json for ocs":          {jsonFull, OCS, ErrNotInventory},
		"json without content":  {[]byte(`{"deviceid": "x"}`), GLPI, ErrNotInventory},
		"json wrong type":       {[]byte(`{"content": {"softwares": {"a": 1}}}`), GLPI, ErrNotInventory},
		"empty":                 {nil, GLPI, ErrNotInventory},
		"binary":                {[]byte{0x89, 'P', 'N', 'G', 0, 0}, GLPI, ErrNotInventory},
		"deep xml":              {[]byte(deep), OCS, nil},
		"deep json":             {[]byte(`{"content": ` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`), GLPI, nil},
		"entity":                {[]byte(`<!DOCTYPE r [<!ENTITY a "aaaa">]><REQUEST><CONTENT><HARDWARE><NAME>&a;</NAME></HARDWARE></CONTENT></REQUEST>`), OCS, nil},
		"text after json":       {append(append([]byte{}, jsonFull...), []byte(" {}")...), GLPI, nil},
		"unclosed at eof":       {[]byte(`<REQUEST><CONTENT>`), OCS, ErrTruncated},
		"bad encoding declared": {[]byte(`<?xml version="1.0" encoding="EBCDIC"?><REQUEST/>`), OCS, nil},
	}
	for name, tt := range tests {
		_, err := Read(bytes.NewReader(tt.data), tt.kind)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("%s: error %v, want %v", name, err, tt.want)
		}
	}
}

func TestTooLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 100 MB")
	}
	for _, kind := range []Kind{GLPI, OCS} {
		prefix := `<REQUEST><CONTENT><SOFTWARES><COMMENTS>`
		if kind == GLPI {
			prefix = `{"content": {"softwares": [{"comments": "`
		}
		r := io.MultiReader(strings.NewReader(prefix), io.LimitReader(repeat('a'), 100<<20))
		if _, err := Read(r, kind); !errors.Is(err, ErrTooLarge) && !strings.Contains(fmt.Sprint(err), "bytes of text") {
			t.Errorf("kind %d: error %v, want ErrTooLarge", kind, err)
		}
	}
}

type repeat byte

func (r repeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}
