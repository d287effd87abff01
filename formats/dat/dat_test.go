package dat_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/dat"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/events/eventstest"
	"github.com/neurotab/neurotab/internal/fixtures"
)

type ev struct {
	t    int64
	x, y uint16
	p    int8
}

func rec(t uint32, x, y, p uint32) []byte {
	b := binary.LittleEndian.AppendUint32(nil, t)
	return binary.LittleEndian.AppendUint32(b, x|y<<14|p<<28)
}

func readAll(d *dat.Decoder, max int) (*events.Batch, error) {
	b := &events.Batch{}
	for {
		_, err := d.Next(b, max)
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// TestNCARS checks the N-CARS sample against ../shared/data/tonic/SOURCE.md:
// 2009 events, x max 77, y max 41, t 0 .. 99952, first 5 and last listed there.
func TestNCARS(t *testing.T) {
	p := fixtures.Path(t, "tonic", "sample_ncars.dat")
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := dat.NewDecoder(f, dat.Options{DecodeOptions: events.DecodeOptions{Name: p}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Header().Size != 91 { // SOURCE.md: "Header (91 bytes …)"
		t.Errorf("header %d bytes, want 91", d.Header().Size)
	}
	b, err := readAll(d, 100)
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 2009 {
		t.Fatalf("%d events, want 2009", b.Len())
	}
	var mx, my uint16
	for i := range b.T {
		mx, my = max(mx, b.X[i]), max(my, b.Y[i])
	}
	if mx != 77 || my != 41 {
		t.Errorf("x max %d, y max %d; want 77, 41", mx, my)
	}
	want := []ev{{0, 25, 8, 0}, {35, 67, 35, 0}, {152, 56, 27, 1}, {202, 74, 39, 1}, {244, 49, 28, 1}}
	for i, e := range want {
		if g := (ev{b.T[i], b.X[i], b.Y[i], b.P[i]}); g != e {
			t.Errorf("event %d = %+v, want %+v", i, g, e)
		}
	}
	n := b.Len() - 1
	if g := (ev{b.T[n], b.X[n], b.Y[n], b.P[n]}); g != (ev{99952, 75, 28, 1}) {
		t.Errorf("last event %+v", g)
	}
}

func TestSynthetic(t *testing.T) {
	hdr := "% Data file containing Event2D events.\n% Version 2\n% Width 304\n% Height 240\n"
	h := int64(len(hdr))
	body := func(typ, size byte, recs ...[]byte) []byte {
		b := append([]byte(hdr), typ, size)
		for _, r := range recs {
			b = append(b, r...)
		}
		return b
	}
	cases := []struct {
		name    string
		in      []byte
		lenient bool
		want    []ev
		err     error
		off     int64
		dropped int64
	}{
		{name: "basic", in: body(0, 8, rec(5, 303, 239, 1), rec(6, 0, 0, 0)), want: []ev{{5, 303, 239, 1}, {6, 0, 0, 0}}},
		{name: "EventCD type", in: body(0x0C, 8, rec(1, 1, 1, 1)), want: []ev{{1, 1, 1, 1}}},
		// 32-bit timer loop: 2^32-1 then 3 is 2^32+3.
		{name: "timer loop", in: body(0, 8, rec(1<<32-1, 1, 1, 1), rec(3, 1, 1, 1)), want: []ev{{1<<32 - 1, 1, 1, 1}, {1<<32 + 3, 1, 1, 1}}},
		{name: "empty", in: body(0, 8)},
		{name: "no type bytes", in: []byte(hdr), err: neurotab.ErrTruncated, off: h},
		{name: "bad type", in: body(0x0E, 8), err: neurotab.ErrMalformed, off: h},
		{name: "bad size", in: body(0, 16), err: neurotab.ErrMalformed, off: h + 1},
		{name: "truncated record", in: append(body(0, 8, rec(1, 1, 1, 1)), 1, 2, 3), want: []ev{{1, 1, 1, 1}}, err: neurotab.ErrTruncated, off: h + 10},
		{name: "backwards", in: body(0, 8, rec(10, 1, 1, 1), rec(9, 1, 1, 1)), want: []ev{{10, 1, 1, 1}}, err: neurotab.ErrTimeOrder, off: h + 10},
		{name: "outside", in: body(0, 8, rec(10, 304, 1, 1)), err: neurotab.ErrOutOfRange, off: h + 2},
		{name: "polarity", in: body(0, 8, rec(10, 1, 1, 3)), err: neurotab.ErrOutOfRange, off: h + 2},
		{name: "lenient", lenient: true, in: append(body(0, 8, rec(10, 1, 1, 1), rec(9, 1, 1, 1), rec(11, 304, 1, 1), rec(12, 2, 2, 0)), 7),
			want: []ev{{10, 1, 1, 1}, {12, 2, 2, 0}}, dropped: 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := dat.NewDecoder(bytes.NewReader(c.in), dat.Options{DecodeOptions: events.DecodeOptions{Name: "s.dat", Lenient: c.lenient}})
			var b *events.Batch
			if err == nil {
				if g := d.Geometry(); g.Width != 304 || g.Height != 240 || g.Format != "dat" {
					t.Errorf("geometry %+v", g)
				}
				b, err = readAll(d, 1)
			}
			if c.err == nil && err != nil || c.err != nil && !errors.Is(err, c.err) {
				t.Fatalf("error %v, want %v", err, c.err)
			}
			var e *events.Error
			if c.err != nil && (!errors.As(err, &e) || e.Offset != c.off) {
				t.Errorf("error %v, want offset %d", err, c.off)
			}
			if b == nil {
				b = &events.Batch{}
			}
			if b.Len() != len(c.want) {
				t.Fatalf("%d events, want %d", b.Len(), len(c.want))
			}
			for i, w := range c.want {
				if g := (ev{b.T[i], b.X[i], b.Y[i], b.P[i]}); g != w {
					t.Errorf("event %d = %+v, want %+v", i, g, w)
				}
			}
			if d != nil && d.Stats().Dropped != c.dropped {
				t.Errorf("dropped %d, want %d", d.Stats().Dropped, c.dropped)
			}
		})
	}
}

func FuzzDAT(f *testing.F) {
	data, err := os.ReadFile(fixtures.Path(f, "tonic", "sample_ncars.dat"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(append([]byte("% Width 4\n% Height 4\n"), append([]byte{0, 8}, rec(1<<32-1, 3, 3, 1)...)...))
	f.Add([]byte("%\n\x0c\x08"))
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, lenient := range []bool{false, true} {
			d, err := dat.NewDecoder(bytes.NewReader(in), dat.Options{DecodeOptions: events.DecodeOptions{Name: "f.dat", Lenient: lenient}})
			if err != nil {
				var e *events.Error
				if !errors.As(err, &e) || !eventstest.WrapsSentinel(err) {
					t.Fatalf("error %v is not an *events.Error wrapping a neurotab sentinel", err)
				}
				return
			}
			b, err := readAll(d, 333)
			var e *events.Error
			if err != nil && (!errors.As(err, &e) || !eventstest.WrapsSentinel(err)) {
				t.Fatalf("error %v is not an *events.Error wrapping a neurotab sentinel", err)
			}
			if lenient && err != nil {
				t.Fatalf("lenient decode failed: %v", err)
			}
			for i := range b.T {
				if i > 0 && b.T[i] < b.T[i-1] || b.P[i] > 1 {
					t.Fatalf("event %d bad: t %d p %d", i, b.T[i], b.P[i])
				}
			}
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	data, err := os.ReadFile(fixtures.Path(b, "tonic", "sample_ncars.dat"))
	if err != nil {
		b.Fatal(err)
	}
	// 200 copies of the records, each shifted 100000 µs after the previous.
	in := append([]byte{}, data[:93]...)
	recs := data[93:]
	for k := range 200 {
		for i := 0; i+8 <= len(recs); i += 8 {
			tt := binary.LittleEndian.Uint32(recs[i:]) + uint32(k)*100000
			in = binary.LittleEndian.AppendUint32(in, tt)
			in = append(in, recs[i+4:i+8]...)
		}
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	batch := &events.Batch{}
	var n int64
	for b.Loop() {
		d, err := dat.NewDecoder(bytes.NewReader(in), dat.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			batch.Reset()
			k, err := d.Next(batch, 1<<16)
			n += int64(k)
			if err != nil {
				break
			}
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}
