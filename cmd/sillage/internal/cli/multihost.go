package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/report"
)

// hostPlaceholder in an output file name stands for the host name of
// each result: -o json=out/{host}.json writes one file per machine.
const hostPlaceholder = "{host}"

// checkHostTemplate accepts {host} in an output's file name only: the
// directories must exist before the scan.
func checkHostTemplate(path string) error {
	if strings.Contains(filepath.Dir(path), hostPlaceholder) {
		return usagef("output %s: put %s in the file name, not in a directory (-o json=out/%s.json)", path, hostPlaceholder, hostPlaceholder)
	}
	return nil
}

// streamable reports whether several results of a format can share one
// stream: JSON documents become JSON Lines (one compact document per
// line), tables follow one another. Other formats (XML) need one file per
// host.
func streamable(format string) bool {
	return format == "table" || format == "json" || strings.HasSuffix(format, "-json")
}

// validateMultiHost checks, before the scan, that every output of a
// multi-host target can take several results.
func (o *scanOptions) validateMultiHost(target string) error {
	if !o.multiHost {
		return nil
	}
	for _, out := range o.outputs {
		if strings.Contains(out.path, hostPlaceholder) || streamable(out.format) {
			continue
		}
		return usagef("%s holds one inventory per machine and -o %s cannot hold several results in one document; write one file per host: -o %s=out/%s.%s",
			target, out.format, out.format, hostPlaceholder, extension(out.format))
	}
	return nil
}

func extension(format string) string {
	switch {
	case strings.HasSuffix(format, "-xml"):
		return strings.TrimSuffix(format, "-xml") + ".xml"
	case strings.HasSuffix(format, "-json"):
		return strings.TrimSuffix(format, "-json") + ".json"
	case format == "table":
		return "txt"
	}
	return format
}

// writeResults renders every result to every requested output in memory
// first, so that a rendering error leaves no file behind, then writes the
// files atomically and the stdout document last.
//
// An output whose file name holds {host} gets one file per result, named
// after the result's host (hostFileName). Other outputs get every result:
// one document as before for a single result; for several (multi), JSON
// documents as JSON Lines and tables one after another. base holds the
// options every format gets.
func writeResults(opts *scanOptions, results []sillage.Result, multi bool, base report.Options) error {
	names := hostFileNames(results)
	type file struct {
		path string
		data []byte
	}
	var (
		files  []file
		stdout []byte
	)
	for _, out := range opts.outputs {
		ro := base
		if out.path == "" {
			ro.Width = opts.stdio.Width
			ro.Color = colorEnabled(opts.stdio)
		}
		r, err := report.New(out.format, ro)
		if err != nil {
			return usageError{err}
		}
		render := func(res sillage.Result) ([]byte, error) {
			var buf bytes.Buffer
			if err := r.Report(&buf, res); err != nil {
				return nil, fmt.Errorf("%w: render %s: %w", errOutput, out.format, err)
			}
			return buf.Bytes(), nil
		}
		if strings.Contains(out.path, hostPlaceholder) {
			for i, res := range results {
				data, err := render(res)
				if err != nil {
					return err
				}
				dir, base := filepath.Split(out.path)
				files = append(files, file{filepath.Join(dir, strings.ReplaceAll(base, hostPlaceholder, names[i])), data})
			}
			continue
		}
		var doc []byte
		for i, res := range results {
			data, err := render(res)
			if err != nil {
				return err
			}
			switch {
			case !multi:
				doc = data
			case out.format == "table":
				if i > 0 {
					doc = append(doc, '\n')
				}
				doc = append(doc, data...)
			default:
				var line bytes.Buffer
				if err := json.Compact(&line, data); err != nil {
					return fmt.Errorf("%w: %s is not JSON and cannot be written as JSON Lines: %w", errOutput, out.format, err)
				}
				doc = append(append(doc, line.Bytes()...), '\n')
			}
		}
		if out.path == "" {
			stdout = doc
			continue
		}
		files = append(files, file{out.path, doc})
	}
	for _, f := range files {
		if err := writeFileAtomic(f.path, f.data); err != nil {
			return sillage.WithHint(fmt.Errorf("%w: %w", errOutput, err), "check that the output directory is writable and has free space")
		}
	}
	if stdout != nil {
		if _, err := opts.stdio.Out.Write(stdout); err != nil {
			return fmt.Errorf("%w: stdout: %w", errOutput, err)
		}
	}
	return nil
}

// hostFileNames gives each result the name {host} stands for: its host
// name made safe for a file name (letters, digits, ".", "-" and "_"; other
// characters become "_"), else the name of the file it was read from
// without extension, else "unknown". Results that would share a name get
// "-2", "-3"... in order.
func hostFileNames(results []sillage.Result) []string {
	out := make([]string, len(results))
	used := map[string]int{}
	for i, res := range results {
		name := ""
		if res.Host != nil {
			name = safeFileName(res.Host.Name)
		}
		if name == "" && res.Target.Path != "" {
			base := filepath.Base(res.Target.Path)
			name = safeFileName(strings.TrimSuffix(base, filepath.Ext(base)))
		}
		if name == "" {
			name = "unknown"
		}
		key := strings.ToLower(name) // case-insensitive file systems
		used[key]++
		if n := used[key]; n > 1 {
			name += "-" + strconv.Itoa(n)
		}
		out[i] = name
	}
	return out
}

func safeFileName(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 100 {
			break
		}
	}
	name := strings.Trim(b.String(), ".")
	if strings.Trim(name, "_") == "" {
		return ""
	}
	return name
}
