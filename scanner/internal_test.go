package scanner

import (
	"testing"

	"github.com/anchore/syft/syft/pkg"

	"github.com/sillage-oss/sillage"
)

func TestSourceRPMName(t *testing.T) {
	tests := map[string]string{
		"bash-5.1.8-6.el9.src.rpm":              "bash",
		"python-requests-2.25.1-8.fc35.src.rpm": "python-requests",
		"glibc-2.34-60.el9.src.rpm":             "glibc",
		"":                                      "",
		"not-an-srpm.rpm":                       "",
		"x.src.rpm":                             "",
	}
	for in, want := range tests {
		if got := sourceRPMName(in); got != want {
			t.Errorf("sourceRPMName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestComponentType(t *testing.T) {
	tests := map[pkg.Type]sillage.Type{
		pkg.DebPkg:                sillage.TypeDeb,
		pkg.RpmPkg:                sillage.TypeRPM,
		pkg.ApkPkg:                sillage.TypeAPK,
		pkg.NpmPkg:                sillage.TypeNPM,
		pkg.PythonPkg:             sillage.TypePyPI,
		pkg.GoModulePkg:           sillage.TypeGolang,
		pkg.JavaPkg:               sillage.TypeMaven,
		pkg.JenkinsPluginPkg:      sillage.TypeMaven,
		pkg.GemPkg:                sillage.TypeGem,
		pkg.RustPkg:               sillage.TypeCargo,
		pkg.DotnetPkg:             sillage.TypeNuGet,
		pkg.BinaryPkg:             sillage.TypeBinary,
		pkg.GraalVMNativeImagePkg: sillage.TypeBinary,
		pkg.AppleAppBundlePkg:     sillage.TypeMacOS,
		pkg.KbPkg:                 sillage.TypeWindows,
		pkg.PhpComposerPkg:        "composer",
		pkg.LinuxKernelPkg:        "linux-kernel",
		pkg.UnknownPkg:            sillage.TypeUnknown,
		"":                        sillage.TypeUnknown,
	}
	for in, want := range tests {
		if got := componentType(in); got != want {
			t.Errorf("componentType(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJoinAnd(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"MIT"}, "MIT"},
		{[]string{"MIT", "Zlib"}, "MIT AND Zlib"},
		{[]string{"MIT OR Apache-2.0", "Zlib"}, "(MIT OR Apache-2.0) AND Zlib"},
	}
	for _, tt := range tests {
		if got := joinAnd(tt.in); got != tt.want {
			t.Errorf("joinAnd(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
