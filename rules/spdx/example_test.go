package spdx_test

import (
	"fmt"

	"github.com/sillage-oss/sillage/rules/spdx"
)

func ExampleParse() {
	e, err := spdx.Parse("mit or (apache-2.0 and (BSD-2-Clause))")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e)

	_, err = spdx.Parse("MIT AND")
	fmt.Println(err)
	// Output:
	// mit OR apache-2.0 AND BSD-2-Clause
	// spdx: expected licence id after "AND", found end of input at offset 7 in "MIT AND"
}

func ExampleChoose() {
	e, _ := spdx.Parse("(MIT OR GPL-3.0-only) AND (GPL-2.0-or-later WITH Classpath-exception-2.0 OR LicenseRef-Proprietary)")
	// A policy: permissive licences cost 1, the classpath exception 2,
	// anything else is denied.
	cost := func(t spdx.Term) (int, bool) {
		switch t.String() {
		case "MIT", "Apache-2.0":
			return 1, true
		case "GPL-2.0-or-later WITH Classpath-exception-2.0":
			return 2, true
		}
		return 0, false
	}
	choice, total, ok := spdx.Choose(e, cost)
	fmt.Println(choice, total, ok)
	// Output:
	// [MIT GPL-2.0-or-later WITH Classpath-exception-2.0] 3 true
}

func ExampleMap() {
	e, _ := spdx.Parse("GPL-2.0+ OR LGPL-2.1")
	// Replace deprecated ids, as a package that holds the SPDX list would.
	updated := spdx.Map(e, func(t spdx.Term) spdx.Expr {
		switch l := t.License; {
		case l.ID == "GPL-2.0" && l.OrLater:
			t.License = spdx.License{ID: "GPL-2.0-or-later"}
		case l.ID == "LGPL-2.1" && !l.OrLater:
			t.License = spdx.License{ID: "LGPL-2.1-only"}
		default:
			return nil // keep
		}
		return t.Expr()
	})
	fmt.Println(updated)
	// Output:
	// GPL-2.0-or-later OR LGPL-2.1-only
}

func ExampleNormalize() {
	e, _ := spdx.Parse("(MIT AND ISC) AND (Zlib AND (0BSD OR Unlicense))")
	fmt.Println(e)
	fmt.Println(spdx.Normalize(e))
	// Output:
	// (MIT AND ISC) AND (Zlib AND (0BSD OR Unlicense))
	// MIT AND ISC AND Zlib AND (0BSD OR Unlicense)
}
