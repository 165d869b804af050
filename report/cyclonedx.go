package report

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/google/uuid"

	"github.com/sillage-oss/sillage"
)

// cdxSpecVersion is the CycloneDX version sillage writes.
const cdxSpecVersion = cdx.SpecVersion1_6

// propertyPrefix namespaces sillage's own data in CycloneDX properties, as
// the CycloneDX property taxonomy asks of tools.
const propertyPrefix = "sillage:"

type cyclonedxReporter struct{ format cdx.BOMFileFormat }

func newCycloneDXJSON(Options) Reporter { return cyclonedxReporter{cdx.BOMFileFormatJSON} }
func newCycloneDXXML(Options) Reporter  { return cyclonedxReporter{cdx.BOMFileFormatXML} }

// Report writes res as a CycloneDX 1.6 BOM. Components keep their sillage
// ID as bom-ref; licences are SPDX ids or expressions, marked declared or
// concluded; what CycloneDX has no field for (locations, SILL match,
// findings, source package) goes in properties named "sillage:…".
func (r cyclonedxReporter) Report(w io.Writer, res sillage.Result) error {
	res.Normalize()
	bom := cycloneDXBOM(res)
	enc := cdx.NewBOMEncoder(w, r.format).SetPretty(true)
	if r.format == cdx.BOMFileFormatJSON {
		enc.SetEscapeHTML(false)
	}
	if err := enc.EncodeVersion(bom, cdxSpecVersion); err != nil {
		return fmt.Errorf("encode CycloneDX: %w", err)
	}
	return nil
}

// documentUUID derives a name-based UUID from what identifies a Result, so
// that rendering the same Result twice gives the same serial number while
// two different scans get two.
func documentUUID(res sillage.Result) uuid.UUID {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\x00%s\x00%s\x00", res.Tool.Version, res.Target.String(), res.ScannedAt.UTC().Format(time.RFC3339Nano))
	if res.Host != nil {
		fmt.Fprintf(&b, "%s\x00%s\x00", res.Host.Name, res.Host.MachineID)
	}
	for _, c := range res.Components {
		b.WriteString(c.ID)
		b.WriteByte(0)
	}
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/sillage-oss/sillage\x00"+b.String()))
}

func cycloneDXBOM(res sillage.Result) *cdx.BOM {
	bom := cdx.NewBOM()
	bom.SerialNumber = "urn:uuid:" + documentUUID(res).String()
	bom.Metadata = &cdx.Metadata{
		Timestamp: res.ScannedAt.UTC().Format(time.RFC3339),
		Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{{
			Type:    cdx.ComponentTypeApplication,
			Name:    res.Tool.Name,
			Version: res.Tool.Version,
		}}},
		Component:  targetComponent(res),
		Properties: metadataProperties(res),
	}
	if phase := lifecycle(res.Target.Scheme); phase != "" {
		bom.Metadata.Lifecycles = &[]cdx.Lifecycle{{Phase: phase}}
	}

	byComponent := map[string][]sillage.Finding{}
	for _, f := range res.Findings {
		byComponent[f.ComponentID] = append(byComponent[f.ComponentID], f)
	}
	migrations := map[string]sillage.Migration{}
	for _, m := range res.Migrations {
		migrations[m.ComponentID] = m
	}
	comps := make([]cdx.Component, 0, len(res.Components)+1)
	var refs []string
	if d := res.Target.Distro; d != nil {
		ref := "os:" + d.ID + "@" + d.VersionID
		comps = append(comps, cdx.Component{
			BOMRef:      ref,
			Type:        cdx.ComponentTypeOS,
			Name:        d.ID,
			Version:     d.VersionID,
			Description: d.PrettyName,
		})
		refs = append(refs, ref)
	}
	for _, c := range res.Components {
		comps = append(comps, cdxComponent(c, byComponent[c.ID], migrations[c.ID]))
		refs = append(refs, c.ID)
	}
	bom.Components = &comps
	if bom.Metadata.Component != nil && len(refs) > 0 {
		bom.Dependencies = &[]cdx.Dependency{{Ref: bom.Metadata.Component.BOMRef, Dependencies: &refs}}
	}
	return bom
}

func lifecycle(s sillage.Scheme) cdx.LifecyclePhase {
	switch s {
	case sillage.SchemeHost:
		return cdx.LifecyclePhaseOperations
	case sillage.SchemeDir:
		return cdx.LifecyclePhasePreBuild
	case sillage.SchemeOCIArchive, sillage.SchemeDockerArchive, sillage.SchemeOCIDir:
		return cdx.LifecyclePhasePostBuild
	}
	return ""
}

// targetComponent describes what was scanned: the host (a device), the
// image (a container) or the source tree (an application).
func targetComponent(res sillage.Result) *cdx.Component {
	t := res.Target
	c := &cdx.Component{BOMRef: "target", Name: t.Path, Type: cdx.ComponentTypeApplication}
	switch t.Scheme {
	case sillage.SchemeHost:
		c.Type = cdx.ComponentTypeDevice
		if res.Host != nil && res.Host.Name != "" {
			c.Name = res.Host.Name
		}
	case sillage.SchemeOCIArchive, sillage.SchemeDockerArchive, sillage.SchemeOCIDir:
		c.Type = cdx.ComponentTypeContainer
		if t.Image != nil {
			if len(t.Image.Tags) > 0 {
				c.Name = t.Image.Tags[0]
			}
			c.Version = t.Image.ID
		}
	case sillage.SchemeSBOM:
		if t.Document != nil && t.Document.Name != "" {
			c.Name = t.Document.Name
		}
	}
	return c
}

func metadataProperties(res sillage.Result) *[]cdx.Property {
	ps := []cdx.Property{
		{Name: propertyPrefix + "schemaVersion", Value: strconv.Itoa(res.SchemaVersion)},
		{Name: propertyPrefix + "target:scheme", Value: string(res.Target.Scheme)},
		{Name: propertyPrefix + "target:path", Value: res.Target.Path},
	}
	if h := res.Host; h != nil {
		ps = appendProp(ps, "host:name", h.Name)
		ps = appendProp(ps, "host:machineId", h.MachineID)
		ps = appendProp(ps, "host:os", h.OS)
	}
	if d := res.Target.Document; d != nil {
		ps = appendProp(ps, "document:format", d.Format)
		ps = appendProp(ps, "document:version", d.Version)
	}
	for _, c := range res.Catalogs {
		ps = appendProp(ps, "catalog:"+c.Name, c.Version+" ("+c.Source+")")
	}
	for _, w := range res.Warnings {
		ps = appendProp(ps, "warning", w)
	}
	return &ps
}

func appendProp(ps []cdx.Property, name, value string) []cdx.Property {
	if value == "" {
		return ps
	}
	return append(ps, cdx.Property{Name: propertyPrefix + name, Value: value})
}

func cdxComponent(c sillage.Component, findings []sillage.Finding, m sillage.Migration) cdx.Component {
	out := cdx.Component{
		BOMRef:     c.ID,
		Type:       cdxType(c.Type),
		Name:       c.Name,
		Version:    c.Version,
		PackageURL: c.PURL,
		Licenses:   cdxLicenses(c.Licenses),
	}
	if c.Supplier != "" {
		out.Supplier = &cdx.OrganizationalEntity{Name: c.Supplier}
	}
	if len(c.CPEs) > 0 {
		out.CPE = c.CPEs[0]
	}
	ps := []cdx.Property{{Name: propertyPrefix + "type", Value: string(c.Type)}}
	ps = appendProp(ps, "foundBy", c.FoundBy)
	ps = appendProp(ps, "sourceName", c.SourceName)
	ps = appendProp(ps, "arch", c.Arch)
	ps = appendProp(ps, "installDate", c.InstallDate)
	ps = appendProp(ps, "installLocation", c.InstallLocation)
	for _, cpe := range c.CPEs[min(1, len(c.CPEs)):] {
		ps = appendProp(ps, "cpe", cpe)
	}
	for _, l := range c.Locations {
		ps = appendProp(ps, "location", l)
	}
	for _, d := range c.Licenses.Declared {
		ps = appendProp(ps, "license:declared", d.Value)
	}
	for _, d := range c.Licenses.Detected {
		ps = appendProp(ps, "license:detected", fmt.Sprintf("%s %.1f%% %s", d.SPDX, d.Coverage, d.Location))
	}
	ps = appendProp(ps, "license:category", string(c.Licenses.Category))
	if s := c.SILL; s != nil {
		ps = appendProp(ps, "sill:id", s.ID)
		ps = appendProp(ps, "sill:name", s.Name)
		ps = appendProp(ps, "sill:status", s.Status)
		ps = appendProp(ps, "sill:matchedBy", s.MatchedBy)
	}
	if m.ComponentID != "" {
		ps = appendProp(ps, "migration:product", m.Product)
		ps = appendProp(ps, "migration:category", m.Category)
		for _, a := range m.Alternatives {
			ps = appendProp(ps, "migration:alternative", fmt.Sprintf("%s (SILL %s)", a.Name, a.SILLID))
		}
	}
	for _, f := range findings {
		ps = appendProp(ps, "finding", fmt.Sprintf("%s %s: %s", f.Severity, f.RuleID, f.Message))
	}
	out.Properties = &ps
	return out
}

func cdxType(t sillage.Type) cdx.ComponentType {
	switch t {
	case sillage.TypeBinary, sillage.TypeWindows, sillage.TypeMacOS:
		return cdx.ComponentTypeApplication
	}
	return cdx.ComponentTypeLibrary
}

// simpleLicenseID matches a lone SPDX licence identifier (no operator, no
// "+", no LicenseRef-), the only thing CycloneDX accepts in license.id.
var simpleLicenseID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.\-]*$`)

func isSimpleID(s string) bool {
	return simpleLicenseID.MatchString(s) && !strings.HasPrefix(s, "LicenseRef-") && !strings.HasPrefix(s, "DocumentRef-")
}

// cdxLicenses encodes a component's licences. CycloneDX allows either a
// list of licences or exactly one expression, so: a concluded expression
// wins alone; otherwise declared licences that are all SPDX ids become a
// list, declared SPDX expressions are joined with AND into one expression,
// and declared text that maps to no SPDX id is kept by name.
func cdxLicenses(l sillage.Licenses) *cdx.Licenses {
	concluded := cdx.LicenseAcknowledgementConcluded
	declared := cdx.LicenseAcknowledgementDeclared
	if l.Concluded != "" {
		if isSimpleID(withoutAdditions(l.Concluded)) {
			return &cdx.Licenses{{License: &cdx.License{ID: withoutAdditions(l.Concluded), Acknowledgement: concluded}}}
		}
		return &cdx.Licenses{{Expression: withoutAdditions(l.Concluded), Acknowledgement: &concluded}}
	}
	if len(l.Declared) == 0 {
		return nil
	}
	allMapped, allSimple := true, true
	var exprs []string
	seen := map[string]bool{}
	for _, d := range l.Declared {
		if d.SPDX == "" {
			allMapped = false
			continue
		}
		if !isSimpleID(d.SPDX) {
			allSimple = false
		}
		if !seen[d.SPDX] {
			seen[d.SPDX] = true
			exprs = append(exprs, d.SPDX)
		}
	}
	if allMapped && !allSimple {
		return &cdx.Licenses{{Expression: withoutAdditions(andExpression(exprs)), Acknowledgement: &declared}}
	}
	out := cdx.Licenses{}
	names := map[string]bool{}
	for _, d := range l.Declared {
		lic := &cdx.License{Acknowledgement: declared}
		switch {
		case d.SPDX != "" && isSimpleID(d.SPDX):
			lic.ID = d.SPDX
		default:
			lic.Name = d.Value
		}
		key := lic.ID + "\x00" + lic.Name
		if names[key] {
			continue
		}
		names[key] = true
		out = append(out, cdx.LicenseChoice{License: lic})
	}
	return &out
}

// andExpression joins SPDX expressions with AND, parenthesising compound
// ones.
func andExpression(exprs []string) string {
	if len(exprs) == 1 {
		return exprs[0]
	}
	parts := make([]string, len(exprs))
	for i, e := range exprs {
		if strings.ContainsAny(e, " ") {
			e = "(" + e + ")"
		}
		parts[i] = e
	}
	return strings.Join(parts, " AND ")
}
