package eventdata

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/neurotab/neurotab/formats/table"
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
	out := filepath.Join(b.TempDir(), "e.parquet")
	b.SetBytes(st.Size())
	b.ReportAllocs()
	var n int64
	for i := 0; i < b.N; i++ {
		res, err := ToFile([]Input{{Path: in}}, out, Config{Write: &table.WriteOptions{}})
		if err != nil {
			b.Fatal(err)
		}
		n = res[0].Events
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
