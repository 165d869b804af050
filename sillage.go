// Package sillage defines the types that every stage of the scanner shares.
//
// The scanner package turns a target (a source tree, a host's root
// filesystem, a container image, an existing SBOM) into an Inventory of
// Components; the policy package turns Components into Findings; the report
// package renders a Result. Those packages never import each other: they
// communicate only through the types declared here.
//
// The Result is also the unit that leaves the tool: it is written as the
// `json` output, later stored in an estate database and sent on to
// Dependency-Track. Its JSON form is a versioned schema (SchemaVersion,
// documented in docs/result-schema.md). Within one schema version, fields
// may be added but never removed, renamed or given another meaning.
//
// This package imports the standard library only, holds no I/O and knows
// nothing of terminals, colours or third-party libraries.
package sillage

import "time"

// SchemaVersion is the version of the result document's JSON schema
// (Result.SchemaVersion). It changes only when a field is removed, renamed
// or changes meaning.
const SchemaVersion = 1

// Result is everything one scan found, with enough context to stand on its
// own: which tool and rule versions produced it, what was scanned, when, and
// on which host.
type Result struct {
	// SchemaVersion is always SchemaVersion when the Result was made by
	// this build.
	SchemaVersion int `json:"schemaVersion"`
	// Tool names the program that produced the Result.
	Tool Tool `json:"tool"`
	// Target says what was scanned.
	Target Target `json:"target"`
	// Host describes the machine whose installed software was inventoried.
	// It is nil for targets that are not a machine (source trees, images,
	// SBOMs).
	Host *Host `json:"host"`
	// ScannedAt is when the scan started, in UTC, to the second.
	ScannedAt time.Time `json:"scannedAt"`
	// Catalogs lists the rule data (SILL catalogue, licence list, RGI
	// formats, policy) the findings were computed with, sorted by Name.
	// Empty, never nil.
	Catalogs []CatalogRef `json:"catalogs"`
	// Components is the inventory, sorted by Type, Name, Version, then ID.
	// Empty, never nil.
	Components []Component `json:"components"`
	// Findings are sorted by descending severity, then component, then
	// rule ID. Empty, never nil.
	Findings []Finding `json:"findings"`
	// Migrations lists proprietary products found and the SILL software
	// that could replace them, sorted by ComponentID. Empty, never nil.
	Migrations []Migration `json:"migrations"`
	// Rules describes the rules that raised the findings, sorted by ID:
	// what each checks, so that a reader (or a SARIF consumer) of the
	// result needs no copy of the policy. Nil when there are no findings.
	Rules []RuleInfo `json:"rules,omitempty"`
	// Warnings are problems that did not stop the scan (an unreadable
	// file, a cataloger that failed on one input), sorted. Empty, never nil.
	Warnings []string `json:"warnings"`
	// Summary holds the counts a report shows first. It is derived from the
	// other fields by Summarize.
	Summary Summary `json:"summary"`
	// Formats is the inventory of document formats (`sillage formats`,
	// `sillage scan --formats`); nil when formats were not inventoried.
	Formats *FormatInventory `json:"formats,omitempty"`
}

// RuleInfo describes a rule of the policy that raised findings.
type RuleInfo struct {
	// ID is the rule's identifier, as in Finding.RuleID.
	ID string `json:"id"`
	// Title says in one line what the rule checks.
	Title string `json:"title"`
}

// Tool identifies the program that produced a Result.
type Tool struct {
	// Name is "sillage".
	Name string `json:"name"`
	// Version is the version injected at build time ("1.2.0"), or "dev"
	// for a build without one.
	Version string `json:"version"`
}

// CatalogRef identifies one set of rule data a Result depends on.
type CatalogRef struct {
	// Name is the kind of data: "sill", "licenses", "rgi-formats", "policy".
	Name string `json:"name"`
	// Version is the data's own version or date, e.g. "2022-05-10".
	Version string `json:"version"`
	// Source is "embedded" for data compiled into the binary, else the
	// file or URL it was read from.
	Source string `json:"source"`
	// Extends is, for a policy that extends another, that policy's
	// name@version ("default@4"). Empty otherwise.
	Extends string `json:"extends,omitempty"`
	// Profile is, for a policy, the profile applied ("ci"). Empty when
	// none was.
	Profile string `json:"profile,omitempty"`
}

// Host describes the machine a host scan inventoried.
type Host struct {
	// Name is the host name: os.Hostname() for the live root "/", else the
	// content of the root's /etc/hostname. Empty when unknown.
	Name string `json:"name"`
	// MachineID is the content of /etc/machine-id (systemd), the stable
	// identity of an installation. Empty when absent.
	MachineID string `json:"machineId,omitempty"`
	// OS is the operating system's pretty name from os-release,
	// e.g. "Debian GNU/Linux 12 (bookworm)". Empty when unknown.
	OS string `json:"os,omitempty"`
}

// Inventory is what the scanner stage produces: what was scanned and the
// components found there.
type Inventory struct {
	Target     Target
	Host       *Host
	Components []Component
	Warnings   []string
}
