package reservoir

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// IntrinsicPlasticity adapts the gain g_i and bias b_i of each tanh unit so
// that the distribution of its output y = tanh(g·a + b), a the net input,
// approaches a Gaussian N(μ, σ²): the online gradient rule that minimizes
// the Kullback–Leibler divergence from that target (Schrauwen, Wardermann,
// Verstraeten, Steil & Stroobandt 2008, "Improving reservoirs using
// intrinsic plasticity", Neurocomputing 71:1159–1171,
// doi:10.1016/j.neucom.2007.12.020; after Triesch 2005 for Fermi units):
//
//	Δb = −η (−μ/σ² + (y/σ²)(2σ² + 1 − y² + μ y))
//	Δg = η/g + Δb · a
//
// applied after every step of a run over the input. It is an unsupervised
// pre-training of the reservoir (no target), done before the readout is
// trained. The zero value is μ = 0, σ = 1, η = 5e-4 and one epoch (the
// defaults of reservoirpy's IPReservoir).
type IntrinsicPlasticity struct {
	// Mu is the target mean μ ∈ (−1, 1) (default 0).
	Mu float64
	// Sigma is the target standard deviation σ > 0 (default 1).
	Sigma float64
	// Eta is the learning rate η > 0 (default 5e-4).
	Eta float64
	// Epochs is the number of passes over the input, each from the zero
	// state (default 1).
	Epochs int
}

// resolved returns ip with the defaults filled in.
func (ip IntrinsicPlasticity) resolved() IntrinsicPlasticity {
	if ip.Sigma == 0 {
		ip.Sigma = 1
	}
	if ip.Eta == 0 {
		ip.Eta = 5e-4
	}
	if ip.Epochs == 0 {
		ip.Epochs = 1
	}
	return ip
}

// Check reports whether the configuration is valid. The errors wrap
// neurotab.ErrParam.
func (ip IntrinsicPlasticity) Check() error {
	r := ip.resolved()
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("reservoir: IntrinsicPlasticity.%s = %v, want %s: %w", field, v, want, neurotab.ErrParam)
	}
	switch {
	case !(r.Mu > -1 && r.Mu < 1):
		return bad("Mu", ip.Mu, "−1 < μ < 1")
	case !(r.Sigma > 0) || math.IsInf(r.Sigma, 1):
		return bad("Sigma", ip.Sigma, "a finite σ > 0")
	case !(r.Eta > 0) || math.IsInf(r.Eta, 1):
		return bad("Eta", ip.Eta, "a finite η > 0")
	case r.Epochs < 0:
		return bad("Epochs", ip.Epochs, "≥ 1")
	}
	return nil
}

// Parameters returns the configuration, defaults filled in, as provenance
// parameters: mu, sigma, eta and epochs.
func (ip IntrinsicPlasticity) Parameters() map[string]any {
	r := ip.resolved()
	return map[string]any{"mu": r.Mu, "sigma": r.Sigma, "eta": r.Eta, "epochs": r.Epochs}
}

// Fit runs e over the inputs U (T×D) Epochs times, from the zero state and
// without feedback (y = 0), and adapts e.Gain and e.Bias after every step
// (a nil Gain starts at 1, a nil Bias at 0). e must use Tanh and leak on
// x (not ExternalLeak). Fit changes e: do not run it while Runners use e.
// The errors wrap neurotab.ErrParam (a bad configuration, another
// activation or the external leak), neurotab.ErrShape (U without D
// columns), neurotab.ErrNotFinite (NaN in U, or a gain or bias that blew
// up, when e is left unchanged) or those of ESN.Check.
func (ip IntrinsicPlasticity) Fit(e *ESN, U mat.Matrix) error {
	if err := ip.Check(); err != nil {
		return err
	}
	if err := e.Check(); err != nil {
		return err
	}
	if e.Activation != Tanh || e.ExternalLeak {
		return fmt.Errorf("reservoir: IntrinsicPlasticity needs a tanh ESN leaking on x (have %v, external leak %t): %w",
			e.Activation, e.ExternalLeak, neurotab.ErrParam)
	}
	r := ip.resolved()
	d, n, k := e.Dims()
	t, du := U.Dims()
	if du != d || t == 0 {
		return fmt.Errorf("reservoir: IntrinsicPlasticity: U is %d×%d, the reservoir has %d inputs: %w", t, du, d, neurotab.ErrShape)
	}
	gain, bias := make([]float64, n), make([]float64, n)
	for i := range gain {
		gain[i] = 1
	}
	copy(gain, e.Gain)
	copy(bias, e.Bias)
	x := make([]float64, n, n+wide) // capacity for the fast product
	net := make([]float64, n)
	u := make([]float64, d)
	fb := make([]float64, k)
	s2 := r.Sigma * r.Sigma
	for range r.Epochs {
		clear(x)
		for row := range t {
			mat.Row(u, row, U)
			for j, v := range u {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("reservoir: IntrinsicPlasticity: U[%d][%d] = %v: %w", row, j, v, neurotab.ErrNotFinite)
				}
			}
			e.netInput(net, x, u, fb)
			for i, a := range net {
				y := math.Tanh(gain[i]*a + bias[i])
				x[i] = (1-e.Leak[i])*x[i] + e.Leak[i]*y
				db := -r.Eta * (-r.Mu/s2 + y/s2*(2*s2+1-y*y+r.Mu*y))
				gain[i] += r.Eta/gain[i] + db*a
				bias[i] += db
			}
		}
	}
	for i := range gain {
		if math.IsNaN(gain[i]) || math.IsInf(gain[i], 0) || math.IsNaN(bias[i]) || math.IsInf(bias[i], 0) {
			return fmt.Errorf("reservoir: IntrinsicPlasticity: unit %d: gain %v, bias %v; lower Eta: %w", i, gain[i], bias[i], neurotab.ErrNotFinite)
		}
	}
	e.Gain, e.Bias = gain, bias
	return nil
}
