// Package cli is sillage's command line: flags, configuration, exit codes,
// and the wiring of scanner → policy → report. It is the only place that
// decides what goes to stdout and stderr and which exit code a run ends
// with; the domain packages know nothing of terminals or exit codes.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/scanner"
)

// Exit codes, documented in README.md.
const (
	ExitOK          = 0   // no finding at or above --fail-on
	ExitFindings    = 1   // findings at or above --fail-on
	ExitUsage       = 2   // bad flags, arguments or configuration
	ExitScanFailed  = 3   // the target could not be read, or an output not written
	ExitInterrupted = 130 // interrupted (Ctrl-C, SIGTERM)
)

// IO is what a run reads from and writes to: stdout carries only the
// requested document, stderr everything else.
type IO struct {
	// In is standard input, read by 'sillage report -'; nil means none.
	In       io.Reader
	Out, Err io.Writer
	// OutTTY and ErrTTY say whether stdout and stderr are terminals.
	OutTTY, ErrTTY bool
	// Width is the width of the stdout terminal in columns, 0 if unknown.
	Width int
	// Getenv reads the environment; nil means no variable is set.
	Getenv func(string) string
}

func (s IO) getenv(k string) string {
	if s.Getenv == nil {
		return ""
	}
	return s.Getenv(k)
}

// SystemIO returns the process's real stdout and stderr.
func SystemIO() IO {
	s := IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv}
	s.OutTTY = term.IsTerminal(os.Stdout.Fd())
	s.ErrTTY = term.IsTerminal(os.Stderr.Fd())
	if s.OutTTY {
		if w, _, err := term.GetSize(os.Stdout.Fd()); err == nil {
			s.Width = w
		}
	}
	return s
}

// Build describes this build of sillage, as injected by the linker.
type Build struct {
	Version, Commit, Date string
}

func (b Build) version() string {
	if b.Version != "" {
		return strings.TrimPrefix(b.Version, "v")
	}
	// `go install …@vX.Y.Z` records the module version
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return strings.TrimPrefix(bi.Main.Version, "v")
	}
	return "dev"
}

// usageError marks errors in how sillage was called: exit code 2, and
// the usage is pointed to.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// errFindings is returned when findings reach --fail-on; the run has
// already written its outputs.
var errFindings = errors.New("findings at or above the --fail-on severity")

// Run executes sillage with args (without the program name) and returns
// the exit code.
func Run(ctx context.Context, args []string, stdio IO, build Build) int {
	if path := stdio.getenv("SILLAGE_DEV_CPUPROFILE"); path != "" {
		stop := startCPUProfile(path, stdio.Err)
		defer stop()
	}
	root := newRootCmd(stdio, build)
	root.SetArgs(args)
	root.SetOut(stdio.Out)
	root.SetErr(stdio.Err)
	err := root.ExecuteContext(ctx)
	return exitCode(ctx, err, stdio.Err, root)
}

func exitCode(ctx context.Context, err error, stderr io.Writer, root *cobra.Command) int {
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, errFindings) {
		fmt.Fprintf(stderr, "sillage: %v\n", err)
		return ExitFindings
	}
	if errors.Is(err, context.Canceled) || ctx.Err() != nil {
		fmt.Fprintln(stderr, "sillage: interrupted")
		return ExitInterrupted
	}
	fmt.Fprintf(stderr, "sillage: %v\n", err)
	if hint := sillage.HintOf(err); hint != "" {
		fmt.Fprintf(stderr, "hint: %s\n", hint)
	}
	var ue usageError
	switch {
	// cobra reports an unknown subcommand with a plain error
	case errors.As(err, &ue), errors.Is(err, sillage.ErrInvalidInput), strings.HasPrefix(err.Error(), "unknown command "):
		fmt.Fprintf(stderr, "run '%s --help' for usage\n", commandPath(root, err))
		return ExitUsage
	case errors.Is(err, scanner.ErrTarget), errors.Is(err, errOutput), errors.Is(err, errSILL):
		return ExitScanFailed
	}
	return ExitScanFailed
}

// commandPath names the command whose help the user should read.
func commandPath(root *cobra.Command, err error) string {
	var ce cmdError
	if errors.As(err, &ce) {
		return ce.path
	}
	return root.Name()
}

// cmdError remembers which command failed, for the usage pointer.
type cmdError struct {
	path string
	err  error
}

func (e cmdError) Error() string { return e.err.Error() }
func (e cmdError) Unwrap() error { return e.err }

func newRootCmd(stdio IO, build Build) *cobra.Command {
	root := &cobra.Command{
		Use:   "sillage",
		Short: "Software governance scanner: SBOM, licences, SILL and RGI compliance",
		Long: `sillage inventories the software of source trees, hosts, container images and
existing SBOMs, classifies licences, and compares every component with the
SILL, the French State's catalogue of recommended free software.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       build.version(),
	}
	root.SetVersionTemplate("sillage {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return cmdError{c.CommandPath(), usageError{err}}
	})
	root.AddCommand(newScanCmd(stdio, build, runScan))
	root.AddCommand(newLicenseCmd(stdio))
	root.AddCommand(newSILLCmd(stdio))
	root.AddCommand(newReportCmd(stdio))
	root.AddCommand(newPolicyCmd(stdio))
	root.AddCommand(newFormatsCmd(stdio, build))
	root.AddCommand(newVersionCmd(stdio, build))
	// cobra's completion command needs a shell on the other end; keep the
	// command list to what sillage does
	root.CompletionOptions.DisableDefaultCmd = true
	wrapArgs(root)
	return root
}

// wrapArgs turns positional-argument errors into usage errors for every
// command.
func wrapArgs(c *cobra.Command) {
	for _, sub := range c.Commands() {
		if sub.Args != nil {
			check := sub.Args
			path := sub.CommandPath()
			sub.Args = func(cmd *cobra.Command, args []string) error {
				if err := check(cmd, args); err != nil {
					return cmdError{path, usageError{err}}
				}
				return nil
			}
		}
		wrapArgs(sub)
	}
}

func newVersionCmd(stdio IO, build Build) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of sillage",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(stdio.Out, "sillage %s\n", build.version())
			if build.Commit != "" {
				fmt.Fprintf(stdio.Out, "commit:  %s\n", build.Commit)
			}
			if build.Date != "" {
				fmt.Fprintf(stdio.Out, "built:   %s\n", build.Date)
			}
			fmt.Fprintf(stdio.Out, "go:      %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
