package sill

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Software is one SILL entry in the shape of Catalogi's public export, type
// CompiledData.Software.Public in api/src/core/ports/CompileData.ts of
// codegouvfr/catalogi. The JSON names match that export, so the same type
// decodes the live file; members the export does not carry stay zero, and
// members this type does not list are ignored.
//
// The export's shape has changed over time, and Software reads all of the
// shapes below (see testdata/README.md):
//   - mid-2025 (commit 0e198170): the reference shape, with the prerogatives
//     (isPresentInSupportContract, ...) and versionMin at the top level,
//     comptoirDuLibreSoftware, and "label" in softwareExternalData and
//     similarExternalSoftwares;
//   - from late 2025: prerogatives and versionMin move to customAttributes;
//     Load copies them back to the top-level fields;
//   - 2026: "name" instead of "label", "image" instead of "logoUrl",
//     schema.org service providers, operatingSystems and runtimePlatforms,
//     dereferencing times as ISO 8601 strings.
//
// Entries converted from the embedded 2022 snapshot also carry SILL2022.
type Software struct {
	// ID is the SILL identifier, stable across versions of the catalogue,
	// e.g. 78 for LibreOffice. Always positive in a loaded catalogue.
	ID int `json:"id"`
	// Name is the display name, e.g. "LibreOffice". Never empty in a loaded
	// catalogue; not unique (two 2022 entries are named "Grammalecte").
	Name string `json:"name"`
	// Description is a short French description. For 2022 entries it is
	// the SILL "fonction" (function), e.g. "Suite bureautique".
	Description string `json:"description"`
	// ReferencedSinceTime is when the entry was added to the SILL.
	ReferencedSinceTime Millis `json:"referencedSinceTime"`
	// UpdateTime is when the entry last changed.
	UpdateTime Millis `json:"updateTime"`
	// Dereferencing is set when the software is no longer recommended;
	// nil otherwise. See Status.
	Dereferencing *Dereferencing `json:"dereferencing,omitempty"`
	// IsStillInObservation is true for software "en observation": listed,
	// but not yet recommended.
	IsStillInObservation bool `json:"isStillInObservation"`
	// DoRespectRgaa says whether the software meets the RGAA accessibility
	// standard; nil when unknown.
	DoRespectRgaa *bool `json:"doRespectRgaa,omitempty"`
	// IsFromFrenchPublicService is true for software developed by the
	// French administration.
	IsFromFrenchPublicService bool `json:"isFromFrenchPublicService"`
	// IsPresentInSupportContract is true when the interministerial support
	// contract covers the software.
	IsPresentInSupportContract bool `json:"isPresentInSupportContract"`
	// License is the licence as the SILL writes it: mostly an SPDX id
	// ("MPL-2.0"), sometimes free text ("GPL V2.0", "N/A").
	License string `json:"license"`
	// SoftwareType is how the software is run (mid-2025 shape); nil when
	// the export does not say.
	SoftwareType *SoftwareType `json:"softwareType,omitempty"`
	// VersionMin is the minimal recommended version as free text: "2.10.14",
	// "6.x", but also "Dernière stable", "Distribution", "N/A". Empty when
	// none. See MinVersion.
	VersionMin string `json:"versionMin,omitempty"`
	// WorkshopURLs are links to workshops ("ateliers") about the software.
	WorkshopURLs []string `json:"workshopUrls,omitempty"`
	// Categories are the software's categories. For 2022 entries, the SILL
	// "composant" (component), e.g. "Navigateur web".
	Categories Strings `json:"categories"`
	// GeneralInfoMd is general information in Markdown. For 2022 entries,
	// the SILL "contexte d'usage" (usage context).
	GeneralInfoMd string `json:"generalInfoMd,omitempty"`
	// LogoURL is the URL of a logo image (mid-2025 shape; Image in 2026).
	LogoURL string `json:"logoUrl,omitempty"`
	// Image is the URL of a logo image (2026 shape).
	Image string `json:"image,omitempty"`
	// Keywords are search keywords.
	Keywords Strings `json:"keywords"`
	// CustomAttributes are Catalogi's configurable attributes (late 2025
	// on): "isPresentInSupportContract", "isFromFrenchPublicService",
	// "doRespectRgaa", "versionMin", ... Values are JSON booleans, strings,
	// numbers or null. Load copies the known ones to the fields above.
	CustomAttributes map[string]any `json:"customAttributes,omitempty"`
	// OperatingSystems says on which systems desktop software runs, keyed
	// by "windows", "linux", "mac", "android", "ios" (2026 shape).
	OperatingSystems map[string]bool `json:"operatingSystems,omitempty"`
	// RuntimePlatforms are "cloud", "mobile" and/or "desktop" (2026 shape).
	RuntimePlatforms []string `json:"runtimePlatforms,omitempty"`
	// ServiceProviders are companies that offer services for the software.
	ServiceProviders []ServiceProvider `json:"serviceProviders"`
	// AnnuaireCnllServiceProviders are providers listed by the CNLL
	// directory (mid-2025 shape).
	AnnuaireCnllServiceProviders []CnllServiceProvider `json:"annuaireCnllServiceProviders,omitempty"`
	// SoftwareExternalData is what Catalogi knows of the software from
	// outside sources (Wikidata, HAL, Comptoir du Libre...); nil when none.
	SoftwareExternalData *ExternalData `json:"softwareExternalData,omitempty"`
	// SimilarExternalSoftwares are software the referents consider similar,
	// as Wikidata (or other source) items. Some are proprietary
	// (IsLibreSoftware false): they are what migration suggestions start
	// from. Empty for 2022 entries (see SILL2022.SimilarIDs).
	SimilarExternalSoftwares []SimilarSoftware `json:"similarExternalSoftwares"`
	// ComptoirDuLibreSoftware is the software's Comptoir du Libre record
	// (mid-2025 shape); nil when none. For 2022 entries only ID is set.
	ComptoirDuLibreSoftware *ComptoirDuLibre `json:"comptoirDuLibreSoftware,omitempty"`
	// LatestVersion is the latest upstream release; nil when unknown.
	LatestVersion *LatestVersion `json:"latestVersion,omitempty"`
	// UserAndReferentCountByOrganization counts, for each organisation,
	// its declared users and referents of the software.
	UserAndReferentCountByOrganization map[string]OrganizationCount `json:"userAndReferentCountByOrganization,omitempty"`
	// HasExpertReferent is true when a referent declared technical
	// expertise.
	HasExpertReferent bool `json:"hasExpertReferent"`
	// Instances are public deployments of the software.
	Instances []Instance `json:"instances,omitempty"`
	// SILL2022 holds the 2022 snapshot's fields that the live model has no
	// place for. nil for entries that do not come from the 2022 snapshot.
	// This member is sillage's, not Catalogi's.
	SILL2022 *Snapshot2022 `json:"sill2022,omitempty"`
}

// Dereferencing records that and why a software is no longer recommended.
type Dereferencing struct {
	// Reason is why, in French, e.g. "licence non approuvée par OSI/FSF";
	// empty when not given.
	Reason string `json:"reason,omitempty"`
	// Time is when it was dereferenced; 0 when unknown (some 2022 entries).
	Time Millis `json:"time"`
	// LastRecommendedVersion is the last version that was recommended,
	// empty when not given.
	LastRecommendedVersion string `json:"lastRecommendedVersion,omitempty"`
	// DereferencedByUserID is the Catalogi user who dereferenced it (2026
	// shape); 0 when not given.
	DereferencedByUserID int `json:"dereferencedByUserId,omitempty"`
}

// SoftwareType says how a software is run (mid-2025 shape).
type SoftwareType struct {
	// Type is "desktop/mobile", "cloud" or "stack".
	Type string `json:"type"`
	// OS says on which systems a desktop/mobile software runs, keyed by
	// "windows", "linux", "mac", "android", "ios". nil for other types.
	OS map[string]bool `json:"os,omitempty"`
}

// ServiceProvider is a company offering services for a software. The
// mid-2025 export fills Name, Website, CdlURL, CnllURL and Siren; the 2026
// export writes a schema.org Organization (Type, Name, URL, Identifiers).
type ServiceProvider struct {
	// Type is "Organization" in the 2026 shape, else empty.
	Type string `json:"@type,omitempty"`
	// Name is the provider's name.
	Name string `json:"name"`
	// Website is the provider's web site (mid-2025 shape).
	Website string `json:"website,omitempty"`
	// CdlURL is the provider's Comptoir du Libre page (mid-2025 shape).
	CdlURL string `json:"cdlUrl,omitempty"`
	// CnllURL is the provider's CNLL directory page (mid-2025 shape).
	CnllURL string `json:"cnllUrl,omitempty"`
	// Siren is the provider's French company number (mid-2025 shape).
	Siren string `json:"siren,omitempty"`
	// URL is the provider's web site (2026 shape).
	URL string `json:"url,omitempty"`
	// Identifiers are the provider's ids in other databases (2026 shape).
	Identifiers []Identifier `json:"identifiers,omitempty"`
}

// Homepage returns the provider's web site, whichever shape gave it.
func (p ServiceProvider) Homepage() string {
	if p.Website != "" {
		return p.Website
	}
	return p.URL
}

// CnllServiceProvider is a provider from the CNLL directory.
type CnllServiceProvider struct {
	// Name is the provider's name.
	Name string `json:"name"`
	// Siren is the provider's French company number.
	Siren string `json:"siren"`
	// URL is the provider's page in the CNLL directory.
	URL string `json:"url"`
}

// ExternalData is what an outside source says of a software: Catalogi's
// SoftwareExternalData (mid-2025) or merged external-data row (2026). The
// two shapes name some members differently; both are listed.
type ExternalData struct {
	// ExternalID is the software's id in the source, e.g. "Q10135" on
	// Wikidata, "33" on Comptoir du Libre. Empty for the nine 2022 entries
	// whose Wikidata id is unknown.
	ExternalID string `json:"externalId"`
	// SourceSlug names the source in that Catalogi instance, e.g.
	// "wikidata", "comptoir-du-libre", "hal".
	SourceSlug string `json:"sourceSlug"`
	// Kind is the source's kind ("wikidata", "ComptoirDuLibre", ...) when
	// the export gives it (2026 shape).
	Kind string `json:"kind,omitempty"`
	// Label is the software's name in the source (mid-2025 shape).
	Label LocalizedString `json:"label,omitempty"`
	// Name is the software's name in the source (2026 shape).
	Name LocalizedString `json:"name,omitempty"`
	// Description is the source's short description.
	Description LocalizedString `json:"description,omitempty"`
	// IsLibreSoftware is the source's verdict on whether the software is
	// free; nil when it gives none.
	IsLibreSoftware *bool `json:"isLibreSoftware,omitempty"`
	// Developers (mid-2025) and Authors (2026) are who makes the software.
	Developers []Agent `json:"developers,omitempty"`
	Authors    []Agent `json:"authors,omitempty"`
	// LogoURL (mid-2025) and Image (2026) are the URL of a logo.
	LogoURL string `json:"logoUrl,omitempty"`
	Image   string `json:"image,omitempty"`
	// WebsiteURL (mid-2025) and URL (2026) are the official web site.
	WebsiteURL string `json:"websiteUrl,omitempty"`
	URL        string `json:"url,omitempty"`
	// SourceURL (mid-2025) and CodeRepositoryURL (2026) are the source
	// code repository.
	SourceURL         string `json:"sourceUrl,omitempty"`
	CodeRepositoryURL string `json:"codeRepositoryUrl,omitempty"`
	// DocumentationURL (mid-2025) and SoftwareHelp (2026) are the user
	// documentation.
	DocumentationURL string `json:"documentationUrl,omitempty"`
	SoftwareHelp     string `json:"softwareHelp,omitempty"`
	// License is the licence the source gives.
	License string `json:"license,omitempty"`
	// SoftwareVersion is the latest version the source gives (mid-2025).
	SoftwareVersion string `json:"softwareVersion,omitempty"`
	// LatestVersion is the latest release the source gives (2026).
	LatestVersion *ExternalVersion `json:"latestVersion,omitempty"`
	// Keywords, ProgrammingLanguages and ApplicationCategories are the
	// source's lists.
	Keywords              Strings `json:"keywords,omitempty"`
	ProgrammingLanguages  Strings `json:"programmingLanguages,omitempty"`
	ApplicationCategories Strings `json:"applicationCategories,omitempty"`
	// Identifiers are the software's ids in other databases (Wikidata,
	// Comptoir du Libre, Software Heritage...).
	Identifiers []Identifier `json:"identifiers,omitempty"`
	// Providers are service providers the source lists.
	Providers []ServiceProvider `json:"providers,omitempty"`
	// OperatingSystems and RuntimePlatforms are as in Software (2026).
	OperatingSystems map[string]bool `json:"operatingSystems,omitempty"`
	RuntimePlatforms []string        `json:"runtimePlatforms,omitempty"`
}

// Title returns the source's name for the software, whichever shape gave
// it, in French when possible.
func (e ExternalData) Title() string {
	if t := e.Label.String(); t != "" {
		return t
	}
	return e.Name.String()
}

// Website returns the official web site, whichever shape gave it.
func (e ExternalData) Website() string {
	if e.WebsiteURL != "" {
		return e.WebsiteURL
	}
	return e.URL
}

// Repository returns the source code repository, whichever shape gave it.
func (e ExternalData) Repository() string {
	if e.SourceURL != "" {
		return e.SourceURL
	}
	return e.CodeRepositoryURL
}

// ExternalVersion is a release as the 2026 external data gives it.
type ExternalVersion struct {
	// Version is the release's version, e.g. "25.8.1".
	Version string `json:"version,omitempty"`
	// ReleaseDate is the release's date in ISO 8601, e.g. "2025-09-01".
	ReleaseDate string `json:"releaseDate,omitempty"`
}

// Agent is a person or organisation (schema.org) that makes a software.
type Agent struct {
	// Type is "Person" or "Organization".
	Type string `json:"@type,omitempty"`
	// Name is the person's or organisation's name.
	Name string `json:"name"`
	// URL is a page about them, often their Wikidata item.
	URL string `json:"url,omitempty"`
}

// Identifier is a schema.org PropertyValue: an id in another database.
type Identifier struct {
	// Name describes the id, e.g. "ID on Wikidata".
	Name string `json:"name,omitempty"`
	// Value is the id, e.g. "Q10135".
	Value string `json:"value"`
	// URL is the record's address, e.g. "https://www.wikidata.org/wiki/Q10135".
	URL string `json:"url,omitempty"`
	// SubjectOf is the database, whose AdditionalType names its kind
	// ("wikidata", "ComptoirDuLibre", "SWH"...).
	SubjectOf *Website `json:"subjectOf,omitempty"`
}

// Website is a schema.org WebSite: a database an Identifier belongs to.
type Website struct {
	// Name is the database's name, e.g. "Wikidata".
	Name string `json:"name,omitempty"`
	// URL is the database's address, e.g. "https://www.wikidata.org/".
	URL string `json:"url,omitempty"`
	// AdditionalType is the database's kind, e.g. "wikidata",
	// "ComptoirDuLibre", "SWH".
	AdditionalType string `json:"additionalType,omitempty"`
}

// SimilarSoftware is a software (usually a Wikidata item) that referents
// consider similar to a SILL entry. The mid-2025 export names it with
// Label, the 2026 export with Name.
type SimilarSoftware struct {
	// ExternalID is the id in the source, e.g. "Q11255" (Microsoft Office).
	ExternalID string `json:"externalId"`
	// SourceSlug names the source, e.g. "wikidata".
	SourceSlug string `json:"sourceSlug"`
	// Label (mid-2025) and Name (2026) are the item's name.
	Label LocalizedString `json:"label,omitempty"`
	Name  LocalizedString `json:"name,omitempty"`
	// Description is the source's short description.
	Description LocalizedString `json:"description,omitempty"`
	// IsLibreSoftware is false for proprietary software, true for free
	// software, nil when the source does not say.
	IsLibreSoftware *bool `json:"isLibreSoftware,omitempty"`
}

// Title returns the item's name, whichever shape gave it, in French when
// possible.
func (s SimilarSoftware) Title() string {
	if t := s.Label.String(); t != "" {
		return t
	}
	return s.Name.String()
}

// Proprietary reports whether the source says the item is not free
// software. An item whose status is unknown is not reported proprietary.
func (s SimilarSoftware) Proprietary() bool {
	return s.IsLibreSoftware != nil && !*s.IsLibreSoftware
}

// ComptoirDuLibre is a software's record on Comptoir du Libre (ADULLACT),
// as the mid-2025 export embeds it.
type ComptoirDuLibre struct {
	// ID is the Comptoir du Libre id, e.g. 33 for LibreOffice.
	ID int `json:"id"`
	// Created and Modified are dates as Comptoir du Libre writes them.
	Created  string `json:"created,omitempty"`
	Modified string `json:"modified,omitempty"`
	// URL is the record's page; empty for 2022 entries (see
	// Software.ComptoirDuLibreURL).
	URL string `json:"url,omitempty"`
	// Name is the software's name on Comptoir du Libre.
	Name string `json:"name,omitempty"`
	// Licence is the licence as Comptoir du Libre names it, e.g. "Mozilla
	// Public License 2.0 (MPL-2.0)".
	Licence string `json:"licence,omitempty"`
	// LogoURL is the record's logo.
	LogoURL string `json:"logoUrl,omitempty"`
	// Keywords are the record's keywords.
	Keywords Strings `json:"keywords,omitempty"`
	// ExternalResources are the web site and repository it lists.
	ExternalResources *CdlResources `json:"external_resources,omitempty"`
	// Providers and Users are the organisations it lists as offering
	// services for, and using, the software.
	Providers []CdlOrganization `json:"providers,omitempty"`
	Users     []CdlOrganization `json:"users,omitempty"`
}

// CdlResources are a Comptoir du Libre record's links.
type CdlResources struct {
	// Website is the software's web site; empty when unknown.
	Website string `json:"website,omitempty"`
	// Repository is the software's source repository; empty when unknown.
	Repository string `json:"repository,omitempty"`
}

// CdlOrganization is a provider or user listed on Comptoir du Libre.
type CdlOrganization struct {
	// ID is the organisation's Comptoir du Libre id.
	ID int `json:"id"`
	// URL is the organisation's Comptoir du Libre page.
	URL string `json:"url,omitempty"`
	// Name is the organisation's name.
	Name string `json:"name"`
	// Type is the kind of organisation, e.g. "Company", "Administration".
	Type string `json:"type,omitempty"`
}

// LatestVersion is a software's latest upstream release.
type LatestVersion struct {
	// SemVer is the version, e.g. "24.8.4".
	SemVer string `json:"semVer"`
	// PublicationTime is when it was released.
	PublicationTime Millis `json:"publicationTime"`
}

// OrganizationCount counts an organisation's users and referents of a
// software.
type OrganizationCount struct {
	// UserCount is the number of the organisation's agents who declared
	// using the software.
	UserCount int `json:"userCount"`
	// ReferentCount is the number who declared being its referents.
	ReferentCount int `json:"referentCount"`
}

// Instance is a public deployment of a (web) software.
type Instance struct {
	// ID is the instance's Catalogi id.
	ID int `json:"id"`
	// Organization is who runs it.
	Organization string `json:"organization"`
	// TargetAudience is who it serves, in French.
	TargetAudience string `json:"targetAudience"`
	// PublicURL is its address; empty when it is not public.
	PublicURL string `json:"publicUrl,omitempty"`
}

// Snapshot2022 holds the fields of the 2022 SILL that Catalogi's model has
// no place for. See data/SOURCE.md for the original column names.
type Snapshot2022 struct {
	// Function is the "fonction" (also copied to Software.Description),
	// e.g. "Navigateur web".
	Function string `json:"function"`
	// Years are the yearly editions of the SILL that listed the entry,
	// ascending, e.g. [2018 2019 2020 2021 2022].
	Years []int `json:"years"`
	// Status is the original "statut": "R" (recommended), "O" (in
	// observation) or "FR" (no longer recommended).
	Status string `json:"status"`
	// Group is the responsible working group: "MIMO", "MIMPROD",
	// "MIMDEV", "MIMDEVOPS".
	Group string `json:"group"`
	// Sector and Component are the legacy taxonomy ("secteur",
	// "composant"; Component is also Software.Categories).
	Sector    string `json:"sector"`
	Component string `json:"component"`
	// Parent is the name of the software this one extends (plugins), e.g.
	// "GLPI"; empty for most entries.
	Parent string `json:"parent,omitempty"`
	// SimilarIDs are the SILL ids of similar SILL entries ("similaire-a").
	SimilarIDs []int `json:"similarIds,omitempty"`
	// SimilarNames are similar software given by name instead (one entry,
	// Onyxia: "AWS", "Google Cloud Platform", "Microsoft Azure").
	SimilarNames []string `json:"similarNames,omitempty"`
	// VersionMax is the maximal recommended version, empty for most.
	VersionMax string `json:"versionMax,omitempty"`
	// WikidataID is the Q-id from software.csv; empty for the nine entries
	// the CSV lacks and for entries without one.
	WikidataID string `json:"wikidataId,omitempty"`
	// FramalibreID is the Framalibre page name, e.g. "gimp".
	FramalibreID string `json:"framalibreId,omitempty"`
	// LabelURL is the entry's catalogue.numerique.gouv.fr page.
	LabelURL string `json:"labelUrl,omitempty"`
	// UseCaseURL and TestURL are the CSV's "fiche" (use-case sheet) and
	// "test" (online test instance) links.
	UseCaseURL string `json:"useCaseUrl,omitempty"`
	TestURL    string `json:"testUrl,omitempty"`
}

// Status is a SILL entry's recommendation status. Its values are those of
// sillage.SILLMatch.Status.
type Status string

// The statuses, from the most to the least favourable.
const (
	// StatusRecommended software is recommended for use by the French
	// administration.
	StatusRecommended Status = "recommended"
	// StatusInObservation software is listed but not yet recommended
	// ("en observation").
	StatusInObservation Status = "in-observation"
	// StatusNoLongerRecommended software was recommended and has been
	// dereferenced ("fin de recommandation").
	StatusNoLongerRecommended Status = "no-longer-recommended"
)

// rank orders statuses, most favourable first.
func (s Status) rank() int {
	switch s {
	case StatusRecommended:
		return 0
	case StatusInObservation:
		return 1
	}
	return 2
}

// Status returns the entry's status. Dereferencing wins over observation:
// an entry with Dereferencing set is no longer recommended whatever
// IsStillInObservation says.
func (s Software) Status() Status {
	switch {
	case s.Dereferencing != nil:
		return StatusNoLongerRecommended
	case s.IsStillInObservation:
		return StatusInObservation
	}
	return StatusRecommended
}

var wikidataQID = regexp.MustCompile(`^Q[1-9][0-9]*$`)

// WikidataID returns the entry's Wikidata Q-id, e.g. "Q10135", or "" when
// it has none. It looks, in order, at SoftwareExternalData when its source
// is Wikidata, at its Wikidata identifiers, then at the 2022 CSV join.
func (s Software) WikidataID() string {
	if e := s.SoftwareExternalData; e != nil {
		if isWikidata(e.SourceSlug) || isWikidata(e.Kind) {
			if id := strings.TrimSpace(e.ExternalID); wikidataQID.MatchString(id) {
				return id
			}
		}
		for _, id := range e.Identifiers {
			if wikidataQID.MatchString(id.Value) && identifierOf(id, "wikidata", "wikidata.org") {
				return id.Value
			}
		}
	}
	if s.SILL2022 != nil {
		return s.SILL2022.WikidataID
	}
	return ""
}

func isWikidata(s string) bool { return strings.EqualFold(s, "wikidata") }

// identifierOf reports whether id belongs to the database of the given
// kind (compared without case) or whose URL host ends with host.
func identifierOf(id Identifier, kind, host string) bool {
	if id.SubjectOf != nil {
		if strings.EqualFold(id.SubjectOf.AdditionalType, kind) || hostIs(id.SubjectOf.URL, host) {
			return true
		}
	}
	return hostIs(id.URL, host)
}

func hostIs(rawURL, host string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	h := strings.ToLower(u.Hostname())
	return h == host || strings.HasSuffix(h, "."+host)
}

// ComptoirDuLibreBaseURL is where Comptoir du Libre software pages live;
// ComptoirDuLibreURL appends the id.
const ComptoirDuLibreBaseURL = "https://comptoir-du-libre.org/fr/softwares/"

// ComptoirDuLibreID returns the entry's Comptoir du Libre id, or 0. It
// looks at ComptoirDuLibreSoftware, then at external data from Comptoir du
// Libre (2026 shape) and its identifiers.
func (s Software) ComptoirDuLibreID() int {
	if c := s.ComptoirDuLibreSoftware; c != nil && c.ID > 0 {
		return c.ID
	}
	if e := s.SoftwareExternalData; e != nil {
		if isCDL(e.SourceSlug) || isCDL(e.Kind) {
			if n, err := strconv.Atoi(strings.TrimSpace(e.ExternalID)); err == nil && n > 0 {
				return n
			}
		}
		for _, id := range e.Identifiers {
			if identifierOf(id, "ComptoirDuLibre", "comptoir-du-libre.org") {
				if n, err := strconv.Atoi(strings.TrimSpace(id.Value)); err == nil && n > 0 {
					return n
				}
			}
		}
	}
	return 0
}

func isCDL(s string) bool {
	s = strings.ToLower(strings.NewReplacer("-", "", "_", "", " ", "").Replace(s))
	return s == "comptoirdulibre" || s == "cdl"
}

// ComptoirDuLibreURL returns the entry's Comptoir du Libre page, e.g.
// "https://comptoir-du-libre.org/fr/softwares/33", or "" when it has none.
// The record's own URL is preferred when the export gives one.
func (s Software) ComptoirDuLibreURL() string {
	if c := s.ComptoirDuLibreSoftware; c != nil && c.URL != "" {
		return c.URL
	}
	if id := s.ComptoirDuLibreID(); id > 0 {
		return ComptoirDuLibreBaseURL + strconv.Itoa(id)
	}
	return ""
}

var leadingVersion = regexp.MustCompile(`^v?([0-9][0-9A-Za-z.+_~-]*)`)

// MinVersion returns the minimal recommended version and true when
// VersionMin starts with one ("2.10.14", "6.x", "6.7 (à confirmer)" gives
// "6.7"). It returns VersionMin and false when it is a policy rather than a
// version ("Dernière stable": the latest stable release; "Distribution":
// the version the operating system ships; "N/A"; "> 8 et < 9") or empty.
func (s Software) MinVersion() (string, bool) {
	v := strings.TrimSpace(s.VersionMin)
	if m := leadingVersion.FindStringSubmatch(v); m != nil {
		return strings.TrimRight(m[1], ".-+_~"), true
	}
	return v, false
}

// SimilarProprietary returns the similar software that the source says is
// proprietary, in export order: what this entry can replace.
func (s Software) SimilarProprietary() []SimilarSoftware {
	var out []SimilarSoftware
	for _, sim := range s.SimilarExternalSoftwares {
		if sim.Proprietary() {
			out = append(out, sim)
		}
	}
	return out
}

// normalize fills the fields that late-2025 and 2026 exports keep in
// CustomAttributes, so that every shape reads the same way.
func (s *Software) normalize() {
	ca := s.CustomAttributes
	if b, ok := ca["isPresentInSupportContract"].(bool); ok && b {
		s.IsPresentInSupportContract = true
	}
	if b, ok := ca["isFromFrenchPublicService"].(bool); ok && b {
		s.IsFromFrenchPublicService = true
	}
	if b, ok := ca["doRespectRgaa"].(bool); ok && s.DoRespectRgaa == nil {
		s.DoRespectRgaa = &b
	}
	if v, ok := ca["versionMin"].(string); ok && s.VersionMin == "" {
		s.VersionMin = v
	}
}

// Logo returns the URL of the entry's logo, whichever shape gave it, or "".
func (s Software) Logo() string {
	switch {
	case s.LogoURL != "":
		return s.LogoURL
	case s.Image != "":
		return s.Image
	case s.SoftwareExternalData != nil && s.SoftwareExternalData.LogoURL != "":
		return s.SoftwareExternalData.LogoURL
	case s.SoftwareExternalData != nil:
		return s.SoftwareExternalData.Image
	}
	return ""
}
