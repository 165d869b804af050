package formats

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Caps on what --archives reads of a ZIP archive's members. A member is
// inflated whole (so that a document inside can be identified like a file)
// only when it is small, expands reasonably, and the archive's budget
// allows; otherwise it is identified from its first bytes and the problem
// says so. Archives nest at most maxArchiveDepth deep.
const (
	maxArchiveMembers = 10_000
	maxMemberSize     = 16 << 20
	maxArchiveBudget  = 256 << 20
	maxMemberRatio    = 100
	maxArchiveDepth   = 2
)

// member is a file found inside an archive.
type member struct {
	path string // archive path + "!/" + name
	m    Match
	size int64
}

// members identifies the members of the ZIP archive r. It never reads more
// than maxArchiveBudget inflated bytes for the archive and its nested
// archives together, and returns a problem to report on the archive
// itself ("" when none).
func (id *Identifier) members(r io.ReaderAt, size int64, path string, depth int, budget *int64, emit func(member)) string {
	d, err := readZipDir(r, size)
	if err != nil {
		return ""
	}
	problem := ""
	if d.truncated {
		problem = fmt.Sprintf("more than %d members: the rest were not inspected", maxZipEntries)
	}
	n := 0
	for _, e := range d.entries {
		if strings.HasSuffix(e.name, "/") {
			continue // a directory
		}
		if n++; n > maxArchiveMembers {
			return fmt.Sprintf("more than %d members: the rest were not inspected", maxArchiveMembers)
		}
		mp := path + "!/" + e.name
		switch {
		case e.flags&1 != 0:
			emit(member{mp, Match{Basis: BasisNone, Problem: "encrypted member: not inspected"}, int64(e.uncompressed)})
			continue
		case e.method != 0 && e.method != 8:
			emit(member{mp, Match{Basis: BasisNone, Problem: fmt.Sprintf("member compressed with method %d: not inspected", e.method)}, int64(e.uncompressed)})
			continue
		}
		ratio := e.uncompressed / max(e.compressed, 1)
		whole := e.uncompressed <= maxMemberSize && (ratio <= maxMemberRatio || e.uncompressed <= 1<<20) && int64(e.uncompressed) <= *budget
		limit := int64(e.uncompressed)
		if !whole {
			limit = smallFile
		}
		data, err := readEntry(r, size, e, limit)
		*budget -= int64(len(data))
		var m Match
		switch {
		case err != nil:
			m = Match{Basis: BasisNone, Problem: "unreadable member: " + err.Error()}
		case whole && int64(len(data)) < int64(e.uncompressed):
			m = id.Identify(bytes.NewReader(data), int64(len(data)), e.name)
			m.Problem = joinDetail(m.Problem, fmt.Sprintf("truncated member: %d of %d bytes", len(data), e.uncompressed))
		case whole:
			m = id.Identify(bytes.NewReader(data), int64(len(data)), e.name)
		default:
			m = id.Identify(bytes.NewReader(data), int64(len(data)), e.name)
			why := "over the caps"
			switch {
			case ratio > maxMemberRatio && e.uncompressed > 1<<20:
				why = fmt.Sprintf("possible ZIP bomb (expands %d:1)", ratio)
			case e.uncompressed > maxMemberSize:
				why = fmt.Sprintf("over %d MiB", maxMemberSize>>20)
			case int64(e.uncompressed) > *budget:
				why = "over the archive's read budget"
			}
			m.Problem = joinDetail(m.Problem, fmt.Sprintf("member of %d bytes %s: identified from its first %d KiB only", e.uncompressed, why, smallFile>>10))
		}
		if whole && err == nil && m.Format != nil && m.Format.ID == "zip" {
			if depth+1 < maxArchiveDepth {
				m.Problem = joinDetail(m.Problem, id.members(bytes.NewReader(data), int64(len(data)), mp, depth+1, budget, emit))
			} else {
				m.Problem = joinDetail(m.Problem, fmt.Sprintf("archive nested %d deep: members not inspected", depth+2))
			}
		}
		emit(member{mp, m, int64(e.uncompressed)})
	}
	return problem
}

var errMemberTooLarge = errors.New("member larger than its declared size")

// readEntry inflates up to limit bytes of entry e. A member that inflates
// to more than it declares is cut at the declared size and reported.
func readEntry(r io.ReaderAt, size int64, e zipEntry, limit int64) ([]byte, error) {
	data, err := e.data(r, size)
	if err != nil {
		return nil, err
	}
	src, release := e.decompress(data)
	defer release()
	var buf bytes.Buffer
	_, err = io.Copy(&buf, io.LimitReader(src, limit+1))
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return buf.Bytes(), err
	}
	if int64(buf.Len()) > limit {
		if limit == int64(e.uncompressed) {
			return buf.Bytes()[:limit], errMemberTooLarge
		}
		return buf.Bytes()[:limit], nil
	}
	return buf.Bytes(), nil
}
