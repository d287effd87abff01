package connectome

import (
	"fmt"
	"math"
	"sort"

	"github.com/neurotab/neurotab"
	"gonum.org/v1/gonum/mat"
)

// labelIndex maps labels to rows, rejecting empty or duplicate lists.
func labelIndex(labels []string) (map[string]int, error) {
	if len(labels) == 0 {
		return nil, fmt.Errorf("connectome: adjacency over no labels: %w", neurotab.ErrShape)
	}
	idx := make(map[string]int, len(labels))
	for i, l := range labels {
		if _, dup := idx[l]; dup {
			return nil, fmt.Errorf("connectome: label %q listed twice: %w", l, neurotab.ErrParam)
		}
		idx[l] = i
	}
	return idx, nil
}

// Adjacency returns the N×N matrix A over labels (N = len(labels)) with
//
//	A[i][j] = Σ weight of edges labels[i] → labels[j] whose Type is in types
//
// so A is A[pre][post], rows presynaptic (see "Matrix orientation" in
// [github.com/neurotab/neurotab]); recurrent weights used as x ← W x are
// its transpose. Sign it by Dale's law with SignedAdjacency.
//
// Edges with an end outside labels are ignored, so any neuron subset gives
// its induced sub-network. Electrical edges from the importers are already
// symmetric; pass edges through SymmetrizeGap first for other rules. Use
// DefaultAtlas().Labels() for the 300 canonical slots.
func Adjacency(edges []Edge, labels []string, types EdgeType) (*mat.Dense, error) {
	idx, err := labelIndex(labels)
	if err != nil {
		return nil, err
	}
	n := len(labels)
	a := mat.NewDense(n, n, nil)
	for _, e := range edges {
		if e.Type&types == 0 {
			continue
		}
		i, ok1 := idx[e.Pre]
		j, ok2 := idx[e.Post]
		if ok1 && ok2 {
			a.Set(i, j, a.At(i, j)+e.Weight)
		}
	}
	return a, nil
}

// Triplet is one non-zero entry of a sparse adjacency: Row (presynaptic)
// and Col (postsynaptic) index the labels, Value is the summed weight.
type Triplet struct {
	Row, Col int
	Value    float64
}

// Triplets is the sparse (coordinate) form of Adjacency: the non-zero
// entries sorted by row, then column.
func Triplets(edges []Edge, labels []string, types EdgeType) ([]Triplet, error) {
	idx, err := labelIndex(labels)
	if err != nil {
		return nil, err
	}
	sum := map[[2]int]float64{}
	for _, e := range edges {
		if e.Type&types == 0 {
			continue
		}
		i, ok1 := idx[e.Pre]
		j, ok2 := idx[e.Post]
		if ok1 && ok2 {
			sum[[2]int{i, j}] += e.Weight
		}
	}
	out := make([]Triplet, 0, len(sum))
	for k, v := range sum {
		if v != 0 {
			out = append(out, Triplet{Row: k[0], Col: k[1], Value: v})
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Row != out[b].Row {
			return out[a].Row < out[b].Row
		}
		return out[a].Col < out[b].Col
	})
	return out, nil
}

// ConsensusEdge is one directed pair of a consensus connectome. Chemical
// and Electrical are the mean weights over the datasets that have a
// non-zero edge of that type for the pair (NaN when none has);
// ChemicalSources and ElectricalSources count those datasets and Sources
// lists every contributing dataset in sorted order.
type ConsensusEdge struct {
	Pre, Post                          string
	Chemical, Electrical               float64
	ChemicalSources, ElectricalSources int
	Sources                            []string
}

// Consensus combines edge tables of several datasets into one consensus
// connectome, like the published homogenized-data consensus (Simeon et
// al.): per directed pair, the mean chemical weight over the datasets
// reporting a chemical edge, the mean electrical weight over the datasets
// reporting a gap junction (each dataset's symmetrized weight counts once;
// the published script instead averages the distinct values, which merges
// datasets that happen to agree), and the contributing datasets. Each
// argument is one dataset; within it, weights of repeated (pre, post,
// type) rows are summed. Pairs come out sorted by (pre, post).
func Consensus(sets ...[]Edge) []ConsensusEdge {
	type pair struct{ a, b string }
	type acc struct {
		chem, gap   float64
		nChem, nGap int
		sources     map[string]bool
	}
	all := map[pair]*acc{}
	for k, set := range sets {
		chem := map[pair]float64{}
		gap := map[pair]float64{}
		name := fmt.Sprintf("set%d", k+1)
		for _, e := range set {
			if e.Dataset != "" {
				name = e.Dataset
				break
			}
		}
		for _, e := range set {
			switch e.Type {
			case Chemical:
				chem[pair{e.Pre, e.Post}] += e.Weight
			case Electrical:
				gap[pair{e.Pre, e.Post}] += e.Weight
			}
		}
		get := func(p pair) *acc {
			c := all[p]
			if c == nil {
				c = &acc{sources: map[string]bool{}}
				all[p] = c
			}
			return c
		}
		for p, w := range chem {
			if w != 0 {
				c := get(p)
				c.chem += w
				c.nChem++
				c.sources[name] = true
			}
		}
		for p, w := range gap {
			if w != 0 {
				c := get(p)
				c.gap += w
				c.nGap++
				c.sources[name] = true
			}
		}
	}
	out := make([]ConsensusEdge, 0, len(all))
	for p, c := range all {
		e := ConsensusEdge{Pre: p.a, Post: p.b, Chemical: math.NaN(), Electrical: math.NaN(),
			ChemicalSources: c.nChem, ElectricalSources: c.nGap}
		if c.nChem > 0 {
			e.Chemical = c.chem / float64(c.nChem)
		}
		if c.nGap > 0 {
			e.Electrical = c.gap / float64(c.nGap)
		}
		for s := range c.sources {
			e.Sources = append(e.Sources, s)
		}
		sort.Strings(e.Sources)
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Pre != out[j].Pre {
			return out[i].Pre < out[j].Pre
		}
		return out[i].Post < out[j].Post
	})
	return out
}

// ConsensusEdges turns a consensus into an edges table of dataset name:
// one Chemical and one Electrical edge per pair where the mean is defined.
func ConsensusEdges(c []ConsensusEdge, dataset string) []Edge {
	var out []Edge
	for _, e := range c {
		if !math.IsNaN(e.Chemical) {
			out = append(out, Edge{Dataset: dataset, Pre: e.Pre, Post: e.Post, Type: Chemical, Weight: e.Chemical, QValue: math.NaN()})
		}
		if !math.IsNaN(e.Electrical) {
			out = append(out, Edge{Dataset: dataset, Pre: e.Pre, Post: e.Post, Type: Electrical, Weight: e.Electrical, QValue: math.NaN()})
		}
	}
	return out
}
