package formats

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/rules/rgi"
)

// aggregator turns identification results into a FormatInventory as they
// arrive: the summary and per-directory counts are kept incrementally, so
// that with ActionOnly a tree of millions of files costs memory only for
// the files to act on.
type aggregator struct {
	mu         sync.Mutex // the walker reports skipped and unreadable entries concurrently
	inv        *sillage.FormatInventory
	tab        *rgi.Table
	actionOnly bool
	summary    map[summaryKey]*sillage.FormatSummary
	puids      map[summaryKey]map[string]bool
	dirs       map[string]*sillage.DirectoryOffender
}

type summaryKey struct{ id, variant string }

func newAggregator(inv *sillage.FormatInventory, tab *rgi.Table, actionOnly bool) *aggregator {
	return &aggregator{inv: inv, tab: tab, actionOnly: actionOnly,
		summary: map[summaryKey]*sillage.FormatSummary{}, puids: map[summaryKey]map[string]bool{},
		dirs: map[string]*sillage.DirectoryOffender{}}
}

func (a *aggregator) skipped() {
	a.mu.Lock()
	a.inv.Totals.Skipped++
	a.mu.Unlock()
}

func (a *aggregator) vanished() {
	a.mu.Lock()
	a.inv.Totals.Vanished++
	a.mu.Unlock()
}

func (a *aggregator) unreadable(path string, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.inv.Totals.Unreadable++
	if len(a.inv.Unreadable) < maxUnreadableListed {
		p, _ := displayPath(path)
		a.inv.Unreadable = append(a.inv.Unreadable, sillage.UnreadablePath{Path: p, Error: errorText(err)})
	}
}

// errorText is the cause of a file error without the path, which the
// listing already shows: "permission denied".
func errorText(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}

// status is what the table says about a match: the reported RGI status,
// the action and severity, with OOXML Transitional's own rating.
type status struct {
	rgiStatus, confidence, unverified, action, replacement string
	severity                                               sillage.Severity
}

func statusOf(m Match) status {
	f := m.Format
	if f == nil {
		return status{action: rgi.ActionNone, severity: sillage.SeverityInfo}
	}
	s := status{rgiStatus: f.Reported(), confidence: f.RGI.Confidence, action: f.Action, severity: sillage.Severity(f.Severity)}
	if s.rgiStatus == rgi.StatusUnverified && f.RGI.Status != rgi.StatusUnknown {
		s.unverified = f.RGI.Status
	}
	if len(f.Replacement) > 0 {
		s.replacement = f.Replacement[0]
	}
	if c := f.ConformanceClassCheck; c != nil && m.Variant == "transitional" {
		if c.OnTransitonal.RGIStatus != "" && rgi.Reportable(f.RGI.Confidence) {
			s.rgiStatus = c.OnTransitonal.RGIStatus
		}
		if c.OnTransitonal.Severity != "" {
			s.severity = sillage.Severity(c.OnTransitonal.Severity)
		}
	}
	return s
}

func (a *aggregator) add(r result) {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case r.vanish:
		a.inv.Totals.Vanished++
		return
	case r.err != nil:
		a.inv.Totals.Unreadable++
		if len(a.inv.Unreadable) < maxUnreadableListed {
			p, _ := displayPath(r.display)
			a.inv.Unreadable = append(a.inv.Unreadable, sillage.UnreadablePath{Path: p, Error: errorText(r.err)})
		}
		return
	}
	m := r.m
	st := statusOf(m)
	t := &a.inv.Totals
	if r.member {
		t.ArchiveMembers++
	} else {
		t.Files++
		t.Bytes += r.size
	}
	if m.Format == nil {
		t.Unidentified++
	}
	switch st.action {
	case rgi.ActionMigrate:
		t.Migrate++
	case rgi.ActionReview:
		t.Review++
	}
	k := summaryKey{m.FormatID(), m.Variant}
	s := a.summary[k]
	if s == nil {
		s = &sillage.FormatSummary{FormatID: k.id, Variant: k.variant, RGIStatus: st.rgiStatus, Confidence: st.confidence,
			UnverifiedStatus: st.unverified, Action: st.action, Severity: st.severity, Replacement: st.replacement,
			ConvertWith: []sillage.ConvertTool{}}
		if m.Format != nil {
			s.Name = m.Format.Name
			for _, c := range m.Format.ConvertWith {
				s.ConvertWith = append(s.ConvertWith, sillage.ConvertTool{SILLID: strconv.Itoa(c.SILL), Name: c.Name})
			}
		} else {
			s.Name = "Unidentified"
		}
		a.summary[k] = s
		a.puids[k] = map[string]bool{}
	}
	s.Files++
	s.Bytes += r.size
	if m.PUID != "" {
		a.puids[k][m.PUID] = true
	}
	if st.action != rgi.ActionNone {
		d := a.dirs[r.dir]
		if d == nil {
			p, _ := displayPath(r.dir)
			d = &sillage.DirectoryOffender{Path: p, ByFormat: map[string]int{}}
			a.dirs[r.dir] = d
		}
		if st.action == rgi.ActionMigrate {
			d.Migrate++
			d.Bytes += r.size
			d.ByFormat[k.id]++
		} else {
			d.Review++
		}
	}
	if a.actionOnly && st.action == rgi.ActionNone {
		return
	}
	p, raw := displayPath(r.display)
	a.inv.Files = append(a.inv.Files, sillage.FileFormat{
		Path: p, PathBase64: raw, FormatID: k.id, Variant: m.Variant, PUID: m.PUID,
		RGIStatus: st.rgiStatus, Confidence: st.confidence, Action: st.action, Replacement: st.replacement,
		Size: r.size, Basis: m.Basis, Detail: m.Detail, ExtensionMismatch: m.ExtensionMismatch, Problem: m.Problem,
	})
}

func (a *aggregator) finish() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for k, s := range a.summary {
		for p := range a.puids[k] {
			s.PUIDs = append(s.PUIDs, p)
		}
		a.inv.Summary = append(a.inv.Summary, *s)
	}
	var ds []sillage.DirectoryOffender
	for _, d := range a.dirs {
		if d.Migrate > 0 {
			ds = append(ds, *d)
		}
	}
	slices.SortFunc(ds, func(x, y sillage.DirectoryOffender) int {
		return cmp.Or(cmp.Compare(y.Migrate, x.Migrate), cmp.Compare(y.Bytes, x.Bytes), strings.Compare(x.Path, y.Path))
	})
	if len(ds) > maxDirectories {
		ds = ds[:maxDirectories]
	}
	a.inv.Directories = ds
}
