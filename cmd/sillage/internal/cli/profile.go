package cli

import (
	"bytes"
	"fmt"
	"io"
	"runtime/pprof"

	"github.com/sillage-oss/sillage/internal/atomicfile"
)

// startCPUProfile records a CPU profile of the run, for SILLAGE_DEV_CPUPROFILE: how the profile-guided
// optimisation profile cmd/sillage/default.pgo is made (bench/pgo.sh), and how to see where a slow scan
// spends its time. The profile is written when the run ends, atomically; a profile that cannot be taken
// or written is reported on stderr and does not change the run's outcome.
func startCPUProfile(path string, stderr io.Writer) (stop func()) {
	var buf bytes.Buffer
	if err := pprof.StartCPUProfile(&buf); err != nil {
		fmt.Fprintf(stderr, "sillage: SILLAGE_DEV_CPUPROFILE: %v\n", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := atomicfile.Write(path, buf.Bytes(), ""); err != nil {
			fmt.Fprintf(stderr, "sillage: SILLAGE_DEV_CPUPROFILE: %v\n", err)
		}
	}
}
