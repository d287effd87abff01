package community_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/analysis/community"
)

// Two triangles of strongly correlated neurons, weakly correlated across
// (and one anticorrelated pair, taken as |r|).
func fcGraph() *community.Graph {
	c := mat.NewSymDense(6, []float64{
		1, 0.9, 0.8, 0.1, 0, 0,
		0.9, 1, 0.85, 0, 0, 0,
		0.8, 0.85, 1, 0, -0.1, 0,
		0.1, 0, 0, 1, 0.9, 0.8,
		0, 0, -0.1, 0.9, 1, 0.85,
		0, 0, 0, 0.8, 0.85, 1,
	})
	g, err := community.FromMatrix(c, community.AbsNegative)
	if err != nil {
		panic(err)
	}
	return g
}

// By hand: m = 5.3; each triangle has L = 2.55 and K = 5.3 (the two
// |r| = 0.1 links are cut), so Q = 2(2.55/5.3 − 1/4) = 0.46226.
func ExampleLouvain() {
	g := fcGraph()
	l := community.Louvain{Seed: 1}
	if err := l.Fit(g); err != nil {
		fmt.Println(err)
		return
	}
	part := make([]int, g.Nodes())
	l.PartitionTo(part)
	q, _ := l.Modularity()
	fmt.Printf("%v Q=%.4f\n", part, q)
	// Output: [0 0 0 1 1 1] Q=0.4623
}

func ExampleLeiden() {
	g := fcGraph()
	l := community.Leiden{Seed: 1}
	if err := l.Fit(g); err != nil {
		fmt.Println(err)
		return
	}
	part := make([]int, g.Nodes())
	l.PartitionTo(part)
	k, _ := l.Communities()
	fmt.Println(part, k)
	// Output: [0 0 0 1 1 1] 2
}

func ExampleConsensus() {
	g := fcGraph()
	c := community.Consensus{Seed: 1, Runs: 5}
	if err := c.Fit(g); err != nil {
		fmt.Println(err)
		return
	}
	part := make([]int, g.Nodes())
	c.PartitionTo(part)
	agreed, rounds, _ := c.Agreed()
	fmt.Println(part, agreed, rounds)
	// Output: [0 0 0 1 1 1] true 1
}

// The values equal scikit-learn's normalized_mutual_info_score and
// adjusted_rand_score of the same vectors (0.81329, 0.70588).
func ExampleNMI() {
	truth := []int{0, 0, 0, 1, 1, 1}
	found := []int{5, 5, 5, 7, 7, 2}
	nmi, _ := community.NMI(truth, found)
	ari, _ := community.ARI(truth, found)
	fmt.Printf("NMI %.4f ARI %.4f\n", nmi, ari)
	// Output: NMI 0.8133 ARI 0.7059
}

// ExampleOrder orders the nodes of a partition for a figure: the larger
// community first, the strongest node first within each.
func ExampleOrder() {
	m := mat.NewSymDense(4, []float64{
		0, 0.1, 0.9, 0.8,
		0.1, 0, 0.1, 0.1,
		0.9, 0.1, 0, 0.7,
		0.8, 0.1, 0.7, 0,
	})
	order, starts := community.Order(m, []int{0, 1, 0, 0})
	fmt.Println(order, starts)
	// Output:
	// [0 2 3 1] [0 3 4]
}
