package spikes

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/neurotab/neurotab/formats/table"
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
	res, err := Convert([]string{in, bad}, out, table.Provenance{})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Units != 3 || res[0].Spikes != 21354 || res[0].Err != nil {
		t.Fatalf("result %+v", res[0])
	}
	if res[1].Err == nil {
		t.Fatal("a broken NWB file converted")
	}
	pf, err := table.OpenParquet(out, nil)
	if err != nil {
		t.Fatal(err)
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
	recs, err := BinRates(out, 0.5)
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
