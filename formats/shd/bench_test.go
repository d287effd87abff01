package shd_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/shd"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// BenchmarkOpen decodes shd_like.h5 (5 samples, 231 spikes) from memory:
// the vlen reads dominate. Reports spikes/s.
func BenchmarkOpen(b *testing.B) {
	data, err := os.ReadFile(fixtures.Path(b, "reference-made", "shd", "shd_like.h5"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	n := 0
	for b.Loop() {
		f, err := shd.NewReader(bytes.NewReader(data), int64(len(data)), shd.Options{DecodeOptions: events.DecodeOptions{Name: "shd_like.h5"}})
		if err != nil {
			b.Fatal(err)
		}
		n += f.NumSpikes()
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "spikes/s")
}

// BenchmarkNext streams the decoded file as events with a ladder of batch
// sizes. Reports events/s.
func BenchmarkNext(b *testing.B) {
	f := openRef(b)
	for _, max := range []int{16, 256, 4096} {
		b.Run(fmt.Sprintf("max=%d", max), func(b *testing.B) {
			b.ReportAllocs()
			batch := &events.Batch{}
			n := 0
			for b.Loop() {
				if err := f.Seek(0); err != nil {
					b.Fatal(err)
				}
				for {
					batch.Reset()
					k, err := f.Next(batch, max)
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					n += k
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
