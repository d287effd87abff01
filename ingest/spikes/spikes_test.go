package spikes

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// pynapple/SOURCE.md: the NWB file holds 3 units and 21,354 spike times.
// The rates, binned over the whole recording, integrate back to the spike
// count of each unit (Σ_k rate·bin = count).
func TestNWBUnitsToSpikesAndRates(t *testing.T) {
	in := fixtures.Path(t, "pynapple", "A8604-211122.nwb")
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.nwb")
	os.WriteFile(bad, []byte("\x89HDF\r\n\x1a\nbroken"), 0o644)
	out := filepath.Join(dir, "spikes.parquet")
	prov := table.Provenance{Command: []string{"test"}, Parameters: map[string]any{"source": Source}}
	var progress ingest.Progress
	res, err := ToFile(ingest.Inputs(Source, in, bad), out, Config{Prov: prov, Progress: func(p ingest.Progress) {
		progress.Files += p.Files
		progress.Bytes += p.Bytes
	}})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err != nil || len(res[0].Recordings) != 1 || res[0].Recordings[0].Neurons != 3 || res[0].Events != 21354 ||
		res[0].Recordings[0].Worm != "A8604-211122" || res[0].Output != out {
		t.Fatalf("result %+v", res[0])
	}
	if res[1].Err == nil || res[1].Output != "" {
		t.Fatal("a broken NWB file converted")
	}
	// The input's size and hash, computed apart, are in the result and the
	// provenance; the broken file is not a source. Progress saw both files.
	sf, err := table.HashFile(in)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].SHA256 != sf.SHA256 || res[0].Bytes != sf.Bytes || progress.Files != 2 || progress.Bytes != sf.Bytes {
		t.Fatalf("result %s %d bytes, progress %+v; want %s %d", res[0].SHA256, res[0].Bytes, progress, sf.SHA256, sf.Bytes)
	}
	pf, err := table.OpenParquet(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := table.ParseProvenance(pf.Metadata())
	if err != nil || len(got.Sources) != 1 || got.Sources[0] != sf {
		t.Fatalf("provenance sources %+v, %v; want [%+v]", got.Sources, err, sf)
	}
	rec, err := pf.ReadAll(context.Background())
	pf.Close()
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if rec.NumRows() != 21354 {
		t.Fatalf("%d rows", rec.NumRows())
	}
	perUnit := map[int64]int{}
	var sum float64
	for i, u := range rec.Column(1).(*array.Int64).Int64Values() {
		perUnit[u]++
		sum += rec.Column(2).(*array.Float64).Value(i)
	}
	// pynapple/SOURCE.md: unit 6: 11020 spikes, unit 191: 4690, unit 206: 5644; sum(spike_times) = 12284152.965199.
	if perUnit[6] != 11020 || perUnit[191] != 4690 || perUnit[206] != 5644 || math.Abs(sum-12284152.965199) > 1e-5 {
		t.Fatalf("per unit %v, sum %v", perUnit, sum)
	}
	recs, err := BinRates(out, 500*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || len(recs[0].Neurons) != 3 {
		t.Fatalf("%d recordings", len(recs))
	}
	r := recs[0]
	T, U := r.Data.Dims()
	for c := 0; c < U; c++ {
		var n float64
		for k := 0; k < T; k++ {
			n += r.Data.At(k, c) * 0.5
		}
		var id int64
		for uid := range perUnit {
			if "unit"+itoa(uid) == r.Neurons[c] {
				id = uid
			}
		}
		if math.Abs(n-float64(perUnit[id])) > 1e-6 {
			t.Fatalf("%s: rates integrate to %v spikes, want %d", r.Neurons[c], n, perUnit[id])
		}
	}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// A folder expands to the NWB files in it (by name and HDF5 signature),
// sorted; a folder with none is an error naming it.
func TestExpand(t *testing.T) {
	dir := t.TempDir()
	z := fixtures.CopyTo(t, dir, "z.nwb", "pynapple", "A8604-211122.nwb")
	a := fixtures.CopyTo(t, dir, "a.nwb", "pynapple", "A8604-211122.nwb")
	fixtures.CopyTo(t, dir, "data.h5", "pynapple", "A8604-211122.nwb") // HDF5, but not named .nwb
	os.WriteFile(filepath.Join(dir, "fake.nwb"), []byte("not HDF5"), 0o644)
	got, err := Expand([]string{dir})
	if err != nil || !slices.Equal(got, []string{a, z}) {
		t.Fatalf("Expand = %v, %v", got, err)
	}
	empty := t.TempDir()
	if _, err := Expand([]string{empty}); err == nil || !strings.Contains(err.Error(), empty+": folder holds no input: looked for NWB files") {
		t.Fatalf("empty folder: %v", err)
	}
}

// BinRates takes a positive duration.
func TestBinRatesWidth(t *testing.T) {
	for _, w := range []time.Duration{0, -time.Second} {
		if _, err := BinRates("unused.parquet", w); err == nil || !strings.Contains(err.Error(), "bin width") {
			t.Errorf("BinRates(%v): %v", w, err)
		}
	}
}

// ToDir writes one partition per input with the same rows as ToFile
// (pynapple/SOURCE.md: 21,354 spikes), its own input as the one source; a
// second input with the same recording id and a broken file are reported
// and leave no partition.
func TestToDir(t *testing.T) {
	in := fixtures.Path(t, "pynapple", "A8604-211122.nwb")
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.nwb")
	os.WriteFile(bad, []byte("\x89HDF\r\n\x1a\nbroken"), 0o644)
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	dup := fixtures.CopyTo(t, sub, "A8604-211122.nwb", "pynapple", "A8604-211122.nwb")
	ds := filepath.Join(dir, "ds")
	res := ToDir(ingest.Inputs(Source, in, bad, dup), ds, Config{})
	want := filepath.Join(ds, "recording=A8604-211122", "part-0.parquet")
	if res[0].Err != nil || res[0].Output != want || res[0].Events != 21354 || res[0].Recordings[0].Neurons != 3 {
		t.Fatalf("result %+v", res[0])
	}
	if res[1].Err == nil || res[1].Output != "" || res[2].Err == nil || !strings.Contains(res[2].Err.Error(), "already used by "+in) {
		t.Fatalf("bad %v, duplicate %v", res[1].Err, res[2].Err)
	}
	if _, err := os.Stat(filepath.Join(ds, "recording=bad")); !os.IsNotExist(err) {
		t.Fatalf("the broken file left a partition: %v", err)
	}
	pf, err := table.OpenParquet(want, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	prov, _, err := table.ParseProvenance(pf.Metadata())
	sf, _ := table.HashFile(in)
	if err != nil || len(prov.Sources) != 1 || prov.Sources[0] != sf {
		t.Fatalf("sources %+v, %v; want [%+v]", prov.Sources, err, sf)
	}
	rec, err := pf.ReadAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if rec.NumRows() != 21354 {
		t.Fatalf("%d rows, want 21354", rec.NumRows())
	}
}

// Rates are binned from the recording's start, t = 0 (the NWB session start
// spike times count from), not from the first spike: spikes at 0.25, 0.31
// and 1.02 s in 0.1 s bins fall in bins 2, 3 and 10 of 11, at 10 Hz each.
func TestBinRatesFromRecordingStart(t *testing.T) {
	out := filepath.Join(t.TempDir(), "s.parquet")
	rows := []table.SpikeRow{{Recording: "r", Unit: 1, T: 0.25, Amplitude: math.NaN()}, {Recording: "r", Unit: 1, T: 0.31, Amplitude: math.NaN()},
		{Recording: "r", Unit: 1, T: 1.02, Amplitude: math.NaN()}}
	if err := table.WriteRows(out, table.Provenance{}, nil, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := BinRates(out, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	r := recs[0]
	T, _ := r.Data.Dims()
	if T != 11 || r.Time[0] != 0 || math.Abs(r.Time[10]-1.0) > 1e-12 || r.NormalizationMethod != "rate_hz(bin=0.1s)" {
		t.Fatalf("%d bins from %v to %v, %q", T, r.Time[0], r.Time[T-1], r.NormalizationMethod)
	}
	for k := range T {
		want := 0.0
		if k == 2 || k == 3 || k == 10 {
			want = 10
		}
		if math.Abs(r.Data.At(k, 0)-want) > 1e-9 {
			t.Errorf("bin %d: %v Hz, want %v", k, r.Data.At(k, 0), want)
		}
	}
}
