package nwb_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/neurotab/neurotab/formats/nwb"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// FuzzNWB opens arbitrary bytes as an NWB file and reads everything this
// package models. Nothing may panic; whatever decodes must be internally
// consistent: VectorIndex non-decreasing and within the data, one row per
// id, T×N data with T times and N rois. Seeded with the real pynwb file, the
// two reference files and the committed testdata.
//
// Run with -fuzzminimizetime=1x (or a few seconds): the HDF5 reader decodes
// chunks on several goroutines, so coverage varies slightly between runs of
// one input, and the default 60 s minimization of every "new" input then
// stalls the fuzzer at a few executions.
func FuzzNWB(f *testing.F) {
	for _, p := range []string{
		fixtures.Path(f, "pynapple", "A8604-211122.nwb"),
		fixtures.Path(f, "reference-made", "nwb", "ophys_rate.nwb"),
		fixtures.Path(f, "reference-made", "nwb", "ophys_timestamps.nwb"),
		filepath.Join("testdata", "features.nwb"),
		filepath.Join("testdata", "bad.nwb"),
	} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		nf, err := nwb.NewReader(bytes.NewReader(data), int64(len(data)), "fuzz.nwb")
		if err != nil {
			return
		}
		nf.HDF5().MaxAlloc = 1 << 24
		_ = nf.Version()
		_ = nf.Identifier()
		if u, err := nf.Units(); err == nil {
			if len(u.Index) != len(u.IDs) {
				t.Fatalf("%d index rows for %d ids", len(u.Index), len(u.IDs))
			}
			n := 0
			for i := range u.IDs {
				n += len(u.SpikeTimes(i))
				_ = u.ObsIntervals(i)
			}
			if n > len(u.Times) {
				t.Fatalf("trains hold %d spikes, Times has %d", n, len(u.Times))
			}
			for _, c := range u.Columns {
				if c.Rows() != len(u.IDs) {
					t.Fatalf("column %s: %d rows for %d ids", c.Name, c.Rows(), len(u.IDs))
				}
				for r := range c.Rows() {
					if lo, hi := c.Span(r); lo > hi || hi > c.Cells()*c.Width {
						t.Fatalf("column %s row %d: span [%d, %d) of %d", c.Name, r, lo, hi, c.Cells()*c.Width)
					}
				}
			}
		}
		_ = nf.EachUnit(func(int, int64, []float64) error { return nil })
		if ss, err := nf.RoiResponseSeries(); err == nil {
			for _, s := range ss {
				if len(s.Data) != s.T*s.N || len(s.Time) != s.T || len(s.ROIRows) != 0 && len(s.ROIRows) != s.N {
					t.Fatalf("%s: %d values, T %d, N %d, %d times, %d rois", s.Path, len(s.Data), s.T, s.N, len(s.Time), len(s.ROIRows))
				}
			}
		}
		_, _ = nf.Table("/intervals/epochs")
	})
}
