package scanner

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sillage-oss/sillage"
	"github.com/sillage-oss/sillage/scanner/internal/agentinv"
	"github.com/sillage-oss/sillage/scanner/internal/textdec"
	"github.com/sillage-oss/sillage/scanner/internal/winget"
	"github.com/sillage-oss/sillage/scanner/internal/winreg"
)

// FoundBy values of the workstation sources.
const (
	FoundByRegistry      = "windows-registry"
	FoundByRegExport     = "reg-export"
	FoundByPowerShell    = "powershell-json"
	FoundByWinget        = "winget-export"
	FoundByGLPI          = "glpi-inventory"
	FoundByOCS           = "ocs-inventory"
	FoundByFlatpak       = "flatpak-installation"
	FoundBySnap          = "snap-installation"
	windowsOS            = "Windows"
	winregHint           = "winreg: reads a registry export made with `reg export HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall FILE.reg` (or regedit), or the JSON of `Get-ItemProperty HKLM:\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\* | ConvertTo-Json`; export again if the file is truncated"
	wingetHint           = "winget: reads the file written by `winget export -o FILE --include-versions`"
	agentHintGLPI        = "glpi: reads GLPI agent inventories (JSON, or the agent's XML: glpi-agent --local=DIR); check that the file is complete"
	agentHintOCS         = "ocs: reads OCS Inventory agent inventories (.ocs or .xml, plain or compressed: ocsinventory-agent --local=DIR); check that the file is complete"
	maxInventoriesPerDir = 100_000
)

// MultiHost reports whether a target holds one inventory per machine (a
// glpi: or ocs: directory), for which ScanAll returns several
// inventories. The target must exist.
func MultiHost(arg string) bool {
	t, err := ResolveTarget(arg)
	if err != nil {
		return false
	}
	if t.Scheme != sillage.SchemeGLPI && t.Scheme != sillage.SchemeOCS {
		return false
	}
	fi, err := os.Stat(t.Path)
	return err == nil && fi.IsDir()
}

// ScanAll is Scan for targets that may describe several machines: a
// glpi: or ocs: directory gives one Inventory per inventory file in it
// (not in its subdirectories), sorted by file name, each with its own
// Target (the file) and Host. Other targets give one Inventory, as Scan.
//
// When some files of a directory cannot be read, ScanAll returns the
// inventories of the others with an error (ErrTarget) naming each failed
// file; when none can, only the error.
func ScanAll(ctx context.Context, arg string, o Options) ([]sillage.Inventory, error) {
	t, err := ResolveTarget(arg)
	if err != nil {
		return nil, err
	}
	if t.Scheme == sillage.SchemeGLPI || t.Scheme == sillage.SchemeOCS {
		if fi, err := os.Stat(t.Path); err == nil && fi.IsDir() {
			return scanInventoryDir(ctx, t, o)
		}
	}
	inv, err := Scan(ctx, arg, o)
	if err != nil {
		return nil, err
	}
	return []sillage.Inventory{inv}, nil
}

// scanWinReg reads a .reg export or PowerShell JSON of Uninstall keys.
func scanWinReg(ctx context.Context, t sillage.Target, o Options) (sillage.Inventory, error) {
	o.progress(sillage.Progress{Stage: "read"})
	f, err := os.Open(t.Path)
	if err != nil {
		return sillage.Inventory{}, statError(t.Path, err)
	}
	defer f.Close()
	entries, info, err := winreg.Parse(&ctxReader{ctx: ctx, r: f})
	if err != nil {
		if ctx.Err() != nil {
			return sillage.Inventory{}, ctx.Err()
		}
		return sillage.Inventory{}, targetError(fmt.Errorf("read %s: %w", t.Path, err), winregHint)
	}
	foundBy := FoundByRegExport
	t.Document = &sillage.Document{Format: string(info.Format), Version: info.Version}
	if info.Format == winreg.FormatPowerShellJSON {
		foundBy = FoundByPowerShell
	}
	comps := registryComponents(entries, foundBy)
	var warnings []string
	if len(entries) == 0 {
		warnings = append(warnings, t.Path+": the export holds no Uninstall subkey (export HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall, its WOW6432Node twin and HKCU's)")
	}
	return sillage.Inventory{
		Target:     t,
		Host:       &sillage.Host{Name: info.Computer, OS: windowsOS},
		Components: comps,
		Warnings:   warnings,
	}, nil
}

// registryComponents keeps the entries Programs and Features shows.
func registryComponents(entries []winreg.Entry, foundBy string) []sillage.Component {
	out := []sillage.Component{}
	seen := map[string]bool{}
	for _, e := range entries {
		if hidden, _ := winreg.Hidden(e); hidden {
			continue
		}
		c := winreg.Component(e, foundBy)
		if seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		out = append(out, c)
	}
	slices.SortFunc(out, sillage.CompareComponents)
	return out
}

func scanWinget(ctx context.Context, t sillage.Target, o Options) (sillage.Inventory, error) {
	o.progress(sillage.Progress{Stage: "read"})
	f, err := os.Open(t.Path)
	if err != nil {
		return sillage.Inventory{}, statError(t.Path, err)
	}
	defer f.Close()
	e, err := winget.Parse(&ctxReader{ctx: ctx, r: f})
	if err != nil {
		if ctx.Err() != nil {
			return sillage.Inventory{}, ctx.Err()
		}
		return sillage.Inventory{}, targetError(fmt.Errorf("read %s: %w", t.Path, err), wingetHint)
	}
	t.Document = &sillage.Document{Format: "winget-export", Version: e.Version}
	comps := []sillage.Component{}
	seen := map[string]bool{}
	noVersion := 0
	for _, p := range e.Packages {
		c := winget.Component(p, FoundByWinget)
		if seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		if c.Version == "" {
			noVersion++
		}
		comps = append(comps, c)
	}
	slices.SortFunc(comps, sillage.CompareComponents)
	var warnings []string
	if noVersion > 0 {
		warnings = append(warnings, fmt.Sprintf("%s: %d packages have no version: export with `winget export --include-versions`", t.Path, noVersion))
	}
	return sillage.Inventory{Target: t, Host: &sillage.Host{OS: windowsOS}, Components: comps, Warnings: warnings}, nil
}

// scanAgentInventory reads one GLPI or OCS inventory file.
func scanAgentInventory(ctx context.Context, t sillage.Target, o Options) (sillage.Inventory, error) {
	o.progress(sillage.Progress{Stage: "read"})
	kind, foundBy, hint := agentinv.GLPI, FoundByGLPI, agentHintGLPI
	if t.Scheme == sillage.SchemeOCS {
		kind, foundBy, hint = agentinv.OCS, FoundByOCS, agentHintOCS
	}
	f, err := os.Open(t.Path)
	if err != nil {
		return sillage.Inventory{}, statError(t.Path, err)
	}
	defer f.Close()
	inv, err := agentinv.Read(&ctxReader{ctx: ctx, r: f}, kind)
	if err != nil {
		if ctx.Err() != nil {
			return sillage.Inventory{}, ctx.Err()
		}
		return sillage.Inventory{}, targetError(fmt.Errorf("read %s: %w", t.Path, err), hint)
	}
	t.Document = &sillage.Document{Format: inv.Format, Version: "", Name: inv.DeviceID}
	var warnings []string
	if !inv.HasSoftware {
		what := "inventory"
		if inv.ItemType != "" {
			what = inv.ItemType + " inventory"
		}
		warnings = append(warnings, fmt.Sprintf("%s: the %s has no software section: no components", t.Path, what))
	}
	return sillage.Inventory{
		Target:     t,
		Host:       &sillage.Host{Name: inv.HostName, OS: inv.OS},
		Components: inv.Components(foundBy),
		Warnings:   warnings,
	}, nil
}

// inventoryExtensions are the files a glpi: or ocs: directory scan reads.
var inventoryExtensions = map[sillage.Scheme][]string{
	sillage.SchemeGLPI: {".json", ".xml"},
	sillage.SchemeOCS:  {".ocs", ".xml"},
}

func scanInventoryDir(ctx context.Context, t sillage.Target, o Options) ([]sillage.Inventory, error) {
	entries, err := os.ReadDir(t.Path)
	if err != nil {
		return nil, statError(t.Path, err)
	}
	exts := inventoryExtensions[t.Scheme]
	var files []string
	for _, e := range entries {
		if !e.Type().IsRegular() || !slices.Contains(exts, strings.ToLower(filepath.Ext(e.Name()))) {
			continue
		}
		files = append(files, filepath.Join(t.Path, e.Name()))
	}
	if len(files) == 0 {
		return nil, targetError(fmt.Errorf("%s holds no inventory file (%s)", t.Path, strings.Join(exts, ", ")),
			fmt.Sprintf("point %s: at a directory of agent inventories, or at one file", t.Scheme))
	}
	if len(files) > maxInventoriesPerDir {
		return nil, targetError(fmt.Errorf("%s holds more than %d inventory files", t.Path, maxInventoriesPerDir), "split the directory")
	}
	var (
		out    []sillage.Inventory
		failed []error
	)
	for i, file := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		o.progress(sillage.Progress{Stage: "read", Files: i + 1, Packages: 0})
		inv, err := scanAgentInventory(ctx, sillage.Target{Scheme: t.Scheme, Path: file}, Options{})
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			failed = append(failed, err)
			continue
		}
		out = append(out, inv)
	}
	if len(failed) > 0 {
		msgs := make([]string, len(failed))
		for i, e := range failed {
			msgs[i] = strings.TrimPrefix(e.Error(), ErrTarget.Error()+": ")
		}
		err := targetError(fmt.Errorf("%d of %d inventory files could not be read:\n  %s", len(failed), len(files), strings.Join(msgs, "\n  ")),
			"the others were scanned; export the failed ones again from the agent")
		return out, err
	}
	return out, nil
}

// ctxReader stops reading when the context is cancelled, so that a long
// read of a large export can be interrupted.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// sniffWorkstation recognises, from the first bytes of a bare file, the
// workstation inventories sillage reads: a registry export, PowerShell
// JSON of Uninstall keys, a winget export, a GLPI JSON inventory or a
// REQUEST XML inventory. "" means none of them.
func sniffWorkstation(path string) sillage.Scheme {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if len(head) >= 2 && head[0] == 0x78 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 {
		return sillage.SchemeOCS // a compressed .ocs
	}
	text, _, err := textdec.Decode(bytes.NewReader(head))
	if err != nil {
		return ""
	}
	br := bufio.NewReader(text)
	start, _ := br.Peek(4096)
	s := strings.TrimLeft(string(start), " \t\r\n\ufeff")
	switch {
	case strings.HasPrefix(s, "Windows Registry Editor Version 5.00"), strings.HasPrefix(s, "REGEDIT4"):
		return sillage.SchemeWinReg
	case strings.HasPrefix(s, "<"):
		if xmlRootIs(s, "REQUEST") {
			return sillage.SchemeOCS
		}
	case strings.HasPrefix(s, "{"), strings.HasPrefix(s, "["):
		return sniffJSON(br)
	}
	return ""
}

// xmlRootIs reports whether the first element of an XML text is name,
// after the declaration, comments and a doctype.
func xmlRootIs(s, name string) bool {
	for {
		s = strings.TrimLeft(s, " \t\r\n")
		switch {
		case strings.HasPrefix(s, "<?"), strings.HasPrefix(s, "<!"):
			end := strings.IndexByte(s, '>')
			if end < 0 {
				return false
			}
			s = s[end+1:]
		default:
			return strings.HasPrefix(s, "<"+name+">") || strings.HasPrefix(s, "<"+name+" ")
		}
	}
}

// sniffJSON reads the first top-level keys of a JSON document.
func sniffJSON(r io.Reader) sillage.Scheme {
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if err != nil {
		return ""
	}
	if tok == json.Delim('[') {
		// PowerShell: an array of objects with registry value names
		if tok, err = dec.Token(); err != nil || tok != json.Delim('{') {
			return ""
		}
		for i := 0; i < 64 && dec.More(); i++ {
			k, err := dec.Token()
			if err != nil {
				return ""
			}
			if k == "PSPath" || k == "DisplayName" {
				return sillage.SchemeWinReg
			}
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return ""
			}
		}
		return ""
	}
	if tok != json.Delim('{') {
		return ""
	}
	var keys []string
	for i := 0; i < 64 && dec.More(); i++ {
		k, err := dec.Token()
		if err != nil {
			break
		}
		key, _ := k.(string)
		var v json.RawMessage
		if dec.Decode(&v) != nil {
			break
		}
		keys = append(keys, key)
		if key == "$schema" && bytes.Contains(v, []byte("winget-packages.schema")) {
			return sillage.SchemeWinget
		}
		if key == "PSPath" {
			return sillage.SchemeWinReg
		}
	}
	if slices.Contains(keys, "content") && (slices.Contains(keys, "deviceid") || slices.Contains(keys, "action")) {
		return sillage.SchemeGLPI
	}
	return ""
}
