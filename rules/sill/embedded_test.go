package sill

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestEmbedded guarantees that Embedded never panics: the embedded
// snapshot converts, with the counts SOURCE.md gives.
func TestEmbedded(t *testing.T) {
	c, err := convertSnapshot(snapshotFS)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(c.Software); got != 240 {
		t.Errorf("entries = %d, want 240", got)
	}
	counts := map[Status]int{}
	for _, s := range c.Software {
		counts[s.Status()]++
	}
	want := map[Status]int{StatusRecommended: 180, StatusInObservation: 48, StatusNoLongerRecommended: 12}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("status counts (-want +got):\n%s", diff)
	}
	if !slices.IsSortedFunc(c.Software, func(a, b Software) int { return a.ID - b.ID }) {
		t.Error("entries not sorted by id")
	}
	if first, again := Embedded(), Embedded(); first != again {
		t.Error("Embedded is not parsed once")
	}
}

func TestEmbeddedSource(t *testing.T) {
	src := Embedded().Source
	sum := sha256.Sum256(mustRead(t, "data/sill.json"))
	want := Source{
		Kind:    SourceEmbedded,
		URL:     SnapshotURL,
		Date:    time.Date(2022, 5, 10, 0, 0, 0, 0, time.UTC),
		Version: "2022-05-10",
		Entries: 240,
		SHA256:  hex.EncodeToString(sum[:]),
	}
	if diff := cmp.Diff(want, src); diff != "" {
		t.Errorf("Source (-want +got):\n%s", diff)
	}
	ref := Embedded().Ref()
	if ref.Name != "sill" || ref.Version != "2022-05-10" || ref.Source != "embedded" {
		t.Errorf("Ref() = %+v", ref)
	}
	if got, want := src.Describe(), "embedded SILL snapshot of 2022-05-10 (240 entries)"; got != want {
		t.Errorf("Describe() = %q, want %q", got, want)
	}
}

// TestEmbeddedFilesUnchanged pins the checksums data/SOURCE.md records.
func TestEmbeddedFilesUnchanged(t *testing.T) {
	for name, want := range map[string]string{
		"data/sill.json":         "c2186723cc2940af369754ad731c5ef28bd06e00c3f51881ec62aa73363d493e",
		"data/software.csv":      "d472ab3b62d07c5b4b9e4e3d04fa6da734f676196c07aeeb725a72b2ca9ef60a",
		"data/sill-updates.json": "2afed4ecc050615bea1841d82ed3bc3d1d720639bf10575186facf0b9eceeb6e",
	} {
		sum := sha256.Sum256(mustRead(t, name))
		if got := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%s: sha256 %s, want %s (see data/SOURCE.md)", name, got, want)
		}
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := snapshotFS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEmbeddedLibreOffice(t *testing.T) {
	s, ok := Embedded().ByID(78)
	if !ok {
		t.Fatal("no id 78")
	}
	checks := []struct {
		what      string
		got, want any
	}{
		{"Name", s.Name, "LibreOffice"},
		{"Status", s.Status(), StatusRecommended},
		{"WikidataID", s.WikidataID(), "Q10135"},
		{"support contract", s.IsPresentInSupportContract, true},
		{"ComptoirDuLibreID", s.ComptoirDuLibreID(), 33},
		{"ComptoirDuLibreURL", s.ComptoirDuLibreURL(), "https://comptoir-du-libre.org/fr/softwares/33"},
		{"License", s.License, "MPL-2.0"},
		{"Description (function)", s.Description, "Suite bureautique"},
		{"Categories (component)", []string(s.Categories), []string{"Consultation et édition de documents"}},
		{"VersionMin", s.VersionMin, "Dernière stable"},
		{"external source", s.SoftwareExternalData.SourceSlug, "wikidata"},
		{"external id", s.SoftwareExternalData.ExternalID, "Q10135"},
		{"website", s.SoftwareExternalData.Website(), "https://www.libreoffice.org"},
		{"repository", s.SoftwareExternalData.Repository(), "https://git.libreoffice.org/core"},
		{"en description", s.SoftwareExternalData.Description.Text("en"), "Office suite supported by the free software community"},
		{"years", s.SILL2022.Years, []int{2018, 2019, 2020, 2021, 2022}},
		{"group", s.SILL2022.Group, "MIMO"},
		{"referenced since", s.ReferencedSinceTime.Time(), time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, c := range checks {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.what, diff)
		}
	}
	if v, ok := s.MinVersion(); ok || v != "Dernière stable" {
		t.Errorf("MinVersion() = %q, %v; want \"Dernière stable\", false", v, ok)
	}
}

// TestEmbeddedWikidataJoin checks the join with software.csv: every CSV
// Q-id reaches its entry, and the nine entries only in sill.json have none.
func TestEmbeddedWikidataJoin(t *testing.T) {
	f, err := os.Open("data/software.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	inCSV := map[int]bool{}
	withQ := 0
	for _, r := range recs[1:] {
		id := atoi(t, r[0])
		inCSV[id] = true
		s, ok := Embedded().ByID(id)
		if !ok {
			t.Errorf("CSV id %d not in the catalogue", id)
			continue
		}
		if got := s.WikidataID(); got != r[9] {
			t.Errorf("id %d: WikidataID() = %q, want %q (CSV)", id, got, r[9])
		}
		if r[9] != "" {
			withQ++
		}
	}
	if withQ != 166 {
		t.Errorf("%d entries with a Q-id, want 166 (SOURCE.md)", withQ)
	}
	var only []int
	for _, s := range Embedded().Software {
		if !inCSV[s.ID] {
			only = append(only, s.ID)
			if q := s.WikidataID(); q != "" {
				t.Errorf("id %d is not in the CSV but has Wikidata id %q", s.ID, q)
			}
		}
	}
	if diff := cmp.Diff([]int{56, 235, 236, 237, 238, 239, 240, 241, 242}, only); diff != "" {
		t.Errorf("entries only in sill.json (-want +got):\n%s", diff)
	}
}

func TestEmbeddedSimilar(t *testing.T) {
	onyxia, ok := Embedded().ByID(233)
	if !ok {
		t.Fatal("no Onyxia (233)")
	}
	if diff := cmp.Diff([]string{"AWS", "Google Cloud Platform", "Microsoft Azure"}, onyxia.SILL2022.SimilarNames); diff != "" {
		t.Errorf("Onyxia similar names (-want +got):\n%s", diff)
	}
	if onyxia.SILL2022.SimilarIDs != nil {
		t.Errorf("Onyxia similar ids = %v, want none", onyxia.SILL2022.SimilarIDs)
	}
	jitsi, _ := Embedded().ByID(67)
	if diff := cmp.Diff([]int{196}, jitsi.SILL2022.SimilarIDs); diff != "" {
		t.Errorf("Jitsi similar ids (-want +got):\n%s", diff)
	}
	moodle, _ := Embedded().ByID(208) // "209, 216": comma-separated
	if diff := cmp.Diff([]int{209, 216}, moodle.SILL2022.SimilarIDs); diff != "" {
		t.Errorf("Moodle similar ids (-want +got):\n%s", diff)
	}
	n := 0
	for _, s := range Embedded().Software {
		for _, id := range s.SILL2022.SimilarIDs {
			n++
			if _, ok := Embedded().ByID(id); !ok {
				t.Errorf("id %d: similar id %d is not in the catalogue", s.ID, id)
			}
		}
		if len(s.SimilarExternalSoftwares) != 0 {
			t.Errorf("id %d: similarExternalSoftwares set from 2022 data", s.ID)
		}
	}
	if n == 0 {
		t.Error("no similar ids at all")
	}
}

func TestEmbeddedStatuses(t *testing.T) {
	c := Embedded()
	get := func(id int) Software {
		t.Helper()
		s, ok := c.ByID(id)
		if !ok {
			t.Fatalf("no id %d", id)
		}
		return s
	}
	if s := get(61); s.Status() != StatusInObservation || !s.IsStillInObservation { // Inkscape, "O"
		t.Errorf("Inkscape: status %s", s.Status())
	}
	mongo := get(88) // "FR", removed 2020-02-18
	want := &Dereferencing{
		Reason: "Suppression de MongoDB, licence non approuvée par OSI/FSF",
		Time:   MillisOf(time.Date(2020, 2, 18, 0, 0, 0, 0, time.UTC)),
	}
	if diff := cmp.Diff(want, mongo.Dereferencing); diff != "" {
		t.Errorf("MongoDB dereferencing (-want +got):\n%s", diff)
	}
	audacity := get(14) // "FR" by a "Mise à jour" event, with a maximal version
	if d := audacity.Dereferencing; d == nil || d.LastRecommendedVersion != "2.4.2" ||
		d.Time.Time() != time.Date(2021, 7, 27, 0, 0, 0, 0, time.UTC) {
		t.Errorf("Audacity dereferencing = %+v", audacity.Dereferencing)
	}
	nagios := get(46) // "FR", no event: time unknown
	if d := nagios.Dereferencing; d == nil || d.Time != 0 || d.Reason != "" {
		t.Errorf("Nagios dereferencing = %+v", nagios.Dereferencing)
	}
	// The change log's "Shinken" removal carries SOAP UI's id (132): it must
	// not date SOAP UI.
	soap := get(132)
	if soap.Dereferencing != nil {
		t.Errorf("SOAP UI dereferenced: %+v", soap.Dereferencing)
	}
	if got := soap.UpdateTime.Time(); got != time.Date(2021, 1, 13, 0, 0, 0, 0, time.UTC) {
		t.Errorf("SOAP UI updated %v, want 2021-01-13 (its own event)", got)
	}
	onyxia := get(233) // added 2022-01-17 ("Ajout")
	if got := onyxia.ReferencedSinceTime.Time(); got != time.Date(2022, 1, 17, 0, 0, 0, 0, time.UTC) {
		t.Errorf("Onyxia referenced since %v", got)
	}
	if !onyxia.IsFromFrenchPublicService {
		t.Error("Onyxia: not from the public service")
	}
	if diff := cmp.Diff([]string{"https://www.dailymotion.com/video/x85y31u?playlist=x767bq"}, onyxia.WorkshopURLs); diff != "" {
		t.Errorf("Onyxia workshops (-want +got):\n%s", diff)
	}
	if got := get(57).SILL2022.Parent; got != "Firefox" {
		t.Errorf("Grammalecte (57) parent = %q", got)
	}
}

func TestEmbeddedFields(t *testing.T) {
	for _, s := range Embedded().Software {
		if s.SILL2022 == nil || s.SILL2022.Function == "" || len(s.SILL2022.Years) == 0 {
			t.Errorf("id %d: 2022 fields missing: %+v", s.ID, s.SILL2022)
			continue
		}
		if s.ReferencedSinceTime == 0 || s.UpdateTime < s.ReferencedSinceTime {
			t.Errorf("id %d: referenced %v, updated %v", s.ID, s.ReferencedSinceTime.Time(), s.UpdateTime.Time())
		}
		if s.UpdateTime.Time().After(SnapshotDate) {
			t.Errorf("id %d: updated after the snapshot: %v", s.ID, s.UpdateTime.Time())
		}
		if s.ComptoirDuLibreSoftware != nil && s.ComptoirDuLibreURL() == "" {
			t.Errorf("id %d: no Comptoir du Libre URL", s.ID)
		}
	}
	withCDL := 0
	for _, s := range Embedded().Software {
		if s.ComptoirDuLibreID() > 0 {
			withCDL++
		}
	}
	if withCDL != 227 {
		t.Errorf("%d entries with a Comptoir du Libre id, want 227", withCDL)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
