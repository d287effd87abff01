package community

import (
	"math"
	"testing"

	"github.com/neurotab/neurotab/internal/estimatortest"
)

// results returns the result methods of an estimator for the suite.
func results[E estimator](n int, communities func(E) (int, error)) map[string]func(E) error {
	return map[string]func(E) error{
		"PartitionTo": func(e E) error { return e.PartitionTo(make([]int, n)) },
		"Modularity":  func(e E) error { _, err := e.Modularity(); return err },
		"Communities": func(e E) error { _, err := communities(e); return err },
	}
}

// snapshot flattens the partition and the modularity of a fit.
func snapshot[E estimator](n int) func(E) []float64 {
	return func(e E) []float64 {
		part := make([]int, n)
		if e.PartitionTo(part) != nil {
			return nil
		}
		out := make([]float64, n+1)
		for i, c := range part {
			out[i] = float64(c)
		}
		out[n], _ = e.Modularity()
		return out
	}
}

// TestConformance runs the estimator-shape suite on Louvain, Leiden and
// Consensus.
func TestConformance(t *testing.T) {
	g, _ := planted(3, 3, 20, 0.4, 0.05)
	n := g.Nodes()
	t.Run("louvain", func(t *testing.T) {
		estimatortest.Run(t, estimatortest.Case[*Louvain]{
			Package:  "community",
			New:      func() *Louvain { return &Louvain{} },
			Defaults: map[string]any{"resolution": 1.0, "threshold": DefaultThreshold, "seed": "0"},
			Bad: map[string]func(*Louvain){
				"negative Resolution": func(e *Louvain) { e.Resolution = -1 },
				"NaN Resolution":      func(e *Louvain) { e.Resolution = math.NaN() },
				"Inf Threshold":       func(e *Louvain) { e.Threshold = math.Inf(1) },
			},
			Fit:      func(e *Louvain) error { return e.Fit(g) },
			Results:  results(n, (*Louvain).Communities),
			Snapshot: snapshot[*Louvain](n),
		})
	})
	t.Run("leiden", func(t *testing.T) {
		estimatortest.Run(t, estimatortest.Case[*Leiden]{
			Package:  "community",
			New:      func() *Leiden { return &Leiden{} },
			Defaults: map[string]any{"resolution": 1.0, "randomness": DefaultRandomness, "seed": "0"},
			Bad: map[string]func(*Leiden){
				"negative Resolution": func(e *Leiden) { e.Resolution = -0.5 },
				"negative Randomness": func(e *Leiden) { e.Randomness = -1 },
			},
			Fit:      func(e *Leiden) error { return e.Fit(g) },
			Results:  results(n, (*Leiden).Communities),
			Snapshot: snapshot[*Leiden](n),
		})
	})
	t.Run("consensus", func(t *testing.T) {
		estimatortest.Run(t, estimatortest.Case[*Consensus]{
			Package: "community",
			New:     func() *Consensus { return &Consensus{} },
			Defaults: map[string]any{"method": "louvain", "resolution": 1.0, "runs": DefaultRuns,
				"agreement": DefaultAgreement, "rounds": DefaultRounds, "seed": "0"},
			Bad: map[string]func(*Consensus){
				"Agreement > 1":       func(e *Consensus) { e.Agreement = 1.5 },
				"negative Runs":       func(e *Consensus) { e.Runs = -1 },
				"negative Rounds":     func(e *Consensus) { e.Rounds = -2 },
				"negative Resolution": func(e *Consensus) { e.Resolution = -1 },
			},
			Fit:      func(e *Consensus) error { return e.Fit(g) },
			Results:  results(n, (*Consensus).Communities),
			Snapshot: snapshot[*Consensus](n),
		})
	})
}
