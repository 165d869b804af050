// Command sillage inventories software, classifies its licences and
// compares it with the French State's catalogue of recommended free
// software (SILL). See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/sillage-oss/sillage/cmd/sillage/internal/cli"
)

// Set at build time with -ldflags "-X main.version=… -X main.commit=… -X main.date=…".
var version, commit, date string

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.SystemIO(), cli.Build{Version: version, Commit: commit, Date: date})
	stop()
	os.Exit(code)
}
