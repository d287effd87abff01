package mat

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"testing"
)

// BenchmarkDecodeDouble decodes a rows×cols double matrix (a smooth signal
// plus a deterministic ripple, like a block of calcium traces) from a file
// made by the test encoder, plain and miCOMPRESSED. MB/s is per byte of
// decoded double data (8 × rows × cols).
func BenchmarkDecodeDouble(b *testing.B) {
	for _, size := range []struct{ r, c int }{{100, 100}, {1000, 2000}} {
		vals := make([]float64, size.r*size.c)
		for i := range vals {
			vals[i] = math.Sin(float64(i)/50) + float64(i%7)*1e-3
		}
		e := enc{binary.LittleEndian}
		x := e.double("traces", []int32{int32(size.r), int32(size.c)}, vals)
		for _, compressed := range []bool{false, true} {
			el := x
			if compressed {
				el = e.compress(x)
			}
			file := e.file(el)
			name := fmt.Sprintf("%dx%d/compressed=%v", size.r, size.c, compressed)
			b.Run(name, func(b *testing.B) {
				raw := int64(8 * len(vals))
				b.SetBytes(raw)
				b.ReportAllocs()
				r := bytes.NewReader(file)
				for b.Loop() {
					f, err := Decode(r, int64(len(file)), "bench.mat")
					if err != nil {
						b.Fatal(err)
					}
					if _, err := f.Var("traces"); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(raw)*float64(b.N)/b.Elapsed().Seconds()/1e6, "MB/s")
				b.ReportMetric(float64(len(file)), "file-bytes")
			})
		}
	}
}
