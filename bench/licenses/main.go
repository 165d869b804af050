// Command licenses measures scanner/licensedetect: how many licence texts it
// identifies right, wrong or not at all, on the texts of the SPDX licence
// list and on a held-out corpus of real licence texts (Debian's copyright
// files and common-licenses), against raw licensecheck; the precision and
// recall across coverage thresholds; the cost of building the matcher; and
// the throughput of Walk over large trees against one worker and against
// licensecheck's own Scan run sequentially on the same files.
//
// Usage (from the repository root; see README.md for the inputs):
//
//	go run ./bench/licenses -spdx DIR [-debian ROOT,...] [-common DIR] [-walk DIR,...] [-build N] [-runs N] [-v]
//
// It reads files only and prints Markdown tables on stdout.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/licensecheck"
	"github.com/sillage-oss/sillage/rules"
	"github.com/sillage-oss/sillage/rules/spdx"
	"github.com/sillage-oss/sillage/scanner/licensedetect"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	spdx    string
	debian  []string
	common  string
	walk    []string
	npm     []string
	classif string
	readme  []string
	build   int
	runs    int
	verbose bool
}

func run(args []string, stdout, stderr io.Writer) int {
	var o options
	var debian, walk, npm, readme string
	fs := flag.NewFlagSet("licenses", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.spdx, "spdx", "", "unpacked npm package spdx-license-list (required for the accuracy tables)")
	fs.StringVar(&debian, "debian", "/", "comma-separated roots whose usr/share/doc/*/copyright are read; empty to skip")
	fs.StringVar(&o.common, "common", "/usr/share/common-licenses", "Debian common-licenses directory; empty to skip")
	fs.StringVar(&walk, "walk", "", "comma-separated trees to measure Walk's throughput on")
	fs.StringVar(&npm, "npm", "", "comma-separated node_modules trees: licence files against package.json's licence")
	fs.StringVar(&o.classif, "classifier", "", "github.com/google/licenseclassifier/v2 module directory: its licence texts as a corpus")
	fs.StringVar(&readme, "readme", "", "comma-separated trees whose README files are not licence texts: how many pass each threshold")
	fs.IntVar(&o.build, "build", 5, "how many times to build each matcher for the build time")
	fs.IntVar(&o.runs, "runs", 3, "runs per throughput measurement; the best is kept")
	fs.BoolVar(&o.verbose, "v", false, "list every wrong and unknown text")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	o.debian = split(debian)
	o.walk = split(walk)
	o.npm = split(npm)
	o.readme = split(readme)
	if err := bench(context.Background(), o, stdout); err != nil {
		fmt.Fprintln(stderr, "licenses:", err)
		return 1
	}
	return 0
}

func split(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// variant is one way of detecting, scored on every corpus.
type variant struct {
	name   string
	detect func(text []byte) finding
}

// finding is what a variant found in one text: the licences of its
// matches, in order, and their total coverage in percent.
type finding struct {
	ids      []string
	coverage float64
}

// rawLicensecheck is licensecheck.Scan with its built-in licences, ids as
// it reports them.
func rawLicensecheck(text []byte) finding {
	c := licensecheck.Scan(text)
	var f finding
	for _, m := range c.Match {
		f.ids = append(f.ids, m.ID)
	}
	f.coverage = c.Percent
	return f
}

// rawLargest is licensecheck.Scan keeping only its largest match: one id
// per text, as a classifier that names one licence per file would.
func rawLargest(text []byte) finding {
	c := licensecheck.Scan(text)
	var f finding
	best := -1
	for _, m := range c.Match {
		if best < 0 || m.End-m.Start > c.Match[best].End-c.Match[best].Start {
			best = len(f.ids)
		}
		f.ids = append(f.ids, m.ID)
	}
	if best >= 0 {
		f.ids = f.ids[best : best+1]
	}
	f.coverage = c.Percent
	return f
}

func detectorVariant(d *licensedetect.Detector) func([]byte) finding {
	return func(text []byte) finding {
		r := d.Detect(text)
		var f finding
		for _, m := range r.Matches {
			e, err := spdx.Parse(m.ID)
			if err != nil {
				f.ids = append(f.ids, m.ID)
				continue
			}
			for _, l := range spdx.Licenses(e) {
				f.ids = append(f.ids, l.ID)
			}
		}
		f.coverage = r.Coverage
		return f
	}
}

// outcome scores a finding against the expected id at a threshold.
type outcome int

const (
	unknown outcome = iota
	right
	wrong
)

// score: unknown when nothing matched or the coverage is under threshold;
// right when every matched licence is of the expected family
// (licensedetect.Family: "-only" and "-or-later" alike); wrong otherwise.
func score(f finding, want string, threshold float64) outcome {
	if len(f.ids) == 0 || f.coverage < threshold {
		return unknown
	}
	fam := licensedetect.Family(want)
	for _, id := range f.ids {
		if licensedetect.Family(id) != fam {
			return wrong
		}
	}
	return right
}

// exactID reports whether every licence found is the expected id itself,
// deprecated ids replaced: GPL-2.0-or-later for GPL-2.0-or-later, where
// score accepts GPL-2.0-only.
func exactID(f finding, want string) bool {
	cw := canonicalID(want)
	for _, id := range f.ids {
		if canonicalID(id) != cw {
			return false
		}
	}
	return len(f.ids) > 0
}

func canonicalID(id string) string {
	c, _, err := rules.Licenses().CanonicalExpression(id)
	if err != nil {
		return id
	}
	return c
}

type tally struct{ right, wrong, unknown int }

func (t tally) total() int { return t.right + t.wrong + t.unknown }

func (t *tally) add(o outcome) {
	switch o {
	case right:
		t.right++
	case wrong:
		t.wrong++
	default:
		t.unknown++
	}
}

func pct(n, d int) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(d))
}

func bench(ctx context.Context, o options, w io.Writer) error {
	fmt.Fprintf(w, "# licensedetect benchmark\n\n%s, %s/%s, GOMAXPROCS %d, %s\n\n", runtime.Version(), runtime.GOOS, runtime.GOARCH,
		runtime.GOMAXPROCS(0), time.Now().UTC().Format("2006-01-02"))
	builtin, err := licensedetect.New(licensedetect.Options{BuiltinOnly: true, Threshold: -1})
	if err != nil {
		return err
	}
	full, err := licensedetect.New(licensedetect.Options{Threshold: -1})
	if err != nil {
		return err
	}
	variants := []variant{
		{"licensecheck.Scan (raw)", rawLicensecheck},
		{"licensecheck.Scan (raw), largest match only", rawLargest},
		{"licensedetect, built-in patterns only", detectorVariant(builtin)},
		{"licensedetect (built-in + SPDX-text patterns)", detectorVariant(full)},
	}
	if o.build > 0 {
		if err := buildTimes(ctx, o.build, w); err != nil {
			return err
		}
	}

	type corpus struct {
		name    string
		samples []sample
	}
	var corpora []corpus
	if o.spdx != "" {
		s, err := spdxCorpus(o.spdx)
		if err != nil {
			return err
		}
		corpora = append(corpora, corpus{"SPDX licence list texts", s})
		checkSameText(s, w)
	}
	var real []sample
	skipped := 0
	if len(o.debian) > 0 {
		s, n, err := debianCorpus(o.debian)
		if err != nil {
			return err
		}
		real, skipped = append(real, s...), n
	}
	if o.common != "" {
		s, err := commonCorpus(o.common)
		if err != nil {
			return err
		}
		real = append(real, s...)
	}
	if len(real) > 0 {
		corpora = append(corpora, corpus{"held-out real texts (Debian copyright paragraphs, common-licenses)", real})
		fmt.Fprintf(w, "Held-out corpus: %d distinct (text, licence) pairs from %s and %s; %d paragraphs skipped "+
			"(short names that are not one SPDX licence: public-domain, GPL with an exception, custom names).\n\n",
			len(real), strings.Join(o.debian, ", "), o.common, skipped)
	}

	var texts map[string]string // SPDX id -> text, to judge the wrong ones
	if o.spdx != "" {
		texts = make(map[string]string)
		for _, s := range corpora[0].samples {
			texts[s.want] = s.text
		}
	}
	if len(o.npm) > 0 {
		s, n, err := npmCorpus(o.npm)
		if err != nil {
			return err
		}
		corpora = append(corpora, corpus{"held-out npm licence files (against package.json \"license\")", s})
		fmt.Fprintf(w, "npm corpus: %d distinct (licence file, declared id) pairs from %s; %d licence files skipped "+
			"(package.json declares no single SPDX id).\n\n", len(s), strings.Join(o.npm, ", "), n)
	}
	if o.classif != "" {
		s, n, err := classifierCorpus(o.classif)
		if err != nil {
			return err
		}
		corpora = append(corpora, corpus{"held-out licenseclassifier texts", s})
		fmt.Fprintf(w, "licenseclassifier corpus: %d texts from %s; %d skipped (not SPDX ids).\n\n", len(s), o.classif, n)
	}
	thresholds := []float64{0, 5, 10, 15, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90, 95}
	for _, c := range corpora {
		fs := make([][]finding, len(variants))
		for vi, v := range variants {
			fs[vi] = make([]finding, len(c.samples))
			for i, s := range c.samples {
				fs[vi][i] = v.detect([]byte(s.text))
			}
		}
		fmt.Fprintf(w, "## %s (%d texts)\n\n", c.name, len(c.samples))
		fmt.Fprintf(w, "| variant | threshold | right | of which exact id | wrong | unknown | precision | recall |\n|---|---|---|---|---|---|---|---|\n")
		for vi, v := range variants {
			for _, th := range []float64{0, licensedetect.DefaultThreshold} {
				var t tally
				exact := 0
				for i, s := range c.samples {
					oc := score(fs[vi][i], s.want, th)
					t.add(oc)
					if oc == right && exactID(fs[vi][i], s.want) {
						exact++
					}
				}
				fmt.Fprintf(w, "| %s | %v | %d | %d | %d | %d | %s | %s |\n", v.name, th, t.right, exact, t.wrong, t.unknown,
					pct(t.right, t.right+t.wrong), pct(t.right, t.total()))
			}
		}
		if c.name == "SPDX licence list texts" {
			knownShare(c.samples, fs, variants, w)
		}
		fmt.Fprintf(w, "\nThreshold curve (licensedetect, built-in + SPDX-text patterns):\n\n")
		fmt.Fprintf(w, "| threshold | right | wrong | unknown | precision | recall |\n|---|---|---|---|---|---|\n")
		last := len(variants) - 1
		for _, th := range thresholds {
			var t tally
			for i, s := range c.samples {
				t.add(score(fs[last][i], s.want, th))
			}
			fmt.Fprintf(w, "| %v | %d | %d | %d | %s | %s |\n", th, t.right, t.wrong, t.unknown,
				pct(t.right, t.right+t.wrong), pct(t.right, t.total()))
		}
		for vi, v := range variants {
			var lines []string
			for i, s := range c.samples {
				oc := score(fs[vi][i], s.want, licensedetect.DefaultThreshold)
				if oc == wrong || (o.verbose && oc == unknown && vi == last) {
					word := map[outcome]string{wrong: "wrong", unknown: "unknown"}[oc]
					line := fmt.Sprintf("- %s %s (want %s): got %s, coverage %.0f%%", word, s.name, s.want,
						strings.Join(uniq(fs[vi][i].ids), ", "), fs[vi][i].coverage)
					if oc == wrong && texts != nil {
						line += nearer(s, uniq(fs[vi][i].ids), texts)
					}
					lines = append(lines, line)
				}
			}
			if len(lines) > 0 && (vi == last || o.verbose) {
				fmt.Fprintf(w, "\n%s, at the default threshold:\n\n%s\n", v.name, strings.Join(lines, "\n"))
			}
		}
		fmt.Fprintln(w)
	}
	if len(o.readme) > 0 {
		if err := readmes(o.readme, full, thresholds, o.verbose, w); err != nil {
			return err
		}
	}
	for _, root := range o.walk {
		if err := throughput(ctx, root, o.runs, w); err != nil {
			return err
		}
	}
	return nil
}

func uniq(ss []string) []string {
	var out []string
	for _, s := range ss {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// knownShare prints the share of the SPDX texts of a family licensecheck has
// a built-in pattern for that each variant gets right.
func knownShare(samples []sample, fs [][]finding, vs []variant, w io.Writer) {
	known := make(map[string]bool)
	for _, l := range licensecheck.BuiltinLicenses() {
		if l.LRE != "" {
			known[licensedetect.Family(l.ID)] = true
		}
	}
	fmt.Fprintf(w, "\nTexts of a licence family licensecheck has a built-in pattern for:\n\n| variant | right | wrong | of | share right |\n|---|---|---|---|---|\n")
	for vi, v := range vs {
		var t tally
		for i, s := range samples {
			if known[licensedetect.Family(s.want)] {
				t.add(score(fs[vi][i], s.want, licensedetect.DefaultThreshold))
			}
		}
		fmt.Fprintf(w, "| %s | %d | %d | %d | %s |\n", v.name, t.right, t.wrong, t.total(), pct(t.right, t.total()))
	}
}

// checkSameText checks licensedetect.Family against the SPDX texts: ids
// whose texts are the same words must be one family.
func checkSameText(samples []sample, w io.Writer) {
	groups := make(map[string][]string)
	for _, s := range samples {
		k := strings.Join(strings.FieldsFunc(strings.ToLower(s.text), func(r rune) bool {
			return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
		}), " ")
		groups[k] = append(groups[k], s.want)
	}
	var bad []string
	for _, ids := range groups {
		for _, id := range ids[1:] {
			if licensedetect.Family(id) != licensedetect.Family(ids[0]) {
				bad = append(bad, strings.Join(ids, " = "))
				break
			}
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		fmt.Fprintf(w, "**Family check failed**: these ids share a text but not a family: %s\n\n", strings.Join(bad, "; "))
	}
}

// buildTimes builds each matcher n times and prints the best and median
// wall and CPU times.
func buildTimes(ctx context.Context, n int, w io.Writer) error {
	fmt.Fprintf(w, "## Matcher build (%d builds each)\n\n| matcher | patterns | wall best | wall median | CPU best | CPU median |\n|---|---|---|---|---|---|\n", n)
	rawBuild := func() error {
		_, err := licensecheck.NewScanner(licensecheck.BuiltinLicenses())
		return err
	}
	emb, err := licensedetect.EmbeddedPatterns()
	if err != nil {
		return err
	}
	cases := []struct {
		name  string
		o     licensedetect.Options
		raw   bool
		count int
	}{
		{name: "licensecheck.NewScanner(BuiltinLicenses())", raw: true, count: len(licensecheck.BuiltinLicenses())},
		{name: "licensedetect, built-in patterns only", o: licensedetect.Options{BuiltinOnly: true}, count: len(licensecheck.BuiltinLicenses())},
		{name: "licensedetect (built-in + SPDX-text patterns)", o: licensedetect.Options{}, count: len(licensecheck.BuiltinLicenses()) + len(emb)},
	}
	for _, c := range cases {
		var walls, cpus []time.Duration
		for range n {
			runtime.GC()
			t0, c0 := time.Now(), cpuTime()
			if c.raw {
				if err := rawBuild(); err != nil {
					return err
				}
			} else {
				d, err := licensedetect.New(c.o)
				if err != nil {
					return err
				}
				if err := d.Build(ctx); err != nil {
					return err
				}
			}
			walls = append(walls, time.Since(t0))
			cpus = append(cpus, cpuTime()-c0)
		}
		slices.Sort(walls)
		slices.Sort(cpus)
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s |\n", c.name, c.count, ms(walls[0]), ms(walls[n/2]), ms(cpus[0]), ms(cpus[n/2]))
	}
	fmt.Fprintln(w)
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond)) }

// throughput measures Walk over root: licence files only and with
// headers, with all workers and with one; and, as the baseline, the naive
// way: the same walk and file names, each licence file read whole
// (os.ReadFile, no size or binary check) and given to licensecheck.Scan,
// one at a time. The matchers are built before timing, except in the
// "fresh detector" row, which is what one CLI run pays. A first walk warms
// the page cache.
func throughput(ctx context.Context, root string, runs int, w io.Writer) error {
	d, err := licensedetect.New(licensedetect.Options{})
	if err != nil {
		return err
	}
	if err := d.Build(ctx); err != nil {
		return err
	}
	licensecheck.Scan(nil) // build licensecheck's own matcher too
	var files []string     // the licence files, for the rows without directory listing
	if _, err := d.Walk(ctx, []string{root}, licensedetect.WalkOptions{}, func(r licensedetect.Result) { files = append(files, r.Path) }); err != nil {
		return err
	}
	type row struct {
		name string
		st   licensedetect.Stats
		best time.Duration
	}
	measure := func(name string, f func() (licensedetect.Stats, error)) (row, error) {
		r := row{name: name}
		for i := range runs {
			runtime.GC()
			t0 := time.Now()
			st, err := f()
			if err != nil {
				return r, err
			}
			if el := time.Since(t0); i == 0 || el < r.best {
				r.best = el
			}
			r.st = st
		}
		return r, nil
	}
	walkWith := func(det func() (*licensedetect.Detector, error), roots []string, o licensedetect.WalkOptions) func() (licensedetect.Stats, error) {
		return func() (licensedetect.Stats, error) {
			d, err := det()
			if err != nil {
				return licensedetect.Stats{}, err
			}
			return d.Walk(ctx, roots, o, func(licensedetect.Result) {})
		}
	}
	built := func() (*licensedetect.Detector, error) { return d, nil }
	fresh := func() (*licensedetect.Detector, error) { return licensedetect.New(licensedetect.Options{}) }
	n := runtime.GOMAXPROCS(0)
	var rows []row
	tree := []string{root}
	for _, m := range []struct {
		name  string
		det   func() (*licensedetect.Detector, error)
		roots []string
		o     licensedetect.WalkOptions
	}{
		{fmt.Sprintf("Walk, licence files, %d workers", n), built, tree, licensedetect.WalkOptions{}},
		{"Walk, licence files, 1 worker", built, tree, licensedetect.WalkOptions{Workers: 1}},
		{fmt.Sprintf("Walk, licence files, %d workers, fresh detector (build included)", n), fresh, tree, licensedetect.WalkOptions{}},
		{fmt.Sprintf("Walk with headers, %d workers", n), built, tree, licensedetect.WalkOptions{Headers: true}},
		{"Walk with headers, 1 worker", built, tree, licensedetect.WalkOptions{Headers: true, Workers: 1}},
		{fmt.Sprintf("Walk over the licence files given as roots (no listing), %d workers", n), built, files, licensedetect.WalkOptions{}},
		{"Walk over the licence files given as roots (no listing), 1 worker", built, files, licensedetect.WalkOptions{Workers: 1}},
	} {
		r, err := measure(m.name, walkWith(m.det, m.roots, m.o))
		if err != nil {
			return err
		}
		rows = append(rows, r)
	}
	base, err := measure("baseline: same walk, os.ReadFile + licensecheck.Scan, sequential", func() (licensedetect.Stats, error) {
		var st licensedetect.Stats
		err := filepath.WalkDir(root, func(path string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() || !licensedetect.IsLicensePath(path) {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				st.Errors++
				return nil
			}
			st.Files++
			st.Bytes += int64(len(b))
			if c := licensecheck.Scan(b); c.Percent >= licensedetect.DefaultThreshold {
				st.Recognised++
			}
			return nil
		})
		return st, err
	})
	if err != nil {
		return err
	}
	rows = append(rows, base)
	listBase, err := measure("baseline: os.ReadFile + licensecheck.Scan over the same list, sequential", func() (licensedetect.Stats, error) {
		var st licensedetect.Stats
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				st.Errors++
				continue
			}
			st.Files++
			st.Bytes += int64(len(b))
			if c := licensecheck.Scan(b); c.Percent >= licensedetect.DefaultThreshold {
				st.Recognised++
			}
		}
		return st, nil
	})
	if err != nil {
		return err
	}
	rows = append(rows, listBase)

	fmt.Fprintf(w, "## Throughput: %s\n\nBest of %d runs; page cache warm.\n\n", root, runs)
	fmt.Fprintf(w, "| walk | files read | MB read | skipped binary / too large | recognised | time | files/s | MB/s |\n|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		sec := r.best.Seconds()
		fmt.Fprintf(w, "| %s | %d | %.1f | %d / %d | %d | %.2f s | %.0f | %.1f |\n", r.name, r.st.Files, float64(r.st.Bytes)/1e6,
			r.st.Binary, r.st.TooLarge, r.st.Recognised, sec, float64(r.st.Files)/sec, float64(r.st.Bytes)/1e6/sec)
	}
	ratio := func(a, b row) float64 { return a.best.Seconds() / b.best.Seconds() }
	fmt.Fprintf(w, "\nSpeed-ups (time of the slower over the faster): licence files, %d workers over 1: %.2fx, over the baseline: %.2fx; "+
		"without listing, %d workers over 1: %.2fx, over the baseline: %.2fx; headers, %d workers over 1: %.2fx.\n\n",
		n, ratio(rows[1], rows[0]), ratio(base, rows[0]), n, ratio(rows[6], rows[5]), ratio(listBase, rows[5]), n, ratio(rows[4], rows[3]))
	return nil
}

// nearer says how close the text is to the SPDX text of the expected id
// and to that of each id found: the share of its words in a longest common
// subsequence with each. When a found id is closer, the expected id (the
// Debian short name) is likely a coarser name for the text.
func nearer(s sample, got []string, texts map[string]string) string {
	var parts []string
	want := licensedetect.Family(s.want)
	for _, id := range append([]string{s.want}, got...) {
		if id != s.want && licensedetect.Family(id) == want {
			continue
		}
		ref, ok := texts[id]
		if !ok {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %.0f%%", id, 100*similarity(s.text, ref)))
	}
	if len(parts) == 0 {
		return ""
	}
	return "; similarity to the SPDX texts: " + strings.Join(parts, ", ")
}

// similarity is 2*LCS/(len(a)+len(b)) over the lower-case words of a and b,
// without the copyright lines.
func similarity(a, b string) float64 {
	wa, wb := simWords(a), simWords(b)
	if len(wa)+len(wb) == 0 {
		return 0
	}
	prev := make([]int, len(wb)+1)
	cur := make([]int, len(wb)+1)
	for i := 1; i <= len(wa); i++ {
		for j := 1; j <= len(wb); j++ {
			switch {
			case wa[i-1] == wb[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return 2 * float64(prev[len(wb)]) / float64(len(wa)+len(wb))
}

func simWords(s string) []string {
	var out []string
	for _, line := range strings.Split(strings.ToLower(s), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "copyright") {
			continue
		}
		out = append(out, strings.FieldsFunc(line, func(r rune) bool {
			return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
		})...)
	}
	return out
}

// readmes counts the README files under roots that each threshold would
// take for licence texts. A README is not a licence text, but some end
// with one in full: the listing at the default threshold shows which.
func readmes(roots []string, d *licensedetect.Detector, thresholds []float64, verbose bool, w io.Writer) error {
	var covs []float64
	var names []string
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasPrefix(strings.ToLower(e.Name()), "readme") {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil || len(b) > licensedetect.DefaultMaxSize {
				return nil
			}
			r := d.Detect(b)
			covs = append(covs, r.Coverage)
			names = append(names, fmt.Sprintf("%s (%.0f%%: %s)", path, r.Coverage, strings.Join(matchIDs(r), ", ")))
			return nil
		})
		if err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "## README files (not licence texts) under %s: %d files\n\n| threshold | taken for licence texts | share |\n|---|---|---|\n",
		strings.Join(roots, ", "), len(covs))
	for _, th := range thresholds {
		n := 0
		for _, c := range covs {
			if c > 0 && c >= th {
				n++
			}
		}
		fmt.Fprintf(w, "| %v | %d | %s |\n", th, n, pct(n, len(covs)))
	}
	fmt.Fprintln(w)
	return nil
}

func matchIDs(r licensedetect.Result) []string {
	var ids []string
	for _, m := range r.Matches {
		ids = append(ids, m.ID)
	}
	return uniq(ids)
}
