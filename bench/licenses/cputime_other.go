//go:build !unix

package main

import "time"

// cpuTime is unknown here (no getrusage): CPU columns read 0.
func cpuTime() time.Duration { return 0 }
