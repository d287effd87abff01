package community

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Graph is a weighted undirected graph on nodes 0…N−1 with non-negative
// edge weights, stored as compressed adjacency lists. Its weighted degree
// (strength) is k_i = Σ_j A_ij, where a self-loop of weight w counts twice
// (A_ii = 2w), as in networkx, so that Σ_i k_i = 2m with m the total edge
// weight (each edge once). A Graph is immutable and safe for concurrent use.
type Graph struct {
	start  []int     // neighbours of i are adj[start[i]:start[i+1]]
	adj    []int     // neighbour ids (no self), ascending per node
	w      []float64 // weights of adj
	self   []float64 // A_ii: twice the self-loop weight
	degree []float64 // k_i
	twoM   float64   // Σ_i k_i = 2m
}

// Edge is an undirected edge {U, V} of weight W ≥ 0 (U == V is a
// self-loop).
type Edge struct {
	U, V int
	W    float64
}

// Negatives says what FromMatrix does with a negative off-diagonal entry.
type Negatives int

const (
	// RejectNegative returns an error wrapping neurotab.ErrOutOfRange.
	RejectNegative Negatives = iota
	// DropNegative leaves the pair without an edge.
	DropNegative
	// AbsNegative uses |C_ij| as the weight (the |FC| graph).
	AbsNegative
)

// FromMatrix builds the graph of a symmetric N × N matrix C (an FC matrix,
// C[i][j]): an edge {i, j} of weight C_ij for each i < j with C_ij ≠ 0. The
// diagonal is ignored (the self-correlation of an FC matrix is not an
// edge); negative entries are handled as neg says (modularity needs
// non-negative weights: Newman 2006, doi:10.1073/pnas.0601602103). Errors:
// a NaN or ±Inf entry (neurotab.ErrNotFinite), a negative entry under
// RejectNegative (neurotab.ErrOutOfRange), an unknown neg
// (neurotab.ErrParam).
func FromMatrix(c mat.Symmetric, neg Negatives) (*Graph, error) {
	if neg < RejectNegative || neg > AbsNegative {
		return nil, fmt.Errorf("community: Negatives %d: %w", neg, neurotab.ErrParam)
	}
	n := c.SymmetricDim()
	var edges []Edge
	for i := range n {
		for j := i + 1; j < n; j++ {
			v := c.At(i, j)
			switch {
			case math.IsNaN(v) || math.IsInf(v, 0):
				return nil, fmt.Errorf("community: C[%d][%d] = %v: %w", i, j, v, neurotab.ErrNotFinite)
			case v < 0 && neg == RejectNegative:
				return nil, fmt.Errorf("community: C[%d][%d] = %v < 0 (use DropNegative or AbsNegative): %w", i, j, v, neurotab.ErrOutOfRange)
			case v < 0 && neg == DropNegative:
				continue
			case v < 0:
				v = -v
			}
			if v != 0 {
				edges = append(edges, Edge{i, j, v})
			}
		}
	}
	return FromEdges(n, edges)
}

// FromEdges builds the graph on n nodes with the given edges. Repeated
// edges (in either direction) add their weights; zero-weight edges are
// left out. Errors: n < 0 (neurotab.ErrShape), a node outside [0, n) or a
// negative weight (neurotab.ErrOutOfRange), a NaN or ±Inf weight
// (neurotab.ErrNotFinite).
func FromEdges(n int, edges []Edge) (*Graph, error) {
	if n < 0 {
		return nil, fmt.Errorf("community: %d nodes: %w", n, neurotab.ErrShape)
	}
	g := &Graph{start: make([]int, n+1), self: make([]float64, n), degree: make([]float64, n)}
	count := make([]int, n+1)
	for k, e := range edges {
		switch {
		case e.U < 0 || e.U >= n || e.V < 0 || e.V >= n:
			return nil, fmt.Errorf("community: edge %d {%d, %d}: node outside [0, %d): %w", k, e.U, e.V, n, neurotab.ErrOutOfRange)
		case math.IsNaN(e.W) || math.IsInf(e.W, 0):
			return nil, fmt.Errorf("community: edge %d {%d, %d}: weight %v: %w", k, e.U, e.V, e.W, neurotab.ErrNotFinite)
		case e.W < 0:
			return nil, fmt.Errorf("community: edge %d {%d, %d}: weight %v < 0: %w", k, e.U, e.V, e.W, neurotab.ErrOutOfRange)
		}
		if e.U != e.V && e.W != 0 {
			count[e.U+1]++
			count[e.V+1]++
		}
	}
	for i := range n {
		count[i+1] += count[i]
	}
	adj := make([]int, count[n])
	w := make([]float64, count[n])
	next := append([]int(nil), count[:n]...)
	for _, e := range edges {
		switch {
		case e.W == 0:
		case e.U == e.V:
			g.self[e.U] += 2 * e.W
		default:
			adj[next[e.U]], w[next[e.U]] = e.V, e.W
			next[e.U]++
			adj[next[e.V]], w[next[e.V]] = e.U, e.W
			next[e.V]++
		}
	}
	// Sort each list and merge repeated neighbours.
	out := 0
	for i := range n {
		lo, hi := count[i], count[i+1]
		s := pairs{adj[lo:hi], w[lo:hi]}
		sort.Sort(s)
		g.start[i] = out
		for k := lo; k < hi; k++ {
			if out > g.start[i] && adj[out-1] == adj[k] {
				w[out-1] += w[k]
				continue
			}
			adj[out], w[out] = adj[k], w[k]
			out++
		}
	}
	g.start[n] = out
	g.adj, g.w = adj[:out:out], w[:out:out]
	for i := range n {
		k := g.self[i]
		for p := g.start[i]; p < g.start[i+1]; p++ {
			k += g.w[p]
		}
		g.degree[i] = k
		g.twoM += k
	}
	return g, nil
}

// pairs sorts neighbour ids with their weights.
type pairs struct {
	id []int
	w  []float64
}

func (p pairs) Len() int           { return len(p.id) }
func (p pairs) Less(i, j int) bool { return p.id[i] < p.id[j] }
func (p pairs) Swap(i, j int) {
	p.id[i], p.id[j] = p.id[j], p.id[i]
	p.w[i], p.w[j] = p.w[j], p.w[i]
}

// Nodes returns N.
func (g *Graph) Nodes() int { return len(g.self) }

// Edges returns the number of distinct edges, self-loops included.
func (g *Graph) Edges() int {
	e := len(g.adj) / 2
	for _, s := range g.self {
		if s != 0 {
			e++
		}
	}
	return e
}

// TotalWeight returns m, the sum of the edge weights (each edge once).
func (g *Graph) TotalWeight() float64 { return g.twoM / 2 }

// Strength returns k_i = Σ_j A_ij, the weighted degree of node i (a
// self-loop counted twice).
func (g *Graph) Strength(i int) float64 { return g.degree[i] }

// Weight returns A_ij for i ≠ j and the self-loop weight for i == j.
func (g *Graph) Weight(i, j int) float64 {
	if i == j {
		return g.self[i] / 2
	}
	nb := g.adj[g.start[i]:g.start[i+1]]
	k := sort.SearchInts(nb, j)
	if k < len(nb) && nb[k] == j {
		return g.w[g.start[i]+k]
	}
	return 0
}
