package connectome

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab/formats/table"
)

func TestEdgesTableRoundTrip(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	in := []Edge{
		{Dataset: "d", Pre: "AVAL", Post: "AVBL", Type: Chemical, Weight: 3, QValue: math.NaN()},
		{Dataset: "d", Pre: "AVAL", Post: "AVAR", Type: Electrical, Weight: 0.5, QValue: math.NaN()},
		{Dataset: "randi", Pre: "AVAL", Post: "RIML", Type: Functional, Weight: -0.2, QValue: 0.01},
		{Dataset: "d", Pre: "DA1", Post: "MDL01", Type: NeuroMuscular, Weight: 2, QValue: math.NaN()},
	}
	rec, err := EdgesRecord(mem, in)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	path := filepath.Join(t.TempDir(), "e.parquet")
	if err := table.WriteParquet(path, table.Edges, table.Provenance{}, nil, &table.WriteOptions{Allocator: mem}, rec); err != nil {
		t.Fatal(err)
	}
	out, err := ReadEdges(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("%d edges", len(out))
	}
	for i := range in {
		a, b := in[i], out[i]
		if a.Dataset != b.Dataset || a.Pre != b.Pre || a.Post != b.Post || a.Type != b.Type || a.Weight != b.Weight ||
			(math.IsNaN(a.QValue) != math.IsNaN(b.QValue)) || (!math.IsNaN(a.QValue) && a.QValue != b.QValue) {
			t.Fatalf("edge %d: %+v want %+v", i, b, a)
		}
	}
}

// The neurons table of the default atlas has the 300 canonical neurons in
// slot order (worm-graph neuron_labels.txt order, checked in atlas_test.go).
func TestNeuronsRecord(t *testing.T) {
	rec, err := NeuronsRecord(nil, DefaultAtlas())
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if rec.NumRows() != 300 {
		t.Fatalf("%d rows", rec.NumRows())
	}
	if err := table.Validate(table.Neurons, rec); err != nil {
		t.Fatal(err)
	}
}
