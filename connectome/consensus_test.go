package connectome

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/neurotab/neurotab"
)

func TestConsensusByDataset(t *testing.T) {
	de := func(ds, pre, post string, ty EdgeType, w float64) Edge {
		x := e(pre, post, ty, w)
		x.Dataset = ds
		return x
	}
	// Two imports in one table, interleaved, "b" first.
	edges := []Edge{
		de("b", "A", "B", Chemical, 5),
		de("a", "A", "B", Chemical, 2),
		de("a", "A", "C", Electrical, 4),
		de("b", "B", "C", Chemical, 1),
		de("a", "C", "A", Electrical, 4),
		de("a", "A", "B", Chemical, 1),
	}
	if got := Datasets(edges); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("datasets %v", got)
	}
	if got := edgeStrings(SelectDataset(edges, "b")); !reflect.DeepEqual(got, []string{"b A→B chemical 5", "b B→C chemical 1"}) {
		t.Errorf("dataset b: %v", got)
	}
	// Hand-derived: within a, A→B chemical sums to 3; over a and b its mean
	// is (3 + 5)/2 = 4. A↔C electrical 4 and B→C chemical 1 come from one
	// dataset each. Pairs in (pre, post) order.
	want := []string{"all A→B chemical 4", "all A→C electrical 4", "all B→C chemical 1", "all C→A electrical 4"}
	if got := edgeStrings(ConsensusByDataset(edges, "all")); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// The order of the rows does not matter.
	rev := make([]Edge, len(edges))
	for i := range edges {
		rev[i] = edges[len(edges)-1-i]
	}
	if got := edgeStrings(ConsensusByDataset(rev, "all")); !reflect.DeepEqual(got, want) {
		t.Errorf("reversed rows: %q", got)
	}
	if got := ConsensusByDataset(nil, "x"); len(got) != 0 {
		t.Errorf("no edges: %v", got)
	}
}

func TestSparseEdges(t *testing.T) {
	labels := []string{"A", "B", "C"}
	edges := []Edge{
		e("A", "B", Chemical, 2), e("A", "B", Chemical, 1),
		e("B", "C", Electrical, 4), e("C", "B", Electrical, 4),
		e("C", "A", Functional, 0.5),
		e("A", "Z", Chemical, 9),                            // outside the labels
		e("B", "A", Chemical, 1), e("B", "A", Chemical, -1), // sums to zero
		e("C", "A", Chemical, 7), e("C", "A", Electrical, 1),
	}
	for _, c := range []struct {
		name  string
		types EdgeType
		want  []string // hand-derived from the edges above
	}{
		{"chemical and electrical stay apart", Chemical | Electrical,
			[]string{"v A→B chemical 3", "v C→A chemical 7", "v B→C electrical 4", "v C→A electrical 1", "v C→B electrical 4"}},
		{"functional", Functional, []string{"v C→A functional 0.5"}},
		{"neuromuscular", NeuroMuscular, []string{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := SparseEdges(edges, labels, c.types, "v")
			if err != nil {
				t.Fatal(err)
			}
			if s := edgeStrings(got); !reflect.DeepEqual(s, c.want) {
				t.Errorf("got  %q\nwant %q", s, c.want)
			}
			// Summed over types they give the dense matrix.
			a, _ := Adjacency(edges, labels, c.types)
			back, _ := Adjacency(got, labels, AllTypes)
			if fmt.Sprint(a.RawMatrix().Data) != fmt.Sprint(back.RawMatrix().Data) {
				t.Errorf("dense %v, from sparse %v", a.RawMatrix().Data, back.RawMatrix().Data)
			}
		})
	}
	if _, err := SparseEdges(edges, nil, Chemical, "v"); !errors.Is(err, neurotab.ErrShape) || err.Error() != "connectome: adjacency over no labels: shape mismatch" {
		t.Errorf("no labels: error %v", err)
	}
}
