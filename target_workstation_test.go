package sillage_test

import (
	"testing"

	"github.com/sillage-oss/sillage"
)

func TestParseWorkstationTargets(t *testing.T) {
	for arg, want := range map[string]struct {
		scheme sillage.Scheme
		path   string
	}{
		"winreg:poste.reg":     {sillage.SchemeWinReg, "poste.reg"},
		"winget:export.json":   {sillage.SchemeWinget, "export.json"},
		"glpi:/srv/inv":        {sillage.SchemeGLPI, "/srv/inv"},
		"ocs:C:\\ocs\\a.ocs":   {sillage.SchemeOCS, "C:\\ocs\\a.ocs"},
		"host:C:\\":            {sillage.SchemeHost, "C:\\"},
		"winregistry:x":        {"", "winregistry:x"},
		"glpi-agent:something": {"", "glpi-agent:something"},
	} {
		s, p := sillage.ParseTarget(arg)
		if s != want.scheme || p != want.path {
			t.Errorf("ParseTarget(%q) = %q, %q; want %q, %q", arg, s, p, want.scheme, want.path)
		}
	}
}
