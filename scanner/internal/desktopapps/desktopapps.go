// Package desktopapps finds the desktop applications of a Linux host that
// no package database lists: Flatpak applications and Snap packages.
//
// It reads only the few directories where they are installed, through an
// os.Root, so that symbolic links (Flatpak's current -> x86_64/stable,
// active -> commit; Snap's current -> revision) are followed but never out
// of the scanned root, and the rest of the host is not touched:
//
//	Flatpak  /var/lib/flatpak/app/ID/current/active/metadata (system installation)
//	         /home/USER/.local/share/flatpak/app/... and /root/.local/share/flatpak/app/... (per user)
//	         version, licence, name and developer from the application's AppStream
//	         metainfo, files/share/metainfo/ID.metainfo.xml (or appdata)
//	Snap     /snap/NAME/current/meta/snap.yaml (mounted snaps: a running host)
//	         /var/lib/snapd/state.json (an image whose snaps are not mounted:
//	         names and revisions, no versions)
//
// Runtimes, Flatpak extensions and Snap bases, snapd, kernels and gadgets
// are platform pieces, not applications, and are left out.
package desktopapps

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxFile bounds the metadata files read; snapd's state.json, the largest,
// is a few megabytes.
const (
	maxFile  = 1 << 20
	maxState = 64 << 20
)

// App is one application found.
type App struct {
	// Kind is "flatpak" or "snap".
	Kind string
	// Name is the Flatpak application id ("org.mozilla.firefox") or the
	// snap name ("firefox").
	Name    string
	Version string
	// Title is the human name, when the metadata gives one.
	Title string
	// Developer is the AppStream developer or the snap publisher, "" when
	// unknown.
	Developer string
	// License is the licence as the metadata states it (AppStream
	// project_license, snap.yaml license), "" when none; LicenseFile is
	// the file it was read from.
	License, LicenseFile string
	// Arch is the architecture ("x86_64", "amd64").
	Arch string
	// Location is the file that revealed the application, an absolute
	// slash path inside the root.
	Location string
	// InstallLocation is the application's directory inside the root.
	InstallLocation string
}

// Options says what to skip.
type Options struct {
	// Excluded reports whether an in-root slash path is left out of the
	// scan; nil excludes nothing.
	Excluded func(p string) bool
}

func (o Options) excluded(p string) bool { return o.Excluded != nil && o.Excluded(p) }

// Find returns the Flatpak and Snap applications under root, sorted by
// kind and name, and warnings about metadata it could not read.
func Find(root string, o Options) ([]App, []string, error) {
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	f := &finder{fsys: r.FS(), o: o}
	f.flatpaks()
	f.snaps()
	slices.SortFunc(f.apps, func(a, b App) int {
		if c := strings.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Location, b.Location)
	})
	return f.apps, f.warnings, nil
}

type finder struct {
	fsys     fs.FS
	o        Options
	apps     []App
	warnings []string
}

func (f *finder) warn(p string, err error) {
	f.warnings = append(f.warnings, fmt.Sprintf("/%s: %v", p, err))
}

// rel turns an in-root absolute path into an fs.FS path.
func rel(p string) string { return strings.TrimPrefix(path.Clean(p), "/") }

// readSmall reads a regular file of at most limit bytes; ok is false when
// it does not exist.
func (f *finder) readSmall(p string, limit int64) ([]byte, bool, error) {
	file, err := f.fsys.Open(rel(p))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, false, nil
		}
		return nil, false, err
	}
	defer file.Close()
	fi, err := file.Stat()
	if err != nil {
		return nil, false, err
	}
	if !fi.Mode().IsRegular() {
		return nil, false, fmt.Errorf("not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(file, limit+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(data)) > limit {
		return nil, false, fmt.Errorf("larger than %d bytes", limit)
	}
	return data, true, nil
}

// dirNames lists a directory's entries, nil when it does not exist.
func (f *finder) dirNames(p string) []string {
	if f.o.excluded(p) {
		return nil
	}
	entries, err := fs.ReadDir(f.fsys, rel(p))
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			f.warn(rel(p), err)
		}
		return nil
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// flatpakInstallations are the Flatpak installations of the host: the
// system one and each user's.
func (f *finder) flatpakInstallations() []string {
	insts := []string{"/var/lib/flatpak", "/root/.local/share/flatpak"}
	for _, u := range f.dirNames("/home") {
		insts = append(insts, "/home/"+u+"/.local/share/flatpak")
	}
	return insts
}

func (f *finder) flatpaks() {
	for _, inst := range f.flatpakInstallations() {
		for _, id := range f.dirNames(inst + "/app") {
			dir := inst + "/app/" + id
			if f.o.excluded(dir) {
				continue
			}
			meta := dir + "/current/active/metadata"
			data, ok, err := f.readSmall(meta, maxFile)
			if err != nil {
				f.warn(rel(meta), err)
				continue
			}
			if !ok {
				continue // an application being installed or removed
			}
			app, isApp := parseFlatpakMetadata(data)
			if !isApp {
				continue
			}
			if app.Name == "" {
				app.Name = id
			}
			app.Kind = "flatpak"
			app.Location = meta
			app.InstallLocation = dir + "/current/active"
			f.appstream(&app, dir+"/current/active/files/share")
			f.apps = append(f.apps, app)
		}
	}
}

// parseFlatpakMetadata reads the keyfile flatpak writes at the top of a
// deployment: [Application] name=ID, runtime=RUNTIME/ARCH/BRANCH. A
// [Runtime] group (runtimes and extensions) is not an application.
func parseFlatpakMetadata(data []byte) (App, bool) {
	var app App
	group := ""
	isApp := false
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			group = line[1 : len(line)-1]
			if group == "Application" {
				isApp = true
			}
		case group == "Application":
			k, v, _ := strings.Cut(line, "=")
			switch strings.TrimSpace(k) {
			case "name":
				app.Name = strings.TrimSpace(v)
			case "runtime":
				if parts := strings.Split(strings.TrimSpace(v), "/"); len(parts) == 3 {
					app.Arch = parts[1]
				}
			}
		}
	}
	return app, isApp
}

// appstream fills version, licence, title and developer from the
// application's AppStream file, when it ships one.
func (f *finder) appstream(app *App, share string) {
	for _, p := range []string{
		share + "/metainfo/" + app.Name + ".metainfo.xml",
		share + "/metainfo/" + app.Name + ".appdata.xml",
		share + "/appdata/" + app.Name + ".appdata.xml",
	} {
		data, ok, err := f.readSmall(p, maxFile)
		if err != nil {
			f.warn(rel(p), err)
			return
		}
		if !ok {
			continue
		}
		c, err := parseAppStream(data)
		if err != nil {
			f.warn(rel(p), err)
			return
		}
		app.Version, app.License, app.Title, app.Developer = c.version, c.license, c.name, c.developer
		if app.License != "" {
			app.LicenseFile = p
		}
		return
	}
}

type appStream struct{ version, license, name, developer string }

// parseAppStream reads a <component>: the first <release> (AppStream
// lists releases newest first), <project_license>, the untranslated
// <name>, and <developer><name> or the older <developer_name>.
func parseAppStream(data []byte) (appStream, error) {
	dec := xml.NewDecoder(strings.NewReader(string(data)))
	var (
		out   appStream
		path  []string
		text  strings.Builder
		first = true
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("AppStream XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(path) > 32 {
				return out, errors.New("AppStream XML nested too deeply")
			}
			path = append(path, t.Name.Local)
			text.Reset()
			if t.Name.Local == "release" && len(path) == 3 && path[1] == "releases" && first {
				first = false
				for _, a := range t.Attr {
					if a.Name.Local == "version" {
						out.version = strings.TrimSpace(a.Value)
					}
				}
			}
			translated := false
			for _, a := range t.Attr {
				if a.Name.Local == "lang" {
					translated = true
				}
			}
			if translated {
				path[len(path)-1] = "translated:" + t.Name.Local
			}
		case xml.CharData:
			if text.Len() < 4096 {
				text.Write(t)
			}
		case xml.EndElement:
			if len(path) == 0 {
				continue
			}
			v := strings.TrimSpace(text.String())
			switch strings.Join(path, "/") {
			case "component/project_license":
				out.license = v
			case "component/name":
				out.name = v
			case "component/developer_name", "component/developer/name":
				if out.developer == "" {
					out.developer = v
				}
			}
			path = path[:len(path)-1]
			text.Reset()
		}
	}
}

// snapTypes that are platform pieces rather than applications.
var platformSnap = map[string]bool{"base": true, "os": true, "core": true, "snapd": true, "kernel": true, "gadget": true}

func (f *finder) snaps() {
	found := 0
	for _, name := range f.dirNames("/snap") {
		if name == "bin" {
			continue
		}
		meta := "/snap/" + name + "/current/meta/snap.yaml"
		if f.o.excluded(meta) {
			continue
		}
		data, ok, err := f.readSmall(meta, maxFile)
		if err != nil {
			f.warn(rel(meta), err)
			continue
		}
		if !ok {
			continue
		}
		found++
		app, isApp, err := parseSnapYAML(data)
		if err != nil {
			f.warn(rel(meta), err)
			continue
		}
		if !isApp {
			continue
		}
		if app.Name == "" {
			app.Name = name
		}
		app.Kind = "snap"
		app.Location = meta
		if app.License != "" {
			app.LicenseFile = meta
		}
		app.InstallLocation = "/snap/" + name + "/current"
		f.apps = append(f.apps, app)
	}
	if found == 0 {
		f.snapState()
	}
}

type snapYAML struct {
	Name          string   `yaml:"name"`
	Version       string   `yaml:"version"`
	Title         string   `yaml:"title"`
	Type          string   `yaml:"type"`
	License       string   `yaml:"license"`
	Architectures []string `yaml:"architectures"`
}

// parseSnapYAML reads meta/snap.yaml, the description every snap carries.
func parseSnapYAML(data []byte) (App, bool, error) {
	var y snapYAML
	if err := yaml.Unmarshal(data, &y); err != nil {
		return App{}, false, fmt.Errorf("snap.yaml: %w", err)
	}
	app := App{Name: strings.TrimSpace(y.Name), Version: strings.TrimSpace(y.Version), Title: strings.TrimSpace(y.Title), License: strings.TrimSpace(y.License)}
	if len(y.Architectures) == 1 && y.Architectures[0] != "all" {
		app.Arch = y.Architectures[0]
	}
	return app, !platformSnap[strings.TrimSpace(y.Type)], nil
}

// snapState lists the snaps snapd records when none is mounted (a disk
// image): names, types and current revisions; versions are only in the
// snaps themselves.
func (f *finder) snapState() {
	const p = "/var/lib/snapd/state.json"
	if f.o.excluded(p) {
		return
	}
	data, ok, err := f.readSmall(p, maxState)
	if err != nil {
		f.warn(rel(p), err)
		return
	}
	if !ok {
		return
	}
	var st struct {
		Data struct {
			Snaps map[string]struct {
				Type    string          `json:"type"`
				Current json.RawMessage `json:"current"`
				Channel string          `json:"channel"`
			} `json:"snaps"`
		} `json:"data"`
	}
	if err := json.Unmarshal(data, &st); err != nil {
		f.warn(rel(p), fmt.Errorf("JSON: %w", err))
		return
	}
	for name, s := range st.Data.Snaps {
		if platformSnap[s.Type] {
			continue
		}
		f.apps = append(f.apps, App{Kind: "snap", Name: name, Location: p, InstallLocation: "/snap/" + name + "/current"})
	}
	if len(st.Data.Snaps) > 0 {
		f.warnings = append(f.warnings, p+": no snap is mounted under /snap; snaps are listed from snapd's state without versions")
	}
}
