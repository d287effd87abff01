package connectome

import (
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab"
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
// slot order (worm-graph neuron_labels.txt order, checked in atlas_test.go);
// its first and last rows are those of worm-graph/neuron_master_sheet.csv
// (lines 2 and 301: ADAL,ADA,Glu,inter and VD9,VD,GABA,motor), without
// positions (the default atlas has none: null x, y, z).
func TestNeuronsRecord(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec, err := NeuronsRecord(mem, DefaultAtlas())
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
	labels := DefaultAtlas().Labels()
	for _, c := range []struct {
		row  int
		want string // label, class, type, transmitter, x, y, z, slot
	}{
		{0, "ADAL ADA inter Glu (null) (null) (null) 0"},
		{299, "VD9 VD motor GABA (null) (null) (null) 299"},
	} {
		var got []string
		for j := 0; j < int(rec.NumCols()); j++ {
			got = append(got, rec.Column(j).ValueStr(c.row))
		}
		if s := strings.Join(got, " "); s != c.want {
			t.Errorf("row %d: %q, want %q", c.row, s, c.want)
		}
	}
	for i := 0; i < 300; i++ {
		if l := rec.Column(0).ValueStr(i); l != labels[i] {
			t.Fatalf("row %d: label %s, want %s", i, l, labels[i])
		}
	}
}

// ReadEdges of another table (the neurons table) is a schema error naming
// the file.
func TestReadEdgesNotEdges(t *testing.T) {
	rec, err := NeuronsRecord(nil, DefaultAtlas())
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	path := filepath.Join(t.TempDir(), "n.parquet")
	if err := table.WriteParquet(path, table.Neurons, table.Provenance{}, nil, nil, rec); err != nil {
		t.Fatal(err)
	}
	_, err = ReadEdges(path)
	if want := path + ": not an edges table (dataset, pre, post, type, weight, q_value): table breaks its schema"; !errors.Is(err, neurotab.ErrSchema) || err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}
