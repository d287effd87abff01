package community

import (
	"errors"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// TestModularityHandComputed checks Modularity on two triangles joined by
// one edge, all weights 1 (m = 7), with the partition into the triangles.
// By hand: L_c = 3 and K_c = 2+2+3 = 7 for each triangle, so
// Q = 2·(3/7 − γ(7/14)²) = 6/7 − γ/2.
func TestModularityHandComputed(t *testing.T) {
	g, err := FromEdges(6, []Edge{{0, 1, 1}, {1, 2, 1}, {0, 2, 1}, {3, 4, 1}, {4, 5, 1}, {3, 5, 1}, {2, 3, 1}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		part  []int
		gamma float64
		want  float64
	}{
		{"triangles γ=1", []int{0, 0, 0, 1, 1, 1}, 1, 6.0/7 - 0.5},
		{"triangles γ=0.5 relabelled", []int{9, 9, 9, -4, -4, -4}, 0.5, 6.0/7 - 0.25},
		// One community: L = 7, K = 14: Q = 1 − γ.
		{"one community", []int{0, 0, 0, 0, 0, 0}, 1, 0},
		// Singletons: no internal weight; K_i/14 = 2,2,3,3,2,2 /14.
		{"singletons", []int{0, 1, 2, 3, 4, 5}, 1, -(4*4 + 2*9) / 196.0},
	} {
		t.Run(c.name, func(t *testing.T) {
			q, err := Modularity(g, c.part, c.gamma)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(q-c.want) > 1e-15 {
				t.Errorf("Q = %.17g, want %.17g", q, c.want)
			}
		})
	}
}

// TestModularitySelfLoop checks the networkx convention for a self-loop of
// weight w (degree counts it twice, L_c once): nodes {0,1} with edge 0–1
// of weight 1 and a loop of weight 2 on 0: m = 3, K = 6, L = 3 for the
// one community (Q = 1 − γ), and for singletons
// Q = 2/3 − (4/6)² − (2/6)² = 2/3 − 5/9 = 1/9.
func TestModularitySelfLoop(t *testing.T) {
	g, err := FromEdges(2, []Edge{{0, 1, 1}, {0, 0, 2}})
	if err != nil {
		t.Fatal(err)
	}
	if g.Strength(0) != 5 || g.TotalWeight() != 3 || g.Weight(0, 0) != 2 {
		t.Errorf("strength %v, m %v, loop %v; want 5, 3, 2", g.Strength(0), g.TotalWeight(), g.Weight(0, 0))
	}
	// k_0 = 1 + 2·2 = 5, k_1 = 1; 2m = 6.
	q, _ := Modularity(g, []int{0, 1}, 1)
	if want := 2.0/3 - (25.0+1)/36; math.Abs(q-want) > 1e-15 {
		t.Errorf("singletons Q = %v, want %v", q, want)
	}
	q, _ = Modularity(g, []int{0, 0}, 1)
	if math.Abs(q) > 1e-15 {
		t.Errorf("one community Q = %v, want 0", q)
	}
}

// TestModularityNetworkx compares with networkx's modularity of its own
// Louvain partition of the karate club (γ = 1 and 0.5).
func TestModularityNetworkx(t *testing.T) {
	r := loadReference(t)
	g := karate(t, r)
	for _, c := range []struct {
		gamma, want float64
	}{{1, r.Karate.PartitionModularity}, {0.5, r.Karate.PartitionModularityG05}} {
		q, err := Modularity(g, r.Karate.Partition, c.gamma)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(q-c.want) > 1e-12 {
			t.Errorf("γ=%v: Q = %.17g, networkx %.17g", c.gamma, q, c.want)
		}
	}
}

// TestKarate checks that Louvain and Leiden match networkx's
// louvain_communities modularity on the weighted karate club within 1%.
// A single run depends on its seed (networkx's seeds 0–9 range over
// 0.4266…0.4449), so the mean and the best over seeds 0–9 of ours are
// compared with the mean and the best over networkx's seeds 0–9.
func TestKarate(t *testing.T) {
	r := loadReference(t)
	g := karate(t, r)
	ref := r.Karate.LouvainModularity
	wantMean, wantBest := floats.Sum(ref)/float64(len(ref)), floats.Max(ref)
	for name, mk := range map[string]func(neurotab.Seed) estimator{
		"louvain": func(s neurotab.Seed) estimator { return &Louvain{Seed: s} },
		"leiden":  func(s neurotab.Seed) estimator { return &Leiden{Seed: s} },
	} {
		t.Run(name, func(t *testing.T) {
			qs := make([]float64, len(ref))
			part := make([]int, g.Nodes())
			for s := range qs {
				e := mk(neurotab.Seed(s))
				if err := e.Fit(g); err != nil {
					t.Fatal(err)
				}
				qs[s], _ = e.Modularity()
				e.PartitionTo(part)
				if q, _ := Modularity(g, part, 1); math.Abs(q-qs[s]) > 1e-12 {
					t.Errorf("seed %d: Modularity() %v ≠ Modularity of PartitionTo %v", s, qs[s], q)
				}
			}
			mean, best := floats.Sum(qs)/float64(len(qs)), floats.Max(qs)
			t.Logf("mean Q %.4f (networkx %.4f), best %.4f (networkx %.4f)", mean, wantMean, best, wantBest)
			if math.Abs(mean-wantMean) > 0.01*wantMean {
				t.Errorf("mean Q %v, networkx %v: off by more than 1%%", mean, wantMean)
			}
			if math.Abs(best-wantBest) > 0.01*wantBest {
				t.Errorf("best Q %v, networkx %v: off by more than 1%%", best, wantBest)
			}
		})
	}
}

// estimator is the part of the estimators' API the tests use.
type estimator interface {
	Fit(*Graph) error
	PartitionTo([]int) error
	Modularity() (float64, error)
}

// TestPlanted checks that Louvain, Leiden and Consensus recover a seeded
// weighted planted partition (4 blocks × 50 nodes, p_in = 0.3, p_out from
// 0.01 to 0.03: mixing μ ≈ 150·p_out / (49·p_in + 150·p_out) ≈ 0.09–0.23)
// with NMI ≥ 0.9, and that Leiden's communities are connected.
func TestPlanted(t *testing.T) {
	for _, pOut := range []float64{0.01, 0.02, 0.03} {
		for seed := range neurotab.Seed(3) {
			g, truth := planted(seed+100, 4, 50, 0.3, pOut)
			part := make([]int, g.Nodes())
			for name, e := range map[string]estimator{"louvain": &Louvain{Seed: seed}, "leiden": &Leiden{Seed: seed}, "consensus": &Consensus{Seed: seed, Runs: 5}} {
				if err := e.Fit(g); err != nil {
					t.Fatal(err)
				}
				e.PartitionTo(part)
				nmi, _ := NMI(truth, part)
				if nmi < 0.9 {
					t.Errorf("%s p_out %v seed %d: NMI %v < 0.9", name, pOut, seed, nmi)
				}
				if name == "leiden" {
					if ok, c := connected(g, part); !ok {
						t.Errorf("leiden p_out %v seed %d: community %d is disconnected", pOut, seed, c)
					}
				}
			}
		}
	}
}

// TestLeidenConnected checks connectedness on sparse graphs with many
// small communities, over seeds, both of Fit's partition and of the
// partition of the passes before the final split (the refinement alone
// must keep communities connected).
func TestLeidenConnected(t *testing.T) {
	for seed := range neurotab.Seed(10) {
		g, _ := planted(seed, 10, 20, 0.15, 0.02)
		if ok, c := connected(g, leidenPasses(g, 1.5, DefaultRandomness, seed)); !ok {
			t.Errorf("seed %d: community %d of the passes is disconnected", seed, c)
		}
		l := Leiden{Seed: seed, Resolution: 1.5}
		if err := l.Fit(g); err != nil {
			t.Fatal(err)
		}
		part := make([]int, g.Nodes())
		l.PartitionTo(part)
		if ok, c := connected(g, part); !ok {
			t.Errorf("seed %d: community %d is disconnected", seed, c)
		}
		var lv Louvain
		lv.Seed = seed
		lv.Resolution = 1.5
		lv.Fit(g)
		ql, _ := l.Modularity()
		qv, _ := lv.Modularity()
		if ql < qv-0.02 {
			t.Errorf("seed %d: Leiden Q %v well below Louvain's %v", seed, ql, qv)
		}
	}
}

// TestSplitDisconnected checks the split on a hand-made case: nodes 0–1
// and 2–3 joined by edges, labelled as one community.
func TestSplitDisconnected(t *testing.T) {
	g, _ := FromEdges(4, []Edge{{0, 1, 1}, {2, 3, 1}})
	part := []int{0, 0, 0, 0}
	if ok, _ := connected(g, part); ok {
		t.Error("connected reports a community of two components as connected")
	}
	if k := splitDisconnected(g, part); k != 2 || !slices.Equal(part, []int{0, 0, 1, 1}) {
		t.Errorf("split = %v (k %d), want [0 0 1 1] (k 2)", part, k)
	}
}

// TestSeedDeterminism checks that the same seed gives the same partition
// and that different seeds may differ only in labels of a canonical form.
func TestSeedDeterminism(t *testing.T) {
	g, _ := planted(7, 5, 30, 0.2, 0.05)
	for name, mk := range map[string]func(neurotab.Seed) interface {
		Fit(*Graph) error
		PartitionTo([]int) error
	}{
		"louvain": func(s neurotab.Seed) interface {
			Fit(*Graph) error
			PartitionTo([]int) error
		} {
			return &Louvain{Seed: s}
		},
		"leiden": func(s neurotab.Seed) interface {
			Fit(*Graph) error
			PartitionTo([]int) error
		} {
			return &Leiden{Seed: s}
		},
		"consensus": func(s neurotab.Seed) interface {
			Fit(*Graph) error
			PartitionTo([]int) error
		} {
			return &Consensus{Seed: s, Runs: 4}
		},
	} {
		t.Run(name, func(t *testing.T) {
			a, b := mk(42), mk(42)
			a.Fit(g)
			b.Fit(g)
			pa, pb := make([]int, g.Nodes()), make([]int, g.Nodes())
			a.PartitionTo(pa)
			b.PartitionTo(pb)
			if !slices.Equal(pa, pb) {
				t.Error("same seed gave different partitions")
			}
			if pa[0] != 0 {
				t.Errorf("partition not canonical: node 0 in %d", pa[0])
			}
		})
	}
}

// TestNMIARISklearn compares NMI and ARI with scikit-learn's
// normalized_mutual_info_score and adjusted_rand_score on the vectors of
// testdata/reference.json, within 1e-12.
func TestNMIARISklearn(t *testing.T) {
	r := loadReference(t)
	for _, c := range r.Labels {
		t.Run(c.Name, func(t *testing.T) {
			nmi, err := NMI(c.A, c.B)
			if err != nil {
				t.Fatal(err)
			}
			ari, err := ARI(c.A, c.B)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(nmi-c.NMI) > 1e-12 {
				t.Errorf("NMI = %.17g, sklearn %.17g", nmi, c.NMI)
			}
			if math.Abs(ari-c.ARI) > 1e-12 {
				t.Errorf("ARI = %.17g, sklearn %.17g", ari, c.ARI)
			}
		})
	}
	if _, err := NMI([]int{1}, []int{1, 2}); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("NMI of unequal lengths: %v, want ErrShape", err)
	}
	if _, err := ARI([]int{1}, nil); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("ARI of unequal lengths: %v, want ErrShape", err)
	}
}

// TestFromMatrix checks the graph of an FC-like matrix under each
// Negatives policy, and the errors.
func TestFromMatrix(t *testing.T) {
	c := mat.NewSymDense(3, []float64{
		1, 0.5, -0.2,
		0.5, 1, 0,
		-0.2, 0, 1,
	})
	for _, tc := range []struct {
		neg        Negatives
		m, w02     float64
		wantErr    error
		edgesCount int
	}{
		{RejectNegative, 0, 0, neurotab.ErrOutOfRange, 0},
		{DropNegative, 0.5, 0, nil, 1},
		{AbsNegative, 0.7, 0.2, nil, 2},
		{Negatives(7), 0, 0, neurotab.ErrParam, 0},
	} {
		g, err := FromMatrix(c, tc.neg)
		if tc.wantErr != nil {
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("Negatives %d: err %v, want %v", tc.neg, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(g.TotalWeight()-tc.m) > 1e-15 || g.Weight(0, 2) != tc.w02 || g.Weight(2, 0) != tc.w02 || g.Edges() != tc.edgesCount {
			t.Errorf("Negatives %d: m %v, w02 %v, edges %d; want %v, %v, %d", tc.neg, g.TotalWeight(), g.Weight(0, 2), g.Edges(), tc.m, tc.w02, tc.edgesCount)
		}
	}
	c.SetSym(0, 1, math.NaN())
	if _, err := FromMatrix(c, AbsNegative); !errors.Is(err, neurotab.ErrNotFinite) {
		t.Errorf("NaN entry: %v, want ErrNotFinite", err)
	}
}

// TestFromEdgesErrors checks the error of each bad edge list, and that
// repeated edges add up.
func TestFromEdgesErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		n     int
		edges []Edge
		want  error
	}{
		{"negative n", -1, nil, neurotab.ErrShape},
		{"node out of range", 2, []Edge{{0, 2, 1}}, neurotab.ErrOutOfRange},
		{"negative node", 2, []Edge{{-1, 0, 1}}, neurotab.ErrOutOfRange},
		{"negative weight", 2, []Edge{{0, 1, -1}}, neurotab.ErrOutOfRange},
		{"NaN weight", 2, []Edge{{0, 1, math.NaN()}}, neurotab.ErrNotFinite},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := FromEdges(c.n, c.edges); !errors.Is(err, c.want) {
				t.Errorf("err %v, want %v", err, c.want)
			}
		})
	}
	g, _ := FromEdges(3, []Edge{{0, 1, 1}, {1, 0, 2}, {1, 2, 0}})
	if g.Weight(0, 1) != 3 || g.Edges() != 1 || g.Strength(1) != 3 {
		t.Errorf("repeated edges: w01 %v, edges %d, k1 %v; want 3, 1, 3", g.Weight(0, 1), g.Edges(), g.Strength(1))
	}
}

// TestModularityErrors checks Modularity's errors and Fit's on an empty
// graph.
func TestModularityErrors(t *testing.T) {
	g, _ := FromEdges(2, []Edge{{0, 1, 1}})
	empty, _ := FromEdges(3, nil)
	if _, err := Modularity(g, []int{0}, 1); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("short partition: %v", err)
	}
	if _, err := Modularity(g, []int{0, 0}, -1); !errors.Is(err, neurotab.ErrParam) {
		t.Errorf("negative γ: %v", err)
	}
	if _, err := Modularity(empty, []int{0, 0, 0}, 1); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("empty graph: %v", err)
	}
	var l Louvain
	if err := l.Fit(empty); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("Fit of an empty graph: %v", err)
	}
	if err := l.Fit(nil); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("Fit of nil: %v", err)
	}
}

// TestBenchGraph checks the Go rebuild of the benchmark graph against
// make_reference.py (edge count, total weight, first and last edges), and
// that Louvain reaches networkx's louvain_communities modularity on it
// (seed 1 there) within 1%.
func TestBenchGraph(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 200,000-edge graph")
	}
	r := loadReference(t)
	edges := benchEdges()
	if len(edges) != r.Bench.M {
		t.Fatalf("%d edges, want %d", len(edges), r.Bench.M)
	}
	total := 0.0
	for _, e := range edges {
		total += e.W
	}
	if math.Abs(total-r.Bench.TotalWeight) > 1e-6 {
		t.Errorf("total weight %v, want %v", total, r.Bench.TotalWeight)
	}
	for k, want := range append(r.Bench.FirstEdges, r.Bench.LastEdge) {
		e := edges[k]
		if k == len(r.Bench.FirstEdges) {
			e = edges[len(edges)-1]
		}
		if float64(e.U) != want[0] || float64(e.V) != want[1] || e.W != want[2] {
			t.Errorf("edge %d = %v, want %v", k, e, want)
		}
	}
	g, err := FromEdges(r.Bench.N, edges)
	if err != nil {
		t.Fatal(err)
	}
	l := Louvain{Seed: 1}
	if err := l.Fit(g); err != nil {
		t.Fatal(err)
	}
	q, _ := l.Modularity()
	k, _ := l.Communities()
	t.Logf("Q %.6f in %d communities (networkx %.6f in %d)", q, k, r.Bench.Modularity, r.Bench.Communities)
	if math.Abs(q-r.Bench.Modularity) > 0.01*r.Bench.Modularity {
		t.Errorf("Q %v, networkx %v: off by more than 1%%", q, r.Bench.Modularity)
	}
}

// TestFCMatrixPlanted checks the |FC| path: a dense 120 × 120 matrix with
// 3 planted blocks of 40 (|r| ≈ 0.5 inside, ≈ 0.15 across, signs and
// noise random) given to FromMatrix with AbsNegative is partitioned into
// the blocks (NMI ≥ 0.9) by Louvain, Leiden and Consensus.
func TestFCMatrixPlanted(t *testing.T) {
	const n, size = 120, 40
	rng := neurotab.Seed(5).Rand(0)
	c := mat.NewSymDense(n, nil)
	truth := make([]int, n)
	for i := range n {
		truth[i] = i / size
		c.SetSym(i, i, 1)
		for j := i + 1; j < n; j++ {
			r := 0.15 + 0.1*rng.Float64()
			if i/size == j/size {
				r = 0.4 + 0.2*rng.Float64()
			}
			if rng.Float64() < 0.3 {
				r = -r
			}
			c.SetSym(i, j, r)
		}
	}
	g, err := FromMatrix(c, AbsNegative)
	if err != nil {
		t.Fatal(err)
	}
	part := make([]int, n)
	for name, e := range map[string]estimator{"louvain": &Louvain{}, "leiden": &Leiden{}, "consensus": &Consensus{Runs: 5}} {
		if err := e.Fit(g); err != nil {
			t.Fatal(err)
		}
		e.PartitionTo(part)
		if nmi, _ := NMI(truth, part); nmi < 0.9 {
			t.Errorf("%s: NMI %v < 0.9 (partition %v)", name, nmi, part)
		}
	}
}
