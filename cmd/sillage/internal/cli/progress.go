package cli

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/sillage-oss/sillage"
)

// progress shows what a scan is doing on stderr. On a terminal it redraws
// one status line (a spinner, the stage, the counts); with NO_COLOR it
// prints one plain line per stage instead; when stderr is not a terminal,
// or with -q, it prints nothing.
type progress struct {
	mu        sync.Mutex
	w         io.Writer
	live      bool // redraw one line
	plain     bool // one line per stage
	last      sillage.Progress
	lastDraw  time.Time
	frame     int
	drawn     bool
	done      bool
	stageSeen map[string]bool
	stop      chan struct{}
}

var spinner = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

func newProgress(stdio IO, quiet bool) *progress {
	p := &progress{w: stdio.Err, stageSeen: map[string]bool{}}
	if quiet || !stdio.ErrTTY {
		return p
	}
	if stdio.getenv("NO_COLOR") != "" || stdio.getenv("TERM") == "dumb" {
		p.plain = true
	} else {
		p.live = true
		p.stop = make(chan struct{})
		go p.tick(p.stop)
	}
	return p
}

func stageLabel(s string) string {
	switch s {
	case "index":
		return "indexing files"
	case "catalog":
		return "cataloguing packages"
	case "read":
		return "reading"
	case "evaluate":
		return "evaluating policy"
	case "done":
		return "done"
	}
	return s
}

// update records p and redraws at most ten times a second.
func (p *progress) update(ev sillage.Progress) {
	if !p.live && !p.plain {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	if p.plain {
		if ev.Stage != "" && !p.stageSeen[ev.Stage] && ev.Stage != "done" {
			p.stageSeen[ev.Stage] = true
			fmt.Fprintf(p.w, "sillage: %s\n", stageLabel(ev.Stage))
		}
		p.last = ev
		return
	}
	changed := ev.Stage != p.last.Stage
	p.last = ev
	if changed || time.Since(p.lastDraw) >= 100*time.Millisecond {
		p.draw()
	}
}

// tick redraws the line so the spinner turns while the scanner is busy
// with a long step that reports nothing.
func (p *progress) tick(stop <-chan struct{}) {
	t := time.NewTicker(120 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			p.mu.Lock()
			if !p.done && p.last.Stage != "" {
				p.draw()
			}
			p.mu.Unlock()
		}
	}
}

func (p *progress) draw() {
	p.lastDraw = time.Now()
	p.frame = (p.frame + 1) % len(spinner)
	line := fmt.Sprintf("%s %s", spinner[p.frame], stageLabel(p.last.Stage))
	if p.last.Files > 0 {
		line += fmt.Sprintf(" · %d files", p.last.Files)
	}
	if p.last.Packages > 0 {
		line += fmt.Sprintf(" · %d packages", p.last.Packages)
	}
	// \r back to the start, clear the line, draw
	fmt.Fprintf(p.w, "\r\x1b[2K%s", line)
	p.drawn = true
}

// finish clears the status line; later updates are ignored.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	p.done = true
	if p.stop != nil {
		close(p.stop)
	}
	if p.live && p.drawn {
		fmt.Fprint(p.w, "\r\x1b[2K")
	}
	if p.plain && p.last.Packages > 0 {
		fmt.Fprintf(p.w, "sillage: %d packages\n", p.last.Packages)
	}
}
