package scanner

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// tarEntryNames reads the headers of the tar archive r and returns the set
// of its entry names (cleaned, without a leading "./"). It returns a nil map
// and no error when r does not start with a tar header, and an error when
// the archive starts well but is truncated or corrupt. limit bounds the
// number of headers read (negative: all of them); the archive's content is
// skipped, not read, when r can seek.
func tarEntryNames(r io.Reader, limit int) (map[string]bool, error) {
	tr := tar.NewReader(r)
	names := map[string]bool{}
	for i := 0; limit < 0 || i < limit; i++ {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			if i == 0 {
				return nil, nil // empty or not a tar
			}
			return names, nil
		}
		if err != nil {
			if i == 0 {
				return nil, nil // the first header is not a tar header
			}
			return nil, fmt.Errorf("entry %d: %w", i+1, err)
		}
		name := strings.TrimPrefix(path.Clean(h.Name), "./")
		names[name] = true
		if limit >= 0 && (names["oci-layout"] || names["manifest.json"]) {
			return names, nil
		}
		if limit < 0 && h.Typeflag == tar.TypeReg {
			// read (not skip) the content: a truncated archive is only
			// noticed when the missing bytes are asked for
			if _, err := io.Copy(io.Discard, tr); err != nil {
				return nil, fmt.Errorf("entry %s: %w", name, err)
			}
		}
	}
	return names, nil
}

// checkTarEnd reports an error unless the file f ends with a tar
// end-of-archive marker (two zero blocks, possibly followed by zero
// padding). archive/tar accepts an archive cut at a block boundary as if
// it were complete; this catches it.
func checkTarEnd(f io.ReadSeeker) error {
	const marker = 1024
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	if size < marker {
		return errors.New("archive too short to hold an end-of-archive marker")
	}
	if _, err := f.Seek(size-marker, io.SeekStart); err != nil {
		return err
	}
	buf := make([]byte, marker)
	if _, err := io.ReadFull(f, buf); err != nil {
		return err
	}
	for _, b := range buf {
		if b != 0 {
			return errors.New("archive ends without an end-of-archive marker: it is truncated")
		}
	}
	return nil
}
