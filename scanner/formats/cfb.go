package formats

import (
	"encoding/binary"
	"errors"
	"io"
	"unicode/utf16"
)

// OLE2 compound file ([MS-CFB]) reading, bounded: the directory is read
// sector by sector through the FAT with ReadAt, never the whole file, and
// every chain is cut at a fixed number of sectors, so a loop or a lying
// header costs a bounded number of reads.
const (
	maxDirSectors   = 1024
	maxChainSteps   = 1 << 16
	cfbEndOfChain   = 0xFFFFFFFE
	cfbFreeSect     = 0xFFFFFFFF
	cfbMaxRegSector = 0xFFFFFFFA
)

var errCFB = errors.New("corrupt OLE2 compound file")

type cfbEntry struct {
	name  string
	typ   byte // 1 storage, 2 stream, 5 root
	start uint32
	size  uint64
}

type cfb struct {
	r          io.ReaderAt
	size       int64
	ss         int // sector size
	difat      []uint32
	fatCache   map[uint32][]byte
	entries    []cfbEntry
	names      map[string]bool
	miniCutoff uint64
	miniFAT    uint32
}

func readCFB(r io.ReaderAt, size int64, head []byte) (*cfb, error) {
	if len(head) < 512 {
		return nil, errCFB
	}
	shift := binary.LittleEndian.Uint16(head[0x1E:])
	if shift != 9 && shift != 12 {
		return nil, errCFB
	}
	c := &cfb{r: r, size: size, ss: 1 << shift, fatCache: map[uint32][]byte{}, names: map[string]bool{}}
	c.miniCutoff = uint64(binary.LittleEndian.Uint32(head[0x38:]))
	c.miniFAT = binary.LittleEndian.Uint32(head[0x3C:])
	nFAT := binary.LittleEndian.Uint32(head[0x2C:])
	for i := 0; i < 109 && uint32(i) < nFAT; i++ {
		c.difat = append(c.difat, binary.LittleEndian.Uint32(head[0x4C+4*i:]))
	}
	// further DIFAT sectors, for files over about 7 MB
	next := binary.LittleEndian.Uint32(head[0x44:])
	for steps := 0; uint32(len(c.difat)) < nFAT && next <= cfbMaxRegSector && steps < 64; steps++ {
		sec, err := c.sector(next)
		if err != nil {
			return nil, err
		}
		per := c.ss/4 - 1
		for i := 0; i < per && uint32(len(c.difat)) < nFAT; i++ {
			c.difat = append(c.difat, binary.LittleEndian.Uint32(sec[4*i:]))
		}
		next = binary.LittleEndian.Uint32(sec[4*per:])
	}
	dirStart := binary.LittleEndian.Uint32(head[0x30:])
	s := dirStart
	for n := 0; s <= cfbMaxRegSector; n++ {
		if n >= maxDirSectors {
			break
		}
		sec, err := c.sector(s)
		if err != nil {
			if n == 0 {
				return nil, err
			}
			break // a truncated file: keep the entries read
		}
		for off := 0; off+128 <= len(sec); off += 128 {
			e := sec[off : off+128]
			typ := e[66]
			if typ == 0 {
				continue
			}
			nl := int(binary.LittleEndian.Uint16(e[64:]))
			if nl < 2 || nl > 64 || nl%2 != 0 {
				continue
			}
			u := make([]uint16, nl/2-1)
			for i := range u {
				u[i] = binary.LittleEndian.Uint16(e[2*i:])
			}
			name := string(utf16.Decode(u))
			ent := cfbEntry{name: name, typ: typ, start: binary.LittleEndian.Uint32(e[116:]), size: binary.LittleEndian.Uint64(e[120:])}
			if c.ss == 512 {
				ent.size &= 0xFFFFFFFF
			}
			c.entries = append(c.entries, ent)
			c.names[name] = true
		}
		nx, err := c.next(s)
		if err != nil || nx == s {
			break
		}
		s = nx
	}
	if len(c.entries) == 0 || c.entries[0].typ != 5 {
		return nil, errCFB
	}
	return c, nil
}

// sector returns the bytes of sector n.
func (c *cfb) sector(n uint32) ([]byte, error) {
	off := (int64(n) + 1) * int64(c.ss)
	if n > cfbMaxRegSector || off+int64(c.ss) > c.size {
		return nil, errCFB
	}
	b := make([]byte, c.ss)
	if _, err := c.r.ReadAt(b, off); err != nil {
		return nil, errCFB
	}
	return b, nil
}

// next returns the sector after s in its FAT chain.
func (c *cfb) next(s uint32) (uint32, error) {
	per := uint32(c.ss / 4)
	i := s / per
	if int(i) >= len(c.difat) {
		return 0, errCFB
	}
	fs := c.difat[i]
	sec, ok := c.fatCache[fs]
	if !ok {
		var err error
		if sec, err = c.sector(fs); err != nil {
			return 0, err
		}
		c.fatCache[fs] = sec
	}
	return binary.LittleEndian.Uint32(sec[4*(s%per):]), nil
}

// nth returns the idx-th sector of the chain starting at start.
func (c *cfb) nth(start uint32, idx int) (uint32, error) {
	s := start
	for i := 0; i < idx; i++ {
		if i >= maxChainSteps {
			return 0, errCFB
		}
		nx, err := c.next(s)
		if err != nil || nx > cfbMaxRegSector {
			return 0, errCFB
		}
		s = nx
	}
	return s, nil
}

// streamStart returns up to n bytes of the start of the stream called
// name (the first one of that name in the directory).
func (c *cfb) streamStart(name string, n int) ([]byte, error) {
	var e *cfbEntry
	for i := range c.entries {
		if c.entries[i].name == name && c.entries[i].typ == 2 {
			e = &c.entries[i]
			break
		}
	}
	if e == nil {
		return nil, errCFB
	}
	if uint64(n) > e.size {
		n = int(e.size)
	}
	out := make([]byte, 0, n)
	if e.size >= c.miniCutoff {
		for idx := 0; len(out) < n; idx++ {
			s, err := c.nth(e.start, idx)
			if err != nil {
				return out, err
			}
			sec, err := c.sector(s)
			if err != nil {
				return out, err
			}
			out = append(out, sec[:min(len(sec), n-len(out))]...)
		}
		return out, nil
	}
	// a small stream lives in the mini stream, itself the root entry's
	// chain, in 64-byte mini sectors chained by the mini FAT
	root := c.entries[0]
	ms := e.start
	for len(out) < n {
		off := int64(ms) * 64
		s, err := c.nth(root.start, int(off/int64(c.ss)))
		if err != nil {
			return out, err
		}
		sec, err := c.sector(s)
		if err != nil {
			return out, err
		}
		in := int(off % int64(c.ss))
		out = append(out, sec[in:in+min(64, n-len(out))]...)
		// next mini sector: entry ms of the mini FAT
		per := uint32(c.ss / 4)
		fs, err := c.nth(c.miniFAT, int(ms/per))
		if err != nil {
			return out, err
		}
		fsec, err := c.sector(fs)
		if err != nil {
			return out, err
		}
		ms = binary.LittleEndian.Uint32(fsec[4*(ms%per):])
		if ms > cfbMaxRegSector {
			break
		}
	}
	return out, nil
}
