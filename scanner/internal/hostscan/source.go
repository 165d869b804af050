package hostscan

import (
	"github.com/opencontainers/go-digest"

	"github.com/anchore/syft/syft/artifact"
	"github.com/anchore/syft/syft/file"
	"github.com/anchore/syft/syft/source"
)

// hostSource is a syft source over a walked root filesystem. syft describes it as a directory, so the SBOM
// reads like one from syft's own directory source, except that locations are in-root absolute paths.
type hostSource struct {
	id       artifact.ID
	path     string // the root as the user gave it
	resolver *resolver
}

var _ source.Source = (*hostSource)(nil)

// newHostSource describes the root the user named as path, walked at r.t.root.
func newHostSource(path string, r *resolver) *hostSource {
	// like syft's directory source, the ID is derived from the path (the resolved one, so that "/mnt/img"
	// and "/mnt/img/" are one source): nothing else identifies a root
	return &hostSource{
		id:       artifact.ID(digest.SHA256.FromString("host:" + r.t.root).Encoded()),
		path:     path,
		resolver: r,
	}
}

// ID identifies the source; it is derived from the root path.
func (s *hostSource) ID() artifact.ID { return s.id }

// Describe presents the source as syft's directory metadata for the root.
func (s *hostSource) Describe() source.Description {
	return source.Description{
		ID:   string(s.id),
		Name: s.path,
		Metadata: source.DirectoryMetadata{
			Path: s.path,
			Base: s.path,
		},
	}
}

// FileResolver returns the walked tree, whatever the scope: a root filesystem has one layer.
func (s *hostSource) FileResolver(source.Scope) (file.Resolver, error) { return s.resolver, nil }

// Close releases nothing: readers close themselves.
func (s *hostSource) Close() error { return nil }
