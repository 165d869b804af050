package licensedetect

import (
	"strings"

	"github.com/sillage-oss/sillage/rules"
)

// mapping is what a licensecheck id becomes in sillage's output.
type mapping struct {
	// expr is the SPDX expression reported: a current SPDX id in its
	// canonical case, an expression, or a LicenseRef- reference. Empty when
	// the id is dropped.
	expr string
	// orLaterUnknown marks the GNU licence texts, which cannot tell
	// "-only" from "-or-later": expr is then the "-only" id.
	orLaterUnknown bool
}

// refPrefix names the licences licensecheck knows and SPDX does not.
const refPrefix = "LicenseRef-licensecheck-"

// idExceptions are the licensecheck built-in ids that rules.Licenses cannot
// map by itself: ids that are not on the SPDX list. Each is either mapped to
// the SPDX licence it denotes, kept as a LicenseRef- (a licence SPDX does
// not list, which must not vanish from a governance report: several are
// non-commercial), or dropped (not a licence). TestBuiltinIDsMap checks
// that every built-in id is on the SPDX list or in this table.
var idExceptions = map[string]mapping{
	// licensecheck's MIT-NoAd is the MIT grant and conditions, the X11
	// "shall not be used in advertising" clause, then the disclaimer: the
	// order SPDX added in 3.23 as X11-swapped (its SPDX text matches
	// licensecheck's MIT-NoAd pattern entirely).
	"MIT-NoAd": {expr: "X11-swapped"},
	// A notice allowing GPL version 2 or 3, but not later ones.
	"GPL-2.0-or-3.0": {expr: "GPL-2.0-only OR GPL-3.0-only"},
	// Not on the SPDX list; kept under a reference that says where the id
	// comes from. Anti996, Aladdin-9, CommonsClause, CC-BY-NC-SA-3.0-US and
	// Prosperity-3.0.0 restrict use (employment practices, commercial
	// use): dropping them would leave only the open licence they qualify.
	"Aladdin-9":                {expr: refPrefix + "Aladdin-9"},
	"Anti996":                  {expr: refPrefix + "Anti996"},
	"BSD-1-Clause-Clear":       {expr: refPrefix + "BSD-1-Clause-Clear"},
	"BSD-3-Clause-NoTrademark": {expr: refPrefix + "BSD-3-Clause-NoTrademark"},
	"CC-BY-NC-SA-3.0-US":       {expr: refPrefix + "CC-BY-NC-SA-3.0-US"},
	"CommonsClause":            {expr: refPrefix + "CommonsClause"},
	"Prosperity-3.0.0":         {expr: refPrefix + "Prosperity-3.0.0"},
	// Dropped: Google's additional patent grants (the PATENTS file, or the
	// clause once appended to Go's BSD LICENSE) are not licences of the
	// code; they add to the licence beside them and restrict nothing.
	"GooglePatentClause": {},
	"GooglePatentsFile":  {},
}

// mapID returns what the licensecheck id id is reported as, and false when
// the id is neither on the SPDX list nor in idExceptions.
//
// Deprecated SPDX ids become their replacement ("bzip2-1.0.5" →
// "bzip2-1.0.6"). The GNU ids licensecheck reports for a licence text, such
// as "GPL-2.0", would become "GPL-2.0-only" that way too; that is what they
// are reported as, with orLaterUnknown set, because a licence text cannot
// say whether the work may be used under later versions: only the notice
// in the files can, and licensecheck reports notices with their "-only" or
// "-or-later" id. The "-only" reading is the one that grants the fewest
// rights, so a policy decision made on it holds either way.
func mapID(t *rules.LicenseTable, id string) (mapping, bool) {
	if m, ok := idExceptions[id]; ok {
		return m, true
	}
	l, ok := t.Lookup(id)
	if !ok {
		return mapping{}, false
	}
	expr := l.ID
	if l.Deprecated && l.ReplacedBy != "" {
		expr = l.ReplacedBy
	}
	_, hasOnly := t.Lookup(l.ID + "-only")
	return mapping{expr: expr, orLaterUnknown: hasOnly && strings.HasSuffix(expr, "-only")}, true
}
