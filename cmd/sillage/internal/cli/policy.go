package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/policy"
	"github.com/sillage-oss/sillage/rules"
	"github.com/sillage-oss/sillage/scanner"
)

// policyFileName is the policy file sillage looks for when --policy is
// not given.
const policyFileName = ".sillage.yaml"

// loadedPolicy is the policy a command applies.
type loadedPolicy struct {
	set    rules.Set
	engine *policy.Engine
	// path is the file read, "" for the embedded default; auto is true
	// when it was found rather than named by --policy.
	path string
	auto bool
}

// findPolicyFile decides which policy file applies: --policy FILE (or
// "default" for the embedded policy), else .sillage.yaml at the root of
// a dir: target, else .sillage.yaml in the working directory, else none.
func findPolicyFile(flag, target string) (path string, auto bool) {
	if flag != "" {
		if flag == "default" {
			return "", false
		}
		return flag, false
	}
	if target != "" {
		scheme, p := sillage.ParseTarget(target)
		if scheme == sillage.SchemeDir || scheme == "" {
			if fi, err := os.Stat(p); err == nil && fi.IsDir() {
				if t, err := scanner.ResolveTarget(target); err == nil && t.Scheme == sillage.SchemeDir {
					candidate := filepath.Join(t.Path, policyFileName)
					if fi, err := os.Stat(candidate); err == nil && fi.Mode().IsRegular() {
						return candidate, true
					}
				}
			}
		}
	}
	if fi, err := os.Stat(policyFileName); err == nil && fi.Mode().IsRegular() {
		return policyFileName, true
	}
	return "", false
}

// loadPolicy reads, merges, profiles and compiles the policy for a scan of
// target ("" when there is no target).
func loadPolicy(flag, profile, target string) (*loadedPolicy, error) {
	path, auto := findPolicyFile(flag, target)
	lp := &loadedPolicy{path: path, auto: auto}
	set := rules.Default()
	if path != "" {
		data, err := readPolicyFile(path)
		if err != nil {
			return nil, err
		}
		set, err = rules.LoadPolicy(path, data)
		if err != nil {
			return nil, policyError(path, err)
		}
	}
	set, err := set.WithProfile(profile)
	if err != nil {
		return nil, sillage.WithHint(err, "'sillage policy show' lists the profiles of the policy")
	}
	if set.Source != "embedded" {
		if abs, err := filepath.Abs(set.Source); err == nil {
			set.Source = abs
		}
	}
	lp.engine, err = policy.Compile(set)
	if err != nil {
		return nil, policyError(path, err)
	}
	lp.set = set
	return lp, nil
}

func readPolicyFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, sillage.WithHint(usagef("policy file %s does not exist", path),
			"check the path given to --policy; 'sillage policy show' prints the default policy to start from")
	case err != nil:
		return nil, usageError{fmt.Errorf("policy file %s: %w", path, err)}
	case fi.IsDir():
		return nil, usagef("policy file %s is a directory; give the YAML file (%s)", path, policyFileName)
	case fi.Size() > rules.MaxPolicySize:
		return nil, usagef("policy file %s is %d bytes; a policy is at most %d bytes", path, fi.Size(), rules.MaxPolicySize)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usageError{fmt.Errorf("policy file %s: %w", path, err)}
	}
	return data, nil
}

func policyError(path string, err error) error {
	name := path
	if name == "" {
		name = "default"
	}
	return sillage.WithHint(sillage.InvalidInput(fmt.Errorf("policy %s is not valid:\n%w", name, err)),
		"fix the lines named above; docs/policy.md describes the policy language")
}

// readBaseline reads --baseline FILE. Every problem is a usage error:
// the file is part of how sillage was called.
func readBaseline(path string) (sillage.Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return sillage.Result{}, sillage.WithHint(usagef("baseline %s does not exist", path),
				"give the result of an earlier scan, written with 'sillage scan -o json=FILE'")
		}
		return sillage.Result{}, usageError{fmt.Errorf("baseline %s: %w", path, err)}
	}
	r, err := policy.ParseBaseline(data)
	if err != nil {
		return sillage.Result{}, sillage.WithHint(usageError{fmt.Errorf("baseline %s: %w", path, err)},
			"give the result of an earlier scan, written with 'sillage scan -o json=FILE'")
	}
	return r, nil
}

// effectiveFailOn is the threshold of a scan: --fail-on when given
// ("none" disables it), else the policy's, which its profile may set.
// origin says where it came from, for the message of exit code 1.
func effectiveFailOn(opts *scanOptions, rs rules.Set) (failOn sillage.Severity, origin string) {
	if opts.failOnSet || rs.FailOn == "" {
		return opts.failOn, ""
	}
	if rs.Profile != "" {
		return rs.FailOn, ", from profile " + rs.Profile
	}
	return rs.FailOn, ", from the policy"
}

// profileHelp describes the default policy's profiles for --help.
func profileHelp(indent string, width int) string {
	var b strings.Builder
	for _, p := range rules.Default().Profiles {
		line := indent + fmt.Sprintf("%-12s ", p.Name)
		b.WriteString(wrapText(line, p.Description, indent+strings.Repeat(" ", 13), width))
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// wrapText writes first then the words of text, in lines of at most
// width columns, continued with indent.
func wrapText(first, text, indent string, width int) string {
	var b strings.Builder
	line := first
	for _, w := range strings.Fields(text) {
		if len(line)+1+len(w) > width && strings.TrimSpace(line) != "" && len(line) > len(indent) {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line = indent
		}
		if !strings.HasSuffix(line, " ") && line != "" {
			line += " "
		}
		line += w
	}
	b.WriteString(line)
	return b.String()
}

// ---------------------------------------------------------------- commands

func newPolicyCmd(stdio IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Check, show and explain the policy a scan applies",
		Long: `A policy says which findings a scan raises: rules written in CEL over the
components, files and waivers, licence allow and deny lists, waivers and
profiles. sillage embeds a default policy; a policy file extends or replaces
it (docs/policy.md).

Which policy applies: --policy FILE; else .sillage.yaml at the root of a dir:
target; else .sillage.yaml in the working directory; else the default.
--policy default forces the embedded default.`,
	}
	cmd.AddCommand(newPolicyValidateCmd(stdio), newPolicyShowCmd(stdio), newPolicyExplainCmd(stdio))
	return cmd
}

func newPolicyValidateCmd(stdio IO) *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check policy files: YAML, rules, CEL conditions and messages, waivers",
		Long: `Check policy files as a scan would load them: the YAML, every field, the
CEL conditions and message placeholders (type-checked), the waivers and the
profiles. Errors name the file, line, rule and field. Waivers that have
expired (at the current time, or SOURCE_DATE_EPOCH) are reported too.

Exit codes: 0 every file is valid, 2 a file is not.`,
		Example: `  sillage policy validate .sillage.yaml`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			now := scanTime(stdio)
			bad := 0
			for _, path := range args {
				lp, err := loadPolicy(path, "", "")
				if err != nil {
					fmt.Fprintf(stdio.Err, "%v\n", err)
					bad++
					continue
				}
				s := lp.set
				enabled := 0
				for _, r := range s.Rules {
					if r.Enabled {
						enabled++
					}
				}
				fmt.Fprintf(stdio.Out, "%s: valid: policy %s@%s", path, s.Name, s.Version)
				if s.Extends != "" {
					fmt.Fprintf(stdio.Out, " (extends %s)", s.Extends)
				}
				fmt.Fprintf(stdio.Out, ", %d rules (%d enabled), %d waivers, profiles: %s\n", len(s.Rules), enabled, len(s.Waivers), strings.Join(s.ProfileNames(), ", "))
				for _, w := range s.Waivers {
					if w.Expired(now) {
						fmt.Fprintf(stdio.Out, "%s: waiver %s expired on %s: it no longer waives anything\n", w.Pos, w.ID, w.Expires)
					}
				}
			}
			if bad > 0 {
				return cmdError{cmd.CommandPath(), sillage.InvalidInput(fmt.Errorf("%d of %d policy files are not valid", bad, len(args)))}
			}
			return nil
		},
	}
}

type policyFlags struct {
	policy, profile string
}

func (f *policyFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.policy, "policy", "", "policy file (default: .sillage.yaml in DIR or the working directory, else the embedded policy; \"default\" for the embedded one)")
	cmd.Flags().StringVar(&f.profile, "profile", "", "apply this profile of the policy: "+strings.Join(rules.Default().ProfileNames(), ", "))
}

func newPolicyShowCmd(stdio IO) *cobra.Command {
	var pf policyFlags
	var format string
	cmd := &cobra.Command{
		Use:   "show [DIR]",
		Short: "Print the effective policy: the file merged with the default, the profile applied",
		Long: `Print the policy a scan of DIR (default: the working directory) would apply,
as a standalone policy file: the policy file merged with the default policy
it extends, the profile applied. Save it to start a policy of your own.`,
		Example: `  sillage policy show > .sillage.yaml
  sillage policy show --profile ci
  sillage policy show --policy ministry.yaml -o json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "yaml" && format != "json" {
				return cmdError{cmd.CommandPath(), usagef("-o %s: choose one of: yaml, json", format)}
			}
			target := ""
			if len(args) == 1 {
				target = args[0]
			}
			lp, err := loadPolicy(pf.policy, pf.profile, target)
			if err != nil {
				return err
			}
			doc := showPolicy(lp, scanTime(stdio))
			var out []byte
			if format == "json" {
				out, err = json.MarshalIndent(doc, "", "  ")
				out = append(out, '\n')
			} else {
				out, err = encodeYAML(doc)
			}
			if err != nil {
				return err
			}
			_, err = stdio.Out.Write(out)
			return err
		},
	}
	pf.add(cmd)
	cmd.Flags().StringVarP(&format, "output", "o", "yaml", "output format: yaml, json")
	return cmd
}

// The shape of `policy show`: a policy file (extends: none) that loads
// back to the same policy.
type shownPolicy struct {
	Comment  string         `yaml:"-" json:"-"`
	Format   int            `yaml:"format" json:"format"`
	Name     string         `yaml:"name" json:"name"`
	Version  string         `yaml:"version" json:"version"`
	Extends  string         `yaml:"extends" json:"extends"`
	FailOn   string         `yaml:"failOn,omitempty" json:"failOn,omitempty"`
	Licenses shownLicenses  `yaml:"licenses" json:"licenses"`
	Rules    []shownRule    `yaml:"rules" json:"rules"`
	Waivers  []shownWaiver  `yaml:"waivers,omitempty" json:"waivers,omitempty"`
	Profiles []shownProfile `yaml:"-" json:"profiles,omitempty"`
	// Source, BasedOn and Profile are said in comments in YAML.
	Source  string `yaml:"-" json:"source"`
	BasedOn string `yaml:"-" json:"mergedWith,omitempty"`
	Profile string `yaml:"-" json:"profile,omitempty"`
}

type shownLicenses struct {
	Allow          []string `yaml:"allow" json:"allow"`
	Deny           []string `yaml:"deny" json:"deny"`
	DenyCategories []string `yaml:"denyCategories" json:"denyCategories"`
}

type shownRule struct {
	ID          string `yaml:"id" json:"id"`
	Severity    string `yaml:"severity" json:"severity"`
	Enabled     *bool  `yaml:"enabled,omitempty" json:"enabled"`
	AppliesTo   string `yaml:"appliesTo" json:"appliesTo"`
	Title       string `yaml:"title,omitempty" json:"title,omitempty"`
	Condition   string `yaml:"condition" json:"condition"`
	Message     string `yaml:"message" json:"message"`
	Remediation string `yaml:"remediation,omitempty" json:"remediation,omitempty"`
	// Translations by language code, as in the policy file.
	Translations map[string]shownText `yaml:"translations,omitempty" json:"translations,omitempty"`
	DefinedAt    string               `yaml:"-" json:"definedAt"`
}

type shownText struct {
	Message     string `yaml:"message" json:"message"`
	Remediation string `yaml:"remediation,omitempty" json:"remediation,omitempty"`
}

type shownWaiver struct {
	ID            string         `yaml:"id" json:"id"`
	Rules         []string       `yaml:"rules,omitempty" json:"rules,omitempty"`
	Component     *shownSelector `yaml:"component,omitempty" json:"component,omitempty"`
	Path          string         `yaml:"path,omitempty" json:"path,omitempty"`
	Justification string         `yaml:"justification" json:"justification"`
	Expires       string         `yaml:"expires" json:"expires"`
	Source        string         `yaml:"-" json:"source"`
	Expired       bool           `yaml:"-" json:"expired"`
}

type shownSelector struct {
	PURL     string `yaml:"purl,omitempty" json:"purl,omitempty"`
	Name     string `yaml:"name,omitempty" json:"name,omitempty"`
	Type     string `yaml:"type,omitempty" json:"type,omitempty"`
	Versions string `yaml:"versions,omitempty" json:"versions,omitempty"`
}

type shownProfile struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

func showPolicy(lp *loadedPolicy, now time.Time) shownPolicy {
	s := lp.set
	doc := shownPolicy{
		Format: rules.PolicyFormat, Name: s.Name, Version: s.Version, Extends: "none", FailOn: string(s.FailOn),
		Source: s.Source, BasedOn: s.Extends, Profile: s.Profile,
		Licenses: shownLicenses{Allow: nonNilStrings(s.Licenses.Allow), Deny: nonNilStrings(s.Licenses.Deny), DenyCategories: []string{}},
	}
	for _, c := range s.Licenses.DenyCategories {
		doc.Licenses.DenyCategories = append(doc.Licenses.DenyCategories, string(c))
	}
	for _, r := range s.Rules {
		sr := shownRule{ID: r.ID, Severity: string(r.Severity), AppliesTo: r.AppliesTo, Title: r.Title,
			Condition: r.Condition, Message: r.Message, Remediation: r.Remediation, DefinedAt: r.Pos.String()}
		for lang, t := range r.Translations {
			if sr.Translations == nil {
				sr.Translations = map[string]shownText{}
			}
			sr.Translations[lang] = shownText{Message: t.Message, Remediation: t.Remediation}
		}
		enabled := r.Enabled
		if !enabled {
			sr.Enabled = &enabled
		}
		doc.Rules = append(doc.Rules, sr)
	}
	for _, w := range s.Waivers {
		sw := shownWaiver{ID: w.ID, Rules: w.Rules, Path: w.Path, Justification: w.Justification, Expires: w.Expires,
			Source: w.Pos.String(), Expired: w.Expired(now)}
		if c := w.Component; c != nil {
			sw.Component = &shownSelector{PURL: c.PURL, Name: c.Name, Type: c.Type, Versions: c.Versions}
		}
		doc.Waivers = append(doc.Waivers, sw)
	}
	for _, p := range s.Profiles {
		doc.Profiles = append(doc.Profiles, shownProfile{p.Name, p.Description})
	}
	var c strings.Builder
	fmt.Fprintf(&c, "Effective policy %s@%s, read from %s", s.Name, s.Version, s.Source)
	if s.Extends != "" {
		fmt.Fprintf(&c, ", merged with the %s it extends", s.Extends)
	}
	if s.Profile != "" {
		fmt.Fprintf(&c, ", profile %s applied", s.Profile)
	}
	c.WriteString(".\nIt is a standalone policy file: 'sillage scan --policy FILE' applies it as it is.")
	if len(s.Profiles) > 0 {
		c.WriteString("\nProfiles of the original policy (not repeated here): " + strings.Join(s.ProfileNames(), ", ") + ".")
	}
	doc.Comment = c.String()
	return doc
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// encodeYAML writes the shown policy with its comments: where each rule
// and waiver was defined, and which waivers have expired.
func encodeYAML(doc shownPolicy) ([]byte, error) {
	var root yaml.Node
	if err := root.Encode(doc); err != nil {
		return nil, err
	}
	root.HeadComment = doc.Comment
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "rules":
			for j, item := range v.Content {
				item.HeadComment = "defined at " + doc.Rules[j].DefinedAt
				styleLong(item)
			}
		case "waivers":
			for j, item := range v.Content {
				c := "defined at " + doc.Waivers[j].Source
				if doc.Waivers[j].Expired {
					c += "; EXPIRED: it waives nothing"
				}
				item.HeadComment = c
			}
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&root); err != nil {
		return nil, err
	}
	return buf.Bytes(), enc.Close()
}

// styleLong writes long texts of a rule as folded blocks.
func styleLong(rule *yaml.Node) {
	for i := 0; i+1 < len(rule.Content); i += 2 {
		v := rule.Content[i+1]
		if v.Kind == yaml.ScalarNode && (len(v.Value) > 80 || strings.Contains(v.Value, "\n")) {
			v.Style = yaml.LiteralStyle
		}
	}
}

func newPolicyExplainCmd(stdio IO) *cobra.Command {
	var pf policyFlags
	var dir string
	cmd := &cobra.Command{
		Use:   "explain RULE",
		Short: "Explain a rule: what it checks, its severity in each profile, the waivers that select it",
		Example: `  sillage policy explain LIC-DENIED
  sillage policy explain SILL-MIGRATION --policy ministry.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			lp, err := loadPolicy(pf.policy, pf.profile, dir)
			if err != nil {
				return err
			}
			s := lp.set
			i := slices.IndexFunc(s.Rules, func(r rules.Rule) bool { return strings.EqualFold(r.ID, args[0]) })
			if i < 0 {
				var ids []string
				for _, r := range s.Rules {
					ids = append(ids, r.ID)
				}
				return cmdError{cmd.CommandPath(), usagef("policy %s@%s has no rule %q; its rules: %s", s.Name, s.Version, args[0], strings.Join(ids, ", "))}
			}
			r := s.Rules[i]
			w := stdio.Out
			state := ""
			if !r.Enabled {
				state = ", DISABLED"
			}
			fmt.Fprintf(w, "%s: %s\n", r.ID, r.Title)
			fmt.Fprintf(w, "  severity:    %s%s\n", r.Severity, state)
			fmt.Fprintf(w, "  applies to:  each %s\n", r.AppliesTo)
			fmt.Fprintf(w, "  defined at:  %s (policy %s@%s", r.Pos, s.Name, s.Version)
			if s.Profile != "" {
				fmt.Fprintf(w, ", profile %s", s.Profile)
			}
			fmt.Fprintln(w, ")")
			fmt.Fprintf(w, "  condition:   %s\n", indentText(r.Condition, "               "))
			fmt.Fprintf(w, "  message:     %s\n", indentText(r.Message, "               "))
			if r.Remediation != "" {
				fmt.Fprintf(w, "  remediation: %s\n", indentText(r.Remediation, "               "))
			}
			var lines []string
			for _, p := range s.Profiles {
				sev, ok := p.Severities[r.ID]
				switch {
				case slices.Contains(p.Disable, r.ID):
					lines = append(lines, fmt.Sprintf("%s: disabled", p.Name))
				case ok:
					lines = append(lines, fmt.Sprintf("%s: %s", p.Name, sev))
				}
			}
			if len(lines) > 0 {
				fmt.Fprintf(w, "  profiles:    %s\n", strings.Join(lines, "; "))
			}
			now := scanTime(stdio)
			for _, wv := range s.Waivers {
				if len(wv.Rules) > 0 && !slices.Contains(wv.Rules, r.ID) {
					continue
				}
				status := "until " + wv.Expires
				if wv.Expired(now) {
					status = "EXPIRED on " + wv.Expires
				}
				fmt.Fprintf(w, "  waiver:      %s (%s, %s): %s\n", wv.ID, wv.Pos, status, wv.Justification)
			}
			return nil
		},
	}
	pf.add(cmd)
	cmd.Flags().StringVar(&dir, "dir", "", "look for .sillage.yaml in this directory rather than the working directory")
	return cmd
}

func indentText(s, indent string) string {
	return strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n"+indent)
}
