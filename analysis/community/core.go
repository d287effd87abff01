package community

import (
	"math"
	"math/rand/v2"
	"sort"
)

// scratch holds per-community accumulators reused across moves.
type scratch struct {
	w       []float64 // w[c]: weight from the current node to community c
	touched []int     // communities with w[c] set
}

func newScratch(n int) *scratch { return &scratch{w: make([]float64, n)} }

// neighbours fills s with the weights from node i of h to each community of
// comm (excluding i itself).
func (s *scratch) neighbours(h *Graph, comm []int, i int) {
	for _, c := range s.touched {
		s.w[c] = 0
	}
	s.touched = s.touched[:0]
	for p := h.start[i]; p < h.start[i+1]; p++ {
		c := comm[h.adj[p]]
		if s.w[c] == 0 {
			s.touched = append(s.touched, c)
		}
		s.w[c] += h.w[p]
	}
}

// communityTotals returns K_c = Σ_{i∈c} k_i for labels in [0, n).
func communityTotals(h *Graph, comm []int) []float64 {
	tot := make([]float64, h.Nodes())
	for i, c := range comm {
		tot[c] += h.degree[i]
	}
	return tot
}

// localMoving is Louvain's phase 1 (Blondel et al. 2008): sweeps over the
// nodes of h in one random order, moving each to the neighbouring
// community of largest modularity gain
//
//	ΔQ(i → c) ∝ w_{i,c} − γ k_i K_c / 2m   (i removed from its community),
//
// until a sweep moves nothing. comm holds labels in [0, N) and is updated;
// it reports whether any node moved.
func localMoving(h *Graph, comm []int, gamma float64, rng *rand.Rand) bool {
	n := h.Nodes()
	tot := communityTotals(h, comm)
	order := rng.Perm(n)
	s := newScratch(n)
	moved := false
	for {
		moves := 0
		for _, i := range order {
			own := comm[i]
			ki := h.degree[i]
			s.neighbours(h, comm, i)
			tot[own] -= ki
			best, bestGain := own, s.w[own]-gamma*ki*tot[own]/h.twoM
			for _, c := range s.touched {
				if gain := s.w[c] - gamma*ki*tot[c]/h.twoM; gain > bestGain {
					best, bestGain = c, gain
				}
			}
			tot[best] += ki
			if best != own {
				comm[i] = best
				moves++
			}
		}
		if moves == 0 {
			return moved
		}
		moved = true
	}
}

// aggregate returns the graph whose nodes are the k communities of comm
// (labels 0…k−1): the weight between two communities is the sum of the
// weights between their nodes, and a community's self-loop holds its
// internal weight, so modularity is unchanged by aggregation.
func aggregate(h *Graph, comm []int, k int) *Graph {
	members := make([][]int, k)
	for i, c := range comm {
		members[c] = append(members[c], i)
	}
	a := &Graph{start: make([]int, k+1), self: make([]float64, k), degree: make([]float64, k), twoM: h.twoM}
	acc := make([]float64, k)
	var touched []int
	for c := range k {
		for _, i := range members[c] {
			a.self[c] += h.self[i]
			a.degree[c] += h.degree[i]
			for p := h.start[i]; p < h.start[i+1]; p++ {
				d := comm[h.adj[p]]
				if d == c {
					a.self[c] += h.w[p]
					continue
				}
				if acc[d] == 0 {
					touched = append(touched, d)
				}
				acc[d] += h.w[p]
			}
		}
		sort.Ints(touched)
		for _, d := range touched {
			a.adj = append(a.adj, d)
			a.w = append(a.w, acc[d])
			acc[d] = 0
		}
		touched = touched[:0]
		a.start[c+1] = len(a.adj)
	}
	return a
}

// splitDisconnected relabels part (labels 0…k−1 on g) so that each
// community is one connected component of g: a community made of parts
// with no edge between them is split, which never lowers modularity
// (splitting removes −γ·2K_aK_b/(2m)² and no internal weight). It returns
// the new number of communities.
func splitDisconnected(g *Graph, part []int) int {
	n := g.Nodes()
	out := make([]int, n)
	for i := range out {
		out[i] = -1
	}
	k := 0
	var stack []int
	for s := range n {
		if out[s] >= 0 {
			continue
		}
		out[s] = k
		stack = append(stack[:0], s)
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for p := g.start[i]; p < g.start[i+1]; p++ {
				if j := g.adj[p]; out[j] < 0 && part[j] == part[i] {
					out[j] = k
					stack = append(stack, j)
				}
			}
		}
		k++
	}
	copy(part, out)
	return k
}

// finite reports whether v is neither NaN nor ±Inf.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
