package hostscan

import (
	"context"
	"fmt"
	"sync"

	"github.com/anchore/syft/syft"
	"github.com/anchore/syft/syft/cataloging"
)

// licenceScanner holds syft's licence scanner for the whole process. Building it compiles licensecheck's
// licence matcher, about a second of CPU, which CreateSBOM would otherwise redo on every call; a scan starts
// building it before walking, so the two overlap, and later scans reuse it.
var licenceScanner struct {
	once  sync.Once
	ready chan struct{}
	ctx   context.Context // carries the scanner as a context value
	err   error
}

// StartLicenceScanner starts building the scanner, once per process, and returns a channel closed when
// it is built (or failed). The scanner package calls it for every kind of target, so one process builds
// one scanner whatever it scans.
func StartLicenceScanner() <-chan struct{} {
	licenceScanner.once.Do(func() {
		licenceScanner.ready = make(chan struct{})
		go func() {
			defer close(licenceScanner.ready)
			// the build cannot be cancelled, and a later scan will want it anyway: use no caller's ctx
			ctx, err := syft.SetContextLicenseScanner(context.Background(), cataloging.DefaultLicenseConfig())
			if err != nil {
				licenceScanner.err = fmt.Errorf("build licence scanner: %w", err)
				return
			}
			licenceScanner.ctx = ctx
		}()
	})
	return licenceScanner.ready
}

// WithLicenceScanner starts the scanner if needed, waits for it and returns a context that has the caller's deadline and
// cancellation and the scanner's values.
func WithLicenceScanner(ctx context.Context) (context.Context, error) {
	select {
	case <-StartLicenceScanner():
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if licenceScanner.err != nil {
		return nil, licenceScanner.err
	}
	return valuesFrom{Context: ctx, values: licenceScanner.ctx}, nil
}

// valuesFrom is ctx with a second context's values behind its own.
type valuesFrom struct {
	context.Context
	values context.Context
}

// Value returns the caller's value for key, or else the scanner context's.
func (c valuesFrom) Value(key any) any {
	if v := c.Context.Value(key); v != nil {
		return v
	}
	return c.values.Value(key)
}
