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
					f, err := NewReader(r, int64(len(file)), "bench.mat")
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

// BenchmarkDecodeV73 opens and decodes every variable of the v7.3
// fixtures, smallest to largest: MATLAB's 1×9 double, the kato2015-like
// struct of cells (many small #refs# objects) and the kaplan2020-like
// struct whose traces are chunked with gzip + shuffle + fletcher32. MB/s is
// per byte of file; vars/s counts decoded top-level variables.
func BenchmarkDecodeV73(b *testing.B) {
	for _, name := range []string{"matlab_written/testhdf5_7.4_GLNX86.mat", "kato2015_like_v73.mat", "kaplan2020_like_v73.mat"} {
		file := readFixture(b, "reference-made", "mat_v73", name)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(file)))
			b.ReportAllocs()
			r := bytes.NewReader(file)
			vars := 0
			for b.Loop() {
				f, err := NewReader(r, int64(len(file)), "bench.mat")
				if err != nil {
					b.Fatal(err)
				}
				for _, n := range f.Names() {
					if _, err := f.Var(n); err != nil {
						b.Fatal(err)
					}
					vars++
				}
			}
			b.ReportMetric(float64(vars)/b.Elapsed().Seconds(), "vars/s")
		})
	}
}
