package scanner

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/anchore/syft/syft/artifact"
	"github.com/anchore/syft/syft/file"
	"github.com/anchore/syft/syft/sbom"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/scanner/internal/hostscan"
)

// DefaultHostExcludes lists the globs a host scan leaves out unless
// Options.NoDefaultExcludes is set: virtual and volatile file systems and
// package-manager caches, which hold no installed software.
func DefaultHostExcludes() []string { return slices.Clone(hostscan.DefaultExcludes) }

func scanHost(ctx context.Context, t sillage.Target, o Options) (sillage.Inventory, error) {
	if err := validateExcludes(o.Exclude); err != nil {
		return sillage.Inventory{}, err
	}
	if o.LicenseDetection != DetectNone {
		// a root filesystem always has packages whose licence files need
		// reading: build the detector's matcher while the tree is walked
		prebuildDetector(o)
	}
	var ev map[artifact.ID]evidence
	s, err := hostscan.Scan(ctx, hostscan.Options{
		Inspect: func(ctx context.Context, s *sbom.SBOM, r file.Resolver) error {
			var err error
			ev, err = inspect(ctx, s, r, o)
			return err
		},
		Root:              t.Path,
		Exclude:           normalizeGlobs(o.Exclude),
		NoDefaultExcludes: o.NoDefaultExcludes,
		Progress: func(p hostscan.Progress) {
			o.progress(sillage.Progress{Stage: hostStage(p.Stage), Files: p.Files, Packages: p.Packages})
		},
	})
	if err != nil {
		if ctx.Err() != nil {
			return sillage.Inventory{}, ctx.Err()
		}
		if errors.Is(err, fs.ErrPermission) {
			return sillage.Inventory{}, targetError(fmt.Errorf("scan host %s: %w", t.Path, err),
				"run sillage as a user that can read the package databases (usually root)")
		}
		return sillage.Inventory{}, targetError(fmt.Errorf("scan host %s: %w", t.Path, err),
			"check that the path is the root of an installed system (it should hold /etc and /usr)")
	}
	t.Distro = distro(s.Artifacts.LinuxDistribution)
	inv := sillage.Inventory{
		Target:     t,
		Host:       hostInfo(t.Path, t.Distro),
		Components: components(s, "", false, ev),
		Warnings:   unknownWarnings(s),
	}
	apps, warnings := workstationApps(t.Path, o)
	mergeHostComponents(&inv, apps)
	inv.Warnings = append(inv.Warnings, warnings...)
	slices.Sort(inv.Warnings)
	return inv, nil
}

func hostStage(s string) string {
	if s == "walk" {
		return "index"
	}
	return s
}

// hostInfo identifies the machine rooted at root: its host name, systemd
// machine ID and OS name. For the live root "/" the kernel's host name is
// used; for a mounted image, the image's /etc/hostname.
func hostInfo(root string, d *sillage.Distro) *sillage.Host {
	h := &sillage.Host{}
	if isLiveRoot(root) {
		h.Name, _ = os.Hostname()
	}
	if h.Name == "" {
		h.Name = readFirstLine(filepath.Join(root, "etc", "hostname"))
	}
	h.MachineID = readFirstLine(filepath.Join(root, "etc", "machine-id"))
	if d != nil {
		h.OS = d.PrettyName
		if h.OS == "" {
			h.OS = strings.TrimSpace(d.ID + " " + d.VersionID)
		}
	}
	if h.OS == "" {
		h.OS = macOSVersion(root)
	}
	if h.OS == "" && runtime.GOOS == "windows" && isLiveRoot(root) {
		h.OS = windowsOS
	}
	return h
}

func isLiveRoot(root string) bool {
	return filepath.Clean(root) == string(filepath.Separator) || filepath.Clean(root) == filepath.VolumeName(root)+`\`
}

// readFirstLine returns the first line of a small file, trimmed, or "" if
// it cannot be read. It reads at most 4 KiB and does not follow a symlink
// out of the file system: /etc/hostname is a plain file on every system we
// know.
func readFirstLine(path string) string {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return ""
	}
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	buf := make([]byte, 4096)
	n, _ := f.Read(buf)
	line, _, _ := strings.Cut(string(buf[:n]), "\n")
	return strings.TrimSpace(line)
}
