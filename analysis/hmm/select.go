package hmm

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// KScore is the cross-validated score of one number of states.
type KScore struct {
	// K is the number of states.
	K int
	// HeldOut is Σ over folds of the held-out log likelihood
	// Σ_s log p(x_s) of the sequences left out, each scored by the model
	// fitted to the others.
	HeldOut float64
	// PerStep is HeldOut divided by the number of held-out steps.
	PerStep float64
	// Train is the mean over folds of the training objective.
	Train float64
}

// SelectK chooses the number of states by cross-validated held-out log
// likelihood: the sequences xs are dealt round-robin into folds (sequence
// s to fold s mod folds); for each K in ks and each fold, build(K) gives a
// starting model, em fits it to the other folds, and the fitted model's
// log marginal likelihood (forward algorithm) of the fold is summed. It
// returns the scores in the order of ks and the K with the highest
// held-out log likelihood. It needs folds ≥ 2 and at least as many
// sequences (cut a long recording into pieces first); errors wrap
// neurotab.ErrParam, or name the K and fold of a failed fit.
func SelectK(ks []int, build func(K int) (*Model, error), em EM, xs []mat.Matrix, folds int) ([]KScore, int, error) {
	if len(ks) == 0 {
		return nil, 0, fmt.Errorf("hmm: SelectK without candidate K: %w", neurotab.ErrParam)
	}
	if folds < 2 || len(xs) < folds {
		return nil, 0, fmt.Errorf("hmm: SelectK with %d folds of %d sequences, want 2 ≤ folds ≤ sequences: %w", folds, len(xs), neurotab.ErrParam)
	}
	scores := make([]KScore, len(ks))
	best, bestScore := 0, math.Inf(-1)
	for i, K := range ks {
		sc := KScore{K: K}
		steps := 0
		for f := range folds {
			var train, test []mat.Matrix
			for s, x := range xs {
				if s%folds == f {
					test = append(test, x)
					r, _ := x.Dims()
					steps += r
				} else {
					train = append(train, x)
				}
			}
			init, err := build(K)
			if err != nil {
				return nil, 0, fmt.Errorf("hmm: SelectK K = %d: %w", K, err)
			}
			res, err := em.Fit(init, train)
			if err != nil {
				return nil, 0, fmt.Errorf("hmm: SelectK K = %d, fold %d: %w", K, f, err)
			}
			_, ll, err := res.Model.Posteriors(test)
			if err != nil {
				return nil, 0, fmt.Errorf("hmm: SelectK K = %d, fold %d held out: %w", K, f, err)
			}
			sc.HeldOut += ll
			sc.Train += last(res.Objective) / float64(folds)
		}
		sc.PerStep = sc.HeldOut / float64(steps)
		scores[i] = sc
		if sc.HeldOut > bestScore {
			best, bestScore = K, sc.HeldOut
		}
	}
	return scores, best, nil
}
