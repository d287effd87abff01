package community

import (
	"fmt"
	"slices"

	"github.com/neurotab/neurotab"
)

// Consensus defaults.
const (
	DefaultRuns      = 10
	DefaultAgreement = 0.5
	DefaultRounds    = 10
)

// Consensus is consensus clustering over restarts (Lancichinetti &
// Fortunato 2012, doi:10.1038/srep00336): it runs Louvain (or Leiden)
// Runs times with different seeds, builds the co-assignment matrix
//
//	D_ij = (runs that put i and j in one community) / Runs,
//
// sets the entries below Agreement to zero, and runs the method Runs times
// again on the graph of D (weights D_ij, no diagonal; a node with no entry
// left stays alone). It stops when all the runs of a round agree (D is
// then block diagonal with entries 0 or 1) or after Rounds rounds, and
// keeps the partition of the last round's first run. Unlike the paper, the
// pairs of D are not restricted to the edges of the graph, and a node left
// without entries is not reattached; the modularity reported is that of
// the consensus partition on the original graph.
//
// Consensus has the estimator shape of package neurotab (see Louvain).
// Its cost grows with Runs · Σ_c |c|² over the communities of the runs.
type Consensus struct {
	// Leiden selects Leiden instead of Louvain as the method.
	Leiden bool
	// Resolution is γ > 0 on the original graph; 0 means 1. The
	// consensus graphs are partitioned at γ = 1.
	Resolution float64
	// Runs is the number of restarts per round; 0 means DefaultRuns.
	Runs int
	// Agreement is the threshold τ in [0, 1] below which D_ij is set to
	// 0; 0 means DefaultAgreement.
	Agreement float64
	// Rounds is the largest number of rounds; 0 means DefaultRounds.
	Rounds int
	// Seed seeds the seeds of the runs.
	Seed neurotab.Seed

	fit *result
	// Rounds used by the fit, and whether its last round agreed.
	rounds int
	agreed bool
}

func (c *Consensus) runs() int {
	if c.Runs == 0 {
		return DefaultRuns
	}
	return c.Runs
}

func (c *Consensus) maxRounds() int {
	if c.Rounds == 0 {
		return DefaultRounds
	}
	return c.Rounds
}

// Check reports whether the configuration is valid: Resolution finite and
// ≥ 0, Agreement in [0, 1], Runs and Rounds ≥ 0. Errors wrap
// neurotab.ErrParam.
func (c *Consensus) Check() error {
	if err := checkNonNegative(map[string]float64{"Resolution": c.Resolution, "Agreement": c.Agreement}); err != nil {
		return err
	}
	switch {
	case c.Agreement > 1:
		return fmt.Errorf("community: Agreement %v > 1: %w", c.Agreement, neurotab.ErrParam)
	case c.Runs < 0:
		return fmt.Errorf("community: Runs %d < 0: %w", c.Runs, neurotab.ErrParam)
	case c.Rounds < 0:
		return fmt.Errorf("community: Rounds %d < 0: %w", c.Rounds, neurotab.ErrParam)
	}
	return nil
}

// Parameters returns the configuration as provenance parameters, defaults
// applied: method ("louvain" or "leiden"), resolution, runs, agreement,
// rounds and seed (decimal string).
func (c *Consensus) Parameters() map[string]any {
	method := "louvain"
	if c.Leiden {
		method = "leiden"
	}
	return map[string]any{
		"method": method, "resolution": orDefault(c.Resolution, 1), "runs": c.runs(),
		"agreement": orDefault(c.Agreement, DefaultAgreement), "rounds": c.maxRounds(), "seed": c.Seed.String(),
	}
}

// run partitions h once with the configured method.
func (c *Consensus) run(h *Graph, gamma float64, seed neurotab.Seed) []int {
	if c.Leiden {
		return leiden(h, gamma, DefaultRandomness, seed).part
	}
	return louvain(h, gamma, DefaultThreshold, seed).part
}

// Fit finds the consensus partition of g, replacing any earlier fit.
// Errors: an invalid configuration (neurotab.ErrParam), a nil graph or one
// without edge weight (neurotab.ErrShape). After an error the estimator is
// unfitted.
func (c *Consensus) Fit(g *Graph) (err error) {
	c.rounds, c.agreed = 0, false
	c.fit, err = fitGraph(c.Check, g, func() *result { return c.consensus(g) })
	return err
}

// consensus runs the rounds on g.
func (c *Consensus) consensus(g *Graph) *result {
	gamma := orDefault(c.Resolution, 1)
	tau := orDefault(c.Agreement, DefaultAgreement)
	rng := c.Seed.Rand(2)
	h := g
	var parts [][]int
	for round := range c.maxRounds() {
		parts = parts[:0]
		for range c.runs() {
			parts = append(parts, c.run(h, gamma, neurotab.Seed(rng.Uint64())))
		}
		gamma = 1
		c.rounds = round + 1
		if c.agreed = allEqual(parts); c.agreed {
			break
		}
		h = coassignment(g.Nodes(), parts, tau)
		if h.twoM == 0 { // no pair agrees often enough: all singletons
			parts = [][]int{identity(g.Nodes())}
			break
		}
	}
	part := parts[0]
	k := 0
	for _, l := range part {
		k = max(k, l+1)
	}
	return &result{part: part, k: k, q: quality(g, part, k, orDefault(c.Resolution, 1))}
}

func identity(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	return p
}

// allEqual reports whether the partitions (canonical labels) are equal.
func allEqual(parts [][]int) bool {
	for _, p := range parts[1:] {
		if !slices.Equal(p, parts[0]) {
			return false
		}
	}
	return true
}

// coassignment returns the graph of the co-assignment fractions of parts
// (canonical labels on n nodes) that are at least tau.
func coassignment(n int, parts [][]int, tau float64) *Graph {
	members := make([][][]int, len(parts))
	for r, p := range parts {
		k := 0
		for _, l := range p {
			k = max(k, l+1)
		}
		members[r] = make([][]int, k)
		for i, l := range p {
			members[r][l] = append(members[r][l], i)
		}
	}
	count := make([]int, n)
	var touched []int
	var edges []Edge
	runs := float64(len(parts))
	for i := range n {
		for r, p := range parts {
			for _, j := range members[r][p[i]] {
				if j <= i {
					continue
				}
				if count[j] == 0 {
					touched = append(touched, j)
				}
				count[j]++
			}
		}
		for _, j := range touched {
			if d := float64(count[j]) / runs; d >= tau {
				edges = append(edges, Edge{i, j, d})
			}
			count[j] = 0
		}
		touched = touched[:0]
	}
	h, _ := FromEdges(n, edges) // valid by construction
	return h
}

// PartitionTo writes the consensus community of each node (labels 0…k−1
// by first appearance) into dst, which must have length N (PartitionTo
// panics otherwise). The error wraps neurotab.ErrNotFitted.
func (c *Consensus) PartitionTo(dst []int) error { return c.fit.partitionTo("Consensus", dst) }

// Communities returns the number of consensus communities k.
func (c *Consensus) Communities() (int, error) { return c.fit.communities("Consensus") }

// Modularity returns the modularity of the consensus partition on the
// fitted graph at the configured resolution.
func (c *Consensus) Modularity() (float64, error) { return c.fit.modularity("Consensus") }

// Agreed reports whether the runs of the last round all gave the same
// partition, and the number of rounds the fit used.
func (c *Consensus) Agreed() (agreed bool, rounds int, err error) {
	if c.fit == nil {
		return false, 0, unfitted("Consensus", "Agreed")
	}
	return c.agreed, c.rounds, nil
}
