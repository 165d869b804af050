package scanner

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/sillage-oss/sillage"
)

// The host scan reads Flatpak, Snap (and on Windows, registry) programs
// after syft's catalogers. BenchmarkHostScan times a whole host: scan of
// the desktop fixture; BenchmarkWorkstationApps times the added readers
// alone on the same root. Their ratio is the share of the host scan the
// desktop applications cost.

func desktopRoot(b *testing.B) string {
	p, err := filepath.Abs(filepath.Join("..", "testdata", "rootfs", "linux-desktop-apps"))
	if err != nil {
		b.Fatal(err)
	}
	return p
}

func BenchmarkHostScan(b *testing.B) {
	root := desktopRoot(b)
	for b.Loop() {
		inv, err := scanHost(context.Background(), sillage.Target{Scheme: sillage.SchemeHost, Path: root}, Options{})
		if err != nil || len(inv.Components) != 3 {
			b.Fatalf("%v, %d components", err, len(inv.Components))
		}
	}
}

func BenchmarkWorkstationApps(b *testing.B) {
	root := desktopRoot(b)
	for b.Loop() {
		comps, _ := workstationApps(root, Options{})
		if len(comps) != 3 {
			b.Fatalf("%d components", len(comps))
		}
	}
}
