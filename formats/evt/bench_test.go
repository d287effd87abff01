package evt_test

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/evt"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// repeatBody returns the fixture's header followed by its body repeated n
// times, each copy's TIME_HIGH words shifted past the previous copy so the
// timeline stays continuous: a large valid input in the original encoding.
func repeatBody(b *testing.B, dir, name string, n int) []byte {
	data, err := os.ReadFile(fixtures.Path(b, dir, name))
	if err != nil {
		b.Fatal(err)
	}
	h, _, err := events.ReadHeader(bytes.NewReader(data), name)
	if err != nil {
		b.Fatal(err)
	}
	body := data[h.Size:]
	evt3 := strings.Contains(name, "evt3")
	// Span of the TIME_HIGH values in the body.
	lo, hi := uint32(math.MaxUint32), uint32(0)
	forHighs(body, evt3, func(v uint32, _ int) { lo, hi = min(lo, v), max(hi, v) })
	out := append([]byte{}, data[:h.Size]...)
	for k := range n {
		start := len(out)
		out = append(out, body...)
		shift := uint32(k) * (hi - lo + 1)
		forHighs(out[start:], evt3, func(v uint32, i int) {
			if evt3 {
				binary.LittleEndian.PutUint16(out[start+i:], 0x8<<12|uint16((v+shift)&0xfff))
			} else {
				binary.LittleEndian.PutUint32(out[start+i:], 0x8<<28|(v+shift)&0x0fffffff)
			}
		})
	}
	return out
}

// forHighs calls fn with the payload and byte index of every TIME_HIGH word.
func forHighs(body []byte, evt3 bool, fn func(v uint32, i int)) {
	if evt3 {
		for i := 0; i+2 <= len(body); i += 2 {
			if w := binary.LittleEndian.Uint16(body[i:]); w>>12 == 0x8 {
				fn(uint32(w&0xfff), i)
			}
		}
		return
	}
	for i := 0; i+4 <= len(body); i += 4 {
		if w := binary.LittleEndian.Uint32(body[i:]); w>>28 == 0x8 {
			fn(w&0x0fffffff, i)
		}
	}
}

func benchDecode(b *testing.B, dir, name string) {
	for _, reps := range []int{1, 20} {
		data := repeatBody(b, dir, name, reps)
		b.Run(map[int]string{1: "x1", 20: "x20"}[reps], func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			batch := &events.Batch{}
			batch.Grow(1 << 16)
			var n int64
			for b.Loop() {
				d, err := evt.NewDecoder(bytes.NewReader(data), evt.Options{DecodeOptions: events.DecodeOptions{BufferSize: 4 << 20}})
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
				if st := d.(interface{ Stats() events.Stats }).Stats(); st.Dropped > 0 {
					b.Fatalf("%d events dropped: the repeated input is not continuous", st.Dropped)
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

func BenchmarkDecodeEVT2(b *testing.B) { benchDecode(b, "expelliarmus", "evt2_sample.raw") }
func BenchmarkDecodeEVT3(b *testing.B) { benchDecode(b, "expelliarmus", "evt3_sample.raw") }

func BenchmarkEncode(b *testing.B) {
	ref, d := decodeFile(&testing.T{}, fixtures.Path(b, "faery", "evt2.raw"), evt.Options{})
	for _, format := range []string{"evt2", "evt3"} {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			var n int64
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				e := newEnc(b, format, &buf, d.Geometry())
				if err := e.Write(ref); err != nil {
					b.Fatal(err)
				}
				e.Close()
				n += int64(ref.Len())
			}
			b.SetBytes(int64(buf.Len()))
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
