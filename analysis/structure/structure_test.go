package structure

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/internal/estimatortest"
)

// TestReference compares Spearman and AUC with scipy.stats.spearmanr and
// sklearn.metrics.roc_auc_score (testdata/gen_reference.py, Debian's
// scipy 1.10.1, scikit-learn 1.2.1) within 1e-12, on data with ties in
// both |FC| and the weights.
func TestReference(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		FC, Chemical, Gap [][]float64
		Cases             map[string]struct{ Spearman, AUC float64 }
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	n := len(ref.FC)
	fc, chem, gap := referenceMatrices(ref.FC, ref.Chemical, ref.Gap)
	const tol = 1e-12
	for name, want := range ref.Cases {
		t.Run(name, func(t *testing.T) {
			typ := connectome.EdgeType(0)
			for _, s := range strings.Split(name, "|") {
				ty, err := connectome.ParseEdgeType(s)
				if err != nil {
					t.Fatal(err)
				}
				typ |= ty
			}
			tst := Test{Rewirings: 1, Type: typ}
			if err := tst.FitAdjacency(fc, chem, gap); err != nil {
				t.Fatal(err)
			}
			got, _ := tst.Result()
			t.Logf("|Δρ| %.3g, |ΔAUC| %.3g", math.Abs(got.Spearman-want.Spearman), math.Abs(got.AUC-want.AUC))
			if math.Abs(got.Spearman-want.Spearman) > tol || math.Abs(got.AUC-want.AUC) > tol {
				t.Errorf("Spearman %.17g AUC %.17g, want %.17g %.17g", got.Spearman, got.AUC, want.Spearman, want.AUC)
			}
			// The vector functions agree with the test.
			var score, w []float64
			var pos []bool
			for i := 0; i < n; i++ {
				for j := i + 1; j < n; j++ {
					v := 0.0
					if typ&connectome.Chemical != 0 {
						v += chem.At(i, j) + chem.At(j, i)
					}
					if typ&connectome.Electrical != 0 {
						v += gap.At(i, j)
					}
					score, w, pos = append(score, math.Abs(fc.At(i, j))), append(w, v), append(pos, v != 0)
				}
			}
			if s, a := Spearman(score, w), AUC(score, pos); math.Abs(s-want.Spearman) > tol || math.Abs(a-want.AUC) > tol {
				t.Errorf("Spearman() %.17g AUC() %.17g, want %.17g %.17g", s, a, want.Spearman, want.AUC)
			}
		})
	}
}

// TestByHand checks Ranks and AUC on values worked out by hand.
func TestByHand(t *testing.T) {
	if got, want := Ranks([]float64{3, 1, 3, 2}), []float64{3.5, 1, 3.5, 2}; !slices.Equal(got, want) {
		t.Errorf("Ranks = %v, want %v", got, want)
	}
	// Positives 0.8, 0.4; negatives 0.4, 0.1: pairs (0.8>0.4, 0.8>0.1,
	// 0.4=0.4 → ½, 0.4>0.1) → 3.5/4.
	if got := AUC([]float64{0.8, 0.4, 0.4, 0.1}, []bool{true, true, false, false}); got != 0.875 {
		t.Errorf("AUC = %v, want 0.875", got)
	}
	if got := Spearman([]float64{1, 2, 3}, []float64{30, 20, 10}); got != -1 {
		t.Errorf("Spearman = %v, want -1", got)
	}
}

// TestSparseRanks checks the sparse ranking used for the null against
// Ranks on vectors of mostly zeros with ties and negative values.
func TestSparseRanks(t *testing.T) {
	rng := neurotab.Seed(4).Rand(0)
	for trial := range 50 {
		x := make([]float64, 1+rng.IntN(40))
		for i := range x {
			if rng.Float64() < 0.3 {
				x[i] = float64(rng.IntN(7) - 2)
			}
		}
		got := make([]float64, len(x))
		sparseRanksTo(got, x)
		if want := Ranks(x); !slices.Equal(got, want) {
			t.Fatalf("trial %d: sparse ranks of %v = %v, want %v", trial, x, got, want)
		}
	}
}

// degrees returns the out- and in-degree of every node of a (non-zero
// off-diagonal entries).
func degrees(a mat.Matrix) (out, in []int) {
	n, _ := a.Dims()
	out, in = make([]int, n), make([]int, n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i != j && a.At(i, j) != 0 {
				out[i]++
				in[j]++
			}
		}
	}
	return out, in
}

// TestRewireDegrees checks that every rewiring keeps every node's in- and
// out-degree (directed) or degree and symmetry (undirected), the weight
// multiset, and no self-loop, and that it does change the graph.
func TestRewireDegrees(t *testing.T) {
	for _, directed := range []bool{true, false} {
		t.Run(map[bool]string{true: "directed", false: "undirected"}[directed], func(t *testing.T) {
			a := randomDigraph(30, 0.15, 7)
			if !directed {
				s := mat.NewDense(30, 30, nil)
				s.Add(a, a.T())
				a = s
			}
			wantOut, wantIn := degrees(a)
			w, err := newRewirer(a, directed)
			if err != nil {
				t.Fatal(err)
			}
			changed := 0
			for r := range 200 {
				swaps := w.rewire(SwapsPerEdge*len(w.pre), neurotab.Seed(3).Rand(uint64(r)))
				if swaps == 0 {
					t.Fatalf("rewiring %d made no swap", r)
				}
				b := w.dense()
				out, in := degrees(b)
				for i := range out {
					if out[i] != wantOut[i] || in[i] != wantIn[i] {
						t.Fatalf("rewiring %d: node %d degree out %d in %d, want %d %d", r, i, out[i], in[i], wantOut[i], wantIn[i])
					}
					if b.At(i, i) != 0 {
						t.Fatalf("rewiring %d: self-loop at %d", r, i)
					}
				}
				if !directed && !mat.Equal(b, b.T()) {
					t.Fatalf("rewiring %d: undirected result not symmetric", r)
				}
				if mat.Sum(b) != mat.Sum(a) {
					t.Fatalf("rewiring %d: total weight %v, want %v", r, mat.Sum(b), mat.Sum(a))
				}
				if !mat.Equal(a, b) {
					changed++
				}
			}
			if changed != 200 {
				t.Errorf("%d of 200 rewirings changed the graph", changed)
			}
			// The exported form agrees and is seeded.
			b1, err := Rewire(a, directed, 11)
			if err != nil {
				t.Fatal(err)
			}
			b2, _ := Rewire(a, directed, 11)
			if !mat.Equal(b1, b2) {
				t.Error("Rewire with one seed gave two graphs")
			}
			out, in := degrees(b1)
			for i := range out {
				if out[i] != wantOut[i] || in[i] != wantIn[i] {
					t.Fatalf("Rewire: node %d degree changed", i)
				}
			}
		})
	}
}

// TestPlanted runs the test on FC simulated from a known random directed
// connectome (40 neurons, p = 0.1, graph seed 5, noise seed 9): the AUC is
// far above the rewired null (p < 0.01). With the network cut, the FC of
// independent traces (seed 9) is not (p > 0.05). 1000 rewirings, seed 1.
func TestPlanted(t *testing.T) {
	a := randomDigraph(40, 0.1, 5)
	for _, c := range []struct {
		name    string
		coupled bool
	}{{"planted", true}, {"independent", false}} {
		t.Run(c.name, func(t *testing.T) {
			tst := Test{Seed: 1, Type: connectome.Chemical}
			if err := tst.FitAdjacency(simulatedFC(t, a, c.coupled, 9), a, nil); err != nil {
				t.Fatal(err)
			}
			r, _ := tst.Result()
			t.Logf("AUC %.3f (null mean %.3f, p %.4f), Spearman %.3f (null mean %.3f, p %.4f)", r.AUC, r.NullAUCMean, r.PAUC, r.Spearman, r.NullSpearmanMean, r.PSpearman)
			auc, rho, _ := tst.Null()
			if len(auc) != DefaultRewirings || len(rho) != DefaultRewirings {
				t.Fatalf("null of %d, %d values, want %d", len(auc), len(rho), DefaultRewirings)
			}
			if c.coupled {
				if r.PAUC >= 0.01 || r.AUC < r.NullAUCMean+0.1 || r.PSpearman >= 0.01 {
					t.Errorf("planted connectome not detected: %+v", r)
				}
				if r.PAUC != 1.0/1001 {
					t.Errorf("p = %v, want the smallest 1/1001 with AUC this far above the null", r.PAUC)
				}
			} else if r.PAUC <= 0.05 || math.Abs(r.AUC-0.5) > 0.1 {
				t.Errorf("independent traces look structured: %+v", r)
			}
		})
	}
}

// TestAlign checks Fit on labelled FC and edges: only shared neurons are
// compared, in FC order.
func TestAlign(t *testing.T) {
	fc := mat.NewSymDense(3, []float64{1, 0.9, 0.1, 0.9, 1, 0.2, 0.1, 0.2, 1})
	edges := []connectome.Edge{
		{Pre: "A", Post: "B", Type: connectome.Chemical, Weight: 2},
		{Pre: "B", Post: "Z", Type: connectome.Chemical, Weight: 1},
		{Pre: "C", Post: "Z", Type: connectome.Electrical, Weight: 1},
	}
	labels, sub, chem, _, err := Align(fc, []string{"A", "B", "C", "X"}[:3], edges)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(labels, ",") != "A,B,C" || sub.At(0, 1) != 0.9 || chem.At(0, 1) != 2 || mat.Sum(chem) != 2 {
		t.Errorf("Align = %v, %v, %v", labels, mat.Formatted(sub), mat.Formatted(chem))
	}
	tst := Test{Rewirings: 5, Type: connectome.Chemical}
	if err := tst.Fit(fc, []string{"A", "B", "C"}, edges); err != nil {
		t.Fatal(err)
	}
	// The one positive pair (A,B) has the largest |FC|: AUC 1, and a
	// 3-node graph with one edge cannot be rewired, so the null is 1 too.
	if r, _ := tst.Result(); r.AUC != 1 || r.PAUC != 1 || r.Positives != 1 || r.Pairs != 3 {
		t.Errorf("Result = %+v", r)
	}
}

// TestErrors checks the one-line errors and their sentinels.
func TestErrors(t *testing.T) {
	fc := mat.NewSymDense(2, []float64{1, 0.5, 0.5, 1})
	nan := mat.NewSymDense(2, []float64{1, math.NaN(), math.NaN(), 1})
	one := mat.NewDense(2, 2, []float64{0, 1, 0, 0})
	edges := []connectome.Edge{{Pre: "X", Post: "Y", Type: connectome.Chemical, Weight: 1}}
	for _, c := range []struct {
		name string
		run  func() error
		want error
		msg  string
	}{
		{"no shared neuron", func() error { return (&Test{}).Fit(fc, []string{"A", "B"}, edges) }, neurotab.ErrNotFound, "FC (2 neurons) and the connectome (2 neurons)"},
		{"labels", func() error { return (&Test{}).Fit(fc, []string{"A"}, edges) }, neurotab.ErrShape, "1 labels"},
		{"size", func() error { return (&Test{Type: connectome.Chemical}).FitAdjacency(fc, mat.NewDense(3, 3, nil), nil) }, neurotab.ErrShape, "3 × 3"},
		{"missing gap", func() error { return (&Test{}).FitAdjacency(fc, one, nil) }, neurotab.ErrParam, "gap-junction"},
		{"NaN FC", func() error { return (&Test{Type: connectome.Chemical}).FitAdjacency(nan, one, nil) }, neurotab.ErrNotFinite, "NaN"},
		{"all positive", func() error { return (&Test{Type: connectome.Chemical}).FitAdjacency(fc, one, nil) }, neurotab.ErrShape, "1 of 1 pairs"},
		{"asymmetric gap", func() error { return (&Test{Type: connectome.Electrical}).FitAdjacency(fc, nil, one) }, neurotab.ErrParam, "not symmetric"},
		{"bad type", func() error { return (&Test{Type: connectome.Functional}).FitAdjacency(fc, one, one) }, neurotab.ErrParam, "Type functional"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.run()
			if !errors.Is(err, c.want) || !strings.HasPrefix(err.Error(), "structure: ") || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("err = %v, want %v containing %q", err, c.want, c.msg)
			}
		})
	}
}

// TestConformance runs the estimator-shape suite.
func TestConformance(t *testing.T) {
	a := randomDigraph(12, 0.2, 2)
	fc := simulatedFC(t, a, true, 4)
	estimatortest.Run(t, estimatortest.Case[*Test]{
		Package:  "structure",
		New:      func() *Test { return &Test{} },
		Defaults: map[string]any{"rewirings": 1000, "seed": "0", "type": "chemical|electrical"},
		Bad: map[string]func(*Test){
			"negative Rewirings": func(e *Test) { e.Rewirings = -1 },
			"functional Type":    func(e *Test) { e.Type = connectome.Functional },
		},
		Fit: func(e *Test) error { return e.FitAdjacency(fc, a, mat.NewDense(12, 12, nil)) },
		Results: map[string]func(*Test) error{
			"Result": func(e *Test) error { _, err := e.Result(); return err },
			"Null":   func(e *Test) error { _, _, err := e.Null(); return err },
		},
		Snapshot: func(e *Test) []float64 {
			r, err := e.Result()
			if err != nil {
				return nil
			}
			auc, rho, _ := e.Null()
			return append(append([]float64{r.AUC, r.Spearman, r.PAUC, r.PSpearman}, auc...), rho...)
		},
	})
}

// TestConstant: ρ is NaN when a vector is constant.
func TestConstant(t *testing.T) {
	if got := Spearman([]float64{1, 1, 1}, []float64{1, 2, 3}); !math.IsNaN(got) {
		t.Errorf("Spearman of a constant = %v, want NaN", got)
	}
	if got := AUC([]float64{1, 2}, []bool{true, true}); !math.IsNaN(got) {
		t.Errorf("AUC without negatives = %v, want NaN", got)
	}
}
