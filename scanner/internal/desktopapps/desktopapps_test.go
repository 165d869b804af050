package desktopapps

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func root(t *testing.T, name string) string {
	t.Helper()
	return filepath.Join("..", "..", "..", "testdata", "rootfs", name)
}

func TestFindFlatpakAndSnap(t *testing.T) {
	apps, warnings, err := Find(root(t, "linux-desktop-apps"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings: %v", warnings)
	}
	const vlc = "/home/agent/.local/share/flatpak/app/org.videolan.VLC"
	const zoom = "/var/lib/flatpak/app/us.zoom.Zoom"
	want := []App{
		{Kind: "flatpak", Name: "org.videolan.VLC", Version: "3.0.20", Title: "VLC", Developer: "VideoLAN et al.", License: "GPL-2.0+",
			LicenseFile: vlc + "/current/active/files/share/metainfo/org.videolan.VLC.metainfo.xml", Arch: "x86_64", Location: vlc + "/current/active/metadata", InstallLocation: vlc + "/current/active"},
		{Kind: "flatpak", Name: "us.zoom.Zoom", Version: "5.4.54779.1115", Title: "Zoom", Developer: "zoom.us", License: "LicenseRef-proprietary",
			LicenseFile: zoom + "/current/active/files/share/metainfo/us.zoom.Zoom.metainfo.xml", Arch: "x86_64", Location: zoom + "/current/active/metadata", InstallLocation: zoom + "/current/active"},
		// test-snapd-base is a base snap: not an application
		{Kind: "snap", Name: "basic-desktop", Version: "1.0", License: "GPL-3.0", LicenseFile: "/snap/basic-desktop/current/meta/snap.yaml",
			Location: "/snap/basic-desktop/current/meta/snap.yaml", InstallLocation: "/snap/basic-desktop/current"},
	}
	if diff := cmp.Diff(want, apps); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestExclusions(t *testing.T) {
	apps, _, err := Find(root(t, "linux-desktop-apps"), Options{Excluded: func(p string) bool {
		return strings.HasPrefix(p, "/home/") || p == "/home"
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range apps {
		if strings.HasPrefix(a.Location, "/home/") {
			t.Errorf("%s found under an excluded /home", a.Name)
		}
	}
	if len(apps) != 2 {
		t.Errorf("%d apps, want 2", len(apps))
	}
}

func TestSnapsFromStateWhenUnmounted(t *testing.T) {
	apps, warnings, err := Find(root(t, "ubuntu-snaps-unmounted"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 1 || apps[0].Name != "firefox" || apps[0].Version != "" || apps[0].Location != "/var/lib/snapd/state.json" {
		t.Errorf("apps = %+v, want firefox alone (core22 and snapd are platform snaps)", apps)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "without versions") {
		t.Errorf("warnings = %v", warnings)
	}
}

func TestHostile(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	mk := func(p, content string) {
		t.Helper()
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// a metadata file too large to be one
	mk("var/lib/flatpak/app/org.big.App/current/active/metadata", "[Application]\nname=org.big.App\n"+strings.Repeat("#", maxFile))
	// a link that leaves the root: never followed
	if err := os.WriteFile(filepath.Join(outside, "metadata"), []byte("[Application]\nname=org.evil.App\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "var/lib/flatpak/app/org.evil.App"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "var/lib/flatpak/app/org.evil.App/current")); err != nil {
		t.Fatal(err)
	}
	// a runtime in the app directory, and broken metadata
	mk("var/lib/flatpak/app/org.rt.Platform/current/active/metadata", "[Runtime]\nname=org.rt.Platform\n")
	mk("snap/broken/current/meta/snap.yaml", "name: [unclosed\n")
	mk("snap/deep/current/meta/snap.yaml", "name: deep\nx: "+strings.Repeat("[", 10000)+strings.Repeat("]", 10000)+"\n")
	mk("var/lib/flatpak/app/org.bad.Xml/current/active/metadata", "[Application]\nname=org.bad.Xml\n")
	mk("var/lib/flatpak/app/org.bad.Xml/current/active/files/share/metainfo/org.bad.Xml.metainfo.xml", "<component><releases>"+strings.Repeat("<a>", 100)+"</component>")

	apps, warnings, err := Find(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range apps {
		names = append(names, a.Name)
	}
	// a deeply nested snap.yaml parses (the YAML decoder bounds nesting
	// itself): its unknown key is ignored
	if diff := cmp.Diff([]string{"org.bad.Xml", "deep"}, names); diff != "" {
		t.Errorf("apps (-want +got):\n%s", diff)
	}
	joined := strings.Join(warnings, "\n")
	for _, want := range []string{"org.big.App", "org.evil.App", "snap/broken", "org.bad.Xml"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no warning about %s in:\n%s", want, joined)
		}
	}
}
