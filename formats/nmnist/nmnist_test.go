package nmnist_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/events/eventstest"
	"github.com/neurotab/neurotab/formats/nmnist"
	"github.com/neurotab/neurotab/internal/fixtures"
)

type ev struct {
	t    int64
	x, y uint16
	p    int8
}

func at(b *events.Batch, i int) ev { return ev{b.T[i], b.X[i], b.Y[i], b.P[i]} }

func readAll(d *nmnist.Decoder, max int) (*events.Batch, error) {
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

// TestSample checks tonic's sample_nmnist.bin against ../shared/data/tonic/SOURCE.md:
// 4325 events, no overflow markers, x and y max 33, ON 2145, t max 311175,
// first 5 and last event as listed there.
func TestSample(t *testing.T) {
	p := fixtures.Path(t, "tonic", "sample_nmnist.bin")
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := mustNew(t, f, nmnist.Options{DecodeOptions: events.DecodeOptions{Name: p, Width: nmnist.NMNISTWidth, Height: nmnist.NMNISTHeight}})
	b, err := readAll(d, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 4325 || d.Overflows() != 0 {
		t.Fatalf("%d events, %d overflows; want 4325, 0", b.Len(), d.Overflows())
	}
	var on int
	var mx, my uint16
	var mt int64
	for i := range b.T {
		on += int(b.P[i])
		mx, my, mt = max(mx, b.X[i]), max(my, b.Y[i]), max(mt, b.T[i])
	}
	if on != 2145 || mx != 33 || my != 33 || mt != 311175 {
		t.Errorf("ON %d, x max %d, y max %d, t max %d; want 2145, 33, 33, 311175", on, mx, my, mt)
	}
	for i, e := range []ev{{654, 7, 15, 1}, {2999, 19, 18, 0}, {3017, 21, 17, 0}, {3893, 10, 18, 0}, {4023, 12, 9, 1}} {
		if at(b, i) != e {
			t.Errorf("event %d = %+v, want %+v", i, at(b, i), e)
		}
	}
	if g := at(b, b.Len()-1); g != (ev{311175, 21, 14, 1}) {
		t.Errorf("last event %+v", g)
	}
}

func rec(x, y byte, p byte, t uint32) []byte {
	return []byte{x, y, p<<7 | byte(t>>16&0x7f), byte(t >> 8), byte(t)}
}

func cat(rs ...[]byte) []byte { return bytes.Join(rs, nil) }

func TestSynthetic(t *testing.T) {
	cases := []struct {
		name     string
		in       []byte
		lenient  bool
		want     []ev
		err      error
		off      int64
		dropped  int64
		overflow int64
	}{
		// Largest 23-bit time, then an overflow marker: the next time is 2^23 + 5.
		{name: "overflow", in: cat(rec(1, 2, 1, 1<<23-1), rec(0, 240, 0, 0), rec(3, 4, 0, 5)),
			want: []ev{{1<<23 - 1, 1, 2, 1}, {1<<23 + 5, 3, 4, 0}}, overflow: 1},
		{name: "two overflows", in: cat(rec(0, 240, 0, 0), rec(0, 240, 0, 0), rec(3, 4, 1, 0)),
			want: []ev{{1 << 24, 3, 4, 1}}, overflow: 2},
		{name: "empty"},
		{name: "truncated", in: cat(rec(1, 1, 1, 1), []byte{1, 2}), want: []ev{{1, 1, 1, 1}}, err: neurotab.ErrTruncated, off: 5},
		{name: "backwards", in: cat(rec(1, 1, 1, 10), rec(1, 1, 1, 9)), want: []ev{{10, 1, 1, 1}}, err: neurotab.ErrTimeOrder, off: 5},
		{name: "outside", in: cat(rec(34, 1, 1, 10)), err: neurotab.ErrOutOfRange, off: 0},
		{name: "lenient", lenient: true, in: cat(rec(1, 1, 1, 10), rec(1, 1, 1, 9), rec(34, 0, 0, 11), rec(2, 2, 0, 12), []byte{9}),
			want: []ev{{10, 1, 1, 1}, {12, 2, 2, 0}}, dropped: 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := mustNew(t, bytes.NewReader(c.in), nmnist.Options{DecodeOptions: events.DecodeOptions{Name: "s.bin", Lenient: c.lenient, Width: 34, Height: 34}})
			if c.name == "overflow" || c.name == "two overflows" {
				d = mustNew(t, bytes.NewReader(c.in), nmnist.Options{DecodeOptions: events.DecodeOptions{Name: "s.bin"}})
			}
			b, err := readAll(d, 1)
			if c.err == nil && err != nil || c.err != nil && !errors.Is(err, c.err) {
				t.Fatalf("error %v, want %v", err, c.err)
			}
			var e *events.Error
			if c.err != nil && (!errors.As(err, &e) || e.Offset != c.off) {
				t.Errorf("error %v, want offset %d", err, c.off)
			}
			if b.Len() != len(c.want) {
				t.Fatalf("%d events, want %d", b.Len(), len(c.want))
			}
			for i, w := range c.want {
				if at(b, i) != w {
					t.Errorf("event %d = %+v, want %+v", i, at(b, i), w)
				}
			}
			if d.Stats().Dropped != c.dropped || d.Overflows() != c.overflow {
				t.Errorf("dropped %d overflows %d, want %d %d", d.Stats().Dropped, d.Overflows(), c.dropped, c.overflow)
			}
		})
	}
}

// TestEncodeRoundTrip: Encode inverts the decoder, including times beyond
// one timer period (property over the fixture shifted by k·2^22 µs).
func TestEncodeRoundTrip(t *testing.T) {
	data, err := os.ReadFile(fixtures.Path(t, "tonic", "sample_nmnist.bin"))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := readAll(mustNew(t, bytes.NewReader(data), nmnist.Options{}), 1<<16)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := nmnist.Encode(&buf, "rt.bin", ref); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), data) {
		t.Fatal("re-encoded fixture differs from the file")
	}
	for _, shift := range []int64{1 << 22, 3 << 23, 10 << 23} {
		t.Run("", func(t *testing.T) {
			s := &events.Batch{}
			for i := range ref.T {
				s.Append(ref.T[i]+shift+int64(i)*2000, ref.X[i], ref.Y[i], ref.P[i])
			}
			buf.Reset()
			if err := nmnist.Encode(&buf, "rt.bin", s); err != nil {
				t.Fatal(err)
			}
			got, err := readAll(mustNew(t, &buf, nmnist.Options{}), 999)
			if err != nil || got.Len() != s.Len() {
				t.Fatalf("%d events, err %v", got.Len(), err)
			}
			for i := range s.T {
				if at(got, i) != at(s, i) {
					t.Fatalf("event %d = %+v, want %+v", i, at(got, i), at(s, i))
				}
			}
		})
	}
}

func FuzzNMNIST(f *testing.F) {
	data, err := os.ReadFile(fixtures.Path(f, "tonic", "sample_nmnist.bin"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(cat(rec(1, 2, 1, 1<<23-1), rec(0, 240, 0, 0), rec(3, 4, 0, 5)))
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, lenient := range []bool{false, true} {
			d := mustNew(t, bytes.NewReader(in), nmnist.Options{DecodeOptions: events.DecodeOptions{Name: "f.bin", Lenient: lenient, Width: 34, Height: 34}})
			b, err := readAll(d, 77)
			var e *events.Error
			if err != nil && (!errors.As(err, &e) || !eventstest.WrapsSentinel(err)) {
				t.Fatalf("error %v is not an *events.Error wrapping a neurotab sentinel", err)
			}
			if lenient && err != nil {
				t.Fatalf("lenient: %v", err)
			}
			for i := range b.T {
				if i > 0 && b.T[i] < b.T[i-1] || b.X[i] >= 34 || b.Y[i] >= 34 {
					t.Fatalf("event %d = %+v", i, at(b, i))
				}
			}
			if err == nil && !lenient {
				var buf bytes.Buffer
				if err := nmnist.Encode(&buf, "rt", b); err != nil {
					t.Fatal(err)
				}
				b2, err := readAll(mustNew(t, &buf, nmnist.Options{}), 1000)
				if err != nil || b2.Len() != b.Len() {
					t.Fatalf("round trip %d events err %v, want %d", b2.Len(), err, b.Len())
				}
			}
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	data, err := os.ReadFile(fixtures.Path(b, "tonic", "sample_nmnist.bin"))
	if err != nil {
		b.Fatal(err)
	}
	// 200 copies of the sample, each after an overflow marker so time keeps increasing.
	var in []byte
	for range 200 {
		in = append(in, data...)
		in = append(in, 0, 240, 0, 0, 0)
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	batch := &events.Batch{}
	var n int64
	for b.Loop() {
		d := mustNew(b, bytes.NewReader(in), nmnist.Options{})
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

// mustNew returns a decoder or fails the test.
func mustNew(tb testing.TB, r io.Reader, o nmnist.Options) *nmnist.Decoder {
	tb.Helper()
	d, err := nmnist.NewDecoder(r, o)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}
