package hostscan

import (
	"context"
	"strings"
	"sync"

	"github.com/anchore/syft/syft/artifact"
	"github.com/anchore/syft/syft/cataloging/pkgcataloging"
	"github.com/anchore/syft/syft/file"
	"github.com/anchore/syft/syft/pkg"
	"github.com/anchore/syft/syft/pkg/cataloger/alpine"
	"github.com/anchore/syft/syft/pkg/cataloger/arch"
	"github.com/anchore/syft/syft/pkg/cataloger/binary"
	"github.com/anchore/syft/syft/pkg/cataloger/bitnami"
	"github.com/anchore/syft/syft/pkg/cataloger/debian"
	"github.com/anchore/syft/syft/pkg/cataloger/dotnet"
	"github.com/anchore/syft/syft/pkg/cataloger/gentoo"
	"github.com/anchore/syft/syft/pkg/cataloger/java"
	"github.com/anchore/syft/syft/pkg/cataloger/nix"
	"github.com/anchore/syft/syft/pkg/cataloger/php"
	"github.com/anchore/syft/syft/pkg/cataloger/redhat"
)

// catalogerPlan is how a scan splits syft's installed-software ("image") catalogers.
//
// syft deletes a binary package whose evidence is a file that an OS package owns (the owning package
// already describes that software; internal/relationship ExcludeBinariesByFileOwnershipOverlap), but only
// packages of type binary or with binary-signature, ELF-note or JVM metadata. The catalogers that only ever
// produce such packages (binary classifier, ELF notes, PE, JVM, PHP interpreter) gain nothing from owned
// files: on a distribution host nearly every executable is owned, so they would read and classify thousands
// of files for packages syft then throws away, and that deletion is quadratic in relationships. They see a
// view that hides the files the OS catalogers' packages own (syft's own catalogers, syft's own ownership:
// pkg.FileOwner), and start once those catalogers are done; syft's deletion still runs over the result.
//
// Two more catalogers get the same view although syft keeps their findings in owned files: .NET single-file
// bundles (dotnet-deps-binary reads every ELF file whole looking for a bundle marker, the costliest
// cataloger on a host: 0.6 s of CPU on a 520-package Debian rootfs) and GraalVM native images. No
// distribution packages either, so on a distribution host this only skips reading its own binaries; the
// benchmark roots give the same packages as syft. Go and Rust binaries, which distributions do ship
// (Debian's runc is Go), and every language cataloger see everything.
type catalogerPlan struct {
	owners   []pkg.Cataloger // OS (and Bitnami) package databases, whose packages own files
	unowned  []pkg.Cataloger // binary catalogers that only look at files nobody owns
	replaced []string        // the names these take over in syft's default "image" selection
}

func defaultPlan() catalogerPlan {
	cfg := pkgcataloging.DefaultConfig()
	p := catalogerPlan{
		owners: []pkg.Cataloger{
			arch.NewDBCataloger(),
			alpine.NewDBCataloger(),
			debian.NewDBCataloger(),
			gentoo.NewPortageCataloger(),
			redhat.NewDBCataloger(),
			nix.NewCataloger(cfg.Nix),
			bitnami.NewCataloger(),
		},
		unowned: []pkg.Cataloger{
			binary.NewClassifierCataloger(cfg.Binary),
			binary.NewELFPackageCataloger(),
			binary.NewPEPackageCataloger(),
			java.NewJvmDistributionCataloger(),
			php.NewInterpreterCataloger(),
			dotnet.NewDotnetDepsBinaryCataloger(cfg.Dotnet),
			java.NewNativeImageCataloger(),
		},
	}
	for _, c := range p.owners {
		p.replaced = append(p.replaced, c.Name())
	}
	for _, c := range p.unowned {
		p.replaced = append(p.replaced, c.Name())
	}
	return p
}

// references wraps the plan's catalogers for syft.CreateSBOMConfig.WithCatalogers. They are always
// enabled (syft appends them after its own selection, in this order): owners first, so that with any
// executor bound every owner has started before an unowned cataloger waits for them.
func (p catalogerPlan) references(own *ownership) []pkgcataloging.CatalogerReference {
	var refs []pkgcataloging.CatalogerReference
	for _, c := range p.owners {
		refs = append(refs, pkgcataloging.NewAlwaysEnabledCatalogerReference(ownerCataloger{Cataloger: c, own: own, listed: listedFor(c.Name())}))
	}
	for _, c := range p.unowned {
		refs = append(refs, pkgcataloging.NewAlwaysEnabledCatalogerReference(unownedCataloger{Cataloger: c, own: own}))
	}
	return refs
}

// ownerTypes are the package types whose owned files make syft drop overlapping binary packages.
var ownerTypes = map[pkg.Type]bool{
	pkg.AlpmPkg: true, pkg.ApkPkg: true, pkg.DebPkg: true, pkg.NixPkg: true, pkg.PortagePkg: true,
	pkg.RpmPkg: true, pkg.BitnamiPkg: true,
}

// ownership collects the files owned by the owner catalogers' packages and tells the unowned catalogers
// when all owners are done.
type ownership struct {
	t       *tree
	mu      sync.Mutex
	pending int
	paths   []string
	ready   chan struct{}
	owned   []bool // per node, final once ready is closed
}

func newOwnership(t *tree, owners int) *ownership {
	o := &ownership{t: t, pending: owners, ready: make(chan struct{})}
	if owners == 0 {
		o.finish()
	}
	return o
}

// add records the files the packages own.
func (o *ownership) add(pkgs []pkg.Package) {
	var paths []string
	for _, p := range pkgs {
		if !ownerTypes[p.Type] {
			continue
		}
		if fo, ok := p.Metadata.(pkg.FileOwner); ok {
			paths = append(paths, fo.OwnedFiles()...)
		}
	}
	o.mu.Lock()
	o.paths = append(o.paths, paths...)
	o.mu.Unlock()
}

// done marks one owner cataloger finished; the last one resolves the owned paths.
func (o *ownership) done() {
	o.mu.Lock()
	o.pending--
	last := o.pending == 0
	o.mu.Unlock()
	if last {
		o.finish()
	}
}

// finish marks each owned path, as listed and as resolved through symlinks (syft checks both).
func (o *ownership) finish() {
	owned := make([]bool, len(o.t.nodes))
	for _, p := range o.paths {
		if p == "" {
			continue
		}
		p = cleanRequest(p)
		if id, ok := o.t.lookup(p); ok {
			owned[id] = true
		}
		if id, ok := o.t.resolve(p, true); ok {
			owned[id] = true
		}
	}
	o.owned = owned
	o.paths = nil
	close(o.ready)
}

// wait blocks until every owner cataloger is done.
func (o *ownership) wait(ctx context.Context) error {
	select {
	case <-o.ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (o *ownership) isOwned(id int32) bool { return o.owned[id] }

// listedFor returns the AllLocations filter for a cataloger that walks every location, or nil. syft's Nix
// store cataloger tests every path of the tree for a "nix/store/" component; a path without one can never
// match, and testing all of a host's paths costs more than the rest of the Nix cataloger together.
func listedFor(name string) func(string) bool {
	if name != "nix-cataloger" {
		return nil
	}
	return func(p string) bool { return strings.Contains(p, "nix/store/") }
}

// ownerCataloger runs an OS cataloger and records what its packages own.
type ownerCataloger struct {
	pkg.Cataloger
	own    *ownership
	listed func(string) bool // see listedFor
}

// Catalog runs the wrapped cataloger, then records ownership.
func (c ownerCataloger) Catalog(ctx context.Context, r file.Resolver) ([]pkg.Package, []artifact.Relationship, error) {
	defer c.own.done()
	if hr, ok := r.(*resolver); ok && c.listed != nil {
		view := *hr
		view.listed = c.listed
		r = &view
	}
	pkgs, rels, err := c.Cataloger.Catalog(ctx, r)
	c.own.add(pkgs)
	return pkgs, rels, err
}

// unownedCataloger runs a binary cataloger on a view without owned files, once ownership is known.
type unownedCataloger struct {
	pkg.Cataloger
	own *ownership
}

// Catalog waits for the owner catalogers, then runs the wrapped cataloger on the files nobody owns.
func (c unownedCataloger) Catalog(ctx context.Context, r file.Resolver) ([]pkg.Package, []artifact.Relationship, error) {
	if err := c.own.wait(ctx); err != nil {
		return nil, nil, err
	}
	if hr, ok := r.(*resolver); ok {
		view := *hr
		view.hide = c.own.isOwned
		r = &view
	}
	return c.Cataloger.Catalog(ctx, r)
}
