// Package eventstest is the conformance suite every events.Decoder runs
// (as gonum's graph/testgraph is for graphs): Run checks one decoder on one
// fixture whose content is known independently (a SOURCE.md of the shared
// test data, or events a test encoded itself). It is imported only by tests.
//
// The contract it checks, for the fixture, its empty and truncated
// versions, and a damaged copy:
//
//   - the fixture decodes to the known number of events, first and last
//     events, geometry and Stats, the same for every batch size and when
//     the reader returns one byte per Read (iotest.OneByteReader: a pipe,
//     whose size the decoder cannot know);
//   - time never runs backwards (within a Next call when the format's time
//     restarts, as SHD's does with every sample);
//   - empty input is an error wrapping neurotab.ErrMalformed for a format
//     with a header, or zero events and io.EOF for a headerless one;
//   - every prefix of the fixture (all lengths up to Case.Every, then a
//     spread of lengths up to the whole file) opens and decodes without a
//     panic, to a prefix of the fixture's events, ending with io.EOF or an
//     error wrapping neurotab.ErrTruncated (or ErrTooLarge: a declared size
//     beyond the input); under Lenient it ends with io.EOF once open;
//   - a damaged copy (Case.Damage) fails strictly with an error wrapping
//     neurotab.ErrMalformed that names the file, and decodes under Lenient
//     to fewer events with the loss counted in Stats.Dropped or
//     Stats.DroppedPackets;
//   - errors are one line and name the file.
package eventstest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
)

// Event is one decoded event: t in µs, x, y, polarity.
type Event struct {
	T    int64
	X, Y uint16
	P    int8
}

// Want is the known content of a fixture.
type Want struct {
	Events        int     // events of the whole fixture
	First, Last   []Event // its first and last events, in stream order
	Width, Height int     // Geometry of the decoder
	Format        string  // Geometry().Format
	Dropped       int64   // Stats().Dropped of a strict decode (events before the first time word)
}

// Case is one decoder on one fixture.
type Case struct {
	// Name is the file name the Open function passes to the decoder
	// (DecodeOptions.Name); errors must contain it.
	Name    string
	Fixture []byte
	// Open returns a decoder of r, strict or lenient.
	Open func(r io.Reader, lenient bool) (events.Decoder, error)
	Want Want
	// EmptyErr says empty input fails to open (a format with a header);
	// otherwise it decodes to no events.
	EmptyErr bool
	// Damage returns a damaged copy of the fixture (a record out of range, a
	// corrupt packet): nil skips the lenient-vs-strict check.
	Damage func(fixture []byte) []byte
	// TimeRestarts: time is non-decreasing only within one Next call.
	TimeRestarts bool
	// Every is the prefix length below which every truncation is tried
	// (default 2048); Spread the number of longer prefixes tried
	// (default 48).
	Every, Spread int
	// TruncatedErr, when set, replaces the check of what an empty or
	// truncated input may fail with (default: wraps neurotab.ErrTruncated or
	// ErrTooLarge; for empty input with EmptyErr, any neurotab.ErrMalformed).
	TruncatedErr func(error) bool
}

// Run checks c against the decoder contract.
func Run(t *testing.T, c Case) {
	t.Helper()
	var full []Event
	t.Run("fixture", func(t *testing.T) { full = c.checkFixture(t) })
	if full == nil && c.Want.Events > 0 {
		return
	}
	t.Run("empty", c.checkEmpty)
	t.Run("truncated", func(t *testing.T) { c.checkTruncated(t, full) })
	if c.Damage != nil {
		t.Run("damaged", func(t *testing.T) { c.checkDamaged(t, full) })
	}
}

// decode drains d with batches of at most max events, checking time order
// and the one-line error as it goes. It returns the events and the error
// that ended the stream (nil at io.EOF).
func (c *Case) decode(t *testing.T, d events.Decoder, max int) ([]Event, error) {
	t.Helper()
	var out []Event
	b := &events.Batch{}
	last := int64(-1 << 63)
	for calls := 0; ; calls++ {
		b.Reset()
		n, err := d.Next(b, max)
		if n != b.Len() || n > max || n < 0 {
			t.Fatalf("Next(max %d) returned %d, appended %d", max, n, b.Len())
		}
		if c.TimeRestarts {
			last = -1 << 63
		}
		for i := range b.T {
			if b.T[i] < last {
				t.Fatalf("event %d: time %d µs after %d µs", len(out)+i, b.T[i], last)
			}
			last = b.T[i]
			out = append(out, Event{b.T[i], b.X[i], b.Y[i], b.P[i]})
		}
		if err == io.EOF {
			if n != 0 {
				t.Fatalf("Next returned %d events with io.EOF", n)
			}
			if _, err2 := d.Next(b, max); err2 != io.EOF {
				t.Fatalf("Next after io.EOF: %v, want io.EOF again", err2)
			}
			return out, nil
		}
		if err != nil {
			c.checkMessage(t, err)
			if _, err2 := d.Next(b, max); err2 == nil || err2.Error() != err.Error() {
				t.Fatalf("Next after %v: %v, want the same error", err, err2)
			}
			return out, err
		}
		if calls > 1<<26 {
			t.Fatal("Next never returns io.EOF")
		}
	}
}

func (c *Case) checkMessage(t *testing.T, err error) {
	t.Helper()
	if s := err.Error(); strings.Contains(s, "\n") || !strings.Contains(s, c.Name) {
		t.Errorf("error %q: want one line naming %q", s, c.Name)
	}
}

func (c *Case) open(t *testing.T, data []byte, lenient bool) (events.Decoder, error) {
	t.Helper()
	var d events.Decoder
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("%d bytes, lenient %v: Open panicked: %v", len(data), lenient, p)
			}
		}()
		d, err = c.Open(bytes.NewReader(data), lenient)
	}()
	if err != nil {
		c.checkMessage(t, err)
	}
	return d, err
}

func (c *Case) checkFixture(t *testing.T) []Event {
	var ref []Event
	for _, max := range []int{1 << 16, 7, 1, -1} {
		if max == 1 && c.Want.Events > 50000 {
			continue
		}
		data := io.Reader(bytes.NewReader(c.Fixture))
		if max == -1 {
			data, max = iotest.OneByteReader(data), 1<<16
		}
		d, err := c.Open(data, false)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.decode(t, d, max)
		if err != nil {
			t.Fatalf("max %d: %v", max, err)
		}
		st := d.Stats()
		if st.Events != int64(len(got)) || st.Dropped != c.Want.Dropped {
			t.Errorf("max %d: Stats %+v, want Events %d, Dropped %d", max, st, len(got), c.Want.Dropped)
		}
		if ref == nil {
			ref = got
			c.checkWant(t, d, got)
			continue
		}
		if i := firstDiff(ref, got); i >= 0 || len(got) != len(ref) {
			t.Errorf("max %d: %d events, differ from max 65536 (%d events) at %d", max, len(got), len(ref), i)
		}
	}
	return ref
}

func (c *Case) checkWant(t *testing.T, d events.Decoder, got []Event) {
	w := c.Want
	if len(got) != w.Events {
		t.Errorf("%d events, want %d", len(got), w.Events)
	}
	if len(got) >= len(w.First) && firstDiff(got[:len(w.First)], w.First) >= 0 {
		t.Errorf("first events %v, want %v", got[:len(w.First)], w.First)
	}
	if n := len(got) - len(w.Last); n >= 0 && firstDiff(got[n:], w.Last) >= 0 {
		t.Errorf("last events %v, want %v", got[n:], w.Last)
	}
	g := d.Geometry()
	if g.Width != w.Width || g.Height != w.Height || g.Format != w.Format {
		t.Errorf("Geometry %+v, want %dx%d %q", g, w.Width, w.Height, w.Format)
	}
}

func (c *Case) checkEmpty(t *testing.T) {
	d, err := c.open(t, nil, false)
	if c.EmptyErr {
		if !errors.Is(err, neurotab.ErrMalformed) && !c.truncatedOK(err) {
			t.Fatalf("empty input: %v, want an error wrapping neurotab.ErrMalformed", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("empty input: %v", err)
	}
	got, err := c.decode(t, d, 100)
	if len(got) != 0 || err != nil {
		t.Fatalf("empty input: %d events, %v; want none and io.EOF", len(got), err)
	}
}

// prefixes returns the truncation lengths tried: all below Every, then
// Spread lengths up to the fixture's, and the last 8 bytes' offsets.
func (c *Case) prefixes() []int {
	every, spread := c.Every, c.Spread
	if every <= 0 {
		every = 2048
	}
	if spread <= 0 {
		spread = 48
	}
	n := len(c.Fixture)
	var out []int
	for i := 0; i < min(every, n); i++ {
		out = append(out, i)
	}
	if n > every {
		for k := 1; k < spread; k++ {
			// An odd step so the cuts fall at every position within a record.
			out = append(out, every+int(int64(n-every)*int64(k)/int64(spread))+k%5)
		}
	}
	for i := max(every, n-8); i < n; i++ {
		out = append(out, i)
	}
	return out
}

func (c *Case) truncatedOK(err error) bool {
	if c.TruncatedErr != nil {
		return c.TruncatedErr(err)
	}
	return errors.Is(err, neurotab.ErrTruncated) || errors.Is(err, neurotab.ErrTooLarge)
}

func (c *Case) checkTruncated(t *testing.T, full []Event) {
	for _, n := range c.prefixes() {
		if n >= len(c.Fixture) {
			continue
		}
		for _, lenient := range []bool{false, true} {
			d, err := c.open(t, c.Fixture[:n], lenient)
			if err != nil {
				if !c.truncatedOK(err) && !(n == 0 && c.EmptyErr && errors.Is(err, neurotab.ErrMalformed)) {
					t.Fatalf("%d-byte prefix, lenient %v: Open: %v, want a truncation error", n, lenient, err)
				}
				continue
			}
			var got []Event
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("%d-byte prefix, lenient %v: Next panicked: %v", n, lenient, p)
					}
				}()
				got, err = c.decode(t, d, 1<<12)
			}()
			switch {
			case err != nil && lenient:
				t.Fatalf("%d-byte prefix, lenient: %v, want io.EOF", n, err)
			case err != nil && !c.truncatedOK(err):
				t.Fatalf("%d-byte prefix: %v, want a truncation error", n, err)
			}
			if len(got) > len(full) || firstDiff(got, full[:len(got)]) >= 0 {
				t.Fatalf("%d-byte prefix, lenient %v: %d events, not a prefix of the fixture's %d (first difference at %d)",
					n, lenient, len(got), len(full), firstDiff(got, full[:min(len(got), len(full))]))
			}
		}
	}
}

func (c *Case) checkDamaged(t *testing.T, full []Event) {
	bad := c.Damage(append([]byte(nil), c.Fixture...))
	d, err := c.open(t, bad, false)
	if err == nil {
		var got []Event
		got, err = c.decode(t, d, 1<<16)
		if firstDiff(got, full[:min(len(got), len(full))]) >= 0 {
			t.Errorf("strict: the %d events before the fault are not the fixture's", len(got))
		}
	}
	if !errors.Is(err, neurotab.ErrMalformed) {
		t.Fatalf("strict: %v, want an error wrapping neurotab.ErrMalformed", err)
	}
	d, err = c.open(t, bad, true)
	if err != nil {
		t.Fatalf("lenient Open: %v", err)
	}
	got, err := c.decode(t, d, 1<<16)
	if err != nil {
		t.Fatalf("lenient: %v, want io.EOF", err)
	}
	st := d.Stats()
	if st.Events != int64(len(got)) || st.Dropped+st.DroppedPackets <= c.Want.Dropped || len(got) >= len(full) {
		t.Errorf("lenient: %d events of %d, Stats %+v: want fewer events and the loss counted", len(got), len(full), st)
	}
}

// firstDiff returns the first index where a and b differ, -1 when one is a
// prefix of the other.
func firstDiff(a, b []Event) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

// String formats an event as (t, x, y, p).
func (e Event) String() string { return fmt.Sprintf("(%d,%d,%d,%d)", e.T, e.X, e.Y, e.P) }

// Ev returns the event (t, x, y, p).
func Ev(t int64, x, y uint16, p int8) Event { return Event{T: t, X: x, Y: y, P: p} }

// WrapsSentinel reports whether err wraps one of the neurotab sentinels a
// decoder may return for bad input: ErrMalformed (and its kinds
// ErrTruncated, ErrOutOfRange, ErrTimeOrder), ErrTooLarge, ErrUnsupported.
// Fuzz targets check it on every error.
func WrapsSentinel(err error) bool {
	return errors.Is(err, neurotab.ErrMalformed) || errors.Is(err, neurotab.ErrTooLarge) || errors.Is(err, neurotab.ErrUnsupported)
}
