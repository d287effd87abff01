package sfcompare

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/formats/table"
)

// Matrices averages C[i][j] and C[j][i] into |C|, keeps groups apart, and
// drops the neuron missing most pairs until every pair has a value.
func TestMatrices(t *testing.T) {
	nan := math.NaN()
	row := func(worm string, window int, pre, post string, v float64) table.FCRow {
		return table.FCRow{SourceDataset: "d", Worm: worm, Window: window, Pre: pre, Post: post, Measure: "granger_f", Value: v, PValue: nan, QValue: nan}
	}
	rows := []table.FCRow{
		row("w1", 0, "A", "B", 0.2), row("w1", 0, "B", "A", -0.6), row("w1", 0, "A", "C", 0.5), row("w1", 0, "C", "B", 0.1),
		// X has a pair with A only: it is dropped (2 missing), not A.
		row("w1", 0, "X", "A", 0.9),
		row("w0", 1, "A", "B", 0.3),
	}
	ms, err := Matrices(rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Worm != "w0" || ms[1].Worm != "w1" {
		t.Fatalf("matrices %+v", ms)
	}
	m := ms[1]
	if !slices.Equal(m.Neurons, []string{"A", "B", "C"}) || !slices.Equal(m.Dropped, []string{"X"}) {
		t.Fatalf("neurons %v, dropped %v", m.Neurons, m.Dropped)
	}
	for _, c := range []struct {
		i, j int
		want float64
	}{{0, 1, 0.2}, {0, 2, 0.5}, {1, 2, 0.1}} { // |(0.2 − 0.6)/2| = 0.2
		if got := m.C.At(c.i, c.j); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("C[%d][%d] = %v, want %v", c.i, c.j, got, c.want)
		}
	}
	if _, err := Matrices([]table.FCRow{row("w", 0, "A", "B", math.Inf(1))}); !errors.Is(err, neurotab.ErrNotFinite) {
		t.Errorf("infinite value: %v", err)
	}
}

// Run skips a type without synapses and a connectome without shared
// neurons, and fails with ErrNotFound when nothing is shared at all.
func TestRunSkips(t *testing.T) {
	rows := []table.FCRow{}
	labels := []string{"A", "B", "C", "D"}
	v := 0.1
	for i, a := range labels {
		for _, b := range labels[i+1:] {
			rows = append(rows, table.FCRow{SourceDataset: "d", Worm: "w", Pre: a, Post: b, Measure: "correlation", Value: v})
			v += 0.1
		}
	}
	mats, _ := Matrices(rows)
	chem := []connectome.Edge{{Dataset: "c", Pre: "C", Post: "D", Type: connectome.Chemical, Weight: 2}, {Dataset: "c", Pre: "A", Post: "B", Type: connectome.Chemical, Weight: 1}}
	far := []connectome.Edge{{Dataset: "far", Pre: "Y", Post: "Z", Type: connectome.Chemical, Weight: 1}}
	conns := Connectomes(append(chem, far...), false)
	if len(conns) != 2 || conns[0].Name != "c" || conns[1].Name != "far" {
		t.Fatalf("connectomes %+v", conns)
	}
	comps, skips, err := Run(mats, conns, Config{Rewirings: 10, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range comps {
		got = append(got, c.Connectome+"/"+string(c.Type))
	}
	if !slices.Equal(got, []string{"c/chemical", "c/any"}) || len(skips) != 4 {
		t.Fatalf("compared %v, %d skips", got, len(skips))
	}
	// C–D (|r| 0.6, the largest) and A–B (0.1, the smallest) are the
	// positives among 6 pairs: ranks 6 and 1 of 6, AUC (7 − 3)/(2·4) = 0.5.
	if r := comps[0].Result; r.Positives != 2 || r.Pairs != 6 || math.Abs(r.AUC-0.5) > 1e-15 {
		t.Errorf("result %+v", r)
	}
	row, null := comps[0].Rows()
	if row.Connectome != "c" || row.Type != "chemical" || row.Rewirings != 10 || len(null) != 10 || null[9].Rewiring != 9 {
		t.Errorf("rows %+v, %d null rows", row, len(null))
	}
	if _, _, err := Run(mats, conns[1:], Config{Rewirings: 10}); !errors.Is(err, neurotab.ErrNotFound) {
		t.Errorf("nothing shared: %v", err)
	}
}

// Connectomes keeps synapses only, one per dataset, and adds their
// consensus when asked and there are several.
func TestConnectomes(t *testing.T) {
	edges := []connectome.Edge{
		{Dataset: "b", Pre: "A", Post: "B", Type: connectome.Chemical, Weight: 2},
		{Dataset: "a", Pre: "A", Post: "B", Type: connectome.Chemical, Weight: 4},
		{Dataset: "a", Pre: "B", Post: "C", Type: connectome.Functional, Weight: 1},
	}
	cs := Connectomes(edges, true)
	var names []string
	for _, c := range cs {
		names = append(names, c.Name)
	}
	if !slices.Equal(names, []string{"a", "b", "consensus"}) || len(cs[0].Edges) != 1 {
		t.Fatalf("connectomes %+v", cs)
	}
	// The consensus chemical A → B weight is the mean over the datasets.
	for _, e := range cs[2].Edges {
		if e.Type == connectome.Chemical && e.Pre == "A" && e.Post == "B" && e.Weight != 3 {
			t.Errorf("consensus A→B weight %v, want 3", e.Weight)
		}
	}
	if len(Connectomes(edges[:1], true)) != 1 {
		t.Error("a consensus of one dataset")
	}
}

// GLMMatrices sums |w| over lags per direction and averages the two
// directions: A→B 0.5 + |−0.25| = 0.75, B→A 0.25, so C_AB = 0.5.
func TestGLMMatrices(t *testing.T) {
	rows := []table.GLMWeightRow{
		{Model: "hmmglm", State: 1, Pre: "A", Post: "B", Lag: 1, Weight: 0.5},
		{Model: "hmmglm", State: 1, Pre: "A", Post: "B", Lag: 2, Weight: -0.25},
		{Model: "hmmglm", State: 1, Pre: "B", Post: "A", Lag: 1, Weight: 0.25},
		{Model: "hmmglm", State: 0, Pre: "A", Post: "B", Lag: 1, Weight: 1},
	}
	ms, err := GLMMatrices(rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[1].Window != 1 || ms[1].Measure != GLMMeasure || ms[1].Dataset != "hmmglm" {
		t.Fatalf("matrices %+v", ms)
	}
	if got := ms[1].C.At(0, 1); got != 0.5 {
		t.Errorf("C_AB = %v, want 0.5", got)
	}
	if _, err := GLMMatrices([]table.GLMWeightRow{{Pre: "A", Post: "B", Weight: math.NaN()}}); !errors.Is(err, neurotab.ErrNotFinite) {
		t.Errorf("NaN weight: %v", err)
	}
}
