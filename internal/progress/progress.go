// Package progress draws a one-line progress bar on a terminal. It draws
// nothing when its output is not a terminal (a pipe, a file, CI logs) or when
// disabled, so commands can use it unconditionally.
package progress

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"sync"
	"time"
)

// IsTerminal reports whether w is a character device (a terminal).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Bar is a progress bar over a known total (items, bytes, events). It is safe
// for concurrent Add calls. Redraws are limited to 10 per second.
type Bar struct {
	mu      sync.Mutex
	w       io.Writer
	label   string
	unit    string
	total   int64
	done    int64
	enabled bool
	start   time.Time
	last    time.Time
	drawn   bool
}

// New returns a bar writing to w (normally os.Stderr). It draws only when
// enabled is true and w is a terminal.
func New(w io.Writer, label, unit string, total int64, enabled bool) *Bar {
	return &Bar{w: w, label: label, unit: unit, total: total, enabled: enabled && IsTerminal(w), start: time.Now()}
}

// Add advances the bar by n.
func (b *Bar) Add(n int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done += n
	if !b.enabled {
		return
	}
	now := time.Now()
	if now.Sub(b.last) < 100*time.Millisecond && b.done < b.total {
		return
	}
	b.last = now
	b.draw(now)
}

func (b *Bar) draw(now time.Time) {
	const width = 30
	frac := 0.0
	if b.total > 0 {
		frac = float64(b.done) / float64(b.total)
	}
	frac = min(max(frac, 0), 1)
	fill := int(frac * width)
	rate := float64(b.done) / max(now.Sub(b.start).Seconds(), 1e-9)
	fmt.Fprintf(b.w, "\r%s [%s%s] %3.0f%% %s of %s (%s/s)\x1b[K", b.label, strings.Repeat("=", fill), strings.Repeat(" ", width-fill),
		100*frac, b.amount(float64(b.done)), b.amount(float64(b.total)), b.amount(rate))
	b.drawn = true
}

// amount renders n in the bar's unit, with a decimal SI prefix from a
// thousand up: "253.1 MB" for bytes, "4.3 M events", "12 files",
// "2.5 files".
func (b *Bar) amount(n float64) string {
	unit, sep := b.unit, " "
	if unit == "bytes" {
		unit, sep = "B", ""
	}
	for _, p := range []struct {
		v      float64
		prefix string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if n >= p.v {
			return fmt.Sprintf("%.1f %s%s%s", n/p.v, p.prefix, sep, unit)
		}
	}
	if unit == "B" {
		sep = " "
	}
	if n == math.Trunc(n) {
		return fmt.Sprintf("%.0f%s%s", n, sep, unit)
	}
	return fmt.Sprintf("%.1f%s%s", n, sep, unit)
}

// Done finishes the line.
func (b *Bar) Done() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.enabled {
		b.draw(time.Now())
		fmt.Fprintln(b.w)
	}
}

// Count returns how much has been added (0 for a nil bar).
func (b *Bar) Count() int64 {
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.done
}
