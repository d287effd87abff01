package eventdata

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/neurotab/neurotab/ingest"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// Filters applied while converting give what filtering the unfiltered
// events afterwards gives: the count in a time window, halved coordinates,
// merged polarity and the output geometry ⌈34/2⌉ = 17.
func TestFiltersWhileConverting(t *testing.T) {
	in := fixtures.Path(t, "tonic", "sample_nmnist.bin")
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.parquet")
	if _, err := ToFile([]ingest.Input{{Path: in, Source: "nmnist"}}, plain, Config{}); err != nil {
		t.Fatal(err)
	}
	// Count independently from the unfiltered table: events with 100000 ≤ t < 200000.
	want := countWindow(t, plain, 100000, 200000)

	out := filepath.Join(dir, "f.parquet")
	f := Filters{TimeStart: 100 * time.Millisecond, TimeEnd: 200 * time.Millisecond, Downsample: 2, MergePolarity: true}
	res, err := ToFile([]ingest.Input{{Path: in, Source: "nmnist"}}, out, Config{Filters: f, BatchEvents: 1000})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := readEvents(t, out)
	if s.n != want || res[0].Events != want || want == 0 {
		t.Fatalf("filtered %d events (result %d), want %d", s.n, res[0].Events, want)
	}
	if s.on != 0 || s.width != "17" || s.height != "17" {
		t.Fatalf("on=%d geometry %s×%s", s.on, s.width, s.height)
	}
}

func countWindow(t *testing.T, path string, start, end int64) int64 {
	t.Helper()
	s, _ := readEventsRaw(t, path)
	var n int64
	for _, ts := range s {
		if ts >= start && ts < end {
			n++
		}
	}
	return n
}
