package hmm

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Posterior is what forward–backward infers for one sequence.
type Posterior struct {
	// LogZ is the log marginal likelihood log p(x_{1:T}).
	LogZ float64
	// Gamma is T × K: Gamma[t][k] = p(z_t = k | x_{1:T}).
	Gamma *mat.Dense
	// XiSum is K × K: XiSum[i][j] = Σ_{t<T} p(z_t = i, z_{t+1} = j | x_{1:T}).
	XiSum *mat.Dense
}

// ForwardBackward runs the forward–backward algorithm (Baum et al. 1970,
// doi:10.1214/aoms/1177697196; Rabiner 1989, doi:10.1109/5.18626) on one
// sequence given its T × K log-likelihoods logLik, the initial distribution
// pi (length K) and the K × K row-stochastic transition matrix A:
//
//	log α_1(k) = log π_k + ℓ_1(k)
//	log α_t(j) = ℓ_t(j) + log Σ_i α_{t−1}(i) A_ij
//	log β_T(k) = 0,  log β_t(i) = log Σ_j A_ij exp(ℓ_{t+1}(j)) β_{t+1}(j)
//	log Z = log Σ_k α_T(k),  γ_t(k) = α_t(k) β_t(k) / Z
//	ξ_t(i, j) = α_t(i) A_ij exp(ℓ_{t+1}(j)) β_{t+1}(j) / Z
//
// in log space with max-shift. Σ_t ξ_t is accumulated without storing ξ_t.
// Errors wrap neurotab.ErrNotFinite (a NaN or +Inf log-likelihood, or a
// sequence of probability zero), ErrParam (π or a row of A not a
// distribution, K < 1) or ErrShape.
func ForwardBackward(logLik mat.Matrix, pi []float64, A mat.Matrix) (*Posterior, error) {
	w, ll, T, err := prepare(logLik, pi, A)
	if err != nil {
		return nil, err
	}
	K := w.K
	gamma := make([]float64, T*K)
	xi := make([]float64, K*K)
	logZ, err := w.forwardBackward(ll, T, gamma, xi)
	if err != nil {
		return nil, err
	}
	return &Posterior{LogZ: logZ, Gamma: mat.NewDense(T, K, gamma), XiSum: mat.NewDense(K, K, xi)}, nil
}

// prepare checks the arguments of the exported inference functions and
// returns a workspace with their parameters, the log-likelihoods row-major
// and T.
func prepare(logLik mat.Matrix, pi []float64, A mat.Matrix) (*workspace, []float64, int, error) {
	T, K, err := checkLogLik(logLik)
	if err != nil {
		return nil, nil, 0, err
	}
	if err := checkParams(pi, A, K); err != nil {
		return nil, nil, 0, err
	}
	w := newWorkspace(K)
	w.setParams(pi, dense(A))
	return w, dense(logLik), T, nil
}

// workspace holds the parameters in the forms the recursions use and
// K-length scratch vectors, so repeated E-steps do not allocate.
type workspace struct {
	K          int
	pi, logPi  []float64
	a, logA    []float64 // K × K row-major
	u, q, r, b []float64
}

func newWorkspace(K int) *workspace {
	v := make([]float64, 8*K+2*K*K)
	next := func(n int) []float64 { s := v[:n:n]; v = v[n:]; return s }
	return &workspace{K: K, pi: next(K), logPi: next(K), a: next(K * K), logA: next(K * K),
		u: next(K), q: next(K), r: next(K), b: next(K)}
}

func (w *workspace) setParams(pi, a []float64) {
	copy(w.pi, pi)
	copy(w.a, a)
	for k, v := range pi {
		w.logPi[k] = math.Log(v)
	}
	for k, v := range a {
		w.logA[k] = math.Log(v)
	}
}

// forward fills la (T × K) with log α and returns log Z.
func (w *workspace) forward(ll []float64, T int, la []float64) float64 {
	K := w.K
	for k := range K {
		la[k] = w.logPi[k] + ll[k]
	}
	for t := 1; t < T; t++ {
		prev, cur := la[(t-1)*K:t*K], la[t*K:(t+1)*K]
		m := maxOf(prev)
		if math.IsInf(m, -1) {
			for j := range cur {
				cur[j] = math.Inf(-1)
			}
			continue
		}
		p := w.u
		for i, v := range prev {
			p[i] = math.Exp(v - m)
		}
		for j := range K {
			s := 0.0
			for i := range K {
				s += p[i] * w.a[i*K+j]
			}
			cur[j] = ll[t*K+j] + m + math.Log(s)
		}
	}
	return logSumExp(la[(T-1)*K : T*K])
}

// forwardBackward overwrites gamma (T × K) first with log α then with γ,
// adds Σ_t ξ_t to xi (K × K), and returns log Z.
func (w *workspace) forwardBackward(ll []float64, T int, gamma, xi []float64) (float64, error) {
	K := w.K
	logZ := w.forward(ll, T, gamma)
	if math.IsInf(logZ, -1) || math.IsNaN(logZ) {
		return logZ, fmt.Errorf("hmm: sequence has probability zero under the model (log Z = %v): %w", logZ, neurotab.ErrNotFinite)
	}
	last := gamma[(T-1)*K : T*K]
	for k, v := range last {
		last[k] = math.Exp(v - logZ)
	}
	b := w.b // log β_{t+1}
	for k := range b {
		b[k] = 0
	}
	u, q, r := w.u, w.q, w.r
	for t := T - 2; t >= 0; t-- {
		next := ll[(t+1)*K : (t+2)*K]
		m2 := math.Inf(-1)
		for j := range K {
			q[j] = next[j] + b[j]
			m2 = max(m2, q[j])
		}
		for j := range K {
			q[j] = math.Exp(q[j] - m2)
		}
		row := gamma[t*K : (t+1)*K] // log α_t
		m1 := maxOf(row)
		for i := range K {
			u[i] = math.Exp(row[i] - m1)
		}
		norm := 0.0
		for i := range K {
			s := 0.0
			ai := w.a[i*K : (i+1)*K]
			for j := range K {
				s += ai[j] * q[j]
			}
			r[i] = s
			norm += u[i] * s
		}
		inv := 1 / norm
		for i := range K {
			ci := u[i] * inv
			ai := w.a[i*K : (i+1)*K]
			xr := xi[i*K : (i+1)*K]
			for j := range K {
				xr[j] += ci * ai[j] * q[j]
			}
			row[i] = ci * r[i]
			b[i] = m2 + math.Log(r[i])
		}
	}
	return logZ, nil
}

func maxOf(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = max(m, x)
	}
	return m
}

// logSumExp returns log Σ exp(v) with max-shift.
func logSumExp(v []float64) float64 {
	m := maxOf(v)
	if math.IsInf(m, 0) {
		return m
	}
	s := 0.0
	for _, x := range v {
		s += math.Exp(x - m)
	}
	return m + math.Log(s)
}
