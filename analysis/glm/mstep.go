package glm

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// activeWeight is the smallest posterior weight γ_t(k) a bin needs to
// enter state k's M-step: a bin below it changes the state's weighted log
// likelihood by less than a millionth of one bin's.
const activeWeight = 1e-6

const defaultMStepIter = 3

// stateData is the design of one state's M-step: the bins with γ_t(k) ≥
// activeWeight from every sequence.
type stateData struct {
	rows, P, N int
	X, Y, w    []float64
	wsum       float64
	// Gaussian family: XᵀWX (P × P) and XᵀWY (P × N).
	gram *mat.SymDense
	xwy  *mat.Dense
}

// MStep implements [hmm.Observations]: for each state k and neuron n it
// maximizes the γ-weighted, penalized log likelihood
//
//	J(β_kn) = Σ_s Σ_t γ_st(k) log p(y_stn | x_st β_kn) − (L2/2)‖w_kn‖² + log p(W_k | prior)
//
// over all sequences, by Fisher scoring (Newton's method with the expected
// Hessian, which is positive definite for every link) from the current
// coefficients with a step-halving line search, so each M-step raises the
// EM objective (generalized EM; Dempster, Laird & Rubin 1977). The Gaussian
// family is solved in closed form and its variance is the weighted mean
// squared residual. The prior's own parameters (W̄ or π) follow in closed
// form or by a concave inner fit. A state with zero total weight keeps its
// parameters. On error, including a non-finite coefficient, nothing changes.
func (o *GLMObservations) MStep(xs []mat.Matrix, ws []*mat.Dense) error {
	if err := o.check(); err != nil {
		return err
	}
	K, N := o.States(), o.Neurons()
	if len(xs) != len(ws) {
		return fmt.Errorf("glm: %d sequences and %d weight matrices: %w", len(xs), len(ws), neurotab.ErrShape)
	}
	ds := make([]*prepared, len(xs))
	total := 0
	for s, x := range xs {
		T, _ := x.Dims()
		if r, c := ws[s].Dims(); r != T || c != K {
			return fmt.Errorf("glm: sequence %d has %d steps but weights %d × %d for K = %d: %w", s, T, r, c, K, neurotab.ErrShape)
		}
		d, err := o.prepare(x)
		if err != nil {
			return fmt.Errorf("glm: sequence %d: %w", s, err)
		}
		for t := range T {
			for k := range K {
				if v := ws[s].At(t, k); !(v >= 0) || math.IsInf(v, 0) {
					return fmt.Errorf("glm: sequence %d: weight at bin %d, state %d is %v, want finite ≥ 0: %w", s, t, k, v, neurotab.ErrOutOfRange)
				}
			}
		}
		ds[s] = d
		total += T
	}
	if total == 0 {
		return fmt.Errorf("glm: no data for the M-step: %w", neurotab.ErrShape)
	}
	e, _ := o.emission()
	sds := make([]*stateData, K)
	parallel(K, func(k int) { sds[k] = o.gather(e, ds, ws, k) })

	next := o.Clone().(*GLMObservations)
	errs := make([]error, K*N)
	oh, _ := next.Prior.(*OneHotPrior)
	parallel(K*N, func(j int) {
		k, n := j/N, j%N
		if !(sds[k].wsum > 0) {
			return
		}
		if oh != nil {
			errs[j] = next.fitOneHot(e, sds[k], oh, k, n)
		} else {
			errs[j] = next.fitOne(e, sds[k], k, n)
		}
	})
	for j, err := range errs {
		if err != nil {
			return fmt.Errorf("glm: M-step of state %d, neuron %d: %w", j/N, j%N, err)
		}
	}
	if next.Prior != nil {
		next.Prior.update(next)
	}
	if err := next.finite(); err != nil {
		return err
	}
	*o = *next
	return nil
}

// gather collects state k's active bins.
func (o *GLMObservations) gather(e emission, ds []*prepared, ws []*mat.Dense, k int) *stateData {
	N, P := o.Neurons(), o.params()
	sd := &stateData{P: P, N: N}
	for s, d := range ds {
		for t := range d.T {
			g := ws[s].At(t, k)
			if g < activeWeight {
				continue
			}
			sd.X = append(sd.X, d.X[t*P:(t+1)*P]...)
			sd.Y = append(sd.Y, d.Y[t*N:(t+1)*N]...)
			sd.w = append(sd.w, g)
			sd.wsum += g
			sd.rows++
		}
	}
	if e.family == Gaussian && sd.rows > 0 {
		z := make([]float64, len(sd.X))
		for t := range sd.rows {
			r := math.Sqrt(sd.w[t])
			for j := range P {
				z[t*P+j] = r * sd.X[t*P+j]
			}
		}
		Z := mat.NewDense(sd.rows, P, z)
		sd.gram = mat.NewSymDense(P, nil)
		sd.gram.SymOuterK(1, Z.T())
		wy := make([]float64, len(sd.Y))
		for t := range sd.rows {
			for n := range N {
				wy[t*N+n] = sd.w[t] * sd.Y[t*N+n]
			}
		}
		sd.xwy = mat.NewDense(P, N, nil)
		sd.xwy.Mul(mat.NewDense(sd.rows, P, sd.X).T(), mat.NewDense(sd.rows, N, wy))
	}
	return sd
}

// penalty returns the diagonal λ_j and centre c_j of the quadratic
// penalty −½ Σ_j λ_j (β_j − c_j)² on (k, n)'s coefficients: L2 on the
// history and input weights, plus 1/σ² around W̄[n] on the history weights
// under a Gaussian prior.
func (o *GLMObservations) penalty(n int) (lambda, centre []float64) {
	N, P := o.Neurons(), o.params()
	lambda, centre = make([]float64, P), make([]float64, P)
	for j := 1; j < P; j++ {
		lambda[j] = o.L2
	}
	if g, ok := o.Prior.(*GaussianPrior); ok {
		s := g.sigma()
		for m := range N {
			lambda[1+m] += 1 / (s * s)
			centre[1+m] = g.Mean.At(n, m)
		}
	}
	return lambda, centre
}

func (o *GLMObservations) maxIter() int {
	if o.MaxIter == 0 {
		return defaultMStepIter
	}
	return o.MaxIter
}

// variance returns state k's variance of neuron n (1 unless Gaussian).
func (o *GLMObservations) variance(k, n int) float64 {
	if o.Variance == nil {
		return 1
	}
	return o.Variance.At(k, n)
}

// fitOne fits (k, n) under a quadratic penalty (no prior or Gaussian prior).
func (o *GLMObservations) fitOne(e emission, sd *stateData, k, n int) error {
	P := sd.P
	lambda, centre := o.penalty(n)
	beta := make([]float64, P)
	o.beta(k, n, beta)
	if e.family == Gaussian {
		return o.fitGaussian(sd, k, n, lambda, centre)
	}
	obj := func(b []float64) float64 {
		s := sd.logLik(e, n, 1, b)
		for j, l := range lambda {
			d := b[j] - centre[j]
			s -= 0.5 * l * d * d
		}
		return s
	}
	f := newScorer(P, sd.rows)
	J := obj(beta)
	if math.IsNaN(J) {
		return fmt.Errorf("log likelihood is NaN at the current coefficients: %w", neurotab.ErrNotFinite)
	}
	next := make([]float64, P)
	for it := 1; it <= o.maxIter(); it++ {
		f.fisher(e, sd, n, 1, beta)
		for j, l := range lambda {
			f.g[j] -= l * (beta[j] - centre[j])
			f.h.SetSym(j, j, f.h.At(j, j)+l)
		}
		step, err := f.solve()
		if err != nil {
			return nil // no usable direction: keep the current coefficients
		}
		alpha, accepted := 1.0, false
		var nJ float64
		for range 40 {
			for j := range P {
				next[j] = beta[j] + alpha*step[j]
			}
			nJ = obj(next)
			if math.IsNaN(nJ) {
				return fmt.Errorf("log likelihood is NaN at Fisher iteration %d: %w", it, neurotab.ErrNotFinite)
			}
			if nJ >= J {
				accepted = true
				break
			}
			alpha /= 2
		}
		if !accepted {
			break
		}
		moved, size := 0.0, 0.0
		for j := range P {
			moved = math.Max(moved, math.Abs(next[j]-beta[j]))
			size = math.Max(size, math.Abs(next[j]))
		}
		beta, next = next, beta
		gain := nJ - J
		J = nJ
		if moved <= 1e-9*(1+size) || gain <= 1e-13*(1+math.Abs(J)) {
			break
		}
	}
	o.setBeta(k, n, beta)
	return nil
}

// fitGaussian solves (XᵀWX + vΛ) β = XᵀWy + vΛc for (k, n) and sets the
// variance to the weighted mean squared residual.
func (o *GLMObservations) fitGaussian(sd *stateData, k, n int, lambda, centre []float64) error {
	P := sd.P
	v := o.variance(k, n)
	a := mat.NewSymDense(P, nil)
	a.CopySym(sd.gram)
	rhs := mat.NewVecDense(P, nil)
	for j := range P {
		a.SetSym(j, j, a.At(j, j)+v*lambda[j])
		rhs.SetVec(j, sd.xwy.At(j, n)+v*lambda[j]*centre[j])
	}
	var chol mat.Cholesky
	if !chol.Factorize(a) || chol.Cond() > 1e15 {
		return fmt.Errorf("XᵀWX is singular (collinear columns or too few weighted samples); set L2 > 0: %w", neurotab.ErrSingular)
	}
	var beta mat.VecDense
	if err := chol.SolveVecTo(&beta, rhs); err != nil {
		return fmt.Errorf("XᵀWX is singular; set L2 > 0: %w", neurotab.ErrSingular)
	}
	b := beta.RawVector().Data
	ss := 0.0
	for t := range sd.rows {
		r := sd.Y[t*sd.N+n] - dot(sd.X[t*P:(t+1)*P], b)
		ss += sd.w[t] * r * r
	}
	o.setBeta(k, n, b)
	o.Variance.Set(k, n, math.Max(ss/sd.wsum, varianceFloor))
	return nil
}

// logLik returns Σ_t w_t ℓ(y_tn | x_t β) without constants.
func (sd *stateData) logLik(e emission, n int, v float64, beta []float64) float64 {
	s := 0.0
	P, N := sd.P, sd.N
	for t := range sd.rows {
		s += sd.w[t] * e.logLik(sd.Y[t*N+n], dot(sd.X[t*P:(t+1)*P], beta), v)
	}
	return s
}

// scorer holds the gradient and Fisher matrix of one (state, neuron) fit.
type scorer struct {
	P    int
	g    []float64
	h    *mat.SymDense
	z    []float64
	chol mat.Cholesky
	step *mat.VecDense
}

func newScorer(P, rows int) *scorer {
	return &scorer{P: P, g: make([]float64, P), h: mat.NewSymDense(P, nil), z: make([]float64, rows*P), step: mat.NewVecDense(P, nil)}
}

// fisher sets g = Σ_t w_t ∂ℓ/∂η x_t and h = Σ_t w_t I(η_t) x_t x_tᵀ at β.
// h is ZZᵀ for the P × rows matrix Z with columns √(w_t I_t) x_t, stored
// row-major so that BLAS forms it from contiguous dot products.
func (f *scorer) fisher(e emission, sd *stateData, n int, v float64, beta []float64) float64 {
	P, N, rows := sd.P, sd.N, sd.rows
	clear(f.g)
	ll := 0.0
	for t := range rows {
		row := sd.X[t*P : (t+1)*P]
		l, d1, fi := e.term(sd.Y[t*N+n], dot(row, beta), v)
		ll += sd.w[t] * l
		a := sd.w[t] * d1
		r := math.Sqrt(sd.w[t] * fi)
		for j, x := range row {
			f.g[j] += a * x
			f.z[j*rows+t] = r * x
		}
	}
	raw := f.h.RawSymmetric()
	clear(raw.Data)
	if rows > 0 {
		blas64.Syrk(blas.NoTrans, 1, blas64.General{Rows: P, Cols: rows, Stride: rows, Data: f.z[:rows*P]}, 0, raw)
	}
	return ll
}

var errNoDirection = errors.New("glm: no ascent direction")

// solve returns h⁻¹ g, adding a growing ridge when h is (nearly) singular.
func (f *scorer) solve() ([]float64, error) {
	if anyNaN(f.g) || anyNaN(f.h.RawSymmetric().Data) {
		return nil, errNoDirection
	}
	scale := 0.0
	for j := range f.P {
		scale = math.Max(scale, f.h.At(j, j))
	}
	ridge := 0.0
	a := mat.NewSymDense(f.P, nil)
	for range 8 {
		a.CopySym(f.h)
		for j := range f.P {
			a.SetSym(j, j, a.At(j, j)+ridge)
		}
		if f.chol.Factorize(a) && f.chol.Cond() < 1e13 {
			if err := f.chol.SolveVecTo(f.step, mat.NewVecDense(f.P, f.g)); err == nil {
				return f.step.RawVector().Data, nil
			}
		}
		if ridge == 0 {
			ridge = 1e-10 * (1 + scale)
		} else {
			ridge *= 100
		}
	}
	return nil, errNoDirection
}

// finite reports a non-finite parameter as an error.
func (o *GLMObservations) finite() error {
	K, N := o.States(), o.Neurons()
	for k := range K {
		for n := range N {
			if v := o.Bias.At(k, n); math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("glm: M-step gave bias %v for state %d, neuron %d: %w", v, k, n, neurotab.ErrNotFinite)
			}
		}
		for _, w := range append([]*mat.Dense{o.Weights[k]}, inputsOf(o, k)...) {
			for _, v := range w.RawMatrix().Data {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("glm: M-step gave a weight %v in state %d: %w", v, k, neurotab.ErrNotFinite)
				}
			}
		}
	}
	return nil
}

func inputsOf(o *GLMObservations, k int) []*mat.Dense {
	if o.Inputs == 0 {
		return nil
	}
	return []*mat.Dense{o.InputWeights[k]}
}
