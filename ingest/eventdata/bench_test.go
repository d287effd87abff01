package eventdata

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// BenchmarkToParquet converts a large RAW file (NEUROTAB_EVENTS_BENCH, made
// with internal/tools/mkevents) end to end into zstd Parquet and reports
// events/s and input MB/s.
func BenchmarkToParquet(b *testing.B) {
	in := os.Getenv("NEUROTAB_EVENTS_BENCH")
	if in == "" {
		b.Skip("set NEUROTAB_EVENTS_BENCH to a RAW file (go run ./internal/tools/mkevents -in ../shared/data/faery/evt2.raw -format evt3 -size 200MB -o FILE)")
	}
	st, err := os.Stat(in)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		serial bool
	}{{"concurrent-columns", false}, {"serial-columns", true}} {
		b.Run(c.name, func(b *testing.B) {
			out := filepath.Join(b.TempDir(), "e.parquet")
			b.SetBytes(st.Size())
			b.ReportAllocs()
			var n int64
			for i := 0; i < b.N; i++ {
				res, err := ToFile([]ingest.Input{{Path: in}}, out, Config{Write: &table.WriteOptions{SerialColumns: c.serial}})
				if err != nil {
					b.Fatal(err)
				}
				n = res[0].Events
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
			if fi, err := os.Stat(out); err == nil {
				b.ReportMetric(float64(fi.Size())/float64(n), "bytes/event")
			}
		})
	}
}

// BenchmarkToArrow decodes each real fixture into Arrow record batches
// (zero-copy events-table records, as the Parquet path consumes them) and
// reports events/s.
func BenchmarkToArrow(b *testing.B) {
	cases := []struct {
		path   []string
		source string
	}{
		{[]string{"faery", "evt2.raw"}, "evt2"},
		{[]string{"expelliarmus", "evt3_sample.raw"}, "evt3"},
		{[]string{"tonic", "sample_ncars.dat"}, "dat"},
		{[]string{"tonic", "sample_nmnist.bin"}, "nmnist"},
		{[]string{"tonic", "sample.aedat4"}, "aedat4"},
	}
	for _, c := range cases {
		b.Run(c.source, func(b *testing.B) {
			in := fixtures.Path(b, c.path...)
			st, _ := os.Stat(in)
			b.SetBytes(st.Size())
			b.ReportAllocs()
			var n int64
			cfg := Config{}
			for i := 0; i < b.N; i++ {
				r := stream(ingest.Input{Path: in, Source: c.source}, &cfg, nil, func(rec arrow.RecordBatch) error {
					n += rec.NumRows()
					return nil
				})
				if r.Err != nil {
					b.Fatal(r.Err)
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
