package eventdata

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// reference-made/shd/shd_like.h5 (manifest): 5 samples with 37, 120, 1, 64
// and 9 spikes, labels 6, 1, 0, 15, 14; units of sample 0 sum to 14102.
// Two copies in one output take sample ids 0–4 and 5–9.
func TestSHDToParquet(t *testing.T) {
	in := fixtures.Path(t, "reference-made", "shd", "shd_like.h5")
	out := filepath.Join(t.TempDir(), "shd.parquet")
	res, err := ToFile([]ingest.Input{{Path: in, Source: "auto"}, {Path: in, Source: "shd"}}, out, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Source != "shd" || res[0].Samples != 5 || res[0].Events != 231 || res[1].Sample != 5 {
		t.Fatalf("results %+v / %+v", res[0], res[1])
	}
	pf, err := table.OpenParquet(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	rec, err := pf.ReadAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	counts := map[int32]int{}
	var sum0 int64
	smp := rec.Column(0).(*array.Int32).Int32Values()
	xs := rec.Column(2).(*array.Uint16).Uint16Values()
	for i, s := range smp {
		counts[s]++
		if s == 0 {
			sum0 += int64(xs[i])
		}
	}
	want := []int{37, 120, 1, 64, 9}
	for k := 0; k < 10; k++ {
		if counts[int32(k)] != want[k%5] {
			t.Fatalf("sample %d has %d events, want %d", k, counts[int32(k)], want[k%5])
		}
	}
	if sum0 != 14102 {
		t.Fatalf("channels of sample 0 sum to %d", sum0)
	}
	js, _ := pf.Metadata().GetValue(table.MetaEventsLabels)
	var labels map[string]int
	if err := json.Unmarshal([]byte(js), &labels); err != nil || labels["0"] != 6 || labels["3"] != 15 || labels["9"] != 14 || len(labels) != 10 {
		t.Fatalf("labels %s", js)
	}
}
