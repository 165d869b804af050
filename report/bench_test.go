package report_test

import (
	"fmt"
	"io"
	"testing"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/report"
)

// largeResult is a big workstation: n components, a finding for one in
// three, a migration for one in fifty.
func largeResult(n int) sillage.Result {
	rich := richResult()
	res := rich
	res.Components = nil
	res.Findings = nil
	res.Migrations = nil
	for i := range n {
		c := rich.Components[i%len(rich.Components)]
		c.Name = fmt.Sprintf("%s-%05d", c.Name, i)
		c.ID = sillage.ComponentID(c)
		res.Components = append(res.Components, c)
		if i%3 == 0 {
			f := rich.Findings[i%len(rich.Findings)]
			f.ComponentID = c.ID
			f.Message = c.Label() + " " + f.Message
			res.Findings = append(res.Findings, f)
		}
		if i%50 == 0 {
			m := rich.Migrations[i%len(rich.Migrations)]
			m.ComponentID = c.ID
			res.Migrations = append(res.Migrations, m)
		}
	}
	res.Normalize()
	return res
}

// BenchmarkRender renders a 5,000-component result in each format; json,
// the format every scan can write, is the baseline the others are
// compared with (bench/README or the final report gives the ratios).
func BenchmarkRender(b *testing.B) {
	res := largeResult(5000)
	for _, f := range []string{"json", "html", "markdown", "csv", "csv-findings", "sarif", "junit", "table"} {
		b.Run(f, func(b *testing.B) {
			r, err := report.New(f, report.Options{})
			if err != nil {
				b.Fatal(err)
			}
			var size int
			for b.Loop() {
				cw := &countWriter{}
				if err := r.Report(cw, res); err != nil {
					b.Fatal(err)
				}
				size = cw.n
			}
			b.ReportMetric(float64(size)/1e6, "MB")
		})
	}
}

type countWriter struct{ n int }

func (c *countWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)
