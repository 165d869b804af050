package formats

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
)

// Caps on what identification reads of a ZIP file. They bound time and
// memory whatever the file claims: a central directory is read only up to
// maxCentralDir bytes and maxZipEntries entries, and an entry is inflated
// only up to the bytes a signature needs (at most maxInflate).
const (
	maxCentralDir = 8 << 20
	maxZipEntries = 100_000
	maxInflate    = 256 << 10
	// maxCompressedRead bounds the compressed bytes read to inflate the
	// start of one entry.
	maxCompressedRead = 1 << 20
)

var (
	errZipNoDir   = errors.New("truncated or corrupt ZIP: no end of central directory")
	errZipBadDir  = errors.New("corrupt ZIP central directory")
	errZipMethod  = errors.New("ZIP entry uses an unsupported compression method")
	errZipEncrypt = errors.New("ZIP entry is encrypted")
)

// inflaters are reused: a decompressor's tables cost more to make than
// the few kilobytes identification inflates with them.
var inflaters = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

// zipEntry is one central-directory record.
type zipEntry struct {
	name         string
	method       uint16
	flags        uint16
	compressed   uint64
	uncompressed uint64
	offset       uint64 // of the local header
}

// data returns the entry's stored bytes, as far as the file holds them
// (a truncated file gives what is there), located through its local header.
func (e zipEntry) data(r io.ReaderAt, size int64) (*io.SectionReader, error) {
	var lh [30]byte
	if int64(e.offset)+30 > size {
		return nil, errZipBadDir
	}
	if _, err := r.ReadAt(lh[:], int64(e.offset)); err != nil {
		return nil, err
	}
	if string(lh[:4]) != "PK\x03\x04" {
		return nil, errZipBadDir
	}
	dataOff := int64(e.offset) + 30 + int64(binary.LittleEndian.Uint16(lh[26:])) + int64(binary.LittleEndian.Uint16(lh[28:]))
	comp := min(int64(e.compressed), size-dataOff)
	if comp < 0 {
		return nil, errZipBadDir
	}
	return io.NewSectionReader(r, dataOff, comp), nil
}

// decompress reads the entry's stored bytes as its method says: deflate
// (8) through a pooled inflater, which release returns; anything else as
// stored. Callers reject the methods they cannot read first.
func (e zipEntry) decompress(stored io.Reader) (src io.Reader, release func()) {
	if e.method != 8 {
		return stored, func() {}
	}
	fr := inflaters.Get().(io.ReadCloser)
	_ = fr.(flate.Resetter).Reset(stored, nil)
	return fr, func() { inflaters.Put(fr) }
}

// zipDir is the central directory of a ZIP file, read with bounded
// ReadAt calls.
type zipDir struct {
	entries   []zipEntry
	byName    map[string]int
	truncated bool // more entries than maxZipEntries or maxCentralDir
}

// readZipDir reads the central directory of the ZIP file r of the given
// size. It reads the last 64 KiB + 22 bytes to find the end record (and
// the ZIP64 locator), then the directory itself.
func readZipDir(r io.ReaderAt, size int64) (*zipDir, error) {
	const eocdLen = 22
	if size < eocdLen {
		return nil, errZipNoDir
	}
	// the end record is the last 22 bytes unless the archive has a
	// comment (up to 64 KiB): read 1 KiB first, the whole span only if
	// the record is not there
	var buf []byte
	var tail int64
	i := -1
	for _, span := range []int64{1 << 10, 64<<10 + eocdLen} {
		tail = min(span, size)
		buf = make([]byte, tail)
		if _, err := r.ReadAt(buf, size-tail); err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		i = bytes.LastIndex(buf, []byte("PK\x05\x06"))
		for i >= 0 && len(buf)-i < eocdLen {
			i = bytes.LastIndex(buf[:i], []byte("PK\x05\x06"))
		}
		if i >= 0 || tail == size {
			break
		}
	}
	if i < 0 {
		return nil, errZipNoDir
	}
	e := buf[i:]
	count := uint64(binary.LittleEndian.Uint16(e[10:]))
	dirSize := uint64(binary.LittleEndian.Uint32(e[12:]))
	dirOff := uint64(binary.LittleEndian.Uint32(e[16:]))
	eocdPos := size - tail + int64(i)
	if count == 0xFFFF || dirSize == 0xFFFFFFFF || dirOff == 0xFFFFFFFF {
		// ZIP64: the locator is the 20 bytes before the end record
		if i >= 20 && string(buf[i-20:i-16]) == "PK\x06\x07" {
			off := binary.LittleEndian.Uint64(buf[i-12:])
			if off < uint64(size) {
				rec := make([]byte, 56)
				if _, err := r.ReadAt(rec, int64(off)); err == nil && string(rec[:4]) == "PK\x06\x06" {
					count = binary.LittleEndian.Uint64(rec[32:])
					dirSize = binary.LittleEndian.Uint64(rec[40:])
					dirOff = binary.LittleEndian.Uint64(rec[48:])
					eocdPos = int64(off)
				}
			}
		}
	}
	// archives with a prefix (self-extracting) shift every offset
	base := int64(0)
	if int64(dirOff+dirSize) < eocdPos {
		base = eocdPos - int64(dirOff+dirSize)
	}
	if dirOff+dirSize > uint64(size) || int64(dirOff)+base > size {
		return nil, errZipBadDir
	}
	d := &zipDir{byName: map[string]int{}}
	if dirSize > maxCentralDir {
		dirSize = maxCentralDir
		d.truncated = true
	}
	dir := make([]byte, dirSize)
	if _, err := r.ReadAt(dir, int64(dirOff)+base); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	for p := 0; len(d.entries) < int(min(count, maxZipEntries)); {
		if p+46 > len(dir) || string(dir[p:p+4]) != "PK\x01\x02" {
			if !d.truncated {
				return nil, errZipBadDir
			}
			break
		}
		h := dir[p:]
		nameLen := int(binary.LittleEndian.Uint16(h[28:]))
		extraLen := int(binary.LittleEndian.Uint16(h[30:]))
		commentLen := int(binary.LittleEndian.Uint16(h[32:]))
		if p+46+nameLen+extraLen > len(dir) {
			if !d.truncated {
				return nil, errZipBadDir
			}
			break
		}
		ent := zipEntry{
			name:         string(h[46 : 46+nameLen]),
			flags:        binary.LittleEndian.Uint16(h[8:]),
			method:       binary.LittleEndian.Uint16(h[10:]),
			compressed:   uint64(binary.LittleEndian.Uint32(h[20:])),
			uncompressed: uint64(binary.LittleEndian.Uint32(h[24:])),
			offset:       uint64(binary.LittleEndian.Uint32(h[42:])),
		}
		zip64Extra(&ent, h[46+nameLen:46+nameLen+extraLen])
		ent.offset += uint64(base)
		if _, dup := d.byName[ent.name]; !dup {
			d.byName[ent.name] = len(d.entries)
		}
		d.entries = append(d.entries, ent)
		p += 46 + nameLen + extraLen + commentLen
	}
	if count > maxZipEntries {
		d.truncated = true
	}
	return d, nil
}

// zip64Extra replaces the 0xFFFFFFFF sizes and offset of e with the values
// of its ZIP64 extended-information extra field.
func zip64Extra(e *zipEntry, extra []byte) {
	for len(extra) >= 4 {
		id := binary.LittleEndian.Uint16(extra)
		n := int(binary.LittleEndian.Uint16(extra[2:]))
		if 4+n > len(extra) {
			return
		}
		if id == 0x0001 {
			f := extra[4 : 4+n]
			next := func(v *uint64) {
				if *v == 0xFFFFFFFF && len(f) >= 8 {
					*v = binary.LittleEndian.Uint64(f)
					f = f[8:]
				}
			}
			next(&e.uncompressed)
			next(&e.compressed)
			next(&e.offset)
			return
		}
		extra = extra[4+n:]
	}
}

// bomb describes the first entry whose declared expansion is beyond any
// document's (over 100 times its compressed size, and over 10 MiB), or "".
// Identification never inflates more than maxInflate bytes of an entry,
// so such an entry costs nothing; it is reported because it is a risk for
// the tools that will open the file.
func (d *zipDir) bomb() string {
	for _, e := range d.entries {
		if e.uncompressed > 10<<20 && e.uncompressed > 100*max(e.compressed, 1) {
			return fmt.Sprintf("possible ZIP bomb: entry %s expands %d bytes to %d (%d:1)", e.name, e.compressed, e.uncompressed, e.uncompressed/max(e.compressed, 1))
		}
	}
	return ""
}

func (d *zipDir) has(name string) bool {
	_, ok := d.byName[name]
	return ok
}

// readStart returns up to n bytes of the start of entry name, inflated.
// It reads at most maxCompressedRead compressed bytes: the cost does not
// depend on what the entry claims to hold, so a ZIP bomb costs no more
// than any other file.
func (d *zipDir) readStart(r io.ReaderAt, size int64, name string, n int) ([]byte, error) {
	i, ok := d.byName[name]
	if !ok {
		return nil, fmt.Errorf("no entry %s", name)
	}
	e := d.entries[i]
	if e.flags&1 != 0 {
		return nil, errZipEncrypt
	}
	if n > maxInflate {
		n = maxInflate
	}
	if e.method != 0 && e.method != 8 {
		return nil, errZipMethod
	}
	data, err := e.data(r, size)
	if err != nil {
		return nil, err
	}
	src, release := e.decompress(io.NewSectionReader(data, 0, min(data.Size(), maxCompressedRead)))
	defer release()
	out := make([]byte, n)
	m, err := io.ReadFull(src, out)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		if m == 0 {
			return nil, err
		}
	}
	return out[:m], nil
}
