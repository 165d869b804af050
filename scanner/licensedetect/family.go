package licensedetect

import (
	"strings"

	"github.com/sillage-oss/sillage/rules"
	"github.com/sillage-oss/sillage/rules/spdx"
)

// sameText maps the SPDX ids whose licence text is word for word the text
// of another id to that id. They differ only by what a notice says about
// the work (a reserved font name, an exception the author grants), which
// the licence text cannot show. bench/licenses checks this table against
// the texts of the SPDX licence list.
var sameText = map[string]string{
	"CAL-1.0-Combined-Work-Exception": "CAL-1.0",
	"MPL-2.0-no-copyleft-exception":   "MPL-2.0",
	"OFL-1.0-RFN":                     "OFL-1.0",
	"OFL-1.0-no-RFN":                  "OFL-1.0",
	"OFL-1.1-RFN":                     "OFL-1.1",
	"OFL-1.1-no-RFN":                  "OFL-1.1",
}

// Family returns the licence id as far as a licence text can tell it, to
// compare a detected id with an expected one: a deprecated id becomes the
// licence of its replacement ("StandardML-NJ" → "SMLNJ", "eCos-2.0" →
// "GPL-2.0"); the version suffixes "-only", "-or-later" and "+" go, and so
// do the GFDL "-invariants" and "-no-invariants" (all are said by the
// notice, not by the text); ids whose SPDX text is another id's text
// become that id ("OFL-1.1-RFN" → "OFL-1.1"). The result is in the
// canonical case when the id is on the SPDX list, otherwise id unchanged.
// Family("GPL-2.0-or-later") == Family("GPL-2.0-only") == "GPL-2.0".
func Family(id string) string {
	t := rules.Licenses()
	l, ok := t.Lookup(strings.TrimSuffix(id, "+"))
	if !ok {
		return id
	}
	id = l.ID
	if l.Deprecated && l.ReplacedBy != "" {
		if e, err := spdx.Parse(l.ReplacedBy); err == nil {
			if ls := spdx.Licenses(e); len(ls) > 0 {
				id = ls[0].ID
			}
		}
	}
	if s, ok := sameText[id]; ok {
		id = s
	}
	for _, suffix := range []string{"-only", "-or-later"} {
		id = strings.TrimSuffix(id, suffix)
	}
	if strings.HasPrefix(id, "GFDL-") {
		id = strings.Replace(id, "-no-invariants", "", 1)
		id = strings.Replace(id, "-invariants", "", 1)
	}
	if c, ok := t.Canonical(id); ok {
		return c
	}
	return id
}
