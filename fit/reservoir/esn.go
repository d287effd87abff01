package reservoir

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Activation is the unit nonlinearity f of an echo-state network.
type Activation int

const (
	// Tanh is f(a) = tanh(a), the usual echo-state unit (the zero value).
	Tanh Activation = iota
	// Identity is f(a) = a: a linear reservoir.
	Identity
	// Sigmoid is the logistic f(a) = 1 / (1 + e^(−a)), a firing rate in
	// (0, 1), the unit of the E/I-balanced reservoir (see EIBalance).
	Sigmoid
)

// String returns "tanh", "identity" or "sigmoid".
func (f Activation) String() string {
	switch f {
	case Tanh:
		return "tanh"
	case Identity:
		return "identity"
	case Sigmoid:
		return "sigmoid"
	}
	return fmt.Sprintf("Activation(%d)", int(f))
}

// apply returns f(a).
func (f Activation) apply(a float64) float64 {
	switch f {
	case Identity:
		return a
	case Sigmoid:
		return sigmoid(a)
	}
	return math.Tanh(a)
}

// sigmoid returns the logistic function 1 / (1 + e^(−a)).
func sigmoid(a float64) float64 { return 1 / (1 + math.Exp(-a)) }

// ESN is an echo-state network (Jaeger 2001, "The 'echo state' approach to
// analysing and training recurrent neural networks", GMD Report 148;
// Lukoševičius 2012, "A practical guide to applying echo state networks",
// Neural Networks: Tricks of the Trade, LNCS 7700:659–686,
// doi:10.1007/978-3-642-35289-8_36, eqs. (2)–(3)): N leaky units with
// sparse recurrent weights W (N×N, W[post][pre]), input weights W_in (N×D),
// optional feedback weights W_fb (N×K) and bias b (N), and per-unit leak
// rates α_i ∈ (0, 1]. In the default form the leak acts on the activity:
//
//	x[t+1] = (1 − α) ⊙ x[t] + α ⊙ f(W x[t] + W_in u[t+1] + W_fb y[t] + b)
//
// where a gain g (1 unless IntrinsicPlasticity set it) multiplies the net
// input before the bias, f(g ⊙ (W x + W_in u + W_fb y) + b); and with
// ExternalLeak on the pre-activation s (reservoirpy's "external"
// equation; the leaky integrator of Jaeger, Lukoševičius, Popovici &
// Siewert 2007, "Optimization and applications of echo state networks with
// leaky-integrator neurons", Neural Networks 20:335–352,
// doi:10.1016/j.neunet.2007.04.016):
//
//	s[t+1] = (1 − α) ⊙ s[t] + α ⊙ (W x[t] + W_in u[t+1] + W_fb y[t] + b),   x[t] = f(s[t])
//
// ESN is a Reservoir: its state z is x (N values) in the default form and
// [s; x] (2N values) with ExternalLeak. Build one with Config.New, or fill
// the fields by hand and call Check. Step does not allocate and only reads
// the ESN, so one ESN may be run by several Runners at once.
type ESN struct {
	// W holds the recurrent weights W[post][pre], N×N.
	W *CSR
	// In holds the input weights W_in[unit][input], N×D.
	In *mat.Dense
	// Feedback holds the output-feedback weights W_fb[unit][output], N×K;
	// nil without feedback.
	Feedback *mat.Dense
	// Bias holds b (N values); nil for no bias.
	Bias []float64
	// Gain holds a gain g_i on the net input of each unit (N values), as
	// IntrinsicPlasticity adapts it; nil for g = 1.
	Gain []float64
	// Leak holds the leak rate α_i ∈ (0, 1] of each unit (N values).
	Leak []float64
	// Activation is f.
	Activation Activation
	// ExternalLeak selects the leak on the pre-activation s.
	ExternalLeak bool
}

// Check reports whether the ESN is consistent: W a valid CSR, In N×D with
// D ≥ 1, Feedback N×K, Bias and Leak of length N, leak rates in (0, 1],
// every weight finite, a known Activation. The errors wrap
// neurotab.ErrShape, neurotab.ErrParam or neurotab.ErrNotFinite. A valid W
// is prepared for the fast product (see CSR.MulVec).
func (e *ESN) Check() error {
	if e.W == nil || e.In == nil {
		return fmt.Errorf("reservoir: ESN without W or W_in: %w", neurotab.ErrShape)
	}
	if err := e.W.check(); err != nil {
		return err
	}
	e.W.prepare()
	n := e.W.N
	if r, _ := e.In.Dims(); r != n {
		return fmt.Errorf("reservoir: W_in has %d rows, W %d units: %w", r, n, neurotab.ErrShape)
	}
	if err := finiteMatrix("W_in", e.In); err != nil {
		return err
	}
	if e.Feedback != nil {
		if r, _ := e.Feedback.Dims(); r != n {
			return fmt.Errorf("reservoir: W_fb has %d rows, W %d units: %w", r, n, neurotab.ErrShape)
		}
		if err := finiteMatrix("W_fb", e.Feedback); err != nil {
			return err
		}
	}
	if e.Gain != nil && len(e.Gain) != n {
		return fmt.Errorf("reservoir: gain has %d values, W %d units: %w", len(e.Gain), n, neurotab.ErrShape)
	}
	for i, v := range e.Gain {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("reservoir: gain[%d] = %v: %w", i, v, neurotab.ErrNotFinite)
		}
	}
	if e.Bias != nil && len(e.Bias) != n {
		return fmt.Errorf("reservoir: bias has %d values, W %d units: %w", len(e.Bias), n, neurotab.ErrShape)
	}
	for i, v := range e.Bias {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("reservoir: bias[%d] = %v: %w", i, v, neurotab.ErrNotFinite)
		}
	}
	if len(e.Leak) != n {
		return fmt.Errorf("reservoir: %d leak rates, W %d units: %w", len(e.Leak), n, neurotab.ErrShape)
	}
	for i, a := range e.Leak {
		if !(a > 0 && a <= 1) {
			return fmt.Errorf("reservoir: leak rate α[%d] = %v, want 0 < α ≤ 1: %w", i, a, neurotab.ErrParam)
		}
	}
	if e.Activation != Tanh && e.Activation != Identity && e.Activation != Sigmoid {
		return fmt.Errorf("reservoir: unknown %v: %w", e.Activation, neurotab.ErrParam)
	}
	return nil
}

// finiteMatrix reports the first non-finite entry of m.
func finiteMatrix(name string, m *mat.Dense) error {
	r, c := m.Dims()
	for i := range r {
		for j := range c {
			if v := m.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("reservoir: %s[%d][%d] = %v: %w", name, i, j, v, neurotab.ErrNotFinite)
			}
		}
	}
	return nil
}

// Dims returns D, N and K (0 without feedback).
func (e *ESN) Dims() (inputs, units, feedback int) {
	_, inputs = e.In.Dims()
	if e.Feedback != nil {
		_, feedback = e.Feedback.Dims()
	}
	return inputs, e.W.N, feedback
}

// StateLen returns N, or 2N with ExternalLeak (the state is [s; x]).
func (e *ESN) StateLen() int {
	if e.ExternalLeak {
		return 2 * e.W.N
	}
	return e.W.N
}

// Step writes the state after z under input u (D values) and feedback y
// (K values) into next: the update in the ESN doc comment. It panics on
// slices of the wrong length.
func (e *ESN) Step(next, z, u, y []float64) {
	n := e.W.N
	x := z[:n] // the activity W reads
	if e.ExternalLeak {
		x = z[n : 2*n]
	}
	// a = g ⊙ (W x + W_in u + W_fb y) + b, in next[:n].
	a := next[:n]
	e.netInput(a, x, u, y)
	if e.Gain != nil {
		g := e.Gain[:n]
		for i := range a {
			a[i] *= g[i]
		}
	}
	if e.Bias != nil {
		b := e.Bias[:n]
		for i := range a {
			a[i] += b[i]
		}
	}
	leak := e.Leak[:n]
	if e.ExternalLeak {
		s, xn := z[:n], next[n:2*n]
		for i, ai := range a {
			si := (1-leak[i])*s[i] + leak[i]*ai
			a[i] = si
			xn[i] = e.Activation.apply(si)
		}
		return
	}
	if e.Activation == Identity {
		for i, ai := range a {
			a[i] = (1-leak[i])*x[i] + leak[i]*ai
		}
		return
	}
	if e.Activation == Sigmoid {
		for i, ai := range a {
			a[i] = (1-leak[i])*x[i] + leak[i]*sigmoid(ai)
		}
		return
	}
	for i, ai := range a {
		a[i] = (1-leak[i])*x[i] + leak[i]*math.Tanh(ai)
	}
}

// netInput writes W x + W_in u + W_fb y into a.
func (e *ESN) netInput(a, x, u, y []float64) {
	e.W.MulVec(a, x)
	addMulVec(a, e.In, u)
	if e.Feedback != nil {
		addMulVec(a, e.Feedback, y)
	}
}

// addMulVec adds M v to dst (M is len(dst)×len(v), dense).
func addMulVec(dst []float64, m *mat.Dense, v []float64) {
	raw := m.RawMatrix()
	v = v[:raw.Cols]
	if raw.Cols == 1 {
		c := v[0]
		for i := range dst {
			dst[i] += raw.Data[i*raw.Stride] * c
		}
		return
	}
	for i := range dst {
		row := raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols]
		var acc float64
		for j, vj := range v {
			acc += row[j] * vj
		}
		dst[i] += acc
	}
}

// Observe writes the activity x of the state z into dst (N values).
func (e *ESN) Observe(dst, z []float64) {
	n := e.W.N
	if e.ExternalLeak {
		copy(dst[:n], z[n:2*n])
		return
	}
	copy(dst[:n], z[:n])
}
