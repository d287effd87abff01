package reservoir

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Reservoir is a discrete-time dynamical system driven by an input and,
// optionally, by feedback of an output:
//
//	z[t+1] = F(z[t], u[t+1], y[t]),   x[t] = G(z[t])
//
// z is the internal state (StateLen values), u the input (D values), y the
// fed-back output (K values) and x the observed activity of the N units,
// which a readout reads. Step is F and Observe is G; both are pure (they
// read only their arguments and fixed weights), so one Reservoir may step
// many states concurrently. Runner holds a state and steps it.
type Reservoir interface {
	// Dims returns the input dimension D, the number of units N and the
	// feedback dimension K (0 without feedback).
	Dims() (inputs, units, feedback int)
	// StateLen returns the length of the internal state z (N, or more when
	// the observed activity is a function of a larger state).
	StateLen() int
	// Step writes F(z, u, y) into next. next and z have StateLen values,
	// u has D and y has K (y is ignored, and may be nil, when K = 0); next
	// must not alias z.
	Step(next, z, u, y []float64)
	// Observe writes x = G(z) (N values) into dst.
	Observe(dst, z []float64)
}

// Runner runs a Reservoir from a state it keeps, starting at zero. It is
// the stateful half of a reservoir: Run and RunForced continue from where
// the last call stopped, so a long recording can be run batch by batch.
// A Runner is not safe for concurrent use.
type Runner struct {
	r          Reservoir
	d, n, k    int
	z, next, y []float64
}

// NewRunner returns a Runner of r at the zero state with zero feedback.
// Its two state buffers have a spare capacity of 65536 values (0.5 MB
// each, never written) so that an ESN of up to 65536 units steps with
// the fast product of CSR.MulVec.
func NewRunner(r Reservoir) *Runner {
	d, n, k := r.Dims()
	l := r.StateLen()
	return &Runner{r: r, d: d, n: n, k: k, z: make([]float64, l, l+wide), next: make([]float64, l, l+wide), y: make([]float64, k)}
}

// Reset returns the runner to the zero state with zero feedback.
func (r *Runner) Reset() {
	clear(r.z)
	clear(r.y)
}

// State returns the internal state z (StateLen values). The slice is the
// runner's own: it may be read, or written to set the state, until the next
// call that steps.
func (r *Runner) State() []float64 { return r.z }

// ActivityTo writes the observed activity x of the current state into dst
// (N values; allocated when nil) and returns it.
func (r *Runner) ActivityTo(dst []float64) []float64 {
	if dst == nil {
		dst = make([]float64, r.n)
	}
	r.r.Observe(dst, r.z)
	return dst
}

// Step advances the state by one step with input u (D values) and feedback
// y (K values; nil without feedback), writes the new activity x into dst
// (N values; allocated when nil) and returns it. u and y are not checked
// for finiteness (this is the closed-loop inner step); a wrong length
// panics.
func (r *Runner) Step(dst, u, y []float64) []float64 {
	if len(u) != r.d || (r.k > 0 && len(y) != r.k) {
		panic(fmt.Sprintf("reservoir: Runner.Step with %d inputs and %d feedback values, want %d and %d", len(u), len(y), r.d, r.k))
	}
	r.r.Step(r.next, r.z, u, y)
	r.z, r.next = r.next, r.z
	if r.k > 0 {
		copy(r.y, y)
	}
	return r.ActivityTo(dst)
}

// Run drives the reservoir with the inputs U (T×D, rows are time) and
// writes the activity after each step into dst (T×N): row t is x[t] after
// the input U[t]. An empty dst is resized; a non-empty dst must be T×N,
// otherwise Run panics. A reservoir with feedback is fed the feedback of
// the last Step or RunForced (zero after Reset) at every step; use
// RunForced to teacher-force it. The errors wrap neurotab.ErrShape (U
// without D columns or without rows) or neurotab.ErrNotFinite (NaN or Inf
// in U, reported with its row; the steps before it have run).
func (r *Runner) Run(dst *mat.Dense, U mat.Matrix) error {
	return r.run(dst, U, nil)
}

// RunForced is Run with the output fed back forced to the teacher Y (T×K):
// the step of row t is fed y = Y[t−1] (the last feedback of the runner for
// t = 0), as x[t+1] depends on y[t] (teacher forcing; Lukoševičius 2012,
// doi:10.1007/978-3-642-35289-8_36).
// After it the runner holds Y[T−1] as its feedback. The errors are those
// of Run, and neurotab.ErrShape when Y is not T×K or the reservoir has no
// feedback.
func (r *Runner) RunForced(dst *mat.Dense, U, Y mat.Matrix) error {
	if r.k == 0 {
		return fmt.Errorf("reservoir: RunForced on a reservoir without feedback: %w", neurotab.ErrShape)
	}
	t, _ := U.Dims()
	ty, ky := Y.Dims()
	if ty != t || ky != r.k {
		return fmt.Errorf("reservoir: RunForced: U has %d rows, Y is %d×%d, want %d×%d: %w", t, ty, ky, t, r.k, neurotab.ErrShape)
	}
	return r.run(dst, U, Y)
}

// run is Run, and RunForced when Y is not nil.
func (r *Runner) run(dst *mat.Dense, U, Y mat.Matrix) error {
	t, d := U.Dims()
	if d != r.d || t == 0 {
		return fmt.Errorf("reservoir: Run: U is %d×%d, the reservoir has %d inputs: %w", t, d, r.d, neurotab.ErrShape)
	}
	if dst.IsEmpty() {
		dst.ReuseAs(t, r.n)
	} else if rt, rc := dst.Dims(); rt != t || rc != r.n {
		panic(fmt.Sprintf("reservoir: Run: dst is %d×%d, want %d×%d", rt, rc, t, r.n))
	}
	u := make([]float64, d)
	y := make([]float64, r.k)
	out := dst.RawMatrix()
	for i := range t {
		mat.Row(u, i, U)
		for j, v := range u {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("reservoir: Run: U[%d][%d] = %v: %w", i, j, v, neurotab.ErrNotFinite)
			}
		}
		if Y != nil && i > 0 {
			mat.Row(y, i-1, Y)
			for j, v := range y {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("reservoir: RunForced: Y[%d][%d] = %v: %w", i-1, j, v, neurotab.ErrNotFinite)
				}
			}
			copy(r.y, y)
		}
		r.r.Step(r.next, r.z, u, r.y)
		r.z, r.next = r.next, r.z
		r.r.Observe(out.Data[i*out.Stride:i*out.Stride+r.n], r.z)
	}
	if Y != nil {
		mat.Row(y, t-1, Y)
		for j, v := range y {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("reservoir: RunForced: Y[%d][%d] = %v: %w", t-1, j, v, neurotab.ErrNotFinite)
			}
		}
		copy(r.y, y)
	}
	return nil
}
