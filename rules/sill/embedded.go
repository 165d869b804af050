package sill

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The 2022 snapshot, byte for byte as published; data/SOURCE.md gives its
// provenance and licence.
//
//go:embed data/sill.json data/software.csv data/sill-updates.json
var snapshotFS embed.FS

// SnapshotDate is the date of the embedded 2022 snapshot: the last change
// of sill.json in etalab/sill-contents (commit 59dbc8c9).
var SnapshotDate = time.Date(2022, 5, 10, 0, 0, 0, 0, time.UTC)

// SnapshotURL is where the embedded sill.json was published: its path in
// the archived etalab/sill-contents repository, at the archive commit.
const SnapshotURL = "https://github.com/etalab/sill-contents/blob/1263e08b9f721facd29304b0d8c9a66340b59283/docs/sill.json"

// Embedded returns the 2022 snapshot compiled into sillage, converted to
// the live model (see data/SOURCE.md for how its fields map). It is parsed
// on first use and shared: callers must not modify it. It never fails:
// TestEmbedded guarantees that the embedded data converts.
func Embedded() *Catalog { return embedded() }

var embedded = sync.OnceValue(func() *Catalog {
	c, err := convertSnapshot(snapshotFS)
	if err != nil {
		panic("sill: embedded 2022 snapshot: " + err.Error())
	}
	return c
})

// entry2022 is one element of the 2022 sill.json. Every value is a string
// except the Wikidata-derived ones, which may be null.
type entry2022 struct {
	ID         string  `json:"id"`
	Name       string  `json:"i"`
	Function   string  `json:"f"`
	Years      string  `json:"y"`
	Status     string  `json:"st"`
	License    string  `json:"l"`
	VersionMin string  `json:"v-"`
	VersionMax string  `json:"v+"`
	Group      string  `json:"g"`
	Sector     string  `json:"se"`
	Component  string  `json:"c"`
	Parent     string  `json:"p"`
	Similar    string  `json:"si"`
	Public     string  `json:"a"`
	Support    string  `json:"su"`
	Comptoir   string  `json:"co"`
	Usage      string  `json:"u"`
	Label      string  `json:"la"`
	Website    *string `json:"website"`
	Sources    *string `json:"sources"`
	Doc        *string `json:"doc"`
	Logo       *string `json:"logo"`
	FrDesc     *string `json:"fr-desc"`
	EnDesc     *string `json:"en-desc"`
	Frama      *struct {
		EncodedName string `json:"encoded-name"`
	} `json:"frama"`
}

// row2022 holds the columns of software.csv that sill.json lacks.
type row2022 struct {
	wikidata, workshop, useCase, test string
}

// event2022 is one element of sill-updates.json.
type event2022 struct {
	Type    string `json:"type"` // "Ajout", "Mise à jour", "Suppression"
	Name    string `json:"logiciel"`
	ID      string `json:"id"`
	Comment string `json:"commentaire"`
	Date    string `json:"date"` // "<2022-05-09 lun.>"
	time    time.Time
}

// convertSnapshot reads the three snapshot files of fsys (under data/) and
// converts them to a catalogue.
func convertSnapshot(fsys embed.FS) (*Catalog, error) {
	raw, err := fsys.ReadFile("data/sill.json")
	if err != nil {
		return nil, err
	}
	var entries []entry2022
	if err := json.Unmarshal(raw, &entries); err != nil {
		return nil, fmt.Errorf("sill.json: %w", err)
	}
	csvData, err := fsys.ReadFile("data/software.csv")
	if err != nil {
		return nil, err
	}
	rows, err := readCSV2022(bytes.NewReader(csvData))
	if err != nil {
		return nil, fmt.Errorf("software.csv: %w", err)
	}
	updates, err := fsys.ReadFile("data/sill-updates.json")
	if err != nil {
		return nil, err
	}
	events, err := readEvents2022(updates)
	if err != nil {
		return nil, fmt.Errorf("sill-updates.json: %w", err)
	}
	sw := make([]Software, 0, len(entries))
	seen := make(map[int]bool, len(entries))
	for i, e := range entries {
		s, err := convert2022(e, rows[e.ID], events[e.ID])
		if err != nil {
			return nil, fmt.Errorf("sill.json entry %d (id %q): %w", i, e.ID, err)
		}
		if seen[s.ID] {
			return nil, fmt.Errorf("sill.json entry %d: duplicate id %d", i, s.ID)
		}
		seen[s.ID] = true
		sw = append(sw, s)
	}
	sum := sha256.Sum256(raw)
	return newCatalog(sw, Source{
		Kind:    SourceEmbedded,
		URL:     SnapshotURL,
		Date:    SnapshotDate,
		Version: SnapshotDate.Format(time.DateOnly),
		SHA256:  hex.EncodeToString(sum[:]),
	}), nil
}

// readCSV2022 indexes software.csv by ID.
func readCSV2022(r io.Reader) (map[string]row2022, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, err
	}
	col := make(map[string]int, len(header))
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	for _, want := range []string{"ID", "wikidata", "atelier", "fiche", "test"} {
		if _, ok := col[want]; !ok {
			return nil, fmt.Errorf("no %q column", want)
		}
	}
	out := make(map[string]row2022)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		get := func(name string) string { return strings.TrimSpace(rec[col[name]]) }
		out[get("ID")] = row2022{wikidata: get("wikidata"), workshop: get("atelier"), useCase: get("fiche"), test: get("test")}
	}
}

var orgDate = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)

// readEvents2022 groups the change log by SILL id, oldest first. Removed
// entries ("0") are dropped.
func readEvents2022(data []byte) (map[string][]event2022, error) {
	var events []event2022
	if err := json.Unmarshal(data, &events); err != nil {
		return nil, err
	}
	out := make(map[string][]event2022)
	for i, e := range events {
		d := orgDate.FindString(e.Date)
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return nil, fmt.Errorf("event %d: date %q", i, e.Date)
		}
		e.time = t
		if e.ID != "0" {
			out[e.ID] = append(out[e.ID], e)
		}
	}
	for _, evs := range out {
		slices.SortStableFunc(evs, func(a, b event2022) int { return a.time.Compare(b.time) })
	}
	return out, nil
}

// convert2022 converts one 2022 entry, with its CSV row (zero when the CSV
// lacks it) and change-log events, to the live model.
func convert2022(e entry2022, row row2022, events []event2022) (Software, error) {
	id, err := strconv.Atoi(strings.TrimSpace(e.ID))
	if err != nil || id <= 0 {
		return Software{}, fmt.Errorf("id %q is not a positive integer", e.ID)
	}
	name := strings.TrimSpace(e.Name)
	if name == "" {
		return Software{}, fmt.Errorf("no name")
	}
	years, err := parseYears(e.Years)
	if err != nil {
		return Software{}, err
	}
	legacy := &Snapshot2022{
		Function:   strings.TrimSpace(e.Function),
		Years:      years,
		Status:     e.Status,
		Group:      e.Group,
		Sector:     e.Sector,
		Component:  strings.TrimSpace(e.Component),
		Parent:     strings.TrimSpace(e.Parent),
		VersionMax: strings.TrimSpace(e.VersionMax),
		WikidataID: row.wikidata,
		LabelURL:   strings.TrimSpace(e.Label),
		UseCaseURL: row.useCase,
		TestURL:    row.test,
	}
	if row.wikidata != "" && !wikidataQID.MatchString(row.wikidata) {
		return Software{}, fmt.Errorf("software.csv wikidata %q is not a Q-id", row.wikidata)
	}
	if e.Frama != nil {
		legacy.FramalibreID = e.Frama.EncodedName
	}
	legacy.SimilarIDs, legacy.SimilarNames = parseSimilar(e.Similar)

	s := Software{
		ID:                         id,
		Name:                       name,
		Description:                legacy.Function,
		IsFromFrenchPublicService:  e.Public == "Oui",
		IsPresentInSupportContract: e.Support == "Oui",
		License:                    strings.TrimSpace(e.License),
		VersionMin:                 strings.TrimSpace(e.VersionMin),
		GeneralInfoMd:              strings.TrimSpace(e.Usage),
		LogoURL:                    deref(e.Logo),
		SILL2022:                   legacy,
	}
	if legacy.Component != "" {
		s.Categories = Strings{legacy.Component}
	}
	if row.workshop != "" {
		s.WorkshopURLs = []string{row.workshop}
	}
	switch e.Status {
	case "R":
	case "O":
		s.IsStillInObservation = true
	case "FR":
		s.Dereferencing = dereferencing2022(name, legacy.VersionMax, events)
	default:
		return Software{}, fmt.Errorf("status %q is not R, O or FR", e.Status)
	}
	if co := strings.TrimSpace(e.Comptoir); co != "" {
		n, err := strconv.Atoi(co)
		if err != nil || n <= 0 {
			return Software{}, fmt.Errorf("comptoir-du-libre %q is not a positive integer", co)
		}
		s.ComptoirDuLibreSoftware = &ComptoirDuLibre{ID: n}
	}
	if ext := external2022(e, row.wikidata); ext != nil {
		s.SoftwareExternalData = ext
	}
	s.ReferencedSinceTime, s.UpdateTime = dates2022(name, years, events)
	return s, nil
}

// external2022 gathers the Wikidata-derived fields, nil when there are
// none. The source is Wikidata even when the Q-id is unknown: sill.json's
// consolidation fetched these fields from Wikidata and dropped the id.
func external2022(e entry2022, qid string) *ExternalData {
	desc := LocalizedString{}
	if d := deref(e.FrDesc); d != "" {
		desc["fr"] = d
	}
	if d := deref(e.EnDesc); d != "" {
		desc["en"] = d
	}
	if len(desc) == 0 {
		desc = nil
	}
	x := &ExternalData{
		ExternalID:       qid,
		SourceSlug:       "wikidata",
		Description:      desc,
		LogoURL:          deref(e.Logo),
		WebsiteURL:       deref(e.Website),
		SourceURL:        deref(e.Sources),
		DocumentationURL: deref(e.Doc),
	}
	if qid == "" && desc == nil && x.LogoURL == "" && x.WebsiteURL == "" && x.SourceURL == "" && x.DocumentationURL == "" {
		return nil
	}
	return x
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return strings.TrimSpace(*p)
}

// parseYears reads "2018 ; 2019 ; 2020 ;" as [2018 2019 2020].
func parseYears(s string) ([]int, error) {
	var out []int
	for part := range strings.SplitSeq(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		y, err := strconv.Atoi(part)
		if err != nil || y < 2000 || y > 2100 {
			return nil, fmt.Errorf("year %q in %q", part, s)
		}
		out = append(out, y)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// parseSimilar reads "similaire-a": SILL ids separated by ";" or ",", or,
// when any part is not a number, names (Onyxia's "AWS, Google Cloud
// Platform, Microsoft Azure").
func parseSimilar(s string) (ids []int, names []string) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' })
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			names = append(names, p)
		}
	}
	for _, p := range names {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 {
			return nil, names
		}
		ids = append(ids, n)
	}
	return ids, nil
}

// matching keeps the events whose software name is compatible with name:
// the change log sometimes reuses an id for another software (its
// "Shinken" removal carries SOAP UI's id 132).
func matching(name string, events []event2022) []event2022 {
	a := compact(fold(name))
	var out []event2022
	for _, e := range events {
		b := compact(fold(e.Name))
		if a == "" || b == "" {
			continue
		}
		if strings.Contains(a, b) || strings.Contains(b, a) || (len(a) >= 4 && len(b) >= 4 && a[:4] == b[:4]) {
			out = append(out, e)
		}
	}
	return out
}

// dates2022 returns when an entry was added (its "Ajout" event, else 1
// January of the first SILL edition that listed it) and last changed (its
// latest event, else when it was added). Dates are midnight UTC.
func dates2022(name string, years []int, events []event2022) (added, updated Millis) {
	evs := matching(name, events)
	for _, e := range evs {
		if e.Type == "Ajout" {
			added = MillisOf(e.time)
			break
		}
	}
	if added == 0 && len(years) > 0 {
		added = MillisOf(time.Date(years[0], 1, 1, 0, 0, 0, 0, time.UTC))
	}
	updated = added
	if len(evs) > 0 {
		updated = max(updated, MillisOf(evs[len(evs)-1].time))
	}
	return added, updated
}

// dereferencing2022 builds the Dereferencing of an "FR" entry from its
// latest removal event ("Suppression"), else its latest event that speaks
// of the end of recommendation ("fin de recommandation"). Time is 0 and
// Reason empty when the change log says nothing.
func dereferencing2022(name, versionMax string, events []event2022) *Dereferencing {
	d := &Dereferencing{LastRecommendedVersion: versionMax}
	evs := matching(name, events)
	var found *event2022
	for i := range evs {
		if evs[i].Type == "Suppression" {
			found = &evs[i]
		}
	}
	if found == nil {
		for i := range evs {
			if strings.Contains(fold(evs[i].Comment), "fin de recommandation") {
				found = &evs[i]
			}
		}
	}
	if found != nil {
		d.Time = MillisOf(found.time)
		d.Reason = found.Comment
	}
	return d
}
