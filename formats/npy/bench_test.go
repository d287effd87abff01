package npy

import (
	"bytes"
	"fmt"
	"math"
	"testing"
)

// BenchmarkRead reads an ROI×frame float32 matrix (the suite2p F.npy
// layout) and converts it to row-major float64, for a ladder of sizes. MB/s
// is per byte of the file's data.
func BenchmarkRead(b *testing.B) {
	for _, size := range []struct{ r, c int }{{10, 1000}, {219, 2000}, {1000, 10000}} {
		vals := make([]float32, size.r*size.c)
		for i := range vals {
			vals[i] = float32(math.Sin(float64(i) / 40))
		}
		var file bytes.Buffer
		if err := Write(&file, []int{size.r, size.c}, vals); err != nil {
			b.Fatal(err)
		}
		raw := file.Bytes()
		b.Run(fmt.Sprintf("%dx%d", size.r, size.c), func(b *testing.B) {
			b.SetBytes(int64(4 * len(vals)))
			b.ReportAllocs()
			for b.Loop() {
				a, err := Read(bytes.NewReader(raw), "bench.npy")
				if err != nil {
					b.Fatal(err)
				}
				_ = a.Float64s()
			}
			b.ReportMetric(float64(4*len(vals))*float64(b.N)/b.Elapsed().Seconds()/1e6, "MB/s")
		})
	}
}

// BenchmarkWrite writes a 219×2000 float64 matrix.
func BenchmarkWrite(b *testing.B) {
	vals := make([]float64, 219*2000)
	for i := range vals {
		vals[i] = float64(i)
	}
	var buf bytes.Buffer
	b.SetBytes(int64(8 * len(vals)))
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, []int{219, 2000}, vals); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(8*len(vals))*float64(b.N)/b.Elapsed().Seconds()/1e6, "MB/s")
}
