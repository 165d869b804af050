package scanner

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/anchore/syft/syft/format/cyclonedxjson"
	"github.com/anchore/syft/syft/format/cyclonedxxml"
	"github.com/anchore/syft/syft/format/spdxjson"
	"github.com/anchore/syft/syft/format/spdxtagvalue"
	"github.com/anchore/syft/syft/format/syftjson"
	"github.com/anchore/syft/syft/sbom"

	"github.com/sillage-oss/sillage"
)

// maxSBOMSize bounds the SBOM documents sillage reads, which are parsed
// in memory. The largest real SBOMs (whole distributions) stay well under.
const maxSBOMSize = 1 << 30

// sbomDecoders are the document formats accepted as input. syft's "purls"
// and "cpes" decoders are left out: they accept any text file as a list.
var sbomDecoders = []sbom.FormatDecoder{
	syftjson.NewFormatDecoder(),
	cyclonedxxml.NewFormatDecoder(),
	cyclonedxjson.NewFormatDecoder(),
	spdxtagvalue.NewFormatDecoder(),
	spdxjson.NewFormatDecoder(),
}

const sbomHint = "sillage reads CycloneDX (JSON or XML, 1.2 to 1.6), SPDX (2.2 or 2.3, JSON or tag-value) and syft JSON documents; check that the file is complete and valid"

func readSBOM(ctx context.Context, t sillage.Target, o Options) (sillage.Inventory, error) {
	o.progress(sillage.Progress{Stage: "read"})
	f, err := os.Open(t.Path)
	if err != nil {
		return sillage.Inventory{}, statError(t.Path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSBOMSize+1))
	if err != nil {
		return sillage.Inventory{}, targetError(fmt.Errorf("read %s: %w", t.Path, err), "check that the file is readable")
	}
	if len(data) > maxSBOMSize {
		return sillage.Inventory{}, targetError(fmt.Errorf("%s is larger than %d MiB", t.Path, maxSBOMSize>>20),
			"split the SBOM or scan the software it describes directly")
	}
	if err := ctx.Err(); err != nil {
		return sillage.Inventory{}, err
	}
	s, id, version, err := decodeSBOM(data)
	if err != nil {
		return sillage.Inventory{}, targetError(fmt.Errorf("read SBOM %s: %w", t.Path, err), sbomHint)
	}
	t.Distro = distro(s.Artifacts.LinuxDistribution)
	t.Document = &sillage.Document{Format: string(id), Version: version, Name: s.Source.Name}
	comps := components(s, "sbom:"+string(id), true, nil)
	return sillage.Inventory{Target: t, Components: comps}, nil
}

// decodeSBOM identifies data's format among sbomDecoders and decodes it.
func decodeSBOM(data []byte) (*sbom.SBOM, sbom.FormatID, string, error) {
	var near sbom.FormatID
	for _, d := range sbomDecoders {
		id, version := d.Identify(bytes.NewReader(data))
		if id == "" {
			continue
		}
		if version == "" {
			near = id
			continue
		}
		s, id, version, err := d.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, id, version, fmt.Errorf("malformed %s %s document: %w", id, version, err)
		}
		if s == nil {
			return nil, id, version, fmt.Errorf("empty %s document", id)
		}
		return s, id, version, nil
	}
	if near != "" {
		return nil, near, "", fmt.Errorf("the file looks like %s but its version is not supported or it is malformed", near)
	}
	return nil, "", "", diagnoseSBOM(data)
}

// diagnoseSBOM explains why data was not recognised: malformed JSON or
// XML (with the offset of the fault), or a well-formed document of an
// unsupported format or version.
func diagnoseSBOM(data []byte) error {
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	switch {
	case len(trimmed) == 0:
		return errors.New("the file is empty")
	case trimmed[0] == '{' || trimmed[0] == '[':
		var doc map[string]any
		if err := json.Unmarshal(trimmed, &doc); err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				return fmt.Errorf("malformed JSON at byte %d: %w", se.Offset, err)
			}
			return fmt.Errorf("malformed JSON: %w", err)
		}
		if f, ok := doc["bomFormat"].(string); ok {
			return fmt.Errorf("unsupported cyclonedx specVersion %v (bomFormat %q)", doc["specVersion"], f)
		}
		if v, ok := doc["spdxVersion"].(string); ok {
			return fmt.Errorf("unsupported spdx version %q", v)
		}
		return errors.New("JSON document that is not a CycloneDX, SPDX or syft SBOM")
	case trimmed[0] == '<':
		d := xml.NewDecoder(bytes.NewReader(trimmed))
		for {
			_, err := d.Token()
			if errors.Is(err, io.EOF) {
				return errors.New("XML document that is not a CycloneDX BOM of a supported version")
			}
			if err != nil {
				return fmt.Errorf("malformed XML at byte %d: %w", d.InputOffset(), err)
			}
		}
	}
	return errors.New("not a recognised SBOM document")
}
