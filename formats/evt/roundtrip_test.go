package evt_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/evt"
	"github.com/neurotab/neurotab/internal/fixtures"
)

type encoder interface {
	Write(*events.Batch) error
	Close() error
}

func newEnc(t testing.TB, format string, w io.Writer, g events.Geometry) encoder {
	t.Helper()
	var e encoder
	var err error
	if format == "evt2" {
		e, err = evt.NewEncoder2(w, "out.raw", g.Width, g.Height)
	} else {
		e, err = evt.NewEncoder3(w, "out.raw", g.Width, g.Height)
	}
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestRoundTrip re-encodes each fixture's events in both encodings and
// decodes them again: the events must come back identical (the reference is
// the fixture decode, itself checked against SOURCE.md in TestFixtures).
func TestRoundTrip(t *testing.T) {
	for _, f := range [][2]string{{"expelliarmus", "evt2_sample.raw"}, {"expelliarmus", "evt3_sample.raw"}, {"faery", "evt2.raw"}} {
		for _, format := range []string{"evt2", "evt3"} {
			t.Run(f[1]+"->"+format, func(t *testing.T) {
				ref, d := decodeFile(t, fixtures.Path(t, f[0], f[1]), evt.Options{})
				var buf bytes.Buffer
				e := newEnc(t, format, &buf, d.Geometry())
				// Write in uneven batches.
				for lo := 0; lo < ref.Len(); lo += 9999 {
					hi := min(lo+9999, ref.Len())
					part := &events.Batch{T: ref.T[lo:hi], X: ref.X[lo:hi], Y: ref.Y[lo:hi], P: ref.P[lo:hi]}
					if err := e.Write(part); err != nil {
						t.Fatal(err)
					}
				}
				if err := e.Close(); err != nil {
					t.Fatal(err)
				}
				d2, err := evt.NewDecoder(bytes.NewReader(buf.Bytes()), evt.Options{DecodeOptions: events.DecodeOptions{Name: "rt"}})
				if err != nil {
					t.Fatal(err)
				}
				if g := d2.Geometry(); g.Format != format || g.Width != d.Geometry().Width || g.Height != d.Geometry().Height {
					t.Errorf("geometry %+v", g)
				}
				got, err := events.ReadAll(d2)
				if err != nil {
					t.Fatal(err)
				}
				if got.Len() != ref.Len() {
					t.Fatalf("%d events back, want %d", got.Len(), ref.Len())
				}
				for i := range ref.T {
					if at(got, i) != at(ref, i) {
						t.Fatalf("event %d = %+v, want %+v", i, at(got, i), at(ref, i))
					}
				}
				t.Logf("%s: %d events in %d bytes (%.2f bytes/event)", format, ref.Len(), buf.Len(), float64(buf.Len())/float64(ref.Len()))
			})
		}
	}
}

// TestEncoderGaps: time gaps longer than half of each timer period (so the
// decoder would otherwise read a timer loop) survive the round trip.
func TestEncoderGaps(t *testing.T) {
	b := &events.Batch{}
	ts := []int64{0, 5, 1 << 23, 1<<23 + 3, 1 << 24, 5 << 24, 1 << 33, 1<<34 + 1, 7 << 34, 7<<34 + 4096}
	for i, v := range ts {
		b.Append(v, uint16(i), uint16(2*i), int8(i%2))
	}
	for _, format := range []string{"evt2", "evt3"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			e := newEnc(t, format, &buf, events.Geometry{})
			if err := e.Write(b); err != nil {
				t.Fatal(err)
			}
			e.Close()
			d, err := evt.NewDecoder(&buf, evt.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := events.ReadAll(d)
			if err != nil {
				t.Fatal(err)
			}
			for i := range ts {
				if i >= got.Len() || at(got, i) != at(b, i) {
					t.Fatalf("got %v, want %v", got, b)
				}
			}
		})
	}
}

func TestEncoderRejects(t *testing.T) {
	cases := []struct {
		name string
		b    events.Batch
	}{
		{"backwards", events.Batch{T: []int64{5, 4}, X: []uint16{0, 0}, Y: []uint16{0, 0}, P: []int8{0, 0}}},
		{"negative time", events.Batch{T: []int64{-1}, X: []uint16{0}, Y: []uint16{0}, P: []int8{0}}},
		{"x outside", events.Batch{T: []int64{1}, X: []uint16{640}, Y: []uint16{0}, P: []int8{0}}},
		{"polarity", events.Batch{T: []int64{1}, X: []uint16{0}, Y: []uint16{0}, P: []int8{2}}},
	}
	for _, c := range cases {
		for _, format := range []string{"evt2", "evt3"} {
			t.Run(c.name+"/"+format, func(t *testing.T) {
				e := newEnc(t, format, io.Discard, events.Geometry{Width: 640, Height: 480})
				if err := e.Write(&c.b); err == nil {
					t.Fatal("no error")
				}
			})
		}
	}
}

// TestLargeFile writes a ≥ 1 GiB EVT 2.0 file by re-encoding the faery
// fixture's events over and over (each copy shifted in time after the last),
// then streams it back and checks the event count and a SHA-256 over all
// decoded columns against the same digest computed while writing.
func TestLargeFile(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads a 1 GiB file; skipped with -short")
	}
	ref, d := decodeFile(t, fixtures.Path(t, "faery", "evt2.raw"), evt.Options{})
	path := filepath.Join(t.TempDir(), "large.raw")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	e, err := evt.NewEncoder2(bw, path, d.Geometry().Width, d.Geometry().Height)
	if err != nil {
		t.Fatal(err)
	}
	span := ref.T[ref.Len()-1] - ref.T[0] + 1
	shifted := &events.Batch{T: make([]int64, ref.Len()), X: ref.X, Y: ref.Y, P: ref.P}
	want := sha256.New()
	var n int64
	for copyNo := int64(0); ; copyNo++ {
		for i, v := range ref.T {
			shifted.T[i] = v + copyNo*span
		}
		if err := e.Write(shifted); err != nil {
			t.Fatal(err)
		}
		hashBatch(want, shifted)
		n += int64(shifted.Len())
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
		if st, _ := f.Stat(); st.Size()+int64(bw.Buffered()) >= 1<<30 {
			break
		}
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	st, _ := f.Stat()
	if st.Size() < 1<<30 {
		t.Fatalf("file is %d bytes", st.Size())
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	d2, err := evt.NewDecoder2(f, evt.Options{DecodeOptions: events.DecodeOptions{Name: path}})
	if err != nil {
		t.Fatal(err)
	}
	got := sha256.New()
	b := &events.Batch{}
	var m int64
	for {
		b.Reset()
		_, err := d2.Next(b, 1<<20)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		hashBatch(got, b)
		m += int64(b.Len())
	}
	if m != n || !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
		t.Fatalf("decoded %d events (digest %x), wrote %d (digest %x)", m, got.Sum(nil), n, want.Sum(nil))
	}
	t.Logf("%d bytes, %d events round-tripped", st.Size(), n)
}

func hashBatch(h io.Writer, b *events.Batch) {
	buf := make([]byte, 0, 13*b.Len())
	for i := range b.T {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(b.T[i]))
		buf = binary.LittleEndian.AppendUint16(buf, b.X[i])
		buf = binary.LittleEndian.AppendUint16(buf, b.Y[i])
		buf = append(buf, byte(b.P[i]))
	}
	h.Write(buf)
}
