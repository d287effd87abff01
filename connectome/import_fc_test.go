package connectome

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/neurotab/neurotab/formats/table"
)

// An fc table becomes functional edges: q < 0.05 kept when tested (and the
// rest counted as left out), every finite value when not, one dataset per
// recording, window and measure, values and q-values as written.
func TestImportFC(t *testing.T) {
	nan := math.NaN()
	rows := []table.FCRow{
		{SourceDataset: "Dag2023", Worm: "w1", Pre: "AVAL", Post: "AVAR", Measure: "lagged_pearson", Value: 0.8, PValue: 0.001, QValue: 0.01},
		{SourceDataset: "Dag2023", Worm: "w1", Pre: "AVAR", Post: "AVAL", Measure: "lagged_pearson", Value: 0.2, PValue: 0.3, QValue: 0.4},
		{SourceDataset: "Dag2023", Worm: "w1", Window: 3, Pre: "AVAL", Post: "RMDDL", Measure: "pearson", Value: -0.5, PValue: nan, QValue: nan},
		{SourceDataset: "Dag2023", Worm: "w1", Window: 3, Pre: "AVAL", Post: "FOO", Measure: "pearson", Value: 0.5, PValue: nan, QValue: nan},
	}
	path := filepath.Join(t.TempDir(), "fc.parquet")
	if err := table.WriteRows(path, table.Provenance{}, nil, rows); err != nil {
		t.Fatal(err)
	}
	dropped := map[string]int{}
	edges, err := ImportFC(path, Options{Dropped: func(r string) { dropped[r]++ }})
	if err != nil {
		t.Fatal(err)
	}
	want := []Edge{
		{Dataset: "fc:lagged_pearson:Dag2023/w1", Pre: "AVAL", Post: "AVAR", Type: Functional, Weight: 0.8, QValue: 0.01},
		{Dataset: "fc:pearson:Dag2023/w1@w3", Pre: "AVAL", Post: "RMDDL", Type: Functional, Weight: -0.5, QValue: nan},
	}
	if len(edges) != len(want) {
		t.Fatalf("edges %+v", edges)
	}
	for i, e := range edges {
		w := want[i]
		if e.Dataset != w.Dataset || e.Pre != w.Pre || e.Post != w.Post || e.Type != w.Type || e.Weight != w.Weight ||
			!(e.QValue == w.QValue || math.IsNaN(e.QValue) && math.IsNaN(w.QValue)) {
			t.Errorf("edge %d = %+v, want %+v", i, e, w)
		}
	}
	if dropped[DropQValue] != 1 || dropped[DropNonNeuron] != 1 {
		t.Errorf("dropped %v", dropped)
	}
}
