package hmm

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Model is an HMM in ssm's three parts. The EM loop ([Model.Step], [EM])
// calls each part's M-step in turn.
type Model struct {
	Initial      *Initial
	Transitions  *Transitions
	Observations Observations
}

// Check validates the parts and that they agree on K.
func (m *Model) Check() error {
	if m.Initial == nil || m.Transitions == nil || m.Transitions.P == nil || m.Observations == nil {
		return fmt.Errorf("hmm: model lacks a part (initial, transitions or observations): %w", neurotab.ErrParam)
	}
	K := m.Observations.States()
	if err := checkParams(m.Initial.Pi, m.Transitions.P, K); err != nil {
		return err
	}
	return m.Transitions.Check()
}

// Clone returns a deep copy.
func (m *Model) Clone() *Model {
	return &Model{
		Initial:      &Initial{Pi: append([]float64(nil), m.Initial.Pi...)},
		Transitions:  &Transitions{P: mat.DenseCopyOf(m.Transitions.P), Kappa: m.Transitions.Kappa, Alpha: m.Transitions.Alpha},
		Observations: m.Observations.Clone(),
	}
}

// LogLikelihoods returns the T_s × K log-likelihoods of each sequence.
func (m *Model) LogLikelihoods(xs []mat.Matrix) ([]*mat.Dense, error) {
	out := make([]*mat.Dense, len(xs))
	for s, x := range xs {
		var d mat.Dense
		if err := m.Observations.LogLikelihoodsTo(&d, x); err != nil {
			return nil, at(err, "sequence %d", s)
		}
		out[s] = &d
	}
	return out, nil
}

// Posteriors runs forward–backward on every sequence (each starts from π)
// and returns the posteriors and Σ_s log p(x_s).
func (m *Model) Posteriors(xs []mat.Matrix) ([]*Posterior, float64, error) {
	if err := m.Check(); err != nil {
		return nil, 0, err
	}
	lls, err := m.LogLikelihoods(xs)
	if err != nil {
		return nil, 0, err
	}
	return m.posteriors(lls)
}

func (m *Model) posteriors(lls []*mat.Dense) ([]*Posterior, float64, error) {
	K := m.Observations.States()
	w := newWorkspace(K)
	w.setParams(m.Initial.Pi, dense(m.Transitions.P))
	posts := make([]*Posterior, len(lls))
	total := 0.0
	for s, ll := range lls {
		T, _, err := checkLogLik(ll)
		if err != nil {
			return nil, 0, at(err, "sequence %d", s)
		}
		g, xi := make([]float64, T*K), make([]float64, K*K)
		raw := ll.RawMatrix()
		data := raw.Data
		if raw.Stride != K {
			data = dense(ll)
		}
		logZ, err := w.forwardBackward(data, T, g, xi)
		if err != nil {
			return nil, 0, at(err, "sequence %d", s)
		}
		posts[s] = &Posterior{LogZ: logZ, Gamma: mat.NewDense(T, K, g), XiSum: mat.NewDense(K, K, xi)}
		total += logZ
	}
	return posts, total, nil
}

// Objective returns the EM objective at the current parameters: the log
// marginal likelihood of all sequences plus the transitions' log prior,
//
//	Σ_s log p(x_s) + log p(P | κ, α)
//
// which Baum–Welch never decreases.
func (m *Model) Objective(xs []mat.Matrix) (float64, error) {
	_, ll, err := m.Posteriors(xs)
	if err != nil {
		return 0, err
	}
	return ll + m.Transitions.LogPrior(), nil
}

// Step is one Baum–Welch iteration (Baum et al. 1970,
// doi:10.1214/aoms/1177697196): the E-step at the current parameters, then
// the M-steps of the initial distribution, the transitions and the
// observations. It returns the objective (see [Model.Objective]) at the
// parameters before the update. A NaN or infinite log likelihood is an
// error wrapping neurotab.ErrNotFinite and leaves the parameters
// unchanged (EM names the iteration).
func (m *Model) Step(xs []mat.Matrix) (float64, error) {
	posts, ll, err := m.Posteriors(xs)
	if err != nil {
		return 0, err
	}
	obj := ll + m.Transitions.LogPrior()
	if math.IsNaN(obj) || math.IsInf(obj, 0) {
		return 0, fmt.Errorf("hmm: log likelihood is %v; parameters left unchanged: %w", obj, neurotab.ErrNotFinite)
	}
	K := m.Observations.States()
	gammas := make([]*mat.Dense, len(posts))
	xi := mat.NewDense(K, K, nil)
	for s, p := range posts {
		gammas[s] = p.Gamma
		xi.Add(xi, p.XiSum)
	}
	m.Initial.MStep(gammas)
	m.Transitions.MStep(xi)
	if err := m.Observations.MStep(xs, gammas); err != nil {
		return 0, err
	}
	return obj, nil
}

// Viterbi returns the most probable state path of x and its joint
// log-probability (see the function [Viterbi]).
func (m *Model) Viterbi(x mat.Matrix) ([]int, float64, error) {
	if err := m.Check(); err != nil {
		return nil, 0, err
	}
	var ll mat.Dense
	if err := m.Observations.LogLikelihoodsTo(&ll, x); err != nil {
		return nil, 0, err
	}
	return Viterbi(&ll, m.Initial.Pi, m.Transitions.P)
}
