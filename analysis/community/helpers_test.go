package community

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/neurotab/neurotab"
)

// reference is testdata/reference.json, made by testdata/make_reference.py
// with Debian's networkx 2.8.8 and scikit-learn 1.2.1.
type reference struct {
	Karate struct {
		N                      int          `json:"n"`
		Edges                  [][3]float64 `json:"edges"`
		LouvainModularity      []float64    `json:"louvain_modularity"`
		Partition              []int        `json:"partition"`
		PartitionModularity    float64      `json:"partition_modularity"`
		PartitionModularityG05 float64      `json:"partition_modularity_gamma_0_5"`
	} `json:"karate"`
	Bench struct {
		N           int          `json:"n"`
		M           int          `json:"m"`
		TotalWeight float64      `json:"total_weight"`
		FirstEdges  [][3]float64 `json:"first_edges"`
		LastEdge    [3]float64   `json:"last_edge"`
		Seconds     float64      `json:"networkx_louvain_seconds"`
		Modularity  float64      `json:"networkx_louvain_modularity"`
		Communities int          `json:"networkx_louvain_communities"`
	} `json:"bench"`
	Labels []struct {
		Name string  `json:"name"`
		A    []int   `json:"a"`
		B    []int   `json:"b"`
		NMI  float64 `json:"nmi"`
		ARI  float64 `json:"ari"`
	} `json:"labels"`
}

func loadReference(tb testing.TB) *reference {
	tb.Helper()
	b, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		tb.Fatal(err)
	}
	var r reference
	if err := json.Unmarshal(b, &r); err != nil {
		tb.Fatal(err)
	}
	return &r
}

// karate returns networkx's weighted karate-club graph.
func karate(tb testing.TB, r *reference) *Graph {
	tb.Helper()
	edges := make([]Edge, len(r.Karate.Edges))
	for k, e := range r.Karate.Edges {
		edges[k] = Edge{int(e[0]), int(e[1]), e[2]}
	}
	g, err := FromEdges(r.Karate.N, edges)
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

// lcg is the generator of make_reference.py.
type lcg struct{ x uint64 }

func (r *lcg) uniform() float64 {
	r.x = 6364136223846793005*r.x + 1442695040888963407
	return float64(r.x>>11) / (1 << 53)
}

// benchEdges rebuilds bench_graph of make_reference.py: 10,000 nodes in
// blocks of 200, 200,000 distinct edges, 80% inside a block, weights
// 0.5 + u.
func benchEdges() []Edge {
	const n, m, block, pIn = 10000, 200000, 200, 0.8
	r := &lcg{12345}
	seen := make(map[[2]int]bool, m)
	edges := make([]Edge, 0, m)
	for len(edges) < m {
		i := int(r.uniform() * n)
		var j int
		if r.uniform() < pIn {
			j = (i/block)*block + int(r.uniform()*block)
		} else {
			j = int(r.uniform() * n)
		}
		w := 0.5 + r.uniform()
		if i == j {
			continue
		}
		a, b := min(i, j), max(i, j)
		if seen[[2]int{a, b}] {
			continue
		}
		seen[[2]int{a, b}] = true
		edges = append(edges, Edge{a, b, w})
	}
	return edges
}

// planted returns a weighted planted-partition graph: blocks × size nodes,
// each pair joined with probability pIn inside a block and pOut across,
// with weight 1 + u (u uniform in [0, 1)), and the planted labels.
func planted(seed neurotab.Seed, blocks, size int, pIn, pOut float64) (*Graph, []int) {
	rng := seed.Rand(0)
	n := blocks * size
	truth := make([]int, n)
	for i := range truth {
		truth[i] = i / size
	}
	var edges []Edge
	for i := range n {
		for j := i + 1; j < n; j++ {
			p := pOut
			if truth[i] == truth[j] {
				p = pIn
			}
			if rng.Float64() < p {
				edges = append(edges, Edge{i, j, 1 + rng.Float64()})
			}
		}
	}
	g, err := FromEdges(n, edges)
	if err != nil {
		panic(err)
	}
	return g, truth
}

// connected reports whether the nodes of each community of part induce a
// connected subgraph of g (breadth-first search inside the community).
func connected(g *Graph, part []int) (bool, int) {
	byComm := map[int][]int{}
	for i, c := range part {
		byComm[c] = append(byComm[c], i)
	}
	for c, nodes := range byComm {
		seen := map[int]bool{nodes[0]: true}
		queue := []int{nodes[0]}
		for len(queue) > 0 {
			i := queue[0]
			queue = queue[1:]
			for _, j := range nodes {
				if !seen[j] && g.Weight(i, j) > 0 {
					seen[j] = true
					queue = append(queue, j)
				}
			}
		}
		if len(seen) != len(nodes) {
			return false, c
		}
	}
	return true, -1
}
