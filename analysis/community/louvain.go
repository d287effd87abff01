package community

import (
	"fmt"

	"github.com/neurotab/neurotab"
)

// DefaultThreshold is the smallest modularity gain of a level for Louvain
// to go on to the next (networkx's louvain_communities default).
const DefaultThreshold = 1e-7

// Louvain finds communities of high modularity (see Modularity) with the
// Louvain method (Blondel, Guillaume, Lambiotte & Lefebvre 2008,
// doi:10.1088/1742-5468/2008/10/P10008), as networkx's
// louvain_communities does: each level moves nodes, visited in a seeded
// random order, to the neighbouring community of largest gain
//
//	ΔQ(i → c) = [ w_{i,c} − γ k_i K_c / 2m ] / m
//
// until no move gains, then aggregates each community into one node; it
// stops after a level that moves nothing or gains at most Threshold. The
// communities it returns may be internally disconnected (Traag et al.
// 2019); Leiden is the variant that guarantees connected ones.
//
// Louvain has the estimator shape of package neurotab (see "Estimators"
// in [github.com/neurotab/neurotab]): the exported fields are the
// configuration, the zero value is usable, Fit(g) keeps the partition, and
// PartitionTo, Communities and Modularity read it (errors wrapping
// neurotab.ErrNotFitted before a Fit). Not safe for concurrent use.
type Louvain struct {
	// Resolution is γ > 0; 0 means 1 (plain modularity). Larger γ gives
	// smaller communities.
	Resolution float64
	// Threshold is the smallest modularity gain of a level to go on;
	// 0 means DefaultThreshold.
	Threshold float64
	// Seed seeds the node order of each level.
	Seed neurotab.Seed

	fit *result
}

// result is a fitted partition.
type result struct {
	part []int // labels 0…k−1 by first appearance
	k    int
	q    float64
}

func (l *Louvain) gamma() float64 { return orDefault(l.Resolution, 1) }

func (l *Louvain) threshold() float64 { return orDefault(l.Threshold, DefaultThreshold) }

func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

// Check reports whether the configuration is valid: Resolution and
// Threshold finite and ≥ 0. Errors wrap neurotab.ErrParam.
func (l *Louvain) Check() error {
	return checkNonNegative(map[string]float64{"Resolution": l.Resolution, "Threshold": l.Threshold})
}

func checkNonNegative(fields map[string]float64) error {
	for _, name := range []string{"Resolution", "Threshold", "Randomness", "Agreement"} {
		v, ok := fields[name]
		if ok && (v < 0 || !finite(v)) {
			return fmt.Errorf("community: %s %v, want a finite value ≥ 0: %w", name, v, neurotab.ErrParam)
		}
	}
	return nil
}

// Parameters returns the configuration as provenance parameters, defaults
// applied: resolution, threshold and seed (decimal string).
func (l *Louvain) Parameters() map[string]any {
	return map[string]any{"resolution": l.gamma(), "threshold": l.threshold(), "seed": l.Seed.String()}
}

// Fit finds the communities of g, replacing any earlier fit. Errors: an
// invalid configuration (neurotab.ErrParam), a nil graph or one without
// edge weight (neurotab.ErrShape). After an error the estimator is
// unfitted.
func (l *Louvain) Fit(g *Graph) (err error) {
	l.fit, err = fitGraph(l.Check, g, func() *result { return louvain(g, l.gamma(), l.threshold(), l.Seed) })
	return err
}

// fitGraph checks the configuration and g, then runs the method.
func fitGraph(check func() error, g *Graph, run func() *result) (*result, error) {
	if err := check(); err != nil {
		return nil, err
	}
	if g == nil || g.twoM == 0 {
		return nil, fmt.Errorf("community: Fit needs a graph with edge weight > 0: %w", neurotab.ErrShape)
	}
	return run(), nil
}

// louvain runs the levels of the Louvain method on g.
func louvain(g *Graph, gamma, threshold float64, seed neurotab.Seed) *result {
	n := g.Nodes()
	rng := seed.Rand(0)
	part := make([]int, n) // node of g → node of h
	for i := range part {
		part[i] = i
	}
	h := g
	q := quality(g, part, n, gamma)
	relabel := make([]int, n)
	for {
		comm := make([]int, h.Nodes())
		for i := range comm {
			comm[i] = i
		}
		if !localMoving(h, comm, gamma, rng) {
			break
		}
		k := relabelDense(comm, relabel)
		for i, c := range part {
			part[i] = comm[c]
		}
		next := quality(h, comm, k, gamma)
		h = aggregate(h, comm, k)
		gain := next - q
		q = next
		if gain <= threshold {
			break
		}
	}
	k := relabelDense(part, relabel)
	return &result{part: part, k: k, q: q}
}

// PartitionTo writes the community of each node (labels 0…k−1, numbered
// by first appearance, so node 0 is in community 0) into dst, which must
// have length N (PartitionTo panics otherwise). The error wraps
// neurotab.ErrNotFitted.
func (l *Louvain) PartitionTo(dst []int) error { return l.fit.partitionTo("Louvain", dst) }

// Communities returns the number of communities k of the fit.
func (l *Louvain) Communities() (int, error) { return l.fit.communities("Louvain") }

// Modularity returns the modularity Q of the fitted partition at the
// configured resolution (see the package function Modularity).
func (l *Louvain) Modularity() (float64, error) { return l.fit.modularity("Louvain") }

func (r *result) partitionTo(method string, dst []int) error {
	if r == nil {
		return unfitted(method, "PartitionTo")
	}
	if len(dst) != len(r.part) {
		panic(fmt.Sprintf("community: %s.PartitionTo: dst has length %d, want %d", method, len(dst), len(r.part)))
	}
	copy(dst, r.part)
	return nil
}

func (r *result) communities(method string) (int, error) {
	if r == nil {
		return 0, unfitted(method, "Communities")
	}
	return r.k, nil
}

func (r *result) modularity(method string) (float64, error) {
	if r == nil {
		return 0, unfitted(method, "Modularity")
	}
	return r.q, nil
}

func unfitted(method, call string) error {
	return fmt.Errorf("community: %s.%s before Fit: %w", method, call, neurotab.ErrNotFitted)
}
