package community

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// twoBlocks is a 6 × 6 matrix with strong coupling within {0, 2, 4} and
// within {1, 3, 5}, weak between, and node 4 the strongest of its block.
func twoBlocks() *mat.SymDense {
	m := mat.NewSymDense(6, nil)
	for i := range 6 {
		for j := i + 1; j < 6; j++ {
			v := -0.05
			if i%2 == j%2 {
				v = 0.6
				if i == 4 || j == 4 {
					v = 0.8
				}
			}
			m.SetSym(i, j, v)
		}
	}
	return m
}

// Order groups nodes by community, larger communities first, strongest
// node first within one.
func TestOrder(t *testing.T) {
	m := twoBlocks()
	part := []int{0, 1, 0, 1, 0, 1}
	order, starts := Order(m, part)
	if !slices.Equal(order, []int{4, 0, 2, 1, 3, 5}) || !slices.Equal(starts, []int{0, 3, 6}) {
		t.Fatalf("order %v, starts %v", order, starts)
	}
	// A larger community comes first whatever its label.
	order, starts = Order(m, []int{0, 1, 1, 1, 1, 0})
	first := slices.Sorted(slices.Values(order[:4]))
	if !slices.Equal(starts, []int{0, 4, 6}) || !slices.Equal(first, []int{1, 2, 3, 4}) {
		t.Fatalf("order %v, starts %v", order, starts)
	}
}

// The figures are PNG and SVG files; the graph keeps every node's two
// strongest positive edges and no negative one; the layout depends only
// on the seed.
func TestFigures(t *testing.T) {
	m := twoBlocks()
	labels := []string{"A", "B", "C", "D", "E", "F"}
	part := []int{0, 1, 0, 1, 0, 1}
	for _, format := range []string{"png", "svg"} {
		var a, b bytes.Buffer
		if err := PlotOrderedHeatmap(&a, format, m, labels, part, HeatmapOptions{Title: "t", Signed: true}); err != nil {
			t.Fatal(err)
		}
		if err := PlotGraph(&b, format, "t", m, labels, part, 1); err != nil {
			t.Fatal(err)
		}
		magic := []byte("\x89PNG")
		if format == "svg" {
			magic = []byte("<?xml")
		}
		if !bytes.HasPrefix(a.Bytes(), magic) || !bytes.HasPrefix(b.Bytes(), magic) {
			t.Errorf("%s: not a %s file", format, format)
		}
	}
	edges := graphEdges(m, 6)
	deg := make([]int, 6)
	for _, e := range edges {
		if e.W <= 0 {
			t.Fatalf("edge %+v is not positive", e)
		}
		deg[e.U]++
		deg[e.V]++
	}
	if len(edges) != 6 || slices.Min(deg) < 2 {
		t.Errorf("%d edges (the 6 positive ones), degrees %v", len(edges), deg)
	}
	p1, p2 := Layout(m, edges, 7), Layout(m, edges, 7)
	if !slices.Equal(p1, p2) {
		t.Error("same seed, another layout")
	}
	var buf bytes.Buffer
	if err := PlotGraph(&buf, "jpg", "t", m, labels, part, 1); !errors.Is(err, neurotab.ErrParam) {
		t.Errorf("jpg: %v", err)
	}
	if err := PlotOrderedHeatmap(&buf, "png", m, labels[:5], part, HeatmapOptions{}); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("5 labels: %v", err)
	}
}
