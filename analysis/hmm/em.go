package hmm

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// EM fits a [Model] by Baum–Welch from seeded random restarts. The zero
// value is usable: 100 iterations, relative tolerance 1e-8, one restart,
// seed 0.
type EM struct {
	// MaxIter bounds the iterations of each restart (0 means 100).
	MaxIter int
	// Tol stops a restart when the objective rises by less than
	// Tol·(1 + |objective|) in one iteration (0 means 1e-8).
	Tol float64
	// Restarts is the number of random restarts (0 means 1); the one with
	// the highest final objective wins.
	Restarts int
	// Seed seeds the restarts: restart r randomizes the observation model
	// with Seed.Rand(r).
	Seed neurotab.Seed
}

// Result is the outcome of [EM.Fit].
type Result struct {
	// Model is the best restart's fitted model.
	Model *Model
	// Objective is its objective (see [Model.Objective]) before each
	// iteration, then after the last.
	Objective []float64
	// Restart is the index of the best restart.
	Restart int
	// Converged tells whether the best restart met Tol before MaxIter.
	Converged bool
}

func (e EM) maxIter() int {
	if e.MaxIter == 0 {
		return 100
	}
	return e.MaxIter
}

func (e EM) tol() float64 {
	if e.Tol == 0 {
		return 1e-8
	}
	return e.Tol
}

func (e EM) restarts() int {
	if e.Restarts == 0 {
		return 1
	}
	return e.Restarts
}

// Check validates the configuration; errors wrap neurotab.ErrParam.
func (e EM) Check() error {
	switch {
	case e.MaxIter < 0:
		return fmt.Errorf("hmm: MaxIter %d < 0: %w", e.MaxIter, neurotab.ErrParam)
	case !(e.Tol >= 0) || math.IsInf(e.Tol, 1):
		return fmt.Errorf("hmm: Tol %v not a finite value ≥ 0: %w", e.Tol, neurotab.ErrParam)
	case e.Restarts < 0:
		return fmt.Errorf("hmm: Restarts %d < 0: %w", e.Restarts, neurotab.ErrParam)
	}
	return nil
}

// Parameters returns the configuration as provenance parameters.
func (e EM) Parameters() map[string]any {
	return map[string]any{"max_iter": e.maxIter(), "tol": e.tol(), "restarts": e.restarts(), "seed": e.Seed.String()}
}

// Fit runs Baum–Welch on the sequences xs (each T_s × N) from each restart
// and returns the best. Every restart starts from a copy of init whose
// observation parameters are randomized (Observations.Randomize); init's
// π, P, κ and α are the starting transitions and prior. init is not
// changed.
func (e EM) Fit(init *Model, xs []mat.Matrix) (*Result, error) {
	if err := e.Check(); err != nil {
		return nil, err
	}
	if err := init.Check(); err != nil {
		return nil, err
	}
	var best *Result
	for r := range e.restarts() {
		m := init.Clone()
		if err := m.Observations.Randomize(xs, e.Seed.Rand(uint64(r))); err != nil {
			return nil, at(err, "restart %d", r)
		}
		res, err := e.run(m, xs)
		if err != nil {
			return nil, at(err, "restart %d", r)
		}
		res.Restart = r
		if best == nil || last(res.Objective) > last(best.Objective) {
			best = res
		}
	}
	return best, nil
}

// run iterates Step until the objective stops rising.
func (e EM) run(m *Model, xs []mat.Matrix) (*Result, error) {
	res := &Result{Model: m}
	for it := range e.maxIter() {
		obj, err := m.Step(xs)
		if err != nil {
			return nil, fmt.Errorf("hmm: EM iteration %d: %w", it+1, err)
		}
		n := len(res.Objective)
		res.Objective = append(res.Objective, obj)
		if n > 0 && obj-res.Objective[n-1] < e.tol()*(1+math.Abs(obj)) {
			res.Converged = true
			break
		}
	}
	obj, err := m.Objective(xs)
	if err != nil {
		return nil, err
	}
	res.Objective = append(res.Objective, obj)
	return res, nil
}

func last(v []float64) float64 { return v[len(v)-1] }
