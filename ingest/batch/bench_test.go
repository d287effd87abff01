package batch

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/ingest"
)

// peakRSS resets (resetPeak) and reads (readPeak) the process's peak
// resident set size, VmHWM of /proc/self/status, in bytes; Linux only
// (writing 5 to /proc/self/clear_refs resets the mark).
func resetPeak() bool {
	runtime.GC()
	debug.FreeOSMemory()
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

func readPeak() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb * 1024
		}
	}
	return 0
}

// BenchmarkIngestLarge ingests one large recording per layout (a Dag 2023
// HDF5 matrix and an NWB ophys file, both made by bench/make_large.py into
// the folder NEUROTAB_BENCH_LARGE) into one traces Parquet file, and
// reports MB/s of input, the decoded matrix (T×N float64) in MB and the
// peak resident set size of the run in MB and as a multiple of the
// decoded matrix: issue 19's target is peak ≤ 2.5 × matrix + 150 MB.
// Run one layout at a time for a clean peak, e.g.
//
//	/usr/bin/python3 bench/make_large.py /tmp/large
//	NEUROTAB_BENCH_LARGE=/tmp/large go test ./ingest/batch -run - -bench 'IngestLarge/nwb' -benchtime 1x
func BenchmarkIngestLarge(b *testing.B) {
	dir := os.Getenv("NEUROTAB_BENCH_LARGE")
	if dir == "" {
		b.Skip("NEUROTAB_BENCH_LARGE is not set: make the files with bench/make_large.py DIR")
	}
	for _, c := range []struct{ name, file, source string }{
		{"hdf5", "20230101-data.h5", "Dag2023"},
		{"nwb", "large.nwb", "nwb"},
	} {
		b.Run(c.name, func(b *testing.B) {
			in := filepath.Join(dir, c.file)
			st, err := os.Stat(in)
			if err != nil {
				b.Skip(err)
			}
			out := filepath.Join(b.TempDir(), "out.parquet")
			peakOK := resetPeak()
			b.ResetTimer()
			var matrix float64
			for i := 0; i < b.N; i++ {
				res, err := ToFile(ingest.Inputs(c.source, in), out, Config{Jobs: 1})
				if err != nil {
					b.Fatal(err)
				}
				r := res[0].Recordings[0]
				matrix = float64(r.Samples) * float64(r.Neurons+r.Dropped) * 8
			}
			b.StopTimer()
			b.ReportMetric(float64(st.Size())*float64(b.N)/1e6/b.Elapsed().Seconds(), "MB/s")
			b.ReportMetric(matrix/1e6, "matrix-MB")
			if peakOK {
				p := readPeak()
				b.ReportMetric(p/1e6, "peakRSS-MB")
				b.ReportMetric(p/matrix, "peak/matrix")
			}
		})
	}
}
