package formats

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"regexp"
	"strings"

	"github.com/sillage-oss/sillage/rules/rgi"
)

// refine adds what the identified format's content says beyond its
// identity: the version (for the PUID), the OOXML conformance class, the
// PDF/A claim, the text encoding.
func (id *Identifier) refine(p *probe, m *Match) {
	f := m.Format
	switch {
	case f.Family == "odf" && p.isZip:
		if v := odfVersion(p); v != "" {
			m.Version = v
			m.Detail = "ODF " + v
		}
	case f.ConformanceClassCheck != nil && p.isZip:
		c := f.ConformanceClassCheck
		switch {
		case c.Strict.ZipEntry != "" && bytes.Contains(p.zipEntry(c.Strict.ZipEntry, within(c.Strict.Within)), []byte(c.Strict.Contains)):
			m.Variant = "strict"
			m.Detail = "Office Open XML Strict"
		case c.Transitional.ZipEntry != "" && bytes.Contains(p.zipEntry(c.Transitional.ZipEntry, within(c.Transitional.Within)), []byte(c.Transitional.Contains)):
			m.Variant = "transitional"
			m.Detail = "Office Open XML Transitional"
		}
		m.Version = m.Variant
	case f.Family == "pdf":
		v := pdfHeader.FindSubmatch(p.head[:min(len(p.head), 1100)])
		pv := ""
		if v != nil {
			pv = string(v[1])
		}
		switch f.ID {
		case "pdfa":
			part, level := pdfaClaim(p.pdfBlocks())
			m.Version = part + strings.ToLower(level)
			m.Detail = strings.TrimSpace(fmt.Sprintf("PDF/A-%s%s (claimed in XMP; conformance not validated) PDF %s", part, strings.ToLower(level), pv))
		case "pdfua", "pdfx":
			m.Detail = "claimed in XMP, PDF " + pv
		default:
			m.Version = pv
			if pv != "" {
				m.Detail = "PDF " + pv
			}
		}
	case f.ID == "gif" && len(p.head) >= 6:
		m.Version = string(p.head[3:6])
	case f.ID == "jpeg" && len(p.head) >= 13 && string(p.head[6:11]) == "JFIF\x00":
		m.Version = fmt.Sprintf("%d.%02d", p.head[11], p.head[12])
		m.Detail = "JFIF " + m.Version
	case f.ID == "webp" && len(p.head) >= 16:
		switch string(p.head[12:16]) {
		case "VP8 ":
			m.Version = "lossy"
		case "VP8L":
			m.Version = "lossless"
		case "VP8X":
			m.Version = "extended"
		}
	case f.ID == "html" && p.textLike():
		s := strings.ToLower(string(skipXMLProlog(p.text[:min(len(p.text), 1024)])))
		switch {
		case strings.HasPrefix(s, "<!doctype html>"):
			m.Version = "5"
		case strings.HasPrefix(s, "<!doctype html") && strings.Contains(s[:min(len(s), 200)], "html 4.01"):
			m.Version = "4.01"
		}
		if m.Version != "" {
			m.Detail = "HTML " + m.Version
		}
	case f.ID == "svg" && p.xmlOK:
		m.Version = p.xmlVersion
	case f.ID == "bmp" && len(p.head) >= 18:
		switch binary.LittleEndian.Uint32(p.head[14:]) {
		case 40:
			m.Version = "3.0"
		case 108:
			m.Version = "4.0"
		case 124:
			m.Version = "5.0"
		}
	case f.ID == "wav" && len(p.head) >= 22 && string(p.head[12:16]) == "fmt ":
		switch n, tag := binary.LittleEndian.Uint32(p.head[16:]), binary.LittleEndian.Uint16(p.head[20:]); {
		case tag == 0xFFFE:
			m.Version = "extensible"
		case n == 16:
			m.Version = "pcm"
		default:
			m.Version = "ex"
		}
	case f.ID == "bzip2-xz-zstd":
		switch {
		case bytes.HasPrefix(p.head, []byte("BZh")):
			m.Version = "bzip2"
		case bytes.HasPrefix(p.head, []byte("\xFD7zXZ\x00")):
			m.Version = "xz"
		default:
			m.Version = "zstd"
		}
	case f.ID == "ooxml-encrypted":
		m.Detail = "encrypted: the document inside cannot be identified without its password"
		if p.ext != "" {
			m.Detail += fmt.Sprintf(" (extension .%s)", p.ext)
		}
	}
	m.PUID = puid(f, m.Version)

	// text encodings (formats.yaml: encoding-utf8 applies to these formats)
	if id.textIDs[f.ID] && p.textLike() {
		switch {
		case p.utf16:
			m.Detail = joinDetail(m.Detail, "encoding UTF-16")
		case !p.validUTF8() && id.legacy != nil:
			m.Detail = joinDetail(m.Detail, fmt.Sprintf("%s in a legacy 8-bit encoding, not UTF-8", f.ID))
			m.Format = id.legacy
			m.PUID = puid(f, m.Version)
		}
	}
}

func joinDetail(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return a + "; " + b
}

func within(n int) int {
	if n <= 0 {
		return 4096
	}
	return n
}

// puid returns the PRONOM id for the version, "" when a version was found
// that PRONOM (as the table knows it) has no id for.
func puid(f *rgi.Format, version string) string {
	if version != "" && len(f.PronomByVersion) > 0 {
		if _, ok := f.PronomByVersion[version]; !ok {
			if _, ok := f.PronomByVersion["default"]; !ok {
				return ""
			}
		}
	}
	return f.PUID(version)
}

var (
	pdfHeader     = regexp.MustCompile(`%PDF-([0-9]\.[0-9])`)
	pdfaPart      = regexp.MustCompile(`pdfaid:part(?:>|\s*=\s*["'])\s*([1-4])`)
	pdfaLevel     = regexp.MustCompile(`pdfaid:conformance(?:>|\s*=\s*["'])\s*([A-Za-z])`)
	odfManifestV  = regexp.MustCompile(`manifest:version="([0-9.]+)"`)
	odfOfficeV    = regexp.MustCompile(`office:version="([0-9.]+)"`)
	odfManifest   = "META-INF/manifest.xml"
	odfContentXML = "content.xml"
)

// pdfaClaim returns the PDF/A part and conformance level the XMP
// metadata claims ("2", "B"); level is empty for PDF/A-4 without one.
func pdfaClaim(b []byte) (part, level string) {
	i := bytes.Index(b, []byte("http://www.aiim.org/pdfa/ns/id/"))
	if i < 0 {
		return "", ""
	}
	// the properties sit in the rdf:Description that declares the
	// namespace; look around it
	w := b[max(0, i-4096):min(len(b), i+4096)]
	if m := pdfaPart.FindSubmatch(w); m != nil {
		part = string(m[1])
	}
	if m := pdfaLevel.FindSubmatch(w); m != nil {
		level = strings.ToUpper(string(m[1]))
	}
	return part, level
}

// odfVersion reads the ODF version from the manifest (ODF 1.2 and later
// declare it there), else from content.xml (1.0 and 1.1).
func odfVersion(p *probe) string {
	if m := odfManifestV.FindSubmatch(p.zipEntry(odfManifest, 2048)); m != nil {
		return string(m[1])
	}
	if m := odfOfficeV.FindSubmatch(p.zipEntry(odfContentXML, 8192)); m != nil {
		return string(m[1])
	}
	return ""
}
