package visibility

// Horizontal returns the horizontal visibility graph of x (Luque et al.
// 2009, doi:10.1103/PhysRevE.80.046103): samples i < j are linked when
//
//	x(k) < min(x(i), x(j))   for all i < k < j
//
// The edges come once each, I < J, sorted by I then J. A NaN or ±Inf sample
// is an error wrapping neurotab.ErrNotFinite.
//
// One pass with a stack of the samples still visible from the right, in
// decreasing order: sample j sees and pops every lower one, then sees the
// first one at least as high (an equal one is popped too, as it hides
// everything behind it). O(T) time and memory; fewer than 2T edges.
func Horizontal(x []float64) ([]Edge, error) {
	if err := checkFinite(x); err != nil {
		return nil, err
	}
	t := len(x)
	if t < 2 {
		return nil, nil
	}
	edges := make([]Edge, 0, 2*t)
	stack := make([]int, 0, 64)
	for j, v := range x {
		for len(stack) > 0 && x[stack[len(stack)-1]] < v {
			edges = append(edges, Edge{stack[len(stack)-1], j})
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 {
			top := stack[len(stack)-1]
			edges = append(edges, Edge{top, j})
			if x[top] == v {
				stack = stack[:len(stack)-1]
			}
		}
		stack = append(stack, j)
	}
	return sortByI(t, edges), nil
}
