package sillage

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
)

// Type is a component's ecosystem: the package manager or platform that
// installed or declared it. Values follow the package-URL type where one
// exists ("deb", "npm", "pypi", "golang", "maven"...).
type Type string

// The component types sillage reports. Others (e.g. "composer", "hex",
// "conan") pass through as the package-URL type names them.
const (
	TypeDeb     Type = "deb"
	TypeRPM     Type = "rpm"
	TypeAPK     Type = "apk"
	TypeNPM     Type = "npm"
	TypePyPI    Type = "pypi"
	TypeGolang  Type = "golang"
	TypeMaven   Type = "maven"
	TypeGem     Type = "gem"
	TypeCargo   Type = "cargo"
	TypeNuGet   Type = "nuget"
	TypeBinary  Type = "binary"
	TypeWindows Type = "windows"
	TypeMacOS   Type = "macos"
	TypeFlatpak Type = "flatpak"
	TypeSnap    Type = "snap"
	// TypeUnknown is a component whose ecosystem the input did not say.
	TypeUnknown Type = "unknown"
)

// Component is one piece of third-party software found in a target.
type Component struct {
	// ID is the component's reference within the Result and its CycloneDX
	// bom-ref: 16 hex digits derived from Type, Name, Version, PURL and
	// Locations, so the same component found at the same place gets the
	// same ID in every scan. See ComponentID.
	ID string `json:"id"`
	// Name is the name as the ecosystem spells it, e.g. "libreoffice-writer",
	// "lodash", "github.com/google/uuid".
	Name string `json:"name"`
	// Version is the version as the ecosystem spells it, e.g.
	// "1:7.4.7-1+deb12u5". Empty when the input gave none.
	Version string `json:"version"`
	// Type is the ecosystem.
	Type Type `json:"type"`
	// PURL is the package URL, the join key across stages, reports and
	// other tools. Empty when no package URL can be formed.
	PURL string `json:"purl"`
	// CPEs are CPE 2.3 formatted strings that vulnerability databases may
	// use for this component. Empty, never nil.
	CPEs []string `json:"cpes"`
	// Locations are the files that revealed the component, as slash paths
	// inside the target ("/var/lib/dpkg/status", "/package-lock.json"),
	// sorted. Empty, never nil.
	Locations []string `json:"locations"`
	// Licenses holds every licence seen for the component.
	Licenses Licenses `json:"licenses"`
	// Supplier is who distributes the package (Debian maintainer, RPM
	// vendor, npm author, Windows publisher). Empty when unknown.
	Supplier string `json:"supplier,omitempty"`
	// SourceName is the source package the component was built from, when
	// the ecosystem has that notion (Debian "Source:", RPM source RPM,
	// Alpine origin), e.g. "libreoffice" for "libreoffice-writer".
	SourceName string `json:"sourceName,omitempty"`
	// Arch is the architecture the package was built for ("amd64",
	// "x86_64", "all", "noarch"). Empty when not applicable.
	Arch string `json:"arch,omitempty"`
	// FoundBy names what found the component: a syft cataloger
	// ("dpkg-db-cataloger") or, for SBOM input, "sbom".
	FoundBy string `json:"foundBy"`
	// InstallDate is the day the software was installed, "2024-01-15",
	// when the source records it (Windows registry InstallDate, GLPI and
	// OCS inventories). Empty when unknown.
	InstallDate string `json:"installDate,omitempty"`
	// InstallLocation is the directory the software was installed in, as
	// the source spells it ("C:\Program Files\7-Zip\",
	// "/Applications/Firefox.app"). Empty when unknown.
	InstallLocation string `json:"installLocation,omitempty"`
	// SILL is the component's entry in the SILL catalogue, nil when it
	// matches none (or matching has not run).
	SILL *SILLMatch `json:"sill"`
}

// Licenses keeps apart what a component's packaging declares, what was
// detected in its licence files and what sillage concludes from both.
type Licenses struct {
	// Declared are the licences the package metadata states, in the order
	// found. Empty, never nil.
	Declared []DeclaredLicense `json:"declared"`
	// Detected are licences identified in the text of licence files.
	// Empty, never nil.
	Detected []DetectedLicense `json:"detected"`
	// Concluded is the SPDX expression sillage retains for the component,
	// or empty when it cannot conclude. How it is reached is documented in
	// docs/result-schema.md.
	Concluded string `json:"concluded"`
	// Category classifies Concluded (permissive, weak-copyleft, ...).
	// Empty when no classification has been made.
	Category LicenseCategory `json:"category"`
}

// DeclaredLicense is one licence statement from package metadata.
type DeclaredLicense struct {
	// Value is the statement exactly as the metadata spells it, e.g.
	// "GPL-2+", "ASL 2.0", "The MIT License".
	Value string `json:"value"`
	// SPDX is Value as a valid SPDX licence expression, e.g.
	// "GPL-2.0-or-later", or empty when it could not be mapped.
	SPDX string `json:"spdx"`
	// Locations are the files the statement was read from, sorted. May be
	// empty (an SBOM gives none).
	Locations []string `json:"locations,omitempty"`
}

// DetectedLicense is a licence identified in a file's text.
type DetectedLicense struct {
	// SPDX is the identified licence or expression.
	SPDX string `json:"spdx"`
	// Coverage is the share of the file's text the match covers, in
	// percent (0 to 100); 0 when the detector does not measure it.
	Coverage float64 `json:"coverage"`
	// Location is the file the text was read from, empty when the
	// detector did not say.
	Location string `json:"location"`
}

// LicenseCategory says what a licence obliges a user to do.
type LicenseCategory string

// The licence categories.
const (
	// CategoryPermissive licences (MIT, BSD, Apache-2.0) ask for notices
	// only; the code may be combined with anything.
	CategoryPermissive LicenseCategory = "permissive"
	// CategoryWeakCopyleft licences (LGPL, MPL, EPL, CeCILL-C) require
	// changes to the licensed files themselves to be shared alike.
	CategoryWeakCopyleft LicenseCategory = "weak-copyleft"
	// CategoryStrongCopyleft licences (GPL, CeCILL, EUPL-1.0) require a
	// combined work that is distributed to be shared alike.
	CategoryStrongCopyleft LicenseCategory = "strong-copyleft"
	// CategoryNetworkCopyleft licences (AGPL, EUPL-1.1 and 1.2, OSL)
	// extend that duty to users who interact with the software over a
	// network.
	CategoryNetworkCopyleft LicenseCategory = "network-copyleft"
	// CategoryPublicDomain dedications (CC0-1.0, Unlicense) impose nothing.
	CategoryPublicDomain LicenseCategory = "public-domain"
	// CategoryProprietary means no free licence grants the rights: EULAs,
	// commercial LicenseRef-*, "all rights reserved".
	CategoryProprietary LicenseCategory = "proprietary"
	// CategoryUnknown means the licence could not be identified. It is
	// never treated as permissive.
	CategoryUnknown LicenseCategory = "unknown"
)

// SILLMatch links a component to an entry of the SILL catalogue.
type SILLMatch struct {
	// ID is the SILL entry's identifier.
	ID string `json:"id"`
	// Name is the SILL entry's name, e.g. "LibreOffice".
	Name string `json:"name"`
	// Status is the entry's recommendation status: "recommended",
	// "in-observation" or "no-longer-recommended".
	Status string `json:"status"`
	// MatchedBy says how the match was made: "purl", "alias", "name"...
	MatchedBy string `json:"matchedBy"`
	// Confidence is how sure the match is, from 0 to 1.
	Confidence float64 `json:"confidence"`
	// MinVersion is the SILL's minimal recommended version when the
	// entry gives one that is a version ("2.10.14"; not "Dernière
	// stable"), else empty.
	MinVersion string `json:"minVersion,omitempty"`
	// BelowMinimum is true when the component's version is older than
	// MinVersion. Versions sillage cannot compare are never below.
	BelowMinimum bool `json:"belowMinimum,omitempty"`
}

// ComponentID returns the stable ID of a component: the first 16 hex
// digits of a SHA-256 over its type, name, version, package URL and sorted
// locations. Two scans of the same software at the same place give the
// same ID; the same package at two places gets two IDs.
func ComponentID(c Component) string {
	h := sha256.New()
	for _, s := range []string{string(c.Type), c.Name, c.Version, c.PURL} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	locs := slices.Clone(c.Locations)
	slices.Sort(locs)
	h.Write([]byte(strings.Join(locs, "\x00")))
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Label returns "name@version", or the name alone when there is no
// version, for messages and tables.
func (c Component) Label() string {
	if c.Version == "" {
		return c.Name
	}
	return c.Name + "@" + c.Version
}

// CompareComponents orders components by Type, Name, Version, then ID, the
// order of Result.Components.
func CompareComponents(a, b Component) int {
	if c := strings.Compare(string(a.Type), string(b.Type)); c != 0 {
		return c
	}
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	if c := strings.Compare(a.Version, b.Version); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}
