package evt_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/events/eventstest"
	"github.com/neurotab/neurotab/formats/evt"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// seedFile adds the head of a fixture file (header + first words) as a seed.
func seedFile(f *testing.F, dir, name string, n int) {
	data, err := os.ReadFile(fixtures.Path(f, dir, name))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data[:min(n, len(data))])
}

// fuzzDecode decodes data strictly and leniently. Neither may panic; errors
// must be *events.Error; decoded time must be non-decreasing and coordinates
// inside the geometry; a clean strict decode must survive an encode/decode
// round trip unchanged.
func fuzzDecode(t *testing.T, data []byte, format string) {
	for _, lenient := range []bool{false, true} {
		d, err := evt.NewDecoder(bytes.NewReader(data), evt.Options{DecodeOptions: events.DecodeOptions{Name: "fuzz.raw", Lenient: lenient, BufferSize: 4096}})
		if err != nil {
			var e *events.Error
			if !errors.As(err, &e) || !eventstest.WrapsSentinel(err) {
				t.Fatalf("header error %v is not an *events.Error wrapping a neurotab sentinel", err)
			}
			return
		}
		b := &events.Batch{}
		for {
			_, err = d.Next(b, 1000)
			if err != nil {
				break
			}
		}
		if err != io.EOF {
			var e *events.Error
			if !errors.As(err, &e) || !eventstest.WrapsSentinel(err) {
				t.Fatalf("error %v is not an *events.Error wrapping a neurotab sentinel", err)
			}
			if lenient && !errors.Is(err, io.ErrUnexpectedEOF) && e.Err != nil && !errors.Is(err, neurotab.ErrTimeOrder) && !errors.Is(err, neurotab.ErrOutOfRange) && !errors.Is(err, neurotab.ErrMalformed) && !errors.Is(err, neurotab.ErrTruncated) {
				t.Fatalf("lenient error %v", err)
			}
		}
		g := d.Geometry()
		for i := range b.T {
			if i > 0 && b.T[i] < b.T[i-1] {
				t.Fatalf("time backwards at %d: %d < %d", i, b.T[i], b.T[i-1])
			}
			if g.Width > 0 && int(b.X[i]) >= g.Width || g.Height > 0 && int(b.Y[i]) >= g.Height || b.P[i] > 1 {
				t.Fatalf("event %d = %+v outside %+v", i, at(b, i), g)
			}
		}
		if lenient || err != io.EOF || g.Width > 2048 || g.Height > 2048 {
			continue
		}
		var buf bytes.Buffer
		var enc interface {
			Write(*events.Batch) error
			Close() error
		}
		if g.Format == "evt3" {
			enc, err = evt.NewEncoder3(&buf, "rt", g.Width, g.Height)
		} else {
			enc, err = evt.NewEncoder2(&buf, "rt", g.Width, g.Height)
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := enc.Write(b); err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		enc.Close()
		d2, err := evt.NewDecoder(&buf, evt.Options{})
		if err != nil {
			t.Fatal(err)
		}
		b2, err := events.ReadAll(d2)
		if err != nil || b2.Len() != b.Len() {
			t.Fatalf("round trip: %d events, err %v; want %d", b2.Len(), err, b.Len())
		}
		for i := range b.T {
			if at(b, i) != at(b2, i) {
				t.Fatalf("round trip event %d = %+v, want %+v", i, at(b2, i), at(b, i))
			}
		}
	}
}

func FuzzEVT2(f *testing.F) {
	seedFile(f, "expelliarmus", "evt2_sample.raw", 16<<10)
	seedFile(f, "faery", "evt2.raw", 16<<10)
	hdr := []byte("% evt 2.0\n% geometry 640x480\n% end\n")
	f.Add(append(append([]byte{}, hdr...), w32(th2(10), cd2(1, 5, 3, 4), th2(1<<28-1), cd2(0, 63, 639, 479), th2(0), 0xA<<28|1)...))
	f.Add(append(append([]byte{}, hdr...), w32(th2(100), th2(99), 0x3<<28)...))
	f.Add([]byte("% evt 2.0\n"))
	f.Add([]byte("%"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecode(t, data, "evt2") })
}

func FuzzEVT3(f *testing.F) {
	seedFile(f, "expelliarmus", "evt3_sample.raw", 16<<10)
	hdr := []byte("% evt 3.0\n% format EVT3;height=720;width=1280\n% end\n")
	f.Add(append(append([]byte{}, hdr...), w16(hi3(4095), lo3(4095), y3(3), base3(1, 100), v12(0x805), v8(0x81), hi3(0), lo3(0), x3(1, 2), trig3(1, 1))...))
	f.Add(append(append([]byte{}, hdr...), w16(hi3(100), hi3(99), 0x1<<12)...))
	f.Add([]byte("% evt 3.0\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecode(t, data, "evt3") })
}
