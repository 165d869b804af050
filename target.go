package sillage

import "strings"

// Scheme is the kind of thing a scan reads. It is the prefix of a target
// argument ("host:/", "sbom:vendor.cdx.json").
type Scheme string

// The target schemes sillage understands.
const (
	// SchemeDir is a source tree or an unpacked application: manifests,
	// lock files and binaries are read where they are.
	SchemeDir Scheme = "dir"
	// SchemeHost is the root of an installed system (the live "/" or a
	// mounted disk image): its package databases and install locations.
	SchemeHost Scheme = "host"
	// SchemeOCIArchive is a tar file in the OCI image layout.
	SchemeOCIArchive Scheme = "oci-archive"
	// SchemeDockerArchive is a tar file written by `docker save`.
	SchemeDockerArchive Scheme = "docker-archive"
	// SchemeOCIDir is a directory in the OCI image layout.
	SchemeOCIDir Scheme = "oci-dir"
	// SchemeSBOM is an existing CycloneDX, SPDX or syft JSON document.
	SchemeSBOM Scheme = "sbom"
	// SchemeWinReg is an export of a Windows machine's Uninstall registry
	// keys: a .reg file (regedit, reg export) or PowerShell
	// Get-ItemProperty output converted to JSON.
	SchemeWinReg Scheme = "winreg"
	// SchemeWinget is the JSON written by `winget export`.
	SchemeWinget Scheme = "winget"
	// SchemeGLPI is a GLPI agent inventory (JSON of the glpi-project
	// inventory format, or the agent's XML), or a directory of them: one
	// machine each.
	SchemeGLPI Scheme = "glpi"
	// SchemeOCS is an OCS Inventory agent inventory (XML, .ocs or .xml), or
	// a directory of them: one machine each.
	SchemeOCS Scheme = "ocs"
)

// Schemes lists every scheme, in the order the documentation presents them.
func Schemes() []Scheme {
	return []Scheme{SchemeDir, SchemeHost, SchemeOCIArchive, SchemeDockerArchive, SchemeOCIDir, SchemeSBOM,
		SchemeWinReg, SchemeWinget, SchemeGLPI, SchemeOCS}
}

// Target says what a scan read.
type Target struct {
	// Scheme is the kind of target.
	Scheme Scheme `json:"scheme"`
	// Path is the file or directory as the user gave it, made absolute.
	Path string `json:"path"`
	// Distro is the Linux distribution found in the target's os-release,
	// nil when there is none (source trees, most SBOMs).
	Distro *Distro `json:"distro,omitempty"`
	// Image describes a container image target, nil for other schemes.
	Image *Image `json:"image,omitempty"`
	// Document describes an SBOM target, nil for other schemes.
	Document *Document `json:"document,omitempty"`
	// Licenses are the licences detected in the licence files of a dir:
	// target itself (LICENSE, COPYING, REUSE LICENSES/ at any depth outside
	// dependency directories such as node_modules and vendor), and in the
	// notices of its source files when asked; sorted by Location. Nil for
	// other schemes and when none was found.
	Licenses []DetectedLicense `json:"licenses,omitempty"`
}

// String returns the target as a user would type it: "host:/".
func (t Target) String() string { return string(t.Scheme) + ":" + t.Path }

// Distro identifies a Linux distribution, from os-release.
type Distro struct {
	// ID is os-release's ID, e.g. "debian", "rhel", "alpine".
	ID string `json:"id"`
	// VersionID is os-release's VERSION_ID, e.g. "12". May be empty.
	VersionID string `json:"versionId,omitempty"`
	// PrettyName is os-release's PRETTY_NAME. May be empty.
	PrettyName string `json:"prettyName,omitempty"`
}

// Image describes a container image that was scanned.
type Image struct {
	// ID is the image's config digest ("sha256:…").
	ID string `json:"id"`
	// ManifestDigest is the digest of the image manifest, when known.
	ManifestDigest string `json:"manifestDigest,omitempty"`
	// Tags are the references the archive carries ("registry/name:tag").
	Tags []string `json:"tags,omitempty"`
	// Architecture and OS are the image's platform, e.g. "amd64", "linux".
	Architecture string `json:"architecture,omitempty"`
	OS           string `json:"os,omitempty"`
	// Layers is the number of layers.
	Layers int `json:"layers"`
}

// Document describes an SBOM that was read as a target.
type Document struct {
	// Format is "cyclonedx-json", "cyclonedx-xml", "spdx-json",
	// "spdx-tag-value" or "syft-json" for SBOMs; "reg" (a registry
	// export), "powershell-json", "winget-export", "glpi-json",
	// "glpi-xml" or "ocs-xml" for workstation inventories.
	Format string `json:"format"`
	// Version is the format's specification version, e.g. "1.6" or "2.3".
	Version string `json:"version"`
	// Name is the document's own name for its subject, when it has one
	// (for a GLPI or OCS inventory, the agent's device id).
	Name string `json:"name,omitempty"`
}

// ParseTarget splits a target argument into its scheme and path. An
// argument without a known scheme prefix returns an empty Scheme and the
// argument unchanged as the path: the caller decides from the file system
// what it is. An empty argument means the current directory.
func ParseTarget(arg string) (Scheme, string) {
	if arg == "" {
		return "", "."
	}
	for _, s := range Schemes() {
		if rest, ok := strings.CutPrefix(arg, string(s)+":"); ok {
			return s, rest
		}
	}
	return "", arg
}
