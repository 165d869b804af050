package hostscan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gabriel-vasile/mimetype"
)

func TestMayBeExecutable(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"bash", true},
		{"libc.so.6", true},
		{"python3.11", true},
		{"app.exe", true},
		{"Foo.DLL", true},
		{".hidden", true},
		{"trailing.", true},
		{"README.md", false},
		{"changelog.Debian.gz", false},
		{"module.PY", false},
		{"crt1.o", false},
		{"commons-cli.jar", false},
	}
	for _, tt := range tests {
		if got := mayBeExecutable(tt.name); got != tt.want {
			t.Errorf("mayBeExecutable(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestSniffFileMatchesMimetype checks the executable fast path against mimetype itself: a file without
// executable magic is never an executable type, and one with it gets mimetype's own answer.
func TestSniffFileMatchesMimetype(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{
		"text":    "hello\n",
		"script":  "#!/bin/sh\necho hi\n",
		"mz-text": "MZ is not always a PE file",
		"class":   "\xca\xfe\xba\xbe\x00\x00\x00\x34rest of a java class",
		"empty":   "",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	paths := []string{exe}
	for name := range files {
		paths = append(paths, filepath.Join(dir, name))
	}
	for _, p := range paths {
		want := ""
		if b, err := os.ReadFile(p); err == nil && len(b) > 0 {
			want = strings.Split(mimetype.Detect(b).String(), ";")[0]
		}
		full, _ := sniffFile(p, false, make([]byte, sniffLen))
		if full != want {
			t.Errorf("%s: full sniff %q, mimetype %q", filepath.Base(p), full, want)
		}
		fast, complete := sniffFile(p, true, make([]byte, sniffLen))
		if executableTypes[want] && fast != want {
			t.Errorf("%s: executable sniff %q, want %q", filepath.Base(p), fast, want)
		}
		if !executableTypes[want] && executableTypes[fast] {
			t.Errorf("%s: executable sniff %q for a %q file", filepath.Base(p), fast, want)
		}
		if !complete && fast != "" {
			t.Errorf("%s: incomplete answer %q", filepath.Base(p), fast)
		}
	}
}
