package glm

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"

	"github.com/neurotab/neurotab"
)

// WeightPrior is a prior over the per-state weight matrices W_k of
// [GLMObservations]: [*GaussianPrior] or [*OneHotPrior]. nil means none
// (the naive HMM-GLM).
type WeightPrior interface {
	// Name is "gaussian" or "onehot".
	Name() string
	check(K, N int) error
	clone() WeightPrior
	randomize(o *GLMObservations, rng *rand.Rand)
	update(o *GLMObservations)
}

// DefaultGaussianSigma is the prior standard deviation of the authors'
// Gaussian-prior HMM-GLM (weight_prior_std = 1/3).
const DefaultGaussianSigma = 1.0 / 3

// GaussianPrior is the Gaussian prior of the Gaussian HMM-GLM of Li, Kim,
// Rodgers, Choi & Wu (ICLR 2024): every state's weights scatter around a
// shared, learned mean,
//
//	W_k[n][m] ~ N(W̄[n][m], σ²)   independently for k = 1 … K
//
// so the M-step of (k, n) is a ridge regression centred at W̄[n] with
// penalty 1/σ², and W̄ = (1/K) Σ_k W_k is its closed-form maximizer given the
// W_k (coordinate ascent on the MAP objective). W̄ is the state-invariant
// ("anatomical") part of the interactions.
type GaussianPrior struct {
	// Sigma is σ > 0 (0 means DefaultGaussianSigma).
	Sigma float64
	// Mean is W̄, N × N in W[post][pre] orientation, learned by MStep.
	Mean *mat.Dense
}

// NewGaussianPrior returns the prior for N neurons with W̄ = 0.
func NewGaussianPrior(N int, sigma float64) (*GaussianPrior, error) {
	if N < 1 {
		return nil, fmt.Errorf("glm: Gaussian prior for N = %d neurons: %w", N, neurotab.ErrParam)
	}
	g := &GaussianPrior{Sigma: sigma, Mean: mat.NewDense(N, N, nil)}
	if err := g.check(1, N); err != nil {
		return nil, err
	}
	return g, nil
}

// Name returns "gaussian".
func (g *GaussianPrior) Name() string { return "gaussian" }

func (g *GaussianPrior) sigma() float64 {
	if g.Sigma == 0 {
		return DefaultGaussianSigma
	}
	return g.Sigma
}

func (g *GaussianPrior) check(_, N int) error {
	if !(g.Sigma >= 0) || math.IsInf(g.Sigma, 0) {
		return fmt.Errorf("glm: Gaussian prior σ %v, want finite > 0: %w", g.Sigma, neurotab.ErrParam)
	}
	if g.Mean == nil {
		return fmt.Errorf("glm: Gaussian prior without Mean: %w", neurotab.ErrParam)
	}
	if r, c := g.Mean.Dims(); r != N || c != N {
		return fmt.Errorf("glm: Gaussian prior mean is %d × %d, want %d × %d: %w", r, c, N, N, neurotab.ErrShape)
	}
	return nil
}

func (g *GaussianPrior) clone() WeightPrior {
	return &GaussianPrior{Sigma: g.Sigma, Mean: mat.DenseCopyOf(g.Mean)}
}

func (g *GaussianPrior) randomize(o *GLMObservations, _ *rand.Rand) { g.update(o) }

// update sets W̄ = mean over states of W_k.
func (g *GaussianPrior) update(o *GLMObservations) {
	g.Mean.Zero()
	for _, w := range o.Weights {
		g.Mean.Add(g.Mean, w)
	}
	g.Mean.Scale(1/float64(len(o.Weights)), g.Mean)
}

// LogDensity returns Σ_k log N(W_k | W̄, σ²) of the weights of o.
func (g *GaussianPrior) LogDensity(o *GLMObservations) float64 {
	s := g.sigma()
	out := 0.0
	for _, w := range o.Weights {
		r, c := w.Dims()
		for i := range r {
			for j := range c {
				d := (w.At(i, j) - g.Mean.At(i, j)) / s
				out += -0.5*d*d - math.Log(s) - 0.5*math.Log(2*math.Pi)
			}
		}
	}
	return out
}

// Connection types of the one-hot prior, the index of each class in the
// logits.
const (
	Inhibitory   = 0
	NoConnection = 1
	Excitatory   = 2
)

// DefaultTau is the Concrete temperature τ of the authors' one-hot
// HMM-GLM.
const DefaultTau = 0.2

// logitBound bounds the state logits a (|a| ≤ 10, so every class keeps
// log-probability above about −21): the smooth version of the authors'
// rule that halves logits whose log-probability falls below −20, needed
// because the Concrete density grows without bound at a vertex.
const logitBound = 10

// OneHotPrior is the one-hot prior of Li, Kim, Rodgers, Choi & Wu,
// "One-hot generalized linear model for switching brain state discovery"
// (ICLR 2024, https://openreview.net/forum?id=MREQ0k6qvD). Each state's
// weights factor into a connection type and a strength,
//
//	W_k[n][m] = S_k[n][m] · (A_k[n][m][exc] − A_k[n][m][inh]),  S_k = softplus(s_k) ≥ 0
//	A_k[n][m] ~ Concrete(π[n][m], τ)   (Gumbel-softmax; Maddison et al. 2017, Jang et al. 2017)
//
// with A_k[n][m] on the simplex over {inhibitory, none, excitatory} and the
// logits π (N × N × 3) shared by all states: the learned, state-invariant
// ("anatomical") connectivity. The Concrete log density of x on the
// 3-simplex is
//
//	log p(x | π, τ) = log Γ(3) + 2 log τ − 3 log Σ_i π_i x_i^{−τ} + Σ_i (log π_i − (τ+1) log x_i).
//
// Training uses the deterministic relaxation A_k = softmax(a_k) of state
// logits a_k (the authors' default), test time the hard argmax
// ([GLMObservations.Harden]). The M-step of (k, n) maximizes the weighted
// log likelihood plus Σ_m log p(A_k[n][m] | π[n][m], τ) over (bias, a, s)
// by L-BFGS on a Fisher-scoring quadratic model of the likelihood, keeping
// the step only if the exact objective rises; π then maximizes
// Σ_k log p(A_k | π, τ), a concave problem in log π, unless Fixed.
//
// Connectome-informed: [OneHotPriorFromSigns] sets π from a signed
// adjacency (−1, 0, +1), and Fixed keeps it there.
type OneHotPrior struct {
	// Tau is the Concrete temperature τ > 0 (0 means DefaultTau).
	Tau float64
	// Fixed keeps π as given (a connectome-informed prior).
	Fixed bool

	K, N int
	// logPi are log π, N × N × 3, normalized.
	logPi []float64
	// a are the state logits, K × N × N × 3; s the raw strengths K × N × N.
	a, s []float64
}

// NewOneHotPrior returns the prior for K states and N neurons with uniform
// π (tau 0 means DefaultTau).
func NewOneHotPrior(K, N int, tau float64) (*OneHotPrior, error) {
	if K < 1 || N < 1 {
		return nil, fmt.Errorf("glm: one-hot prior for K = %d, N = %d: %w", K, N, neurotab.ErrParam)
	}
	p := &OneHotPrior{Tau: tau, K: K, N: N, logPi: make([]float64, N*N*3), a: make([]float64, K*N*N*3), s: make([]float64, K*N*N)}
	for i := range p.logPi {
		p.logPi[i] = -math.Log(3)
	}
	s0 := math.Log(math.Expm1(0.5))
	for i := range p.s {
		p.s[i] = s0
	}
	if err := p.check(K, N); err != nil {
		return nil, err
	}
	return p, nil
}

// OneHotPriorFromSigns returns a connectome-informed prior: the N × N
// signs (W[post][pre] orientation: −1 inhibitory, 0 no synapse, +1
// excitatory, e.g. from a connectome's edges and neurotransmitters) set
//
//	log π[n][m] ∝ strength · onehot(signs[n][m])
//
// so strength = 0 is the uniform prior and a large strength nearly fixes
// the types; a NaN sign (a pair the connectome does not cover, e.g. of an
// unlabeled neuron) gets the uniform prior. fixed keeps π there during
// fitting. A sign outside {−1, 0, 1}
// or a negative strength wraps neurotab.ErrParam.
func OneHotPriorFromSigns(K int, signs mat.Matrix, strength, tau float64, fixed bool) (*OneHotPrior, error) {
	r, c := signs.Dims()
	if r != c {
		return nil, fmt.Errorf("glm: sign matrix is %d × %d, want square: %w", r, c, neurotab.ErrShape)
	}
	if !(strength >= 0) || math.IsInf(strength, 0) {
		return nil, fmt.Errorf("glm: prior strength %v, want finite ≥ 0: %w", strength, neurotab.ErrParam)
	}
	p, err := NewOneHotPrior(K, r, tau)
	if err != nil {
		return nil, err
	}
	p.Fixed = fixed
	for n := range r {
		for m := range r {
			v := signs.At(n, m)
			if math.IsNaN(v) { // unknown: the uniform prior for this pair
				for i := range 3 {
					p.logPi[(n*r+m)*3+i] = -math.Log(3)
				}
				continue
			}
			if v != -1 && v != 0 && v != 1 {
				return nil, fmt.Errorf("glm: sign at [%d][%d] is %v, want −1, 0 or +1: %w", n, m, v, neurotab.ErrParam)
			}
			var rho [3]float64
			rho[int(v)+1] = strength
			lse := logSumExp(rho[:])
			for i := range 3 {
				p.logPi[(n*r+m)*3+i] = rho[i] - lse
			}
		}
	}
	return p, nil
}

// Name returns "onehot".
func (p *OneHotPrior) Name() string { return "onehot" }

func (p *OneHotPrior) tau() float64 {
	if p.Tau == 0 {
		return DefaultTau
	}
	return p.Tau
}

func (p *OneHotPrior) check(K, N int) error {
	if !(p.Tau >= 0) || math.IsInf(p.Tau, 0) {
		return fmt.Errorf("glm: one-hot prior τ %v, want finite > 0: %w", p.Tau, neurotab.ErrParam)
	}
	if p.K != K || p.N != N || len(p.logPi) != N*N*3 || len(p.a) != K*N*N*3 || len(p.s) != K*N*N {
		return fmt.Errorf("glm: one-hot prior for K = %d, N = %d on a model with K = %d, N = %d (use NewOneHotPrior): %w", p.K, p.N, K, N, neurotab.ErrShape)
	}
	return nil
}

func (p *OneHotPrior) clone() WeightPrior {
	c := *p
	c.logPi = append([]float64(nil), p.logPi...)
	c.a = append([]float64(nil), p.a...)
	c.s = append([]float64(nil), p.s...)
	return &c
}

// Prior returns the learned π as three N × N matrices of probabilities:
// inhibitory, none and excitatory.
func (p *OneHotPrior) Prior() (inh, none, exc *mat.Dense) {
	out := [3]*mat.Dense{mat.NewDense(p.N, p.N, nil), mat.NewDense(p.N, p.N, nil), mat.NewDense(p.N, p.N, nil)}
	for n := range p.N {
		for m := range p.N {
			for i := range 3 {
				out[i].Set(n, m, math.Exp(p.logPi[(n*p.N+m)*3+i]))
			}
		}
	}
	return out[0], out[1], out[2]
}

// Types returns the N × N argmax of π as −1 (inhibitory), 0 (none) or +1
// (excitatory).
func (p *OneHotPrior) Types() *mat.Dense { return argmaxTypes(p.logPi, p.N) }

// StateTypes returns state k's hard connection types argmax A_k (−1, 0, +1).
func (p *OneHotPrior) StateTypes(k int) *mat.Dense {
	return argmaxTypes(p.a[k*p.N*p.N*3:(k+1)*p.N*p.N*3], p.N)
}

// Strengths returns state k's strengths S_k = softplus(s_k), N × N.
func (p *OneHotPrior) Strengths(k int) *mat.Dense {
	out := mat.NewDense(p.N, p.N, nil)
	for i := range p.N * p.N {
		f, _ := softplus(p.s[k*p.N*p.N+i])
		out.Set(i/p.N, i%p.N, f)
	}
	return out
}

func argmaxTypes(logits []float64, N int) *mat.Dense {
	out := mat.NewDense(N, N, nil)
	for i := range N * N {
		l := logits[i*3 : i*3+3]
		best := NoConnection
		for c := range 3 {
			if l[c] > l[best] {
				best = c
			}
		}
		out.Set(i/N, i%N, float64(best-1))
	}
	return out
}

// randomize draws each state's logits a_k[n][m] = log π[n][m] + 0.1·g
// with Gumbel noise g, and sets the weights to the relaxed W_k.
func (p *OneHotPrior) randomize(o *GLMObservations, rng *rand.Rand) {
	s0 := math.Log(math.Expm1(0.5))
	for k := range p.K {
		for i := range p.N * p.N {
			for c := range 3 {
				u := rng.Float64()
				g := -math.Log(-math.Log(u + 1e-300))
				p.a[(k*p.N*p.N+i)*3+c] = clampLogit(p.logPi[i*3+c] + 0.1*g)
			}
			p.s[k*p.N*p.N+i] = s0
		}
	}
	p.setWeights(o)
}

func clampLogit(v float64) float64 { return math.Max(-logitBound+1e-6, math.Min(logitBound-1e-6, v)) }

// setWeights writes the relaxed W_k = S_k ⊙ (softmax(a_k)[exc] − softmax(a_k)[inh]).
func (p *OneHotPrior) setWeights(o *GLMObservations) {
	for k := range p.K {
		for n := range p.N {
			for m := range p.N {
				i := (k*p.N+n)*p.N + m
				pr := softmax3(p.a[i*3 : i*3+3])
				f, _ := softplus(p.s[i])
				o.Weights[k].Set(n, m, f*(pr[Excitatory]-pr[Inhibitory]))
			}
		}
	}
}

// Harden returns a copy whose weights use the hard connection types
// argmax A_k (the test-time model of the one-hot HMM-GLM): W_k[n][m] =
// S_k[n][m] · (1[exc] − 1[inh]). Without a one-hot prior it is a plain
// copy.
func (o *GLMObservations) Harden() *GLMObservations {
	c := o.Clone().(*GLMObservations)
	p, ok := c.Prior.(*OneHotPrior)
	if !ok {
		return c
	}
	for k := range p.K {
		types := p.StateTypes(k)
		S := p.Strengths(k)
		c.Weights[k].MulElem(types, S)
	}
	return c
}

func softmax3(a []float64) [3]float64 {
	mx := math.Max(a[0], math.Max(a[1], a[2]))
	var out [3]float64
	s := 0.0
	for i := range 3 {
		out[i] = math.Exp(a[i] - mx)
		s += out[i]
	}
	for i := range 3 {
		out[i] /= s
	}
	return out
}

func logSumExp(v []float64) float64 {
	mx := math.Inf(-1)
	for _, x := range v {
		mx = math.Max(mx, x)
	}
	s := 0.0
	for _, x := range v {
		s += math.Exp(x - mx)
	}
	return mx + math.Log(s)
}

// ConcreteLogPDF returns the log density of the Concrete (Gumbel-softmax)
// distribution with class probabilities pi and temperature tau at x on the
// simplex (Maddison, Mnih & Teh, ICLR 2017, eq. 2):
//
//	log p(x) = log Γ(k) + (k−1) log τ − k log Σ_i π_i x_i^{−τ} + Σ_i (log π_i − (τ+1) log x_i).
func ConcreteLogPDF(x, pi []float64, tau float64) float64 {
	k := len(x)
	u := make([]float64, k)
	s := 0.0
	for i := range x {
		u[i] = math.Log(pi[i]) - tau*math.Log(x[i])
		s += math.Log(pi[i]) - (tau+1)*math.Log(x[i])
	}
	lg, _ := math.Lgamma(float64(k))
	return lg + float64(k-1)*math.Log(tau) - float64(k)*logSumExp(u) + s
}

// concrete returns log p(softmax(a) | π, τ) for 3 classes given log π and
// the logits a, and adds its gradient with respect to a to grad.
func concrete(logPi, a []float64, tau float64, grad []float64) float64 {
	lse := logSumExp(a)
	var logx, u [3]float64
	s := 0.0
	for i := range 3 {
		logx[i] = a[i] - lse
		u[i] = logPi[i] - tau*logx[i]
		s += logPi[i] - (tau+1)*logx[i]
	}
	lu := logSumExp(u[:])
	val := math.Log(2) + 2*math.Log(tau) - 3*lu + s
	if grad != nil {
		var c [3]float64
		csum := 0.0
		for i := range 3 {
			c[i] = 3*tau*math.Exp(u[i]-lu) - (tau + 1)
			csum += c[i]
		}
		for j := range 3 {
			grad[j] += c[j] - math.Exp(logx[j])*csum
		}
	}
	return val
}

// update fits π to the state logits unless Fixed: for each (n, m) it
// maximizes Σ_k log p(softmax(a_k[n][m]) | π, τ), which in ρ = log π is
//
//	f(ρ) = Σ_k [ Σ_i ρ_i − 3 log Σ_i exp(ρ_i − τ log x_ki) ]  (+ const),
//
// concave; Newton's method with ρ_none = 0 and step halving.
func (p *OneHotPrior) update(o *GLMObservations) {
	p.setWeights(o)
	if p.Fixed {
		return
	}
	tau := p.tau()
	NN := p.N * p.N
	parallel(p.N, func(n int) {
		logx := make([]float64, p.K*3)
		for m := range p.N {
			i := n*p.N + m
			for k := range p.K {
				a := p.a[(k*NN+i)*3 : (k*NN+i)*3+3]
				lse := logSumExp(a)
				for c := range 3 {
					logx[k*3+c] = a[c] - lse
				}
			}
			rho := make([]float64, 3)
			for c := range 3 {
				rho[c] = p.logPi[i*3+c] - p.logPi[i*3+NoConnection]
			}
			f := func(r []float64) float64 {
				v := 0.0
				var u [3]float64
				for k := range p.K {
					for c := range 3 {
						u[c] = r[c] - tau*logx[k*3+c]
					}
					v += r[0] + r[1] + r[2] - 3*logSumExp(u[:])
				}
				return v
			}
			cur := f(rho)
			for range 50 {
				var g [3]float64
				var h [3][3]float64
				var u [3]float64
				for k := range p.K {
					for c := range 3 {
						u[c] = rho[c] - tau*logx[k*3+c]
					}
					q := softmax3(u[:])
					for c := range 3 {
						g[c] += 1 - 3*q[c]
						for d := range 3 {
							h[c][d] -= 3 * q[c] * (b2f(c == d) - q[d])
						}
					}
				}
				// 2 × 2 system on (inh, exc) with ρ_none fixed at 0.
				a, b, c := h[0][0], h[0][2], h[2][2]
				det := a*c - b*b
				if !(det > 1e-300) {
					break
				}
				d0 := -(c*g[0] - b*g[2]) / det
				d2 := -(-b*g[0] + a*g[2]) / det
				step, improved := 1.0, false
				trial := make([]float64, 3)
				for range 30 {
					trial[0] = math.Max(-30, math.Min(30, rho[0]+step*d0))
					trial[2] = math.Max(-30, math.Min(30, rho[2]+step*d2))
					if v := f(trial); v > cur {
						copy(rho, trial)
						cur = v
						improved = true
						break
					}
					step /= 2
				}
				if !improved || math.Abs(step*d0)+math.Abs(step*d2) < 1e-10 {
					break
				}
			}
			lse := logSumExp(rho)
			for c := range 3 {
				p.logPi[i*3+c] = rho[c] - lse
			}
		}
	})
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// fitOneHot is the (k, n) M-step under the one-hot prior: L-BFGS (gonum
// optimize) over θ = (bias, inputs, α, s), a = 10·tanh(α), on the
// Fisher-scoring quadratic model of the weighted log likelihood around the
// current coefficients plus the exact Concrete log prior; the step is kept
// (halved up to 10 times) only if the exact objective rises.
func (o *GLMObservations) fitOneHot(e emission, sd *stateData, p *OneHotPrior, k, n int) error {
	N, M, P := o.Neurons(), o.Inputs, sd.P
	tau := p.tau()
	v := o.variance(k, n)
	NN := N * N
	aOf := func(m int) int { return ((k*NN + n*N + m) * 3) }
	sOf := func(m int) int { return k*NN + n*N + m }
	D := 1 + M + 4*N
	// θ layout: [b, u(M), α(3N), s(N)].
	theta := make([]float64, D)
	theta[0] = o.Bias.At(k, n)
	for j := range M {
		theta[1+j] = o.InputWeights[k].At(n, j)
	}
	for m := range N {
		for c := range 3 {
			theta[1+M+3*m+c] = math.Atanh(p.a[aOf(m)+c] / logitBound)
		}
		theta[1+M+3*N+m] = p.s[sOf(m)]
	}
	logPi := func(m int) []float64 { i := (n*N + m) * 3; return p.logPi[i : i+3] }
	// coefficients β(θ) and, given ∂J/∂β, the chain rule into grad.
	toBeta := func(th, beta []float64) {
		beta[0] = th[0]
		for m := range N {
			a := th[1+M+3*m : 1+M+3*m+3]
			pr := softmax3([]float64{logitBound * math.Tanh(a[0]), logitBound * math.Tanh(a[1]), logitBound * math.Tanh(a[2])})
			f, _ := softplus(th[1+M+3*N+m])
			beta[1+m] = f * (pr[Excitatory] - pr[Inhibitory])
		}
		copy(beta[1+N:], th[1:1+M])
	}
	// priorTerms returns −(L2/2)‖w, u‖² + Σ_m log Concrete, adding ∂/∂θ
	// (through α) and, via gb, the chain rule of ∂/∂β to grad.
	objectiveTail := func(th, beta, gb, grad []float64) float64 {
		val := 0.0
		for j := 1; j < P; j++ {
			val -= 0.5 * o.L2 * beta[j] * beta[j]
			if gb != nil {
				gb[j] -= o.L2 * beta[j]
			}
		}
		if grad != nil {
			grad[0] = gb[0]
			for j := range M {
				grad[1+j] = gb[1+N+j]
			}
		}
		for m := range N {
			al := th[1+M+3*m : 1+M+3*m+3]
			var a, da [3]float64
			for c := range 3 {
				t := math.Tanh(al[c])
				a[c] = logitBound * t
				da[c] = logitBound * (1 - t*t)
			}
			var ga [3]float64
			if grad != nil {
				val += concrete(logPi(m), a[:], tau, ga[:])
				pr := softmax3(a[:])
				sm := th[1+M+3*N+m]
				f, _ := softplus(sm)
				Dm := pr[Excitatory] - pr[Inhibitory]
				G := gb[1+m]
				grad[1+M+3*N+m] = G * sigmoid(sm) * Dm
				for c := range 3 {
					ga[c] += G * f * pr[c] * (b2f(c == Excitatory) - b2f(c == Inhibitory) - Dm)
					grad[1+M+3*m+c] = ga[c] * da[c]
				}
			} else {
				val += concrete(logPi(m), a[:], tau, nil)
			}
		}
		return val
	}
	beta0 := make([]float64, P)
	beta := make([]float64, P)
	gb := make([]float64, P)
	diff := make([]float64, P)
	exact := func(th []float64) float64 {
		toBeta(th, beta)
		return sd.logLik(e, n, v, beta) + objectiveTail(th, beta, nil, nil)
	}
	J := exact(theta)
	if math.IsNaN(J) {
		return fmt.Errorf("objective is NaN at the current parameters: %w", neurotab.ErrNotFinite)
	}
	f := newScorer(P, sd.rows)
	H := mat.NewDense(P, P, nil)
	outer := min(o.maxIter(), 4)
	for it := 1; it <= outer; it++ {
		toBeta(theta, beta0)
		f.fisher(e, sd, n, v, beta0)
		g0 := append([]float64(nil), f.g...)
		H.Copy(f.h)
		surrogate := func(th, grad []float64) float64 {
			toBeta(th, beta)
			for j := range P {
				diff[j] = beta[j] - beta0[j]
			}
			val := 0.0
			for j := range P {
				hd := dot(H.RawRowView(j), diff)
				val += g0[j]*diff[j] - 0.5*diff[j]*hd
				gb[j] = g0[j] - hd
			}
			return val + objectiveTail(th, beta, gb, grad)
		}
		problem := optimize.Problem{
			Func: func(th []float64) float64 { return -surrogate(th, nil) },
			Grad: func(grad, th []float64) {
				surrogate(th, grad)
				for j := range grad {
					grad[j] = -grad[j]
				}
			},
		}
		res, err := optimize.Minimize(problem, theta, &optimize.Settings{FuncEvaluations: 300, GradientThreshold: 1e-6}, &optimize.LBFGS{})
		if err != nil && res == nil {
			break
		}
		cand := res.X
		accepted := false
		trial := make([]float64, D)
		step := 1.0
		for range 10 {
			for j := range D {
				trial[j] = theta[j] + step*(cand[j]-theta[j])
			}
			nJ := exact(trial)
			if nJ > J { // a NaN trial point (a diverged L-BFGS run) is rejected
				gain := nJ - J
				copy(theta, trial)
				J = nJ
				accepted = gain > 1e-9*(1+math.Abs(J))
				break
			}
			step /= 2
		}
		if !accepted {
			break
		}
	}
	toBeta(theta, beta)
	o.setBeta(k, n, beta)
	for m := range N {
		for c := range 3 {
			p.a[aOf(m)+c] = logitBound * math.Tanh(theta[1+M+3*m+c])
		}
		p.s[sOf(m)] = theta[1+M+3*N+m]
	}
	return nil
}

// InitFromWeights sets every state's logits and strengths from the
// weights of o (e.g. a fitted naive HMM-GLM): a weight w with |w| >
// threshold gets type sign(w) with logit 2 (softmax probability 0.79) and
// strength min(|w|, 20), a smaller one type none with strength 0.5; then o's
// weights are set to the relaxed W_k. It is the warm start of a one-hot
// fit; o must have K states and N neurons of the prior.
func (p *OneHotPrior) InitFromWeights(o *GLMObservations, threshold float64) error {
	if err := p.check(o.States(), o.Neurons()); err != nil {
		return err
	}
	for k := range p.K {
		for n := range p.N {
			for m := range p.N {
				i := (k*p.N+n)*p.N + m
				w := o.Weights[k].At(n, m)
				c, s := NoConnection, 0.5
				if math.Abs(w) > threshold {
					c, s = Excitatory, math.Min(math.Abs(w), 20)
					if w < 0 {
						c = Inhibitory
					}
				}
				for j := range 3 {
					p.a[i*3+j] = 0
				}
				p.a[i*3+c] = 2
				p.s[i] = s + math.Log(-math.Expm1(-s)) // softplus⁻¹(s)
			}
		}
	}
	p.setWeights(o)
	return nil
}
