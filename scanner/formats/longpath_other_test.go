//go:build !unix

package formats

import "errors"

func mkdirLong(string) error         { return errors.New("not on this system") }
func writeLong(string, []byte) error { return errors.New("not on this system") }
