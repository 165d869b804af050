package main

import (
	"testing"

	"github.com/google/licensecheck"
)

func TestToLRE(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"title optional, copyright dropped, placeholders wild",
			"Foo Licence\n\nCopyright (c) <year> <owner>\n\nPermission is granted to [name of licensor] users (a) to do it.\n",
			"(( Foo Licence ))??\nPermission is granted to  __12__  users (a) to do it.\n"},
		{"copyright line inside becomes a wildcard; list item (c) is text",
			"Some licence text goes here.\nCopyright 2001 Someone\n(c) you may not\n",
			"Some licence text goes here.\n__24__\n(c) you may not\n"},
		{"operators defused",
			"Use it ((freely)) || not ?? __init__ //** ok\n",
			"Use it ( (freely) ) | | not ? ?  init  / /* * ok\n"},
		{"appendix cut", "Terms here.\nEND OF TERMS AND CONDITIONS\nHow to apply them.\n",
			"Terms here.\nEND OF TERMS AND CONDITIONS\n"},
		{"adjacent wildcards merged", "Some text [year] [name of author] more text\n", "Some text  __24__  more text\n"},
		{"too short", "MIT\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			min := 3
			if tt.want == "" {
				min = 20
			}
			got := toLRE(tt.text, min)
			if got != tt.want {
				t.Errorf("toLRE(%q) =\n%q\nwant\n%q", tt.text, got, tt.want)
			}
			if got == "" {
				return
			}
			sc, err := licensecheck.NewScanner([]licensecheck.License{{ID: "X", LRE: got}})
			if err != nil {
				t.Fatalf("pattern does not parse: %v", err)
			}
			if c := sc.Scan([]byte(tt.text)); len(c.Match) == 0 {
				t.Errorf("pattern does not match its text")
			}
		})
	}
}

func TestReadCurated(t *testing.T) {
	ps, err := readCurated("../../data/curated.lre")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) == 0 {
		t.Fatal("no curated patterns")
	}
	for _, p := range ps {
		if _, err := licensecheck.NewScanner([]licensecheck.License{{ID: p.ID, LRE: p.LRE}}); err != nil {
			t.Errorf("%s: %v", p.ID, err)
		}
	}
}
