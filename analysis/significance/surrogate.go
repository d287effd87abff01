package significance

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"

	"gonum.org/v1/gonum/dsp/fourier"
	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Method names a kind of surrogate for Test.
type Method string

const (
	// MethodCircularShift is CircularShift. It is what the zero Method
	// means.
	MethodCircularShift Method = "circular_shift"
	// MethodPhaseRandomize is PhaseRandomize with phases independent per
	// column (a test of independence).
	MethodPhaseRandomize Method = "phase_randomize"
)

// Methods lists the surrogate methods of Test.
func Methods() []Method { return []Method{MethodCircularShift, MethodPhaseRandomize} }

// ParseMethod returns the method named s ("" is MethodCircularShift).
func ParseMethod(s string) (Method, error) {
	if s == "" {
		return MethodCircularShift, nil
	}
	for _, m := range Methods() {
		if string(m) == s {
			return m, nil
		}
	}
	return "", fmt.Errorf("significance: unknown method %q (want one of %v): %w", s, Methods(), neurotab.ErrParam)
}

// CircularShift writes into dst a surrogate of the T × N trace matrix x
// whose every column is rotated in time by its own random offset:
//
//	x̃_n(t) = x_n((t + τ_n) mod T),   τ_n uniform in {0, …, T−1}, independent per n
//
// Each trace keeps its values and its (circular) autocorrelation; the
// alignment between traces, and so any coupling, is destroyed. The wrap
// joins the end of a trace to its start, one discontinuity per trace. An
// empty dst is resized to T × N; a dst of another size panics (gonum's
// idiom). Empty traces wrap neurotab.ErrShape, a NaN or ±Inf sample
// neurotab.ErrNotFinite.
func CircularShift(dst *mat.Dense, x mat.Matrix, rng *rand.Rand) error {
	t, n, err := prepare(dst, x)
	if err != nil {
		return err
	}
	col, rot := make([]float64, t), make([]float64, t)
	for j := range n {
		tau := rng.IntN(t)
		mat.Col(col, j, x)
		copy(rot, col[tau:])
		copy(rot[t-tau:], col[:tau])
		dst.SetCol(j, rot)
	}
	return nil
}

// PhaseRandomize writes into dst a phase-randomized surrogate of the T × N
// trace matrix x (Theiler et al. 1992, doi:10.1016/0167-2789(92)90102-S):
// each column's discrete Fourier transform keeps its modulus and has a
// uniform random phase added at every frequency 0 < f < T/2,
//
//	x̃_n = F⁻¹[ F x_n(f) e^{i φ_n(f)} ],   φ_n(f) uniform in [0, 2π)
//
// with the conjugate phase at −f so that x̃_n is real. The mean (f = 0) and,
// for even T, the Nyquist coefficient are kept as they are. Each column's
// power spectrum |F x̃_n|² is that of x_n (to rounding), hence its mean,
// variance and circular autocorrelation.
//
// With shared false every column draws its own phases: the surrogate keeps
// each trace's linear properties and destroys the coupling between traces
// (a test of independence; Test's MethodPhaseRandomize). With shared true
// one set of phases serves every column, φ_n(f) = φ(f) (Prichard & Theiler
// 1994, doi:10.1103/PhysRevLett.73.951): the cross-spectra, so every
// linear (lagged) correlation, are kept too, and the surrogate tests for
// nonlinear structure instead.
//
// An empty dst is resized to T × N; a dst of another size panics. Empty
// traces wrap neurotab.ErrShape, a NaN or ±Inf sample neurotab.ErrNotFinite. Cost: O(T log T) per column.
func PhaseRandomize(dst *mat.Dense, x mat.Matrix, rng *rand.Rand, shared bool) error {
	t, n, err := prepare(dst, x)
	if err != nil {
		return err
	}
	fft := fourier.NewFFT(t)
	col := make([]float64, t)
	coef := make([]complex128, t/2+1)
	rot := make([]complex128, len(coef))
	for j := range n {
		if j == 0 || !shared {
			randomPhases(rot, t, rng)
		}
		mat.Col(col, j, x)
		fft.Coefficients(coef, col)
		for f := range coef {
			coef[f] *= rot[f]
		}
		fft.Sequence(col, coef)
		for i := range col {
			col[i] /= float64(t) // gonum's transform pair is unnormalized
		}
		dst.SetCol(j, col)
	}
	return nil
}

// randomPhases fills rot with e^{iφ(f)}, φ uniform in [0, 2π), for
// 0 < f < T/2, and 1 at f = 0 and at the Nyquist frequency of an even T.
func randomPhases(rot []complex128, t int, rng *rand.Rand) {
	for f := range rot {
		if f == 0 || 2*f == t {
			rot[f] = 1
			continue
		}
		rot[f] = cmplx.Rect(1, 2*math.Pi*rng.Float64())
	}
}

// prepare checks that x has samples, neurons and no NaN or ±Inf, and
// sizes dst like x.
func prepare(dst *mat.Dense, x mat.Matrix) (t, n int, err error) {
	t, n = x.Dims()
	if t < 1 || n < 1 {
		return t, n, fmt.Errorf("significance: %d×%d traces are empty: %w", t, n, neurotab.ErrShape)
	}
	for j := range n {
		for i := range t {
			if v := x.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return t, n, fmt.Errorf("significance: column %d, sample %d is %v: %w", j, i, v, neurotab.ErrNotFinite)
			}
		}
	}
	if dst.IsEmpty() {
		dst.ReuseAs(t, n)
	} else if r, c := dst.Dims(); r != t || c != n {
		panic(fmt.Sprintf("significance: destination is %d×%d, want %d×%d", r, c, t, n))
	}
	return t, n, nil
}
