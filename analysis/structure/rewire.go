package structure

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// SwapsPerEdge is the number of swap attempts per edge in one rewiring
// (10 E attempts, a common choice after Maslov & Sneppen 2002).
const SwapsPerEdge = 10

// rewirer holds a graph's edge list and an existence table, swapped in
// place.
type rewirer struct {
	n        int
	directed bool
	pre      []int // edge k is pre[k] → post[k] (undirected: pre < post initially)
	post     []int
	weight   []float64
	orig     [][2]int
	has      []bool // has[i*n+j]: edge i → j (undirected: both i,j and j,i)
}

// newRewirer reads the edges of the N × N matrix a: every a[i][j] ≠ 0, i ≠
// j (undirected: i < j of a symmetric a). The diagonal is ignored.
func newRewirer(a mat.Matrix, directed bool) (*rewirer, error) {
	n, c := a.Dims()
	if n != c {
		return nil, fmt.Errorf("structure: adjacency is %d × %d, want square: %w", n, c, neurotab.ErrShape)
	}
	w := &rewirer{n: n, directed: directed, has: make([]bool, n*n)}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			v := a.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("structure: adjacency [%d][%d] = %v: %w", i, j, v, neurotab.ErrNotFinite)
			}
			if !directed && v != a.At(j, i) {
				return nil, fmt.Errorf("structure: gap-junction adjacency not symmetric at [%d][%d]: %w", i, j, neurotab.ErrParam)
			}
			if i == j || v == 0 || (!directed && j < i) {
				continue
			}
			w.pre = append(w.pre, i)
			w.post = append(w.post, j)
			w.weight = append(w.weight, v)
			w.orig = append(w.orig, [2]int{i, j})
		}
	}
	return w, nil
}

// reset restores the original edges.
func (w *rewirer) reset() {
	clear(w.has)
	for k, e := range w.orig {
		w.pre[k], w.post[k] = e[0], e[1]
		w.set(e[0], e[1], true)
	}
}

func (w *rewirer) set(i, j int, v bool) {
	w.has[i*w.n+j] = v
	if !w.directed {
		w.has[j*w.n+i] = v
	}
}

// rewire restores the original graph and makes swaps attempted
// Maslov–Sneppen swaps: edges a → b and c → d become a → d and c → b unless
// that makes a self-loop or a duplicate edge. Undirected edges are oriented
// at random first, so both rewirings of a pair are reachable. Each swap
// keeps every node's out- and in-degree (undirected: degree). It returns
// the number of swaps made.
func (w *rewirer) rewire(swaps int, rng *rand.Rand) int {
	w.reset()
	m := len(w.pre)
	if m < 2 {
		return 0
	}
	done := 0
	for range swaps {
		k, l := rng.IntN(m), rng.IntN(m)
		if k == l {
			continue
		}
		a, b, c, d := w.pre[k], w.post[k], w.pre[l], w.post[l]
		if !w.directed && rng.IntN(2) == 1 {
			c, d = d, c
		}
		if a == d || c == b || w.has[a*w.n+d] || w.has[c*w.n+b] {
			continue
		}
		w.set(a, b, false)
		w.set(c, d, false)
		w.pre[k], w.post[k], w.pre[l], w.post[l] = a, d, c, b
		w.set(a, d, true)
		w.set(c, b, true)
		done++
	}
	return done
}

// dense writes the current graph as an N × N matrix (undirected:
// symmetric).
func (w *rewirer) dense() *mat.Dense {
	out := mat.NewDense(w.n, w.n, nil)
	for k := range w.pre {
		out.Set(w.pre[k], w.post[k], w.weight[k])
		if !w.directed {
			out.Set(w.post[k], w.pre[k], w.weight[k])
		}
	}
	return out
}

// Rewire returns a degree-preserving randomization of the N × N adjacency
// a: SwapsPerEdge × E Maslov–Sneppen swap attempts (E non-zero off-diagonal
// entries; undirected: entries above the diagonal) starting from a, drawn
// from seed.Rand(0). A directed a (A[pre][post], chemical synapses) keeps
// every neuron's in- and out-degree; an undirected one (directed false, a
// symmetric, gap junctions) keeps every neuron's degree and stays
// symmetric. Weights travel with their edges; the diagonal is dropped.
// Maslov & Sneppen 2002, Science 296:910, doi:10.1126/science.1065103.
//
// Errors: a non-square a (neurotab.ErrShape), a non-finite entry
// (neurotab.ErrNotFinite), an asymmetric undirected a (neurotab.ErrParam).
func Rewire(a mat.Matrix, directed bool, seed neurotab.Seed) (*mat.Dense, error) {
	w, err := newRewirer(a, directed)
	if err != nil {
		return nil, err
	}
	w.rewire(SwapsPerEdge*len(w.pre), seed.Rand(0))
	return w.dense(), nil
}
