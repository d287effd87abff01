package reservoir

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// EIBalance adapts, unit by unit, the inhibition each unit of a
// Dale's-law sigmoid reservoir receives so that its mean rate approaches a
// target: the self-balancing reservoir of Srinivasan, Plenz & Girvan
// (2025, "Boosting reservoir computing with brain-inspired adaptive
// dynamics", arXiv:2504.12480). With W split by presynaptic sign into its
// excitatory part W_E ≥ 0 and inhibitory part W_I ≥ 0 (W = W_E − W_I as
// Config.Excitatory draws it), units x ∈ (0, 1)ᴺ are driven by
//
//	x[t+1] = (1 − α) ⊙ x[t] + α ⊙ σ(W_E x[t] − g ⊙ (W_I x[t]) + W_in u[t+1] + b)
//
// with σ the logistic function and g ≥ 0 one inhibitory gain per
// postsynaptic unit, which follows the local homeostatic rule
//
//	x̄_i ← x̄_i + (x_i − x̄_i)/τ,    g_i ← max(0, g_i + η (x̄_i − ρ_i))
//
// after every step: a unit firing above its target ρ_i gets more
// inhibition, one below it less. The targets are homogeneous (ρ_i = ρ) or
// heterogeneous (ρ_i drawn uniformly from [ρ − δ, ρ + δ], or given).
// Adaptation runs over a warm-up input and then stops: Fit folds g into
// W (row i of W_I scaled by g_i) and the ESN runs as a fixed reservoir. A
// unit without inhibitory inputs keeps g_i = 1. A target far below the
// rate of the unadapted network (the sigmoid fires at ½ for a zero net
// input) needs strong inhibition, which can tip a discrete-time network
// into period-2 oscillation or switching between attractors, where unit
// rates no longer settle at their targets (measured: N = 100, ρ* = 2,
// target 0.2 does not settle; targets 0.35–0.45 do, the frozen units'
// rates within 1e-3–3e-3 rms of their targets).
//
// The globally tuned baseline of the same paper is Config.InhibitionScale
// (one β for every unit) with Config.SpectralRadius; see the tests for
// both on memory capacity and NARMA10 at equal grid cost.
//
// The zero value is ρ = 0.2, δ = 0, η = 0.01, τ = 20 steps, one epoch.
type EIBalance struct {
	// Rate is the target rate ρ ∈ (0, 1) (default 0.2).
	Rate float64
	// Spread, when positive, makes the targets heterogeneous: ρ_i uniform
	// on [ρ − δ, ρ + δ] (drawn from stream 6 of Seed), which must lie in
	// (0, 1).
	Spread float64
	// Rates, when not nil, gives each unit its target (N values in
	// (0, 1)) and overrides Rate and Spread.
	Rates []float64
	// Eta is the learning rate η > 0 (default 0.01).
	Eta float64
	// Tau is the time constant τ ≥ 1 of the running mean, in steps
	// (default 20).
	Tau float64
	// Epochs is the number of passes over the warm-up input, each from
	// the zero state with the gains kept (default 1).
	Epochs int
	// Seed seeds the heterogeneous targets.
	Seed neurotab.Seed
}

// streamRates is the stream of EIBalance.Seed the heterogeneous targets
// are drawn from.
const streamRates = 6

// resolved returns b with the defaults filled in.
func (b EIBalance) resolved() EIBalance {
	if b.Rate == 0 {
		b.Rate = 0.2
	}
	if b.Eta == 0 {
		b.Eta = 0.01
	}
	if b.Tau == 0 {
		b.Tau = 20
	}
	if b.Epochs == 0 {
		b.Epochs = 1
	}
	return b
}

// Check reports whether the configuration is valid. The errors wrap
// neurotab.ErrParam.
func (b EIBalance) Check() error {
	r := b.resolved()
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("reservoir: EIBalance.%s = %v, want %s: %w", field, v, want, neurotab.ErrParam)
	}
	switch {
	case !(r.Rate > 0 && r.Rate < 1):
		return bad("Rate", b.Rate, "0 < ρ < 1")
	case !(r.Spread >= 0) || !(r.Rate-r.Spread > 0 && r.Rate+r.Spread < 1):
		return bad("Spread", b.Spread, fmt.Sprintf("δ ≥ 0 with [ρ − δ, ρ + δ] inside (0, 1) for ρ = %g", r.Rate))
	case !(r.Eta > 0) || math.IsInf(r.Eta, 1):
		return bad("Eta", b.Eta, "a finite η > 0")
	case !(r.Tau >= 1) || math.IsInf(r.Tau, 1):
		return bad("Tau", b.Tau, "a finite τ ≥ 1")
	case r.Epochs < 1:
		return bad("Epochs", b.Epochs, "≥ 1")
	}
	for i, v := range b.Rates {
		if !(v > 0 && v < 1) {
			return bad(fmt.Sprintf("Rates[%d]", i), v, "0 < ρ_i < 1")
		}
	}
	return nil
}

// Parameters returns the configuration, defaults filled in, as provenance
// parameters.
func (b EIBalance) Parameters() map[string]any {
	r := b.resolved()
	p := map[string]any{"rate": r.Rate, "spread": r.Spread, "eta": r.Eta, "tau": r.Tau,
		"epochs": r.Epochs, "seed": r.Seed.String()}
	if b.Rates != nil {
		p["rates"] = append([]float64(nil), b.Rates...)
	}
	return p
}

// Targets returns the target rates ρ_i of n units: Rates, or ρ, or ρ plus
// a uniform jitter on [−δ, δ] drawn from Seed.
func (b EIBalance) Targets(n int) []float64 {
	r := b.resolved()
	out := make([]float64, n)
	if b.Rates != nil {
		copy(out, b.Rates)
		return out
	}
	rng := r.Seed.Rand(streamRates)
	for i := range out {
		out[i] = r.Rate
		if r.Spread > 0 {
			out[i] += r.Spread * (2*rng.Float64() - 1)
		}
	}
	return out
}

// Fit runs e over the warm-up input U (T×D) Epochs times, from the zero
// state and without feedback, adapting the inhibitory gains g (starting at
// 1) by the rule in the EIBalance doc comment; then it scales the negative
// weights of row i of e.W by g_i and returns g (N values). e must use
// Sigmoid, leak on x (not ExternalLeak) and have no IP gain. Fit changes
// e: do not run it while Runners use e. The errors wrap neurotab.ErrParam
// (a bad configuration, Rates of the wrong length, another activation),
// neurotab.ErrShape (U without D columns), neurotab.ErrNotFinite (NaN in
// U) or those of ESN.Check; e is unchanged after an error.
func (b EIBalance) Fit(e *ESN, U mat.Matrix) ([]float64, error) {
	if err := b.Check(); err != nil {
		return nil, err
	}
	if err := e.Check(); err != nil {
		return nil, err
	}
	if e.Activation != Sigmoid || e.ExternalLeak || e.Gain != nil {
		return nil, fmt.Errorf("reservoir: EIBalance needs a sigmoid ESN leaking on x without IP gain (have %v, external leak %t): %w",
			e.Activation, e.ExternalLeak, neurotab.ErrParam)
	}
	r := b.resolved()
	d, n, k := e.Dims()
	if b.Rates != nil && len(b.Rates) != n {
		return nil, fmt.Errorf("reservoir: EIBalance.Rates has %d values, the reservoir %d units: %w", len(b.Rates), n, neurotab.ErrParam)
	}
	t, du := U.Dims()
	if du != d || t == 0 {
		return nil, fmt.Errorf("reservoir: EIBalance: U is %d×%d, the reservoir has %d inputs: %w", t, du, d, neurotab.ErrShape)
	}
	wE, wI := splitSign(e.W)
	rho := b.Targets(n)
	g := make([]float64, n)
	for i := range g {
		g[i] = 1
	}
	x := make([]float64, n, n+wide) // capacity for the fast product
	mean := make([]float64, n)
	inh := make([]float64, n)
	a := make([]float64, n)
	u := make([]float64, d)
	fb := make([]float64, k)
	for range r.Epochs {
		clear(x)
		for i := range mean {
			mean[i] = rho[i]
		}
		for row := range t {
			mat.Row(u, row, U)
			for j, v := range u {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, fmt.Errorf("reservoir: EIBalance: U[%d][%d] = %v: %w", row, j, v, neurotab.ErrNotFinite)
				}
			}
			wE.MulVec(a, x)
			wI.MulVec(inh, x)
			addMulVec(a, e.In, u)
			if e.Feedback != nil {
				addMulVec(a, e.Feedback, fb)
			}
			for i := range a {
				s := a[i] - g[i]*inh[i]
				adapt := wI.Indptr[i+1] > wI.Indptr[i]
				if e.Bias != nil {
					s += e.Bias[i]
				}
				x[i] = (1-e.Leak[i])*x[i] + e.Leak[i]*sigmoid(s)
				mean[i] += (x[i] - mean[i]) / r.Tau
				if adapt {
					g[i] = math.Max(0, g[i]+r.Eta*(mean[i]-rho[i]))
				}
			}
		}
	}
	for i := range n {
		for p := e.W.Indptr[i]; p < e.W.Indptr[i+1]; p++ {
			if e.W.Data[p] < 0 {
				e.W.Data[p] *= g[i]
			}
		}
	}
	return g, nil
}

// splitSign returns W_E (the positive entries of w) and W_I (the
// magnitudes of its negative entries) as prepared CSR matrices.
func splitSign(w *CSR) (pos, neg *CSR) {
	pos = &CSR{N: w.N, Indptr: make([]int, w.N+1)}
	neg = &CSR{N: w.N, Indptr: make([]int, w.N+1)}
	for i := range w.N {
		for p := w.Indptr[i]; p < w.Indptr[i+1]; p++ {
			if v := w.Data[p]; v > 0 {
				pos.Indices = append(pos.Indices, w.Indices[p])
				pos.Data = append(pos.Data, v)
			} else if v < 0 {
				neg.Indices = append(neg.Indices, w.Indices[p])
				neg.Data = append(neg.Data, -v)
			}
		}
		pos.Indptr[i+1] = len(pos.Data)
		neg.Indptr[i+1] = len(neg.Data)
	}
	pos.prepare()
	neg.prepare()
	return pos, neg
}
