package hmm

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Transitions is a stationary K × K transition matrix with the sticky
// Dirichlet prior of ssm's StickyTransitions (Fox et al. 2011,
// doi:10.1214/10-AOAS395): row k of P has prior
//
//	P_k ~ Dirichlet(α 1 + κ e_k)
//
// so κ ≥ 0 favours staying in a state and α ≥ 1 smooths every row (α = 1,
// κ = 0 is the maximum-likelihood update).
type Transitions struct {
	// P is the K × K row-stochastic matrix, P[i][j] = p(z_{t+1} = j | z_t = i).
	P *mat.Dense
	// Kappa (κ ≥ 0) is the extra prior count on self-transitions.
	Kappa float64
	// Alpha (α ≥ 1) is the prior concentration of every entry; 0 means 1.
	Alpha float64
}

// NewTransitions returns sticky transitions on K states that stay with
// probability stay and move uniformly otherwise (K = 1: P = [1]).
func NewTransitions(K int, stay float64) (*Transitions, error) {
	if K < 1 {
		return nil, fmt.Errorf("hmm: K = %d states < 1: %w", K, neurotab.ErrParam)
	}
	if !(stay >= 0 && stay <= 1) {
		return nil, fmt.Errorf("hmm: stay probability %v outside [0, 1]: %w", stay, neurotab.ErrParam)
	}
	P := mat.NewDense(K, K, nil)
	for i := range K {
		for j := range K {
			switch {
			case K == 1:
				P.Set(i, j, 1)
			case i == j:
				P.Set(i, j, stay)
			default:
				P.Set(i, j, (1-stay)/float64(K-1))
			}
		}
	}
	return &Transitions{P: P}, nil
}

func (tr *Transitions) alpha() float64 {
	if tr.Alpha == 0 {
		return 1
	}
	return tr.Alpha
}

// Check validates κ and α.
func (tr *Transitions) Check() error {
	if !(tr.Kappa >= 0) || math.IsInf(tr.Kappa, 1) {
		return fmt.Errorf("hmm: Kappa %v not a finite value ≥ 0: %w", tr.Kappa, neurotab.ErrParam)
	}
	if a := tr.alpha(); !(a >= 1) || math.IsInf(a, 1) {
		return fmt.Errorf("hmm: Alpha %v not a finite value ≥ 1: %w", tr.Alpha, neurotab.ErrParam)
	}
	return nil
}

// MStep sets P to its posterior mode given Σ_t ξ_t summed over sequences:
//
//	P_ij ∝ Σξ_ij + κ δ_ij + (α − 1)
//
// A row with no counts and no prior becomes uniform (ssm's
// StationaryTransitions does the same).
func (tr *Transitions) MStep(xiSum *mat.Dense) {
	K, _ := tr.P.Dims()
	a := tr.alpha()
	row := make([]float64, K)
	for i := range K {
		for j := range K {
			row[j] = xiSum.At(i, j) + a - 1
			if i == j {
				row[j] += tr.Kappa
			}
		}
		normalize(row)
		tr.P.SetRow(i, row)
	}
}

// LogPrior returns Σ_k Σ_j (α − 1 + κ δ_kj) log P_kj, the sticky Dirichlet
// log-density up to its normalizing constant (ssm's log_prior).
func (tr *Transitions) LogPrior() float64 {
	K, _ := tr.P.Dims()
	a := tr.alpha()
	lp := 0.0
	for i := range K {
		for j := range K {
			c := a - 1
			if i == j {
				c += tr.Kappa
			}
			if c != 0 {
				lp += c * math.Log(tr.P.At(i, j))
			}
		}
	}
	return lp
}
