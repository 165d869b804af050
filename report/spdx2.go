package report

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/sillage-oss/sillage/rules/spdx"
)

// spdx2Expression rewrites an expression for formats that follow the SPDX
// 2 grammar (SPDX 2.3 documents, CycloneDX), where WITH must name an
// exception of the SPDX list. sillage writes an exception the list lacks
// as an SPDX 3 addition reference ("GPL-3.0-or-later WITH
// AdditionRef-Autoconf-data-exception"); such a term becomes a licence
// reference of its own, "LicenseRef-sillage-<hash>", and added maps each
// new reference to the term's text. Text that does not parse is returned
// as it is.
func spdx2Expression(expr string) (out string, added map[string]string) {
	if !strings.Contains(expr, "AdditionRef-") {
		return expr, nil
	}
	e, err := spdx.Parse(expr)
	if err != nil {
		return expr, nil
	}
	added = map[string]string{}
	e = spdx.Map(e, func(t spdx.Term) spdx.Expr {
		if !strings.HasPrefix(strings.ToLower(t.Exception), "additionref-") {
			return nil
		}
		text := t.License.String() + " WITH " + strings.TrimPrefix(t.Exception, "AdditionRef-")
		sum := sha256.Sum256([]byte(text))
		id := "LicenseRef-sillage-" + hex.EncodeToString(sum[:])[:12]
		added[id] = text
		return &spdx.License{ID: id}
	})
	return e.String(), added
}

// withoutAdditions drops from an expression the exceptions that are SPDX 3
// addition references, keeping their licences: "GPL-3.0-or-later WITH
// AdditionRef-Autoconf-data-exception" becomes "GPL-3.0-or-later". An
// exception only adds permissions, so the licence alone states every
// obligation, which is what a policy engine reading CycloneDX (such as
// Dependency-Track) needs; the exact statement stays in the sillage:license
// properties.
func withoutAdditions(expr string) string {
	if !strings.Contains(expr, "AdditionRef-") {
		return expr
	}
	e, err := spdx.Parse(expr)
	if err != nil {
		return expr
	}
	return spdx.Map(e, func(t spdx.Term) spdx.Expr {
		if !strings.HasPrefix(strings.ToLower(t.Exception), "additionref-") {
			return nil
		}
		l := t.License
		return &l
	}).String()
}
