// Package visibility maps one trace to a graph: the natural visibility graph
// (NVG, Lacasa et al. 2008, doi:10.1073/pnas.0709247105) and the horizontal
// visibility graph (HVG, Luque et al. 2009, doi:10.1103/PhysRevE.80.046103).
//
// # Notation
//
// A trace x is T samples x(0) … x(T−1) at equal spacing (one column of a
// T × N trace matrix, see "Matrix orientation" in
// [github.com/neurotab/neurotab]). Each sample is a node, named by its
// index; only the order of the samples matters, never the sampling
// interval. Two samples i < j are linked when every sample between them is
// strictly below the line of sight:
//
//	NVG  x(k) < x(j) + (x(i) − x(j)) (j − k)/(j − i)   for all i < k < j
//	HVG  x(k) < min(x(i), x(j))                         for all i < k < j
//
// Neighbours (j = i+1) are always linked; an HVG is a subgraph of the NVG.
// A sample equal to the line (or to the lower end, for the HVG) blocks it.
//
// # Results
//
// Natural and Horizontal return the undirected edge list, each edge once as
// an Edge{I, J} with I < J, sorted by I then J. Degrees counts each node's
// edges. Both reject NaN and ±Inf with an error wrapping
// neurotab.ErrNotFinite; fewer than two samples give no edges.
//
// # Cost
//
// Horizontal is O(T) time and memory (one stack, one counting sort); an
// HVG has fewer than 2T edges. Natural is divide and conquer (Lan et al.
// 2015, doi:10.1063/1.4927835): the maximum of a range sees past nothing,
// so no edge crosses it; its edges are found by one outward scan of the
// range, and both sides recurse. That is O(T log T) when maxima split ranges
// evenly (an i.i.d. or noisy trace) and O(T²) at worst (a monotone trace,
// whose maximum is at an end). The output itself can be quadratic: every
// pair of a strictly convex trace is linked.
package visibility
