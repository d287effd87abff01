package aedat

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/internal/fixtures"
)

func benchDecode(b *testing.B, data []byte, open func(io.Reader) (events.Decoder, error)) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	batch := &events.Batch{}
	total := 0
	for b.Loop() {
		d, err := open(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		for {
			batch.Reset()
			n, err := d.Next(batch, 1<<16)
			total += n
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkDecoder4Fixture decodes the real LZ4-compressed AEDAT 4.0 file
// from memory.
func BenchmarkDecoder4Fixture(b *testing.B) {
	data, err := os.ReadFile(fixtures.Path(b, "tonic", "sample.aedat4"))
	if err != nil {
		b.Fatal(err)
	}
	benchDecode(b, data, func(r io.Reader) (events.Decoder, error) { return NewDecoder4(r, Options{}) })
}

// BenchmarkDecoder4 decodes synthetic files of 1 packet × n events per
// compression type.
func BenchmarkDecoder4(b *testing.B) {
	evs := make([]ev, 10000)
	for i := range evs {
		evs[i] = ev{t: int64(i), x: int16(i % 640), y: int16(i % 480), p: i&1 == 1}
	}
	var pkts []pkt
	for i := 0; i < 10; i++ {
		pkts = append(pkts, evPkt(0, evs))
	}
	for _, c := range []Compression{CompressionNone, CompressionLZ4, CompressionZstd} {
		b.Run(c.String(), func(b *testing.B) {
			data := buildAEDAT4(b, c, "", pkts, false)
			benchDecode(b, data, func(r io.Reader) (events.Decoder, error) { return NewDecoder4(r, Options{}) })
		})
	}
}

func BenchmarkDecoder2(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			data := []byte("#!AER-DAT2.0\r\n# AEChip: Davis346red\r\n")
			for i := 0; i < n; i++ {
				data = append(data, rec2(davisAddr(uint32(i%346), uint32(i%260), uint32(i&1)), int32(i))...)
			}
			benchDecode(b, data, func(r io.Reader) (events.Decoder, error) { return NewDecoder2(r, Options{}) })
		})
	}
}

func BenchmarkDecoder31(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			data := []byte(header31Test)
			evs := make([]pol31, 0, 1000)
			for i := 0; i < n; i++ {
				evs = append(evs, pol31{uint16(i % 240), uint16(i % 180), i&1 == 1, true, int32(i)})
				if len(evs) == cap(evs) || i == n-1 {
					data = append(data, polPacket31(0, evs)...)
					evs = evs[:0]
				}
			}
			benchDecode(b, data, func(r io.Reader) (events.Decoder, error) { return NewDecoder31(r, Options{}) })
		})
	}
}
