package licensedetect

import (
	"crypto/sha256"
	"fmt"
	"testing"

	"github.com/google/licensecheck"
)

// TestFingerprintSeparatesPatterns: the fingerprint names the cache file, so
// two pattern lists that a matcher could answer differently must never share
// one.
func TestFingerprintSeparatesPatterns(t *testing.T) {
	base := []licensecheck.License{
		{ID: "MIT", URL: "https://x/mit", LRE: "permission is hereby granted"},
		{ID: "ISC", LRE: "permission to use copy modify"},
	}
	variants := map[string][]licensecheck.License{
		"changed text": {
			{ID: "MIT", URL: "https://x/mit", LRE: "permission is hereby granted free"},
			{ID: "ISC", LRE: "permission to use copy modify"},
		},
		"changed id": {
			{ID: "MIT-0", URL: "https://x/mit", LRE: "permission is hereby granted"},
			{ID: "ISC", LRE: "permission to use copy modify"},
		},
		"changed url": {
			{ID: "MIT", URL: "https://y/mit", LRE: "permission is hereby granted"},
			{ID: "ISC", LRE: "permission to use copy modify"},
		},
		"order": {
			{ID: "ISC", LRE: "permission to use copy modify"},
			{ID: "MIT", URL: "https://x/mit", LRE: "permission is hereby granted"},
		},
		"field boundary moved": {
			{ID: "MIThttps://x/mit", LRE: "permission is hereby granted"},
			{ID: "ISC", LRE: "permission to use copy modify"},
		},
		"pattern boundary moved": {
			{ID: "MIT", URL: "https://x/mit", LRE: "permission is hereby granted"},
			{ID: "ISC", LRE: "permission to use copy"},
			{LRE: "modify"},
		},
		"one pattern less": base[:1],
	}
	want := fingerprint(base)
	if again := fingerprint(base); again != want {
		t.Fatalf("fingerprint is not stable: %s then %s", want, again)
	}
	seen := map[string]string{want: "base"}
	for name, list := range variants {
		got := fingerprint(list)
		if prev, dup := seen[got]; dup {
			t.Errorf("%s: same fingerprint as %s (%s)", name, prev, got)
		}
		seen[got] = name
	}
}

// BenchmarkFingerprint measures naming the cache file of the shipped
// detector, which every scan with a cache does before anything is matched,
// against the way it was first done (every field quoted with %q) as the
// baseline of the same run.
func BenchmarkFingerprint(b *testing.B) {
	d, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	list, err := d.patterns()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("quoted", func(b *testing.B) {
		for b.Loop() {
			h := sha256.New()
			for _, l := range list {
				fmt.Fprintf(h, "%q %q %q\n", l.ID, l.URL, l.LRE)
			}
			h.Sum(nil)
		}
	})
	b.Run("shipped", func(b *testing.B) {
		for b.Loop() {
			fingerprint(list)
		}
	})
}
