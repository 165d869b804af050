package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/sillage-oss/sillage"
)

type spdxReporter struct{}

func newSPDXJSON(Options) Reporter { return spdxReporter{} }

// The SPDX 2.3 JSON document, limited to the fields sillage fills. Field
// names and order follow the SPDX 2.3 JSON schema.
type spdxDocument struct {
	SPDXVersion       string                 `json:"spdxVersion"`
	DataLicense       string                 `json:"dataLicense"`
	SPDXID            string                 `json:"SPDXID"`
	Name              string                 `json:"name"`
	DocumentNamespace string                 `json:"documentNamespace"`
	CreationInfo      spdxCreationInfo       `json:"creationInfo"`
	Packages          []spdxPackage          `json:"packages"`
	Relationships     []spdxRelationship     `json:"relationships"`
	ExtractedLicenses []spdxExtractedLicense `json:"hasExtractedLicensingInfos,omitempty"`
}

type spdxCreationInfo struct {
	Created  string   `json:"created"`
	Creators []string `json:"creators"`
	Comment  string   `json:"comment,omitempty"`
}

type spdxPackage struct {
	SPDXID                string            `json:"SPDXID"`
	Name                  string            `json:"name"`
	VersionInfo           string            `json:"versionInfo,omitempty"`
	Supplier              string            `json:"supplier,omitempty"`
	DownloadLocation      string            `json:"downloadLocation"`
	FilesAnalyzed         bool              `json:"filesAnalyzed"`
	SourceInfo            string            `json:"sourceInfo,omitempty"`
	LicenseConcluded      string            `json:"licenseConcluded"`
	LicenseDeclared       string            `json:"licenseDeclared"`
	CopyrightText         string            `json:"copyrightText"`
	Comment               string            `json:"comment,omitempty"`
	ExternalRefs          []spdxExternalRef `json:"externalRefs,omitempty"`
	PrimaryPackagePurpose string            `json:"primaryPackagePurpose,omitempty"`
	Annotations           []spdxAnnotation  `json:"annotations,omitempty"`
}

type spdxExternalRef struct {
	ReferenceCategory string `json:"referenceCategory"`
	ReferenceType     string `json:"referenceType"`
	ReferenceLocator  string `json:"referenceLocator"`
}

type spdxAnnotation struct {
	AnnotationDate string `json:"annotationDate"`
	AnnotationType string `json:"annotationType"`
	Annotator      string `json:"annotator"`
	Comment        string `json:"comment"`
}

type spdxRelationship struct {
	SPDXElementID      string `json:"spdxElementId"`
	RelationshipType   string `json:"relationshipType"`
	RelatedSPDXElement string `json:"relatedSpdxElement"`
}

type spdxExtractedLicense struct {
	LicenseID     string `json:"licenseId"`
	ExtractedText string `json:"extractedText"`
	Name          string `json:"name,omitempty"`
}

const noAssertion = "NOASSERTION"

// Report writes res as an SPDX 2.3 JSON document: the target is the
// described package, every component a package it CONTAINS. Declared
// licence text that maps to no SPDX id becomes a LicenseRef- with its text
// in hasExtractedLicensingInfos, so the document stays valid.
func (spdxReporter) Report(w io.Writer, res sillage.Result) error {
	res.Normalize()
	doc := spdxDoc(res)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encode SPDX: %w", err)
	}
	return nil
}

func spdxDoc(res sillage.Result) spdxDocument {
	created := res.ScannedAt.UTC().Format(time.RFC3339)
	tool := "Tool: " + res.Tool.Name + "-" + res.Tool.Version
	name := res.Target.String()
	doc := spdxDocument{
		SPDXVersion:       "SPDX-2.3",
		DataLicense:       "CC0-1.0",
		SPDXID:            "SPDXRef-DOCUMENT",
		Name:              name,
		DocumentNamespace: "https://sillage-oss.github.io/spdx/" + safeName(string(res.Target.Scheme)) + "/" + documentUUID(res).String(),
		CreationInfo:      spdxCreationInfo{Created: created, Creators: []string{tool}},
	}
	refs := licenseRefs{byText: map[string]string{}}
	target := spdxPackage{
		SPDXID:           "SPDXRef-Target",
		Name:             targetComponent(res).Name,
		DownloadLocation: noAssertion,
		LicenseConcluded: noAssertion,
		LicenseDeclared:  noAssertion,
		CopyrightText:    noAssertion,
		Comment:          "the scan target " + name,
	}
	switch res.Target.Scheme {
	case sillage.SchemeHost:
		target.PrimaryPackagePurpose = "DEVICE"
	case sillage.SchemeOCIArchive, sillage.SchemeDockerArchive, sillage.SchemeOCIDir:
		target.PrimaryPackagePurpose = "CONTAINER"
	default:
		target.PrimaryPackagePurpose = "SOURCE"
	}
	doc.Packages = append(doc.Packages, target)
	doc.Relationships = append(doc.Relationships, spdxRelationship{"SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Target"})

	byComponent := map[string][]sillage.Finding{}
	for _, f := range res.Findings {
		byComponent[f.ComponentID] = append(byComponent[f.ComponentID], f)
	}
	for _, c := range res.Components {
		p := spdxPackage{
			SPDXID:           "SPDXRef-Package-" + c.ID,
			Name:             c.Name,
			VersionInfo:      c.Version,
			DownloadLocation: noAssertion,
			LicenseConcluded: noAssertion,
			LicenseDeclared:  noAssertion,
			CopyrightText:    noAssertion,
		}
		if c.Supplier != "" {
			p.Supplier = "Organization: " + c.Supplier
		}
		if c.Licenses.Concluded != "" {
			p.LicenseConcluded = refs.expression(c.Licenses.Concluded, c.Licenses.Concluded)
		}
		if d := spdxDeclared(c.Licenses.Declared, &refs); d != "" {
			p.LicenseDeclared = d
		}
		if len(c.Locations) > 0 {
			p.SourceInfo = "found by " + c.FoundBy + " in: " + strings.Join(c.Locations, ", ")
		}
		var installed []string
		if c.InstallDate != "" {
			installed = append(installed, "installed on "+c.InstallDate)
		}
		if c.InstallLocation != "" {
			installed = append(installed, "installed in "+c.InstallLocation)
		}
		if len(installed) > 0 {
			p.Comment = strings.Join(installed, "; ")
		}
		if c.PURL != "" {
			p.ExternalRefs = append(p.ExternalRefs, spdxExternalRef{"PACKAGE-MANAGER", "purl", c.PURL})
		}
		for _, cpe := range c.CPEs {
			p.ExternalRefs = append(p.ExternalRefs, spdxExternalRef{"SECURITY", "cpe23Type", cpe})
		}
		switch c.Type {
		case sillage.TypeBinary, sillage.TypeWindows, sillage.TypeMacOS:
			p.PrimaryPackagePurpose = "APPLICATION"
		default:
			p.PrimaryPackagePurpose = "LIBRARY"
		}
		for _, f := range byComponent[c.ID] {
			p.Annotations = append(p.Annotations, spdxAnnotation{
				AnnotationDate: created, AnnotationType: "REVIEW", Annotator: tool,
				Comment: fmt.Sprintf("%s %s: %s", f.Severity, f.RuleID, f.Message),
			})
		}
		if s := c.SILL; s != nil {
			p.Annotations = append(p.Annotations, spdxAnnotation{
				AnnotationDate: created, AnnotationType: "OTHER", Annotator: tool,
				Comment: fmt.Sprintf("SILL %s %s (%s)", s.ID, s.Name, s.Status),
			})
		}
		doc.Packages = append(doc.Packages, p)
		doc.Relationships = append(doc.Relationships, spdxRelationship{"SPDXRef-Target", "CONTAINS", p.SPDXID})
	}
	slices.SortFunc(refs.list, func(a, b spdxExtractedLicense) int { return strings.Compare(a.LicenseID, b.LicenseID) })
	doc.ExtractedLicenses = refs.list
	return doc
}

// spdxDeclared joins a component's declared licences with AND, turning
// text that maps to no SPDX id into a LicenseRef-.
func spdxDeclared(ds []sillage.DeclaredLicense, refs *licenseRefs) string {
	var parts []string
	for _, d := range ds {
		var e string
		if d.SPDX != "" {
			e = refs.expression(d.SPDX, d.Value)
		} else {
			e = refs.ref(d.Value)
		}
		if !slices.Contains(parts, e) {
			parts = append(parts, e)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return andExpression(parts)
}

// licenseRefs hands out LicenseRef- identifiers for licence text that has
// no SPDX id, one per distinct text, and records the text.
type licenseRefs struct {
	byText map[string]string
	list   []spdxExtractedLicense
}

var licenseRefInExpr = regexp.MustCompile(`LicenseRef-[A-Za-z0-9.\-]+`)

func (r *licenseRefs) ref(text string) string {
	if id, ok := r.byText[text]; ok {
		return id
	}
	sum := sha256.Sum256([]byte(text))
	id := "LicenseRef-sillage-" + hex.EncodeToString(sum[:])[:12]
	r.byText[text] = id
	r.list = append(r.list, spdxExtractedLicense{LicenseID: id, ExtractedText: text, Name: text})
	return id
}

// expression returns expr with every LicenseRef- it contains declared in
// the document (with text as their extracted text), as SPDX requires.
func (r *licenseRefs) expression(expr, text string) string {
	expr, added := spdx2Expression(expr)
	for id, t := range added {
		if !slices.ContainsFunc(r.list, func(e spdxExtractedLicense) bool { return e.LicenseID == id }) {
			r.list = append(r.list, spdxExtractedLicense{LicenseID: id, ExtractedText: t, Name: t})
		}
	}
	for _, id := range licenseRefInExpr.FindAllString(expr, -1) {
		if !slices.ContainsFunc(r.list, func(e spdxExtractedLicense) bool { return e.LicenseID == id }) {
			r.list = append(r.list, spdxExtractedLicense{LicenseID: id, ExtractedText: text, Name: text})
		}
	}
	return expr
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9.\-]+`)

func safeName(s string) string { return unsafeName.ReplaceAllString(s, "-") }
