package connectome

import (
	"bytes"
	"errors"
	"math"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/table"
	"gonum.org/v1/gonum/mat"
)

func TestWriteMatrixCSV(t *testing.T) {
	m := mat.NewDense(2, 2, []float64{0, 1.5, 1e-7, 3})
	var b bytes.Buffer
	if err := WriteMatrixCSV(&b, m, []string{"AVAL", "AVAR"}); err != nil {
		t.Fatal(err)
	}
	// Written by hand: header, then each row with its label.
	want := "pre/post,AVAL,AVAR\nAVAL,0,1.5\nAVAR,1e-07,3\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	if err := WriteMatrixCSV(&b, m, []string{"AVAL"}); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("wrong label count: %v", err)
	}
}

func TestReorder(t *testing.T) {
	m := mat.NewDense(3, 3, []float64{
		0, 1, 2,
		3, 4, 5,
		6, 7, 8,
	})
	labels := []string{"A", "B", "C"}
	for _, c := range []struct {
		name    string
		ordered []string
		want    []float64 // m[i][j] read off at the new positions
	}{
		{"reversed", []string{"C", "B", "A"}, []float64{8, 7, 6, 5, 4, 3, 2, 1, 0}},
		{"subset", []string{"C", "A"}, []float64{8, 6, 2, 0}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Reorder(m, labels, c.ordered)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.RawMatrix().Data, c.want) {
				t.Errorf("got %v, want %v", got.RawMatrix().Data, c.want)
			}
		})
	}
	if _, err := Reorder(m, labels, []string{"Z"}); !errors.Is(err, neurotab.ErrNotFound) {
		t.Errorf("unknown label: %v", err)
	}
	if _, err := Reorder(m, labels, nil); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("no labels: %v", err)
	}
}

// WriteEdges keeps every field and the provenance.
func TestWriteEdges(t *testing.T) {
	in := []Edge{
		{Dataset: "d", Pre: "AVAL", Post: "AVAR", Type: Electrical, Weight: 0.5, QValue: math.NaN()},
		{Dataset: "f", Pre: "AVAL", Post: "RIML", Type: Functional, Weight: -0.2, QValue: 0.01},
	}
	path := filepath.Join(t.TempDir(), "e.parquet")
	prov := table.Provenance{Command: []string{"test"}, Parameters: map[string]any{"k": "v"}}
	if err := WriteEdges(path, in, prov); err != nil {
		t.Fatal(err)
	}
	out, err := ReadEdges(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := edgeStrings(out), edgeStrings(in); !reflect.DeepEqual(got, want) || !math.IsNaN(out[0].QValue) || out[1].QValue != 0.01 {
		t.Errorf("read back %q (q %v, %v), want %q", got, out[0].QValue, out[1].QValue, want)
	}
	pf, err := table.OpenParquet(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	p, k, err := table.ParseProvenance(pf.Metadata())
	if err != nil || k != table.Edges || p.Parameters["k"] != "v" || !reflect.DeepEqual(p.Command, []string{"test"}) {
		t.Errorf("provenance %+v kind %s err %v", p, k, err)
	}
}
