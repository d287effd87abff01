package nwb_test

import (
	"testing"

	"github.com/neurotab/neurotab/formats/nwb"
)

// BenchmarkUnits reads the 21,354 spike times of the pynapple phy export,
// whole table (Units) and streamed unit by unit (EachUnit), reporting
// spikes/s.
func BenchmarkUnits(b *testing.B) {
	f := openPynapple(b)
	b.Run("Units", func(b *testing.B) {
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			u, err := f.Units()
			if err != nil {
				b.Fatal(err)
			}
			n += u.NumSpikes()
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "spikes/s")
	})
	b.Run("EachUnit", func(b *testing.B) {
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			err := f.EachUnit(func(_ int, _ int64, times []float64) error {
				n += len(times)
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "spikes/s")
	})
}

// BenchmarkRoiResponseSeries finds and reads the RoiResponseSeries of the
// two reference files (contiguous 90×6 and gzip-chunked 80×5), reporting
// values/s.
func BenchmarkRoiResponseSeries(b *testing.B) {
	for _, name := range []string{"ophys_rate.nwb", "ophys_timestamps.nwb"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			f := openRef(b, name)
			n := 0
			for b.Loop() {
				ss, err := f.RoiResponseSeries()
				if err != nil {
					b.Fatal(err)
				}
				n += len(ss[0].Data)
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "values/s")
		})
	}
	_ = nwb.KindFloat
}
