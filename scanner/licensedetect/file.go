package licensedetect

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
)

// sniffSize is how much of a file is read to tell text from binary before
// the rest is read.
const sniffSize = 8 << 10

// DetectFile identifies the licences in the file at path. It returns
// ErrTooLarge, without reading, for a file over MaxSize, and ErrBinary for
// a file whose first 8 KiB are not text (see isBinary), having read only
// those. Result.Path is path.
func (d *Detector) DetectFile(ctx context.Context, path string) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	text, _, err := readText(path, d.maxSize, 0)
	if err != nil {
		return Result{Path: path}, err
	}
	r, err := d.match(ctx, text)
	if err != nil {
		return Result{Path: path}, err
	}
	r.Path = path
	return r, nil
}

// readText reads the file at path as text. It fails with ErrTooLarge when
// the file is over maxSize bytes, and with ErrBinary when its first bytes
// are not text. When lines is positive, it reads only the first lines
// lines (and at most maxSize bytes), whatever the file's size: the notice
// at the top of a source file. The text is converted to UTF-8 (toUTF8).
// It also returns the number of bytes read.
func readText(path string, maxSize int64, lines int) ([]byte, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	if !fi.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("%s: not a regular file", path)
	}
	size := fi.Size()
	if lines <= 0 && size > maxSize {
		return nil, 0, fmt.Errorf("%s: %d bytes, over %d: %w", path, size, maxSize, ErrTooLarge)
	}
	n := min(size, maxSize)
	if lines > 0 {
		n = min(n, sniffSize)
	}
	buf := make([]byte, n)
	// A file that shrinks while we read it is read as far as it goes.
	got, err := io.ReadFull(f, buf[:min(n, sniffSize)])
	if err != nil && err != io.ErrUnexpectedEOF {
		return nil, int64(got), fmt.Errorf("read %s: %w", path, err)
	}
	if isBinary(buf[:got]) {
		return nil, int64(got), fmt.Errorf("%s: %w", path, ErrBinary)
	}
	if lines > 0 {
		return toUTF8(firstLines(buf[:got], lines)), int64(got), nil
	}
	if got == sniffSize {
		more, err := io.ReadFull(f, buf[got:])
		got += more
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return nil, int64(got), fmt.Errorf("read %s: %w", path, err)
		}
	}
	return toUTF8(buf[:got]), int64(got), nil
}

// firstLines returns the first n lines of b.
func firstLines(b []byte, n int) []byte {
	off := 0
	for range n {
		i := bytes.IndexByte(b[off:], '\n')
		if i < 0 {
			return b
		}
		off += i + 1
	}
	return b[:off]
}

// isBinary reports whether b, the start of a file, is not text: it holds a
// NUL byte (UTF-16 text included), or more than one byte in 32 is a
// control character other than tab, line feed, form feed, carriage return
// and escape. Bytes over 0x7f do not count: Latin-1 and UTF-8 texts have
// them.
func isBinary(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	ctl := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r' && c != 0x1b && c != '\v' {
			ctl++
		}
	}
	return ctl*32 > len(b)
}

// DetectReader identifies the licences in the text read from r, named
// path in the result (a file of a scan target, read through the target's
// own resolver). Like DetectFile it reads at most MaxSize bytes, failing
// with ErrTooLarge beyond, and fails with ErrBinary when the first 8 KiB
// are not text.
func (d *Detector) DetectReader(ctx context.Context, r io.Reader, path string) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	buf, err := io.ReadAll(io.LimitReader(r, d.maxSize+1))
	if err != nil {
		return Result{Path: path}, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(buf)) > d.maxSize {
		return Result{Path: path}, fmt.Errorf("%s: over %d bytes: %w", path, d.maxSize, ErrTooLarge)
	}
	if isBinary(buf[:min(len(buf), sniffSize)]) {
		return Result{Path: path}, fmt.Errorf("%s: %w", path, ErrBinary)
	}
	res, err := d.match(ctx, toUTF8(buf))
	if err != nil {
		return Result{Path: path}, err
	}
	res.Path = path
	return res, nil
}
