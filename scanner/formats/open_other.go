//go:build !unix

package formats

import (
	"io/fs"
	"os"
	"path/filepath"
)

func openFile(path string, _ bool) (*os.File, error) { return os.Open(path) }

func openDir(path string) (*os.File, error) { return os.Open(path) }

func readDir(path string) ([]fs.DirEntry, error) { return os.ReadDir(path) }

func joinPath(dir, name string) string { return filepath.Join(dir, name) }

type fileKey struct{}

func keyOf(os.FileInfo) (fileKey, bool) { return fileKey{}, false }
