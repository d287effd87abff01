package shd_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/hdf5"
	"github.com/neurotab/neurotab/formats/shd"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// FuzzSHD opens arbitrary bytes as an SHD file and streams it. Nothing may
// panic; stream errors must be *shd.Error wrapping an events sentinel; every
// call stays inside one sample with non-decreasing T, X below the geometry
// width, Y = 0, P = 1; the events streamed equal the spikes Sample returns.
// Seeded with the reference shd_like.h5 and the committed testdata.
//
// Run with -fuzzminimizetime=1x: the HDF5 reader's goroutines make coverage
// vary slightly, and the default 60 s minimization stalls the fuzzer.
func FuzzSHD(f *testing.F) {
	seeds := []string{fixtures.Path(f, "reference-made", "shd", "shd_like.h5")}
	more, _ := filepath.Glob(filepath.Join("testdata", "*.h5"))
	for _, p := range append(seeds, more...) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := hdf5.NewReader(bytes.NewReader(data), int64(len(data)), "fuzz.h5")
		if err != nil {
			return
		}
		h.MaxAlloc = 1 << 24
		// testdata/fuzz/FuzzSHD/7a96… is a 34 KB file whose descriptors
		// all point at one heap object: 15 GB of sequences until
		// hdf5.ReadVLenAs charged them against MaxAlloc.
		sf, err := shd.FromHDF5(h, shd.Options{})
		if err != nil {
			return
		}
		_, _ = sf.Speakers()
		_, _ = sf.Keys()
		if len(sf.Labels()) != sf.NumSamples() {
			t.Fatalf("%d labels for %d samples", len(sf.Labels()), sf.NumSamples())
		}
		g := sf.Geometry()
		b := &events.Batch{}
		streamed := 0
		for {
			b.Reset()
			n, err := sf.Next(b, 17)
			if err == io.EOF {
				break
			}
			if err != nil {
				var se *shd.Error
				if !errors.As(err, &se) || !errors.Is(err, neurotab.ErrOutOfRange) && !errors.Is(err, neurotab.ErrTimeOrder) {
					t.Fatalf("stream error %v", err)
				}
				break
			}
			streamed += n
			for k := range n {
				if k > 0 && b.T[k] < b.T[k-1] || int(b.X[k]) >= g.Width || b.Y[k] != 0 || b.P[k] != 1 {
					t.Fatalf("event %d of sample %d: (%d %d %d %d), width %d", k, sf.Current(), b.T[k], b.X[k], b.Y[k], b.P[k], g.Width)
				}
			}
		}
		total := 0
		for i := range sf.NumSamples() {
			times, units, err := sf.Sample(i)
			if err != nil || len(times) != len(units) {
				t.Fatalf("Sample(%d): %d times %d units %v", i, len(times), len(units), err)
			}
			total += len(times)
		}
		if total != sf.NumSpikes() || streamed > total {
			t.Fatalf("samples hold %d spikes, NumSpikes %d, streamed %d", total, sf.NumSpikes(), streamed)
		}
	})
}
