package community

import (
	"fmt"
	"math"

	"github.com/neurotab/neurotab"
)

// Modularity returns the modularity of a partition of g (Newman 2006,
// doi:10.1073/pnas.0601602103) with resolution γ (Reichardt & Bornholdt
// 2006, doi:10.1103/PhysRevE.74.016110), as networkx's
// community.modularity computes it:
//
//	Q = Σ_c [ L_c/m − γ (K_c / 2m)² ]
//
// where m is the total edge weight, L_c the weight of the edges inside
// community c (each once) and K_c the sum of the strengths of its nodes.
// partition[i] is the community label of node i (any ints; equal labels
// mean the same community). Unlike the estimators, γ = 0 here means 0.
// Errors: len(partition) ≠ N or a graph without edge weight
// (neurotab.ErrShape), γ < 0 or not finite (neurotab.ErrParam).
func Modularity(g *Graph, partition []int, resolution float64) (float64, error) {
	if resolution < 0 || math.IsNaN(resolution) || math.IsInf(resolution, 0) {
		return 0, fmt.Errorf("community: resolution %v, want a finite γ ≥ 0: %w", resolution, neurotab.ErrParam)
	}
	if len(partition) != g.Nodes() {
		return 0, fmt.Errorf("community: partition of %d nodes for a graph of %d: %w", len(partition), g.Nodes(), neurotab.ErrShape)
	}
	if g.twoM == 0 {
		return 0, fmt.Errorf("community: modularity of a graph without edge weight: %w", neurotab.ErrShape)
	}
	comm, k := Relabel(nil, partition)
	return quality(g, comm, k, resolution), nil
}

// quality is Modularity for labels 0…k−1:
//
//	Q = Σ_c [ Σin_c / 2m − γ (K_c / 2m)² ],   Σin_c = Σ_{i,j∈c} A_ij.
func quality(g *Graph, comm []int, k int, gamma float64) float64 {
	in := make([]float64, k)
	tot := make([]float64, k)
	for i, c := range comm {
		tot[c] += g.degree[i]
		in[c] += g.self[i]
		for p := g.start[i]; p < g.start[i+1]; p++ {
			if comm[g.adj[p]] == c {
				in[c] += g.w[p]
			}
		}
	}
	q := 0.0
	for c := range k {
		f := tot[c] / g.twoM
		q += in[c]/g.twoM - gamma*f*f
	}
	return q
}

// Relabel writes into dst (resized to len(labels)) the labels renumbered
// 0…k−1 in the order of their first appearance, and returns dst and k:
// the canonical form of a partition, so two partitions that group the
// nodes alike are equal slices.
func Relabel(dst, labels []int) ([]int, int) {
	dst = resize(dst, len(labels))
	seen := make(map[int]int)
	for i, l := range labels {
		c, ok := seen[l]
		if !ok {
			c = len(seen)
			seen[l] = c
		}
		dst[i] = c
	}
	return dst, len(seen)
}

// relabelDense renumbers labels in [0, n) in place by first appearance and
// returns their count; scratch has length ≥ n.
func relabelDense(labels []int, scratch []int) int {
	for i := range scratch {
		scratch[i] = -1
	}
	k := 0
	for i, l := range labels {
		if scratch[l] < 0 {
			scratch[l] = k
			k++
		}
		labels[i] = scratch[l]
	}
	return k
}

func resize(dst []int, n int) []int {
	if cap(dst) < n {
		return make([]int, n)
	}
	return dst[:n]
}
