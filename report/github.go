package report

import (
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/sillage-oss/sillage"
)

// GitHub Actions shows an "::error file=F,title=T::message" line that a
// step prints as an annotation on the run and, when F is a file of the
// repository, on that file in the pull request.
//
// The runner reads workflow commands on both stdout and stderr: its
// ScriptHandler hands each stream to an OutputManager bound to the
// ActionCommandManager (actions/runner, src/Runner.Worker/Handlers/
// ScriptHandler.cs, "stdoutManager" and "stderrManager"). sillage
// writes them to stderr, so that stdout keeps only the requested
// document. The escapes are the runner's own (ActionCommand.cs,
// _escapeDataMappings and _escapePropertyMappings): in the message
// % \r \n, in a property also : and ,.

// maxAnnotations bounds the lines written: GitHub keeps at most 10
// errors and 10 warnings per step and 50 annotations per job.
const maxAnnotations = 50

// AnnotationOptions tune WriteGitHubAnnotations.
type AnnotationOptions struct {
	// FailOn is the run's --fail-on: findings at or above it are
	// errors, other active findings warnings. When it is not set, high
	// and critical findings are errors.
	FailOn sillage.Severity
	// Workspace is GITHUB_WORKSPACE, the checkout's absolute path: file
	// paths are given relative to it, as pull-request annotations need.
	Workspace string
}

// WriteGitHubAnnotations writes one workflow command per active finding
// of severity low or above, most serious first (informational findings
// are not annotated), then a notice counting those left out.
func WriteGitHubAnnotations(w io.Writer, res sillage.Result, o AnnotationOptions) error {
	res.Normalize()
	ix := newIndex(res)
	var b strings.Builder
	n, left := 0, 0
	for _, f := range res.Findings {
		if !f.Active() || f.Severity.Rank() < sillage.SeverityLow.Rank() {
			continue
		}
		if n == maxAnnotations {
			left++
			continue
		}
		n++
		cmd := "warning"
		if (o.FailOn != "" && f.Severity.Rank() >= o.FailOn.Rank()) ||
			(o.FailOn == "" && f.Severity.Rank() >= sillage.SeverityHigh.Rank()) {
			cmd = "error"
		}
		var props []string
		if file := annotationFile(res.Target, f, ix.byID[f.ComponentID], o.Workspace); file != "" {
			props = append(props, "file="+escapeProperty(file))
		}
		title := fmt.Sprintf("sillage %s (%s)", f.RuleID, f.Severity)
		if s := ix.subject(f); s != "" {
			title += ": " + s
		}
		props = append(props, "title="+escapeProperty(title))
		msg := f.Message
		if f.Remediation != "" {
			msg += "\nWhat to do: " + f.Remediation
		}
		fmt.Fprintf(&b, "::%s %s::%s\n", cmd, strings.Join(props, ","), escapeData(msg))
	}
	if left > 0 {
		fmt.Fprintf(&b, "::notice title=sillage::%s\n", escapeData(fmt.Sprintf("%d more findings are not annotated; see the report", left)))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// annotationFile is the repository file a finding is about, relative to
// the workspace, or "" when it is not a file of the checkout.
func annotationFile(t sillage.Target, f sillage.Finding, c sillage.Component, workspace string) string {
	var abs string
	switch t.Scheme {
	case sillage.SchemeDir:
		p := f.Path
		if p == "" {
			p = firstLocation(c)
		}
		if i := strings.Index(p, "!/"); i >= 0 {
			p = p[:i]
		}
		if !strings.HasPrefix(p, "/") {
			return ""
		}
		abs = path.Join(slash(t.Path), p)
	case sillage.SchemeSBOM, sillage.SchemeOCIArchive, sillage.SchemeDockerArchive:
		abs = slash(t.Path)
	default:
		// a host's files and an image's are not in the repository
		return ""
	}
	if workspace == "" {
		return ""
	}
	ws := strings.TrimSuffix(slash(workspace), "/") + "/"
	rel, ok := strings.CutPrefix(abs, ws)
	if !ok || rel == "" {
		return ""
	}
	return rel
}

func slash(p string) string { return strings.ReplaceAll(p, `\`, "/") }

func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
