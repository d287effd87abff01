package hdf5_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/neurotab/neurotab/formats/hdf5"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// BenchmarkRead reads the 52.4 MB float32 datasets written by
// testdata/make_bench.py (set NEUROTAB_HDF5_BENCH to its output path):
// contiguous, and chunked with shuffle + deflate.
func BenchmarkRead(b *testing.B) {
	path := os.Getenv("NEUROTAB_HDF5_BENCH")
	if path == "" {
		b.Skip("set NEUROTAB_HDF5_BENCH to a file made by testdata/make_bench.py")
	}
	f, err := hdf5.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var ref []float32
	for _, name := range []string{"contiguous", "deflate_shuffle"} {
		b.Run(name, func(b *testing.B) {
			o, err := f.Get("/" + name)
			if err != nil {
				b.Fatal(err)
			}
			d := o.(*hdf5.Dataset)
			// both datasets hold the same array: check before timing
			v, err := d.ReadFloat32()
			if err != nil {
				b.Fatal(err)
			}
			if ref == nil {
				ref = v
			} else {
				for i := range v {
					if v[i] != ref[i] {
						b.Fatalf("element %d differs between datasets", i)
					}
				}
			}
			nbytes := int64(len(v)) * 4
			b.SetBytes(nbytes)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := d.ReadFloat32(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(nbytes)*float64(b.N)/b.Elapsed().Seconds()/1e6, "MB/s")
		})
	}
}

// BenchmarkOpenWalk opens the generic fixtures (three format versions) and
// reads every numeric dataset: metadata-heavy work on small files.
func BenchmarkOpenWalk(b *testing.B) {
	for _, name := range []string{"generic_earliest.h5", "generic_v108.h5", "generic_latest.h5"} {
		b.Run(name, func(b *testing.B) {
			data, err := os.ReadFile(fixtures.Path(b, "reference-made", "hdf5", name))
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			objects := 0
			for i := 0; i < b.N; i++ {
				f, err := hdf5.NewReader(bytes.NewReader(data), int64(len(data)), name)
				if err != nil {
					b.Fatal(err)
				}
				err = f.Walk(func(p string, o hdf5.Object) error {
					objects++
					if d, ok := o.(*hdf5.Dataset); ok {
						switch d.Datatype().Class {
						case hdf5.ClassInteger, hdf5.ClassFloat:
							_, err := d.ReadFloat64()
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(objects)/b.Elapsed().Seconds(), "objects/s")
		})
	}
}
