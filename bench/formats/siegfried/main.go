// Command siegfried compares sillage's own signature code (scanner/formats)
// with siegfried v1.11.1 (github.com/richardlehane/siegfried, PRONOM DROID
// and container signatures, the tool archivists use) on the labelled real
// documents of testdata/formats, for accuracy, and on a tree of files, for
// speed. It lives in its own module so that siegfried stays out of
// sillage's go.mod: see bench/formats/README.md for the figures and the
// choice.
//
// Usage (from this directory): go run . [-n RUNS] [TREE]
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/richardlehane/siegfried"
	"github.com/richardlehane/siegfried/pkg/static"

	"github.com/sillage-oss/sillage/rules/rgi"
	"github.com/sillage-oss/sillage/scanner/formats"
)

const testdata = "../../../testdata/formats"

type label struct{ file, formatID, puid string }

func main() {
	runs := flag.Int("n", 3, "timed runs per tool; the best is kept")
	flag.Parse()
	tab := rgi.Load()
	id := formats.NewIdentifier(tab)
	sf := static.New()

	// format id → its PUIDs, from the table's pronom lists
	puids := map[string]map[string]bool{}
	byPUID := map[string]string{}
	for _, f := range tab.Formats {
		puids[f.ID] = map[string]bool{}
		for _, p := range append(append([]string{}, f.Pronom...), values(f.PronomByVersion)...) {
			puids[f.ID][p] = true
			if _, ok := byPUID[p]; !ok {
				byPUID[p] = f.ID
			}
		}
	}

	labels := readLabels()
	var okS, okF, puidS, puidF, nPUID int
	fmt.Printf("%-32s %-22s %-34s %s\n", "file", "label", "sillage", "siegfried")
	for _, l := range labels {
		path := filepath.Join(testdata, l.file)
		m := sillage(id, path)
		sp, warn := sieg(sf, path)
		// siegfried is right when its PUID is one of the labelled format's
		// (fmt/199 is both MP4 video and M4A audio); a legacy-8-bit CSV is
		// the CSV's x-fmt/18 for both (encodings are not PRONOM formats)
		sfID := byPUID[sp]
		if puids[l.formatID][sp] || (l.formatID == "encoding-legacy-8bit" && sp == "x-fmt/18") {
			sfID = l.formatID
		}
		if sp == "" || sp == "UNKNOWN" {
			sfID = "unidentified"
		} else if sfID == "" {
			sfID = "(" + sp + ")"
		}
		if m.FormatID() == l.formatID {
			okS++
		}
		if sfID == l.formatID {
			okF++
		}
		if l.puid != "" {
			nPUID++
			if m.PUID == l.puid {
				puidS++
			}
			if sp == l.puid {
				puidF++
			}
		}
		mark := func(ok bool) string {
			if ok {
				return " "
			}
			return "✗"
		}
		fmt.Printf("%-32s %-22s %s%-33s %s%s %s\n", l.file, l.formatID, mark(m.FormatID() == l.formatID), m.FormatID()+" "+m.PUID,
			mark(sfID == l.formatID), sfID+" "+sp, shorten(warn))
	}
	fmt.Printf("\naccuracy on %d labelled files: format id sillage %d/%d, siegfried %d/%d; PUID (%d labelled) sillage %d, siegfried %d\n",
		len(labels), okS, len(labels), okF, len(labels), nPUID, puidS, puidF)

	if flag.NArg() == 0 {
		return
	}
	var files []string
	filepath.WalkDir(flag.Arg(0), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	workers := runtime.GOMAXPROCS(0)
	timeIt := func(name string, f func(string)) time.Duration {
		best := time.Duration(1 << 62)
		for range *runs + 1 { // the first run warms the cache
			start := time.Now()
			ch := make(chan string, 256)
			var wg sync.WaitGroup
			for range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for p := range ch {
						f(p)
					}
				}()
			}
			for _, p := range files {
				ch <- p
			}
			close(ch)
			wg.Wait()
			best = min(best, time.Since(start))
		}
		fmt.Printf("%-10s %6d files in %8.3f s: %8.0f files/s (%d workers, best of %d)\n", name, len(files), best.Seconds(), float64(len(files))/best.Seconds(), workers, *runs)
		return best
	}
	ts := timeIt("sillage", func(p string) { sillage(id, p) })
	tf := timeIt("siegfried", func(p string) { sieg(sf, p) })
	fmt.Printf("ratio: sillage is %.1fx the speed of siegfried\n", tf.Seconds()/ts.Seconds())
}

func sillage(id *formats.Identifier, path string) formats.Match {
	f, err := os.Open(path)
	if err != nil {
		return formats.Match{}
	}
	defer f.Close()
	fi, _ := f.Stat()
	return id.Identify(f, fi.Size(), filepath.Base(path))
}

func sieg(sf *siegfried.Siegfried, path string) (string, string) {
	f, err := os.Open(path)
	if err != nil {
		return "", err.Error()
	}
	defer f.Close()
	ids, err := sf.Identify(f, filepath.Base(path), "")
	if err != nil || len(ids) == 0 {
		return "", fmt.Sprint(err)
	}
	return ids[0].String(), ids[0].Warn()
}

func values(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func shorten(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

func readLabels() []label {
	f, err := os.Open(filepath.Join(testdata, "labels.tsv"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer f.Close()
	var ls []label
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		for len(c) < 4 {
			c = append(c, "")
		}
		ls = append(ls, label{c[0], c[1], c[3]})
	}
	return ls
}
