package rules

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/sillage-oss/sillage/rules/spdx"
)

// normalizeTests are real licence statements, as package metadata spells
// them, grouped by where they come from.
var normalizeTests = []struct {
	in       string
	expr     string
	unmapped []string
	how      string
}{
	// Debian DEP-5 short names (copyright-format 1.0, section 7)
	{"GPL-2+", "GPL-2.0-or-later", nil, HowAlias},
	{"GPL-2", "GPL-2.0-only", nil, HowAlias},
	{"GPL-3+", "GPL-3.0-or-later", nil, HowAlias},
	{"GPL-1+", "GPL-1.0-or-later", nil, HowAlias},
	{"LGPL-2.1+", "LGPL-2.1-or-later", nil, HowSPDX}, // a deprecated SPDX id too
	{"LGPL-2+", "LGPL-2.0-or-later", nil, HowAlias},
	{"LGPL-3", "LGPL-3.0-only", nil, HowAlias},
	{"LGPL-2.1", "LGPL-2.1-only", nil, HowSPDX},
	{"Expat", "MIT", nil, HowAlias},
	{"BSD-3-clause", "BSD-3-Clause", nil, HowSPDX},
	{"BSD-2-clause", "BSD-2-Clause", nil, HowSPDX},
	{"BSD-4-clause", "BSD-4-Clause", nil, HowSPDX},
	{"Apache-2.0", "Apache-2.0", nil, HowSPDX},
	{"Apache-2", "Apache-2.0", nil, HowAlias},
	{"MPL-2.0", "MPL-2.0", nil, HowSPDX},
	{"MPL-1.1+", "MPL-1.1+", nil, HowSPDX},
	{"public-domain", PublicDomainRef, nil, HowAlias},
	{"Public-Domain", PublicDomainRef, nil, HowAlias},
	{"CC0", "CC0-1.0", nil, HowAlias},
	{"CC0-1.0", "CC0-1.0", nil, HowSPDX},
	{"CC-BY-SA-3.0", "CC-BY-SA-3.0", nil, HowSPDX},
	{"CC-BY-3", "CC-BY-3.0", nil, HowAlias},
	{"GFDL-1.3+", "GFDL-1.3-or-later", nil, HowSPDX},
	{"GFDL-NIV-1.3+", "GFDL-1.3-no-invariants-or-later", nil, HowAlias},
	{"GFDL-NIV-1.2", "GFDL-1.2-no-invariants-only", nil, HowAlias},
	{"Artistic-2.0", "Artistic-2.0", nil, HowSPDX},
	{"Zope-2.1", "ZPL-2.1", nil, HowAlias},
	{"Python", "Python-2.0", nil, HowAlias},
	{"Perl", "Artistic-1.0-Perl OR GPL-1.0-or-later", nil, HowAlias},
	{"Zlib", "Zlib", nil, HowSPDX},
	{"ZLIB", "Zlib", nil, HowSPDX},
	{"zlib/libpng", "Zlib", nil, HowAlias},
	{"ISC", "ISC", nil, HowSPDX},
	{"OpenLDAP-2.8", "OLDAP-2.8", nil, HowAlias},
	{"curl", "curl", nil, HowSPDX},
	{"GPL-2+ with OpenSSL exception", "GPL-2.0-or-later WITH AdditionRef-OpenSSL-exception", nil, HowAlias},
	{"GPL-3+ with OpenSSL exception", "GPL-3.0-or-later WITH AdditionRef-OpenSSL-exception", nil, HowAlias},
	{"GPL-2+ with Font exception", "GPL-2.0-or-later WITH Font-exception-2.0", nil, HowAlias},
	{"GPL-2 with Linux-syscall-note exception", "GPL-2.0-only WITH Linux-syscall-note", nil, HowAlias},
	{"GPL-2+ with Libtool exception", "GPL-2.0-or-later WITH Libtool-exception", nil, HowAlias},
	{"GPL-3+ with Bison exception", "GPL-3.0-or-later WITH Bison-exception-2.2", nil, HowAlias},
	{"GPL-3+-with-bison-exception", "GPL-3.0-or-later WITH Bison-exception-2.2", nil, HowAlias},
	{"GPL-2+ with Bison exception", "GPL-2.0-or-later WITH AdditionRef-Bison-exception", nil, HowAlias},
	{"GPL-2+ with Autoconf exception", "GPL-2.0-or-later WITH AdditionRef-Autoconf-exception", nil, HowAlias},
	{"GPL-3+ with Autoconf-data exception", "GPL-3.0-or-later WITH AdditionRef-Autoconf-data-exception", nil, HowAlias},
	{"GPL-2+ with Foo exception", "GPL-2.0-or-later WITH AdditionRef-Foo-exception", nil, HowAlias},
	{"Foo with Bar exception", "", []string{"Foo"}, HowUnmapped},
	{"GPL-1+ or Artistic", "GPL-1.0-or-later OR Artistic-1.0-Perl", nil, HowAlias},
	{"Artistic or GPL-1+", "Artistic-1.0-Perl OR GPL-1.0-or-later", nil, HowAlias},
	{"GPL-2+ and BSD-3-clause", "GPL-2.0-or-later AND BSD-3-Clause", nil, HowAlias},
	{"MPL-1.1 or GPL-2 or LGPL-2.1", "MPL-1.1 OR GPL-2.0-only OR LGPL-2.1-only", nil, HowAlias},
	{"LGPL-3+ or GPL-2+", "LGPL-3.0-or-later OR GPL-2.0-or-later", nil, HowAlias},
	// DEP-5 7.2: "A or B, and C" means "(A or B) and C"
	{"GPL-2+ or Artistic-2.0, and BSD-3-clause", "(GPL-2.0-or-later OR Artistic-2.0) AND BSD-3-Clause", nil, HowAlias},
	{"GPL-2+ or Artistic-2.0 and BSD-3-clause", "GPL-2.0-or-later OR Artistic-2.0 AND BSD-3-Clause", nil, HowAlias},
	{"LGPLv3+_or_GPLv2+", "LGPL-3.0-or-later OR GPL-2.0-or-later", nil, HowAlias},
	{"APACHE-2-LLVM-EXCEPTIONS", "Apache-2.0 WITH LLVM-exception", nil, HowAlias},
	{"BSD-3-clause~Sun", "", []string{"BSD-3-clause~Sun"}, HowUnmapped},
	{"GPL", "", []string{"GPL"}, HowAmbiguous},
	{"LGPL", "", []string{"LGPL"}, HowAmbiguous},
	{"Artistic", "", []string{"Artistic"}, HowAmbiguous},
	{"Apache", "", []string{"Apache"}, HowAmbiguous},
	{"BSD", "", []string{"BSD"}, HowAmbiguous},
	{"MIT-like", "", []string{"MIT-like"}, HowAmbiguous},
	{"BSD-variant", "", []string{"BSD-variant"}, HowAmbiguous},
	{"permissive", "", []string{"permissive"}, HowAmbiguous},
	{"other", "", []string{"other"}, HowAmbiguous},
	{"MIT/X11", "", []string{"MIT/X11"}, HowAmbiguous},
	{"Tcl-BSDish", "", []string{"Tcl-BSDish"}, HowUnmapped},
	{"GPL-2+ or AFL-2.1, and Expat and Tcl-BSDish", "", []string{"Tcl-BSDish"}, HowUnmapped},
	{"BSD-3-clause or GPL", "", []string{"GPL"}, HowAmbiguous},

	// Fedora's old RPM License tags, and the new SPDX ones
	{"GPLv2+ and LGPLv2+", "GPL-2.0-or-later AND LGPL-2.0-or-later", nil, HowAlias},
	{"GPLv2+", "GPL-2.0-or-later", nil, HowAlias},
	{"GPLv3", "GPL-3.0-only", nil, HowAlias},
	{"GPL+", "GPL-1.0-or-later", nil, HowAlias},
	{"LGPLv2", "LGPL-2.0-only", nil, HowAlias},
	{"LGPLv2.1+", "LGPL-2.1-or-later", nil, HowAlias},
	{"AGPLv3+", "AGPL-3.0-or-later", nil, HowAlias},
	{"ASL 2.0", "Apache-2.0", nil, HowAlias},
	{"ASL 1.1", "Apache-1.1", nil, HowAlias},
	{"ASL 2.0 and MIT", "Apache-2.0 AND MIT", nil, HowAlias},
	{"MPLv1.1", "MPL-1.1", nil, HowAlias},
	{"MPLv1.1 or GPLv2+ or LGPLv2+", "MPL-1.1 OR GPL-2.0-or-later OR LGPL-2.0-or-later", nil, HowAlias},
	{"(GPLv2+ or MIT) and ASL 2.0", "(GPL-2.0-or-later OR MIT) AND Apache-2.0", nil, HowAlias},
	{"GPL+ or Artistic", "GPL-1.0-or-later OR Artistic-1.0-Perl", nil, HowAlias},
	{"Artistic 2.0", "Artistic-2.0", nil, HowAlias},
	{"Artistic clarified", "ClArtistic", nil, HowAlias},
	{"Boost", "BSL-1.0", nil, HowAlias},
	{"zlib", "Zlib", nil, HowSPDX},
	{"Public Domain", PublicDomainRef, nil, HowAlias},
	{"GPLv2+ and Public Domain", "GPL-2.0-or-later AND " + PublicDomainRef, nil, HowAlias},
	{"BSD", "", []string{"BSD"}, HowAmbiguous},
	{"MIT and BSD", "", []string{"BSD"}, HowAmbiguous},
	{"GPLv3+ with exceptions", "GPL-3.0-or-later WITH AdditionRef-exceptions", nil, HowAlias},
	{"GPLv2 with exceptions", "GPL-2.0-only WITH AdditionRef-exceptions", nil, HowAlias},
	{"GPLv2 with exception", "GPL-2.0-only WITH AdditionRef-exception", nil, HowAlias},
	{"BSD with advertising", "", []string{"BSD with advertising"}, HowAmbiguous},
	{"GPLv2+ and BSD with advertising", "", []string{"BSD with advertising"}, HowAmbiguous},
	{"Copyright only", "", []string{"Copyright only"}, HowAmbiguous},
	{"OFL", "", []string{"OFL"}, HowAmbiguous},
	{"GPLv2+ and Foo and Bar", "", []string{"Foo", "Bar"}, HowUnmapped},
	{"GPLv2+ and LGPL and Foo", "", []string{"LGPL", "Foo"}, HowUnmapped},
	{"Redistributable, no modification permitted", ProprietaryRef, nil, HowProprietary},
	{"GPL-2.0-or-later AND LGPL-2.1-or-later", "GPL-2.0-or-later AND LGPL-2.1-or-later", nil, HowSPDX},
	{"LGPL-2.1-or-later AND (MIT OR BSD-2-Clause)", "LGPL-2.1-or-later AND (MIT OR BSD-2-Clause)", nil, HowSPDX},

	// npm package.json "license"
	{"MIT", "MIT", nil, HowSPDX},
	{"mit", "MIT", nil, HowSPDX},
	{"MIT OR Apache-2.0", "MIT OR Apache-2.0", nil, HowSPDX},
	{"(MIT OR Apache-2.0) AND BSD-3-Clause", "(MIT OR Apache-2.0) AND BSD-3-Clause", nil, HowSPDX},
	{"(MIT OR CC0-1.0)", "MIT OR CC0-1.0", nil, HowSPDX},
	{"(BSD-2-Clause OR MIT OR Apache-2.0)", "BSD-2-Clause OR MIT OR Apache-2.0", nil, HowSPDX},
	{"mit or apache-2.0", "MIT OR Apache-2.0", nil, HowSPDX},
	{"GPL-2.0+", "GPL-2.0-or-later", nil, HowSPDX},
	{"GPL-2.0", "GPL-2.0-only", nil, HowSPDX},
	{"GPL-2.0-with-classpath-exception", "GPL-2.0-only WITH Classpath-exception-2.0", nil, HowSPDX},
	{"UNLICENSED", ProprietaryRef, nil, HowProprietary},
	{"Unlicense", "Unlicense", nil, HowSPDX},
	{"The Unlicense", "Unlicense", nil, HowAlias},
	{"SEE LICENSE IN LICENSE.txt", "", []string{"SEE LICENSE IN LICENSE.txt"}, HowFile},
	{"SEE LICENSE IN <LICENSE.md>", "", []string{"SEE LICENSE IN <LICENSE.md>"}, HowFile},
	{"Apache 2.0", "Apache-2.0", nil, HowAlias},
	{"Apache2", "Apache-2.0", nil, HowAlias},
	{"AFLv2.1", "AFL-2.1", nil, HowAlias},
	{"BSD-like", "", []string{"BSD-like"}, HowAmbiguous},
	{"MIT*", "", []string{"MIT*"}, HowUnmapped},
	{"WTFPL", "WTFPL", nil, HowSPDX},
	{"MIT/Apache-2.0", "MIT OR Apache-2.0", nil, HowAlias},
	{"MIT AND Zlib", "MIT AND Zlib", nil, HowSPDX},
	{"MIT and MIT", "MIT", nil, HowSPDX},
	{"Apache-2.0 WITH LLVM-exception", "Apache-2.0 WITH LLVM-exception", nil, HowSPDX},
	{"LicenseRef-Proprietary", ProprietaryRef, nil, HowProprietary},
	{"LicenseRef-scancode-foo", "LicenseRef-scancode-foo", nil, HowSPDX},

	// PyPI License field and trove classifiers
	{"License :: OSI Approved :: MIT License", "MIT", nil, HowClassifier},
	{"License :: OSI Approved :: BSD License", "", []string{"License :: OSI Approved :: BSD License"}, HowAmbiguous},
	{"License :: OSI Approved :: Apache Software License", "", []string{"License :: OSI Approved :: Apache Software License"}, HowAmbiguous},
	{"License :: OSI Approved :: GNU General Public License v3 (GPLv3)", "GPL-3.0-only", nil, HowClassifier},
	{"License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)", "GPL-2.0-or-later", nil, HowClassifier},
	{"License :: OSI Approved :: GNU Lesser General Public License v2 or later (LGPLv2+)", "LGPL-2.0-or-later", nil, HowClassifier},
	{"License :: OSI Approved :: GNU Library or Lesser General Public License (LGPL)", "", []string{"License :: OSI Approved :: GNU Library or Lesser General Public License (LGPL)"}, HowAmbiguous},
	{"License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0", nil, HowClassifier},
	{"License :: OSI Approved :: ISC License (ISCL)", "ISC", nil, HowClassifier},
	{"License :: OSI Approved :: Python Software Foundation License", "PSF-2.0", nil, HowClassifier},
	{"License :: OSI Approved :: European Union Public Licence 1.2 (EUPL 1.2)", "EUPL-1.2", nil, HowClassifier},
	{"License :: OSI Approved :: CEA CNRS Inria Logiciel Libre License, version 2.1 (CeCILL-2.1)", "CECILL-2.1", nil, HowClassifier},
	{"License :: CeCILL-B Free Software License Agreement (CECILL-B)", "CECILL-B", nil, HowClassifier},
	{"License :: OSI Approved :: The Unlicense (Unlicense)", "Unlicense", nil, HowClassifier},
	{"License :: OSI Approved :: zlib/libpng License", "Zlib", nil, HowClassifier},
	{"License :: Public Domain", PublicDomainRef, nil, HowClassifier},
	{"License :: Other/Proprietary License", ProprietaryRef, nil, HowProprietary},
	{"License :: Freeware", ProprietaryRef, nil, HowProprietary},
	{"License :: OSI Approved", "", []string{"License :: OSI Approved"}, HowAmbiguous},
	{"license  ::  osi approved  ::  mit license", "MIT", nil, HowClassifier},
	// a classifier newer than the table: the name after the last "::"
	{"License :: OSI Approved :: Apache License 2.0", "Apache-2.0", nil, HowClassifier},
	{"License :: OSI Approved :: Foo License", "", []string{"License :: OSI Approved :: Foo License"}, HowUnmapped},
	{"BSD License", "", []string{"BSD License"}, HowAmbiguous},
	{"GNU General Public License v3 (GPLv3)", "GPL-3.0-only", nil, HowAlias},
	{"GNU Lesser General Public License v2 or later (LGPLv2+)", "LGPL-2.0-or-later", nil, HowAlias},
	{"PSF", "PSF-2.0", nil, HowAlias},
	{"Python Software Foundation License", "PSF-2.0", nil, HowAlias},
	{"new BSD", "BSD-3-Clause", nil, HowAlias},
	{"BSD 3-Clause", "BSD-3-Clause", nil, HowAlias},
	{"3-clause BSD", "BSD-3-Clause", nil, HowAlias},
	{"Simplified BSD License", "BSD-2-Clause", nil, HowAlias},
	{"LGPL v2.1 or later", "LGPL-2.1-or-later", nil, HowAlias},
	{"GNU LGPL v3", "LGPL-3.0-only", nil, HowAlias},
	{"GNU GPL", "", []string{"GNU GPL"}, HowAmbiguous},
	{"ZPL 2.1", "ZPL-2.1", nil, HowAlias},
	{"PSF or ZPL", "", []string{"ZPL"}, HowAmbiguous},
	{"Dual License", "", []string{"Dual License"}, HowAmbiguous},
	{"UNKNOWN", "", []string{"UNKNOWN"}, HowAmbiguous},
	{"GPL version 2 or any later version", "GPL-2.0-or-later", nil, HowAlias},
	{"GPL v2 or later", "GPL-2.0-or-later", nil, HowAlias},
	{"public domain, Python, 2-Clause BSD, GPL 3 (see COPYING.txt)", "", []string{"GPL 3 (see COPYING.txt)"}, HowUnmapped},

	// Maven <license><name> and <url>
	{"The Apache Software License, Version 2.0", "Apache-2.0", nil, HowAlias},
	{"Apache License, Version 2.0", "Apache-2.0", nil, HowAlias},
	{"The Apache License, Version 2.0", "Apache-2.0", nil, HowAlias},
	{"Apache License 2.0", "Apache-2.0", nil, HowAlias},
	{"Apache 2", "Apache-2.0", nil, HowAlias},
	{"Apache Software License - Version 2.0", "Apache-2.0", nil, HowAlias},
	{"Apache Software License", "", []string{"Apache Software License"}, HowAmbiguous},
	{"Eclipse Public License - v 1.0", "EPL-1.0", nil, HowAlias},
	{"Eclipse Public License - v 2.0", "EPL-2.0", nil, HowAlias},
	{"Eclipse Public License v2.0", "EPL-2.0", nil, HowAlias},
	{"EPL 2.0", "EPL-2.0", nil, HowAlias},
	{"Eclipse Distribution License - v 1.0", "BSD-3-Clause", nil, HowAlias},
	{"GNU Lesser General Public License", "", []string{"GNU Lesser General Public License"}, HowAmbiguous},
	{"GNU Lesser General Public License, Version 2.1", "LGPL-2.1-only", nil, HowAlias},
	{"GNU LESSER GENERAL PUBLIC LICENSE, Version 3", "LGPL-3.0-only", nil, HowAlias},
	{"CDDL + GPLv2 with classpath exception", "CDDL-1.0 OR GPL-2.0-only WITH Classpath-exception-2.0", nil, HowAlias},
	{"CDDL+GPL License", "CDDL-1.1 OR GPL-2.0-only WITH Classpath-exception-2.0", nil, HowAlias},
	{"CDDL/GPLv2+CE", "CDDL-1.0 OR GPL-2.0-only WITH Classpath-exception-2.0", nil, HowAlias},
	{"CDDL 1.1", "CDDL-1.1", nil, HowAlias},
	{"COMMON DEVELOPMENT AND DISTRIBUTION LICENSE (CDDL) Version 1.0", "CDDL-1.0", nil, HowAlias},
	{"GPL2 w/ CPE", "GPL-2.0-only WITH Classpath-exception-2.0", nil, HowAlias},
	{"GNU General Public License, version 2, with the Classpath Exception", "GPL-2.0-only WITH Classpath-exception-2.0", nil, HowAlias},
	{"GNU General Public License, version 2 with the GNU Classpath Exception", "GPL-2.0-only WITH Classpath-exception-2.0", nil, HowAlias},
	{"Universal Permissive License, Version 1.0", "UPL-1.0", nil, HowAlias},
	{"The MIT License", "MIT", nil, HowAlias},
	{"MIT License", "MIT", nil, HowAlias},
	{"The MIT License (MIT)", "MIT", nil, HowAlias},
	{"MIT Licence", "MIT", nil, HowAlias},
	{"The BSD License", "", []string{"The BSD License"}, HowAmbiguous},
	{`BSD 3-Clause "New" or "Revised" License`, "BSD-3-Clause", nil, HowAlias},
	{`BSD 2-Clause "Simplified" License`, "BSD-2-Clause", nil, HowAlias},
	{`BSD 3-Clause "New" or "Revised" License and MIT`, "BSD-3-Clause AND MIT", nil, HowAlias},
	{"Common Development and Distribution License 1.0 or GPL-2", "CDDL-1.0 OR GPL-2.0-only", nil, HowAlias},
	{"Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0", nil, HowAlias},
	{"Mozilla Public License Version 1.1", "MPL-1.1", nil, HowAlias},
	{"Mozilla Public License", "", []string{"Mozilla Public License"}, HowAmbiguous},
	{"Public Domain, per Creative Commons CC0", "CC0-1.0", nil, HowAlias},
	{"The JSON License", "JSON", nil, HowAlias},
	{"BSD-3-Clause;link=https://asm.ow2.io/LICENSE.txt", "BSD-3-Clause", nil, HowSPDX},
	{"Apache 2.0 (https://www.apache.org/licenses/LICENSE-2.0)", "Apache-2.0", nil, HowAlias},
	{"MIT (with modifications)", "", []string{"MIT (with modifications)"}, HowUnmapped},

	// licence URLs
	{"http://www.apache.org/licenses/LICENSE-2.0.txt", "Apache-2.0", nil, HowURL},
	{"https://www.apache.org/licenses/LICENSE-2.0", "Apache-2.0", nil, HowURL},
	{"https://opensource.org/licenses/MIT", "MIT", nil, HowURL},
	{"http://www.opensource.org/licenses/mit-license.php", "MIT", nil, HowURL},
	{"https://opensource.org/license/bsd-3-clause/", "BSD-3-Clause", nil, HowURL},
	{"http://www.opensource.org/licenses/bsd-license.php", "", []string{"http://www.opensource.org/licenses/bsd-license.php"}, HowAmbiguous},
	{"https://spdx.org/licenses/MIT.html", "MIT", nil, HowURL},
	{"https://spdx.org/licenses/GPL-2.0+.html", "GPL-2.0-or-later", nil, HowURL},
	{"https://www.gnu.org/licenses/gpl-3.0.html", "GPL-3.0-only", nil, HowURL},
	{"https://www.gnu.org/licenses/old-licenses/lgpl-2.1.txt", "LGPL-2.1-only", nil, HowURL},
	{"https://www.gnu.org/licenses/agpl-3.0.en.html", "AGPL-3.0-only", nil, HowURL},
	{"https://www.gnu.org/licenses/fdl-1.3.html", "GFDL-1.3-only", nil, HowURL},
	{"http://www.gnu.org/copyleft/gpl.html", "", []string{"http://www.gnu.org/copyleft/gpl.html"}, HowAmbiguous},
	{"https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0", nil, HowURL},
	{"http://creativecommons.org/licenses/by-sa/3.0/legalcode", "CC-BY-SA-3.0", nil, HowURL},
	{"https://creativecommons.org/licenses/by-nc-nd/3.0/de/", "CC-BY-NC-ND-3.0-DE", nil, HowURL},
	{"https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0", nil, HowURL},
	{"https://www.mozilla.org/MPL/2.0/", "MPL-2.0", nil, HowURL},
	{"http://www.mozilla.org/MPL/MPL-1.1.html", "MPL-1.1", nil, HowURL},
	{"https://www.mozilla.org/en-US/MPL/2.0/", "MPL-2.0", nil, HowURL},
	{"http://www.eclipse.org/legal/epl-v10.html", "EPL-1.0", nil, HowURL},
	{"https://www.eclipse.org/legal/epl-2.0/", "EPL-2.0", nil, HowURL},
	{"http://www.eclipse.org/org/documents/edl-v10.php", "BSD-3-Clause", nil, HowURL},
	{"http://www.boost.org/LICENSE_1_0.txt", "BSL-1.0", nil, HowURL},
	{"https://glassfish.java.net/public/CDDL+GPL_1_1.html", "CDDL-1.1 OR GPL-2.0-only WITH Classpath-exception-2.0", nil, HowURL},
	{"http://www.cecill.info/licences/Licence_CeCILL-B_V1-fr.html", "CECILL-B", nil, HowURL},
	{"https://choosealicense.com/licenses/mit/", "MIT", nil, HowURL},
	{"https://github.com/foo/bar/blob/master/LICENSE", "", []string{"https://github.com/foo/bar/blob/master/LICENSE"}, HowUnmapped},
	{"http://www.eclipse.org/legal/epl-2.0, https://www.gnu.org/software/classpath/license.html", "", []string{"https://www.gnu.org/software/classpath/license.html"}, HowUnmapped},

	// free text, French administration's licences
	{"GNU Affero General Public License v3", "AGPL-3.0-only", nil, HowAlias},
	{"GNU Affero General Public License v3.0 or later", "AGPL-3.0-or-later", nil, HowAlias},
	{"GNU General Public License v2.0 only", "GPL-2.0-only", nil, HowAlias},
	{"GNU GPLv3", "GPL-3.0-only", nil, HowAlias},
	{"GPL v3", "GPL-3.0-only", nil, HowAlias},
	{"CeCILL-B", "CECILL-B", nil, HowSPDX},
	{"CECILL-2.1", "CECILL-2.1", nil, HowSPDX},
	{"CeCILL v2.1", "CECILL-2.1", nil, HowAlias},
	{"CeCILL", "", []string{"CeCILL"}, HowAmbiguous},
	{"Licence CeCILL-C", "CECILL-C", nil, HowAlias},
	{"Licence Ouverte / Open Licence 2.0", "etalab-2.0", nil, HowAlias},
	{"Licence Ouverte version 2.0", "etalab-2.0", nil, HowAlias},
	{"Licence Ouverte", "", []string{"Licence Ouverte"}, HowAmbiguous},
	{"etalab-2.0", "etalab-2.0", nil, HowSPDX},
	{"EUPL 1.2", "EUPL-1.2", nil, HowAlias},
	{"EUPL v1.2", "EUPL-1.2", nil, HowAlias},
	{"EUPL-1.2", "EUPL-1.2", nil, HowSPDX},
	{"European Union Public Licence v. 1.2", "EUPL-1.2", nil, HowAlias},
	{"Licence publique de l'Union européenne v1.2", "EUPL-1.2", nil, HowAlias},
	{"EUPL", "", []string{"EUPL"}, HowAmbiguous},
	{"ODbL", "ODbL-1.0", nil, HowAlias},
	{"Creative Commons Attribution-ShareAlike 4.0 International License", "CC-BY-SA-4.0", nil, HowAlias},
	{"CC BY 4.0", "CC-BY-4.0", nil, HowAlias},
	{"CC BY-NC-SA 4.0", "CC-BY-NC-SA-4.0", nil, HowAlias},
	{"CC0 1.0 Universal", "CC0-1.0", nil, HowAlias},
	{"Creative Commons", "", []string{"Creative Commons"}, HowAmbiguous},
	{"Do What The F*ck You Want To Public License", "WTFPL", nil, HowAlias},
	{"Boost Software License 1.0", "BSL-1.0", nil, HowAlias},
	{"BSL", "", []string{"BSL"}, HowAmbiguous},
	{"ISC License", "ISC", nil, HowAlias},
	{"X11 License", "X11", nil, HowAlias},

	// CRAN DESCRIPTION License
	{"GPL-2 | GPL-3", "GPL-2.0-only OR GPL-3.0-only", nil, HowAlias},
	{"GPL (>= 2)", "GPL-2.0-or-later", nil, HowAlias},
	{"LGPL (>= 2.1)", "LGPL-2.1-or-later", nil, HowAlias},
	{"MIT + file LICENSE", "MIT", nil, HowAlias},
	{"BSD_3_clause + file LICENSE", "BSD-3-Clause", nil, HowAlias},
	{"GPL-3 + file LICENSE", "", []string{"GPL-3 + file LICENSE"}, HowFile},
	{"file LICENSE", "", []string{"file LICENSE"}, HowFile},
	{"Apache License (== 2.0)", "Apache-2.0", nil, HowAlias},
	{"Unlimited", "", []string{"Unlimited"}, HowAmbiguous},

	// proprietary markers
	{"Proprietary", ProprietaryRef, nil, HowProprietary},
	{"proprietary license", ProprietaryRef, nil, HowProprietary},
	{"Commercial", ProprietaryRef, nil, HowProprietary},
	{"EULA", ProprietaryRef, nil, HowProprietary},
	{"All rights reserved", ProprietaryRef, nil, HowProprietary},
	{"Freeware", ProprietaryRef, nil, HowProprietary},
	{"Proprietary and MIT", ProprietaryRef + " AND MIT", nil, HowProprietary},
	{"Non-Commercial", "", []string{"Non-Commercial"}, HowUnmapped},
	{"CC-BY-NC-4.0", "CC-BY-NC-4.0", nil, HowSPDX},
	{"Copyright (c) 2020 Acme. All rights reserved.", "", []string{"Copyright (c) 2020 Acme. All rights reserved."}, HowUnmapped},

	// empty, malformed and hostile input
	{"", "", nil, ""},
	{"   \t\n ", "", nil, ""},
	{"  GPLv2+\n and\tLGPLv2+ ", "GPL-2.0-or-later AND LGPL-2.0-or-later", nil, HowAlias},
	{"MIT AND", "", []string{"MIT AND"}, HowUnmapped},
	{"MIT and/or GPL", "", []string{"MIT and/or GPL"}, HowUnmapped},
	{"((((MIT))))", "MIT", nil, HowSPDX},
	{"(GPLv2+", "GPL-2.0-or-later", nil, HowAlias}, // a stray parenthesis is punctuation
	{"MIT \x00\x01", "", []string{"MIT \x00\x01"}, HowUnmapped},
	{"\xff\xfeMIT", "", []string{"\xff\xfeMIT"}, HowUnmapped},
	{"NOASSERTION", "", []string{"NOASSERTION"}, HowAmbiguous},
}

func TestNormalizeLicense(t *testing.T) {
	for _, tt := range normalizeTests {
		t.Run(tt.in, func(t *testing.T) {
			got := NormalizeLicense(tt.in)
			want := Normalized{Expression: tt.expr, Unmapped: tt.unmapped, How: tt.how}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("NormalizeLicense(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
	if n := len(normalizeTests); n < 150 {
		t.Errorf("%d cases, want at least 150", n)
	}
}

// TestNormalizeHostile checks that big or strange input is returned
// verbatim as unmapped, quickly.
func TestNormalizeHostile(t *testing.T) {
	long := strings.Repeat("GPLv2+ and MIT or ", 600) // 10.8 KB
	many := strings.Repeat("Foo and ", 60) + "MIT"    // 121 tokens: the slowest a statement can be
	deep := strings.Repeat("(", 300) + "MIT" + strings.Repeat(")", 300)
	control := "GPL\x1b[31m-2+\x07"
	bad := string([]byte{0xc3, 0x28, 'M', 'I', 'T'})
	for _, in := range []string{long, many, deep, control, bad, strings.Repeat("/", 5000), strings.Repeat("(", 5000)} {
		start := time.Now()
		got := NormalizeLicense(in)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("NormalizeLicense(%.40q...) took %s", in, d)
		}
		if got.Expression != "" || len(got.Unmapped) == 0 {
			t.Errorf("NormalizeLicense(%.40q...) = %+v, want unmapped", in, got)
		}
		for _, u := range got.Unmapped {
			if !strings.Contains(strings.Join(strings.Fields(in), " "), u) {
				t.Errorf("NormalizeLicense(%.40q...): unmapped part %.40q is not in the text", in, u)
			}
		}
	}
	if got := NormalizeLicense(many); !slices.Equal(got.Unmapped, []string{"Foo"}) {
		t.Errorf("NormalizeLicense(%.40q...).Unmapped = %q, want [Foo]", many, got.Unmapped)
	}
}

// TestAliasTable checks the embedded table: it loads; every target is a
// fixed point of CanonicalExpression with no unknown and no deprecated id;
// and no curated name quietly overrides an SPDX id or name that means
// something else.
func TestAliasTable(t *testing.T) {
	lic := Licenses()
	ix, err := buildAliasIndex(aliasesYAML, lic)
	if err != nil {
		t.Fatalf("embedded data/license-aliases.yaml: %v", err)
	}
	var f aliasFile
	if err := yaml.Unmarshal(aliasesYAML, &f); err != nil {
		t.Fatal(err)
	}
	for _, g := range f.Groups {
		for name, target := range g.Aliases {
			if g.Kind == kindException {
				if _, ok := lic.Exception(target); !ok && !strings.HasPrefix(target, "AdditionRef-") {
					t.Errorf("%s: %q -> %q is not an exception", g.Name, name, target)
				}
				continue
			}
			canon, unknown, err := lic.CanonicalExpression(target)
			if err != nil || len(unknown) > 0 || canon != target {
				t.Errorf("%s: %q -> %q: canonical %q, unknown %q, err %v", g.Name, name, target, canon, unknown, err)
			}
			e, _ := spdx.Parse(canon)
			for _, l := range spdx.Licenses(e) {
				if info, ok := lic.Lookup(l.ID); ok && info.Deprecated {
					t.Errorf("%s: %q -> %q uses the deprecated id %s", g.Name, name, target, l.ID)
				}
			}
		}
		// no curated name quietly overrides an SPDX id or name
		if g.Kind == kindLicense || g.Kind == kindException {
			for _, name := range slices.Concat(slices.Collect(maps.Keys(g.Aliases)), slices.Collect(maps.Keys(g.Ambiguous))) {
				k := keyFor(g.Kind, name)
				if gen, ok := ix.generated[g.Kind][k]; ok && !sameTarget(gen, ix.curated[g.Kind][k]) {
					t.Errorf("%s: %q overrides SPDX's %q (%s)", g.Name, name, gen.name, gen.expr)
				}
			}
		}
		// every name of the table is mapped as the table says
		for name, target := range g.Aliases {
			if g.Kind == kindException {
				continue
			}
			if got := NormalizeLicense(name); got.Expression != target {
				t.Errorf("%s: NormalizeLicense(%q) = %+v, want %q", g.Name, name, got, target)
			}
		}
		for name := range g.Ambiguous {
			if g.Kind == kindException {
				continue
			}
			if got := NormalizeLicense(name); got.Expression != "" || got.How != HowAmbiguous {
				t.Errorf("%s: NormalizeLicense(%q) = %+v, want ambiguous", g.Name, name, got)
			}
		}
	}
	if len(ix.collisions) > 0 {
		t.Logf("SPDX ids and names left out because they share a key: %v", ix.collisions)
	}
}

// TestAliasCounts reports the size of each group, for the table's
// documentation; run with -v.
func TestAliasCounts(t *testing.T) {
	ix := normalizer()
	total := 0
	for _, g := range ix.groups {
		t.Logf("%-18s %-10s %3d aliases, %2d ambiguous", g.Name, g.Kind, len(g.Aliases), len(g.Ambiguous))
		total += len(g.Aliases) + len(g.Ambiguous)
	}
	t.Logf("curated entries: %d; generated keys: %d licence, %d exception (from %d SPDX licences, %d exceptions)",
		total, len(ix.generated[kindLicense]), len(ix.generated[kindException]), len(ix.lic.All()), len(ix.lic.Exceptions()))
}

// TestSPDXNamesMap checks the generated part of the table: every SPDX
// licence id and full name normalises to the current id, except the few
// names that two licences share.
func TestSPDXNamesMap(t *testing.T) {
	lic := Licenses()
	ix := normalizer()
	for _, l := range lic.All() {
		if l.Deprecated && l.ReplacedBy == "" {
			continue
		}
		want, _, err := lic.CanonicalExpression(l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := NormalizeLicense(l.ID); got.Expression != want {
			t.Errorf("NormalizeLicense(%q) = %+v, want %q", l.ID, got, want)
		}
		k := aliasKey(l.Name)
		if _, collides := ix.collisions[k]; collides {
			continue
		}
		if c, ok := ix.curated[kindLicense][k]; ok && !c.ambiguous() {
			continue // checked by TestAliasTable
		}
		if got := NormalizeLicense(l.Name); got.Expression != want {
			t.Errorf("NormalizeLicense(%q) (name of %s) = %+v, want %q", l.Name, l.ID, got, want)
		}
	}
	for _, x := range lic.Exceptions() {
		if x.Deprecated {
			continue
		}
		in := "GPL-2.0-only with " + x.Name
		want := "GPL-2.0-only WITH " + x.ID
		if got := NormalizeLicense(in); got.Expression != want {
			t.Errorf("NormalizeLicense(%q) = %+v, want %q", in, got, want)
		}
	}
}

// TestDEP5StandardShortNames runs every standard short name of DEP-5
// section 7.1, with each version the spec lists and with "+", through
// NormalizeLicense.
func TestDEP5StandardShortNames(t *testing.T) {
	type fam struct {
		name, id string // id: "{v}" for the version
		versions []string
		gnu      bool
	}
	fams := []fam{
		{"Apache", "Apache-{v}", []string{"1.0", "2.0"}, false},
		{"Artistic", "Artistic-{v}", []string{"1.0", "2.0"}, false},
		{"CC-BY", "CC-BY-{v}", []string{"1.0", "2.0", "2.5", "3.0"}, false},
		{"CC-BY-SA", "CC-BY-SA-{v}", []string{"1.0", "2.0", "2.5", "3.0"}, false},
		{"CC-BY-ND", "CC-BY-ND-{v}", []string{"1.0", "2.0", "2.5", "3.0"}, false},
		{"CC-BY-NC", "CC-BY-NC-{v}", []string{"1.0", "2.0", "2.5", "3.0"}, false},
		{"CC-BY-NC-SA", "CC-BY-NC-SA-{v}", []string{"1.0", "2.0", "2.5", "3.0"}, false},
		{"CC-BY-NC-ND", "CC-BY-NC-ND-{v}", []string{"1.0", "2.0", "2.5", "3.0"}, false},
		{"CC0", "CC0-{v}", []string{"1.0"}, false},
		{"CDDL", "CDDL-{v}", []string{"1.0"}, false},
		{"CPL", "CPL-{v}", []string{"1.0"}, false},
		{"EFL", "EFL-{v}", []string{"1.0", "2.0"}, false},
		{"GPL", "GPL-{v}", []string{"1.0", "2.0", "3.0"}, true},
		{"LGPL", "LGPL-{v}", []string{"2.0", "2.1", "3.0"}, true},
		{"GFDL", "GFDL-{v}", []string{"1.1", "1.2", "1.3"}, true},
		{"GFDL-NIV", "GFDL-{v}-no-invariants", []string{"1.1", "1.2", "1.3"}, true},
		{"LPPL", "LPPL-{v}", []string{"1.0", "1.1", "1.2", "1.3c"}, false},
		{"MPL", "MPL-{v}", []string{"1.1"}, false},
		{"Python", "Python-{v}", []string{"2.0"}, false},
		{"QPL", "QPL-{v}", []string{"1.0"}, false},
		{"Zope", "ZPL-{v}", []string{"1.1", "2.0", "2.1"}, false},
	}
	for _, f := range fams {
		for _, v := range f.versions {
			short := strings.TrimSuffix(v, ".0") // DEP-5 writes "GPL-2"
			id := strings.ReplaceAll(f.id, "{v}", v)
			only, later := id, id+"+"
			if f.gnu {
				only, later = id+"-only", id+"-or-later"
			}
			for in, want := range map[string]string{
				f.name + "-" + short: only, f.name + "-" + v: only, f.name + "-" + short + "+": later,
				strings.ToLower(f.name) + "-" + short + "+": later,
			} {
				if got := NormalizeLicense(in); got.Expression != want {
					t.Errorf("NormalizeLicense(%q) = %+v, want %q", in, got, want)
				}
			}
		}
	}
	for in, want := range map[string]string{
		"public-domain": PublicDomainRef, "BSD-2-clause": "BSD-2-Clause", "BSD-3-clause": "BSD-3-Clause",
		"BSD-4-clause": "BSD-4-Clause", "ISC": "ISC", "CC0": "CC0-1.0", "CDDL": "CDDL-1.0", "CPL": "CPL-1.0",
		"Expat": "MIT", "Perl": "Artistic-1.0-Perl OR GPL-1.0-or-later", "Python": "Python-2.0", "QPL": "QPL-1.0",
		"W3C": "W3C", "Zlib": "Zlib",
	} {
		if got := NormalizeLicense(in); got.Expression != want {
			t.Errorf("NormalizeLicense(%q) = %+v, want %q", in, got, want)
		}
	}
}

func TestAliasTableErrors(t *testing.T) {
	lic := Licenses()
	tests := []struct {
		name, yaml, want string
	}{
		{"no revision", "groups: []", "missing revision"},
		{"bad kind", "revision: 1\ngroups:\n- {name: a, kind: foo, source: s}", `kind "foo"`},
		{"no source", "revision: 1\ngroups:\n- {name: a, kind: license}", "missing source"},
		{"duplicate group", "revision: 1\ngroups:\n- {name: a, kind: license, source: s}\n- {name: a, kind: url, source: s}", "duplicate name"},
		{"unknown id", "revision: 1\ngroups:\n- {name: a, kind: license, source: s, aliases: {Foo: Foo-1.0}}", "not on the SPDX list"},
		{"not canonical", "revision: 1\ngroups:\n- {name: a, kind: license, source: s, aliases: {Foo: mit}}", `write "MIT"`},
		{"deprecated", "revision: 1\ngroups:\n- {name: a, kind: license, source: s, aliases: {Foo: GPL-2.0+}}", `write "GPL-2.0-or-later"`},
		{"bad syntax", "revision: 1\ngroups:\n- {name: a, kind: license, source: s, aliases: {Foo: MIT OR}}", "spdx:"},
		{"other ref", "revision: 1\ngroups:\n- {name: a, kind: license, source: s, aliases: {Foo: LicenseRef-Foo}}", "neither"},
		{"bad exception", "revision: 1\ngroups:\n- {name: a, kind: exception, source: s, aliases: {Foo: MIT}}", "not a current SPDX exception"},
		{"no reason", "revision: 1\ngroups:\n- {name: a, kind: license, source: s, ambiguous: {Foo: ''}}", "missing reason"},
		{"same key", "revision: 1\ngroups:\n- {name: a, kind: license, source: s, aliases: {Foo 2: MIT}}\n- {name: b, kind: license, source: s, aliases: {Foo v2.0: ISC}}", "same key"},
		{"ambiguous and mapped", "revision: 1\ngroups:\n- {name: a, kind: license, source: s, aliases: {Foo: MIT}, ambiguous: {FOO: why}}", "same key"},
		{"empty key", "revision: 1\ngroups:\n- {name: a, kind: license, source: s, aliases: {'the license': MIT}}", "empty key"},
		{"duplicate yaml key", "revision: 1\ngroups:\n- {name: a, kind: license, source: s, aliases: {Foo: MIT, Foo: ISC}}", "already defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := buildAliasIndex([]byte(tt.yaml), lic)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestAliasKey(t *testing.T) {
	same := [][]string{
		{"GPLv2+", "GPL-2+", "GPL-2.0+", "GPL v2 or later", "GNU General Public License v2 or later", "GPL version 2 or any later version", "GNU GPL v2.0 or later", "GPL (>= 2)"},
		{"Apache License, Version 2.0", "Apache-2.0", "The Apache Software License, Version 2.0", "apache 2", "Apache2", "APACHE LICENSE V2.0"},
		{"LGPL-2.1", "GNU Lesser General Public License v2.1", "LGPLv2.1", "GNU LGPL 2.1", "GNU Library or Lesser General Public License 2.1"},
		{"CC-BY-SA-4.0", "CC BY-SA 4.0", "Creative Commons Attribution-ShareAlike 4.0 International", "Creative Commons Attribution Share Alike 4.0"},
		{"CC0-1.0", "CC0 1.0 Universal", "Creative Commons Zero v1.0 Universal"},
		{"MIT", "The MIT License", "MIT Licence", "mit license"},
	}
	for _, group := range same {
		want := aliasKey(group[0])
		for _, s := range group[1:] {
			if got := aliasKey(s); got != want {
				t.Errorf("aliasKey(%q) = %q, want %q (as %q)", s, got, want, group[0])
			}
		}
	}
	differ := [][2]string{{"GPL-2.0", "GPL-2.0+"}, {"GPL-2.0-only", "GPL-2.0-or-later"}, {"PHP-3.0", "PHP-3.01"},
		{"UNLICENSED", "Unlicense"}, {"LGPL-2.0", "LGPL-2.1"}, {"BSD-3-clause~Sun", "BSD-3-Clause-Sun"}, {"Commercial", "Non-Commercial"}}
	for _, d := range differ {
		if aliasKey(d[0]) == aliasKey(d[1]) {
			t.Errorf("aliasKey(%q) = aliasKey(%q) = %q", d[0], d[1], aliasKey(d[0]))
		}
	}
}

// FuzzNormalizeLicense checks that NormalizeLicense never panics, that an
// expression it returns is a fixed point of CanonicalExpression with no
// unknown id, and that a statement has an expression or unmapped parts,
// never both.
func FuzzNormalizeLicense(f *testing.F) {
	for _, tt := range normalizeTests {
		f.Add(tt.in)
	}
	lic := Licenses()
	f.Fuzz(func(t *testing.T, s string) {
		got := NormalizeLicense(s)
		collapsed := strings.Join(strings.Fields(s), " ")
		switch {
		case collapsed == "":
			if !cmp.Equal(got, Normalized{}) {
				t.Fatalf("NormalizeLicense(%q) = %+v, want zero", s, got)
			}
			return
		case got.Expression == "":
			if len(got.Unmapped) == 0 || got.How == "" || got.How == HowSPDX || got.How == HowAlias {
				t.Fatalf("NormalizeLicense(%q) = %+v: no expression, no reason", s, got)
			}
			for _, u := range got.Unmapped {
				if u == "" || !strings.Contains(collapsed, u) {
					t.Fatalf("NormalizeLicense(%q): unmapped part %q is not in the text", s, u)
				}
			}
			return
		}
		if len(got.Unmapped) > 0 {
			t.Fatalf("NormalizeLicense(%q) = %+v: expression and unmapped parts", s, got)
		}
		canon, unknown, err := lic.CanonicalExpression(got.Expression)
		if err != nil || canon != got.Expression || len(unknown) > 0 {
			t.Fatalf("NormalizeLicense(%q) = %q: canonical %q, unknown %q, err %v", s, got.Expression, canon, unknown, err)
		}
		if !slices.Contains(slices.Collect(maps.Keys(howBits)), got.How) {
			t.Fatalf("NormalizeLicense(%q) = %+v: How", s, got)
		}
		if utf8.ValidString(s) && NormalizeLicense(got.Expression).Expression != got.Expression {
			t.Fatalf("NormalizeLicense(%q) = %q, which does not normalise to itself", s, got.Expression)
		}
	})
}

func BenchmarkNormalizeLicense(b *testing.B) {
	ins := []string{"MIT", "GPLv2+ and LGPLv2+", "The Apache Software License, Version 2.0",
		`BSD 3-Clause "New" or "Revised" License and MIT`, "License :: OSI Approved :: MIT License",
		"GPL-2+ or Artistic-2.0, and BSD-3-clause", "http://www.apache.org/licenses/LICENSE-2.0.txt", "Tcl-BSDish"}
	for b.Loop() {
		for _, in := range ins {
			NormalizeLicense(in)
		}
	}
}

func ExampleNormalizeLicense() {
	for _, s := range []string{"GPLv2+ and ASL 2.0", "GPL-2+ with OpenSSL exception", "BSD", "GPLv2+ and Foo"} {
		n := NormalizeLicense(s)
		fmt.Printf("%q: %q %q %s\n", s, n.Expression, n.Unmapped, n.How)
	}
	// Output:
	// "GPLv2+ and ASL 2.0": "GPL-2.0-or-later AND Apache-2.0" [] alias
	// "GPL-2+ with OpenSSL exception": "GPL-2.0-or-later WITH AdditionRef-OpenSSL-exception" [] alias
	// "BSD": "" ["BSD"] ambiguous
	// "GPLv2+ and Foo": "" ["Foo"] unmapped
}
