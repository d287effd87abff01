package curbd

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// CURBD is a data-constrained rate network trained by recursive least
// squares (Perich et al. 2020, bioRxiv doi:10.1101/2020.12.18.423348, after
// FORCE learning: Sussillo & Abbott 2009, Neuron 63:544–557,
// doi:10.1016/j.neuron.2009.07.018). N units, one per recorded neuron, with
// state x, rate r = tanh(x) and recurrent weights J, integrated by Euler
// steps of dt = 1/Substeps data samples:
//
//	x ← x + (dt/τ) (−x + J r + h),    r = tanh(x)
//
// where h is an optional white-noise input, exponentially filtered with
// time constant τ_WN and amplitude Noise·√(τ_WN/dt) (CURBD's ampInWN). At
// every data sample t the rate is compared with the recorded traces,
// e = r(t) − R[t] (N values), and J is updated by RLS, P holding the
// running inverse correlation of the rates (P₀ = I/α):
//
//	k = P r,   c = 1 / (1 + rᵀ k),   P ← P − c k kᵀ,   J ← J − c e kᵀ
//
// Each training epoch runs over the whole recording from the state whose
// rate is the first sample, x(0) = atanh(R[0]); J and P carry over from
// epoch to epoch. J starts as g·N(0, 1)/√N (stream 1 of Seed), the
// noise is drawn from stream 2. The fit is scored on the last epoch by the
// percentage of variance explained,
//
//	pVar = 1 − (‖A − R‖_F / (√(N·T) · σ_R))²
//
// with A the model's T×N rates and σ_R the standard deviation of all
// entries of R: CURBD's definition, normalized by the recorded data's σ
// (CURBD's code names the data A and the model R; the letters here follow
// Fit's argument).
//
// Rates lie in (−1, 1): with Scale, R is divided by its largest entry and
// clipped to ±0.999 (CURBD's preprocessing) and the results are in those
// units; without it every |R| must be below 1.
//
// CURBD has the estimator shape of package neurotab: configuration in the
// exported fields (the zero value is g = 1.5, τ = 10 samples, one step per
// sample, α = 1, 100 epochs, no noise, no scaling), Check, Fit, results by
// JTo, ActivityTo, SimulateTo and PVar, Parameters, and neurotab.ErrNotFitted before a
// fit. A fit costs about 5·N²·T·Substeps flops per epoch.
type CURBD struct {
	// G is the scale g of the initial J (default 1.5, the chaotic regime).
	G float64
	// Tau is the time constant τ of the units, in data samples (default
	// 10).
	Tau float64
	// Substeps is the number of Euler steps per data sample (default 1);
	// J is updated once per sample.
	Substeps int
	// Alpha is α in P₀ = I/α (default 1): smaller learns faster.
	Alpha float64
	// Epochs is the number of training passes over the recording (default
	// 100).
	Epochs int
	// Noise is the amplitude of the white-noise input (CURBD's ampInWN;
	// default 0: none).
	Noise float64
	// NoiseTau is the time constant τ_WN of the noise filter, in data
	// samples (default 10).
	NoiseTau float64
	// Scale divides R by its largest entry and clips it to ±0.999.
	Scale bool
	// Seed seeds the initial J and the noise.
	Seed neurotab.Seed

	j     *mat.Dense // N×N, J[post][pre]
	a     *mat.Dense // T×N, the last epoch's rates
	pvar  float64
	scale float64
	r0    []float64 // the first (scaled) sample
}

// resolved returns c with the defaults filled in.
func (c *CURBD) resolved() CURBD {
	r := CURBD{G: c.G, Tau: c.Tau, Substeps: c.Substeps, Alpha: c.Alpha, Epochs: c.Epochs,
		Noise: c.Noise, NoiseTau: c.NoiseTau, Scale: c.Scale, Seed: c.Seed}
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&r.G, 1.5)
	def(&r.Tau, 10)
	def(&r.Alpha, 1)
	def(&r.NoiseTau, 10)
	if r.Substeps == 0 {
		r.Substeps = 1
	}
	if r.Epochs == 0 {
		r.Epochs = 100
	}
	return r
}

// Check reports whether the configuration is valid. The errors wrap
// neurotab.ErrParam.
func (c *CURBD) Check() error {
	r := c.resolved()
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("curbd: CURBD.%s = %v, want %s: %w", field, v, want, neurotab.ErrParam)
	}
	pos := func(v float64) bool { return v > 0 && !math.IsInf(v, 1) }
	switch {
	case !pos(r.G):
		return bad("G", c.G, "a finite g > 0")
	case !pos(r.Tau):
		return bad("Tau", c.Tau, "a finite τ > 0")
	case r.Substeps < 1:
		return bad("Substeps", c.Substeps, "≥ 1")
	case float64(r.Substeps)*r.Tau < 1:
		return bad("Tau", c.Tau, fmt.Sprintf("τ ≥ dt = 1/%d samples (a stable Euler step)", r.Substeps))
	case !pos(r.Alpha):
		return bad("Alpha", c.Alpha, "a finite α > 0")
	case r.Epochs < 1:
		return bad("Epochs", c.Epochs, "≥ 1")
	case !(r.Noise >= 0) || math.IsInf(r.Noise, 1):
		return bad("Noise", c.Noise, "a finite amplitude ≥ 0")
	case !pos(r.NoiseTau):
		return bad("NoiseTau", c.NoiseTau, "a finite τ_WN > 0")
	}
	return nil
}

// Parameters returns the configuration, defaults filled in, as provenance
// parameters.
func (c *CURBD) Parameters() map[string]any {
	r := c.resolved()
	return map[string]any{"g": r.G, "tau": r.Tau, "substeps": r.Substeps, "alpha": r.Alpha,
		"epochs": r.Epochs, "noise": r.Noise, "noise_tau": r.NoiseTau, "scale": r.Scale,
		"seed": r.Seed.String()}
}

// Fit trains J on the recorded traces R (T×N, rows are time; T ≥ 2,
// N ≥ 1), discarding any earlier fit. The errors wrap neurotab.ErrParam,
// neurotab.ErrShape, neurotab.ErrNotFinite (NaN or Inf in R, or J that
// blew up: raise Alpha) or neurotab.ErrOutOfRange (|R| ≥ 1 without
// Scale, or R all zero with it); after an error the estimator is
// unfitted.
func (c *CURBD) Fit(R mat.Matrix) error {
	c.j, c.a, c.pvar, c.scale, c.r0 = nil, nil, 0, 0, nil
	if err := c.Check(); err != nil {
		return err
	}
	r := c.resolved()
	t, n := R.Dims()
	if t < 2 || n < 1 {
		return fmt.Errorf("curbd: R is %d×%d, want T ≥ 2 samples of N ≥ 1 neurons: %w", t, n, neurotab.ErrShape)
	}
	data := mat.DenseCopyOf(R)
	raw := data.RawMatrix()
	peak := 0.0
	for i := range t {
		for j, v := range raw.Data[i*raw.Stride : i*raw.Stride+n] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("curbd: R[%d][%d] = %v: %w", i, j, v, neurotab.ErrNotFinite)
			}
			if !r.Scale && math.Abs(v) >= 1 {
				return fmt.Errorf("curbd: R[%d][%d] = %g is outside the tanh range (−1, 1); set Scale: %w", i, j, v, neurotab.ErrOutOfRange)
			}
			peak = math.Max(peak, v)
		}
	}
	scale := 1.0
	if r.Scale {
		if peak <= 0 {
			return fmt.Errorf("curbd: R has no positive entry to scale by; Scale divides by the largest value: %w", neurotab.ErrOutOfRange)
		}
		scale = 1 / peak
		for i := range t {
			row := raw.Data[i*raw.Stride : i*raw.Stride+n]
			for j, v := range row {
				row[j] = math.Max(-0.999, math.Min(0.999, v*scale))
			}
		}
	}

	J := mat.NewDense(n, n, nil)
	rng := r.Seed.Rand(1)
	jraw := J.RawMatrix()
	for i := range jraw.Data {
		jraw.Data[i] = r.G * rng.NormFloat64() / math.Sqrt(float64(n))
	}
	P := blas64.Symmetric{N: n, Stride: n, Data: make([]float64, n*n), Uplo: blas.Upper}
	for i := range n {
		P.Data[i*n+i] = 1 / r.Alpha
	}
	A := mat.NewDense(t, n, nil)
	araw := A.RawMatrix()
	x, rate, jr := make([]float64, n), make([]float64, n), make([]float64, n)
	k, e, h := make([]float64, n), make([]float64, n), make([]float64, n)
	dt := 1 / float64(r.Substeps)
	leak := dt / r.Tau
	noise := r.Seed.Rand(2)
	decay := math.Exp(-dt / r.NoiseTau)
	amp := r.Noise * math.Sqrt(r.NoiseTau/dt)
	vec := func(v []float64) blas64.Vector { return blas64.Vector{N: len(v), Inc: 1, Data: v} }
	for range r.Epochs {
		for j := range n {
			x[j] = math.Atanh(math.Max(-0.999999, math.Min(0.999999, raw.Data[j])))
			rate[j] = math.Tanh(x[j])
		}
		copy(araw.Data[:n], rate)
		for s := 1; s < t; s++ {
			for range r.Substeps {
				blas64.Gemv(blas.NoTrans, 1, jraw, vec(rate), 0, vec(jr))
				for j := range n {
					if amp > 0 {
						w := amp * noise.NormFloat64()
						h[j] = w + (h[j]-w)*decay
					}
					x[j] += leak * (-x[j] + jr[j] + h[j])
					rate[j] = math.Tanh(x[j])
				}
			}
			// RLS: k = P r, c = 1/(1 + rᵀk), P ← P − c k kᵀ, J ← J − c e kᵀ.
			blas64.Symv(1, P, vec(rate), 0, vec(k))
			c := 1 / (1 + blas64.Dot(vec(rate), vec(k)))
			target := raw.Data[s*raw.Stride : s*raw.Stride+n]
			for j := range n {
				e[j] = rate[j] - target[j]
			}
			blas64.Syr(-c, vec(k), P)
			blas64.Ger(-c, vec(e), vec(k), jraw)
			copy(araw.Data[s*araw.Stride:s*araw.Stride+n], rate)
		}
	}
	for i, v := range jraw.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("curbd: J[%d][%d] = %v after training; raise Alpha or Tau: %w", i/n, i%n, v, neurotab.ErrNotFinite)
		}
	}
	c.j, c.a, c.scale = J, A, scale
	c.r0 = append([]float64(nil), raw.Data[:n]...)
	c.pvar = PVar(data, A)
	return nil
}

// PVar returns the percentage of variance of the recorded traces R (T×N)
// that the model rates A (T×N) explain, CURBD's goodness of fit:
//
//	pVar = 1 − (‖A − R‖_F / (√(N·T) · σ_R))²
//
// with σ_R the (population) standard deviation of all entries of R: 1 for
// a perfect fit, 0 for A equal to R's mean, negative for worse. It is NaN
// for a constant R and panics on mismatched shapes.
func PVar(R, A mat.Matrix) float64 {
	t, n := R.Dims()
	if ta, na := A.Dims(); ta != t || na != n {
		panic(fmt.Sprintf("curbd: PVar of R %d×%d and A %d×%d", t, n, ta, na))
	}
	var sum, ss, diff float64
	for i := range t {
		for j := range n {
			v := R.At(i, j)
			sum += v
			ss += v * v
			d := A.At(i, j) - v
			diff += d * d
		}
	}
	m := float64(t * n)
	variance := ss/m - (sum/m)*(sum/m)
	return 1 - diff/(m*variance)
}

// notFitted is the error of the result methods before a fit.
func notFitted(what string) error {
	return fmt.Errorf("curbd: %s before Fit: %w", what, neurotab.ErrNotFitted)
}

// JTo copies the trained J (N×N, J[post][pre]) into dst (resized when
// empty; it panics when it is another size) and returns an error wrapping
// neurotab.ErrNotFitted before a fit.
func (c *CURBD) JTo(dst *mat.Dense) error {
	if c.j == nil {
		return notFitted("JTo")
	}
	copyTo(dst, c.j)
	return nil
}

// ActivityTo copies the model's rates of the last training epoch (T×N, in
// the units of the fitted traces, scaled by ScaleFactor with Scale) into
// dst, as JTo does.
func (c *CURBD) ActivityTo(dst *mat.Dense) error {
	if c.a == nil {
		return notFitted("ActivityTo")
	}
	copyTo(dst, c.a)
	return nil
}

// SimulateTo runs the trained network freely — J fixed, no learning, no
// noise — from the state whose rate is the first (scaled) recorded sample,
// over the T samples of the recording, and writes its rates (T×N) into
// dst, as JTo does. PVar(R, dst) then scores the model without the online
// corrections that the training epochs make.
func (c *CURBD) SimulateTo(dst *mat.Dense) error {
	if c.a == nil {
		return notFitted("SimulateTo")
	}
	r := c.resolved()
	t, n := c.a.Dims()
	out := mat.NewDense(t, n, nil)
	raw, jraw := out.RawMatrix(), c.j.RawMatrix()
	x, rate, jr := make([]float64, n), make([]float64, n), make([]float64, n)
	for j, v := range c.r0 {
		x[j] = math.Atanh(math.Max(-0.999999, math.Min(0.999999, v)))
		rate[j] = math.Tanh(x[j])
	}
	copy(raw.Data[:n], rate)
	leak := 1 / (float64(r.Substeps) * r.Tau)
	for s := 1; s < t; s++ {
		for range r.Substeps {
			blas64.Gemv(blas.NoTrans, 1, jraw, blas64.Vector{N: n, Inc: 1, Data: rate}, 0, blas64.Vector{N: n, Inc: 1, Data: jr})
			for j := range n {
				x[j] += leak * (-x[j] + jr[j])
				rate[j] = math.Tanh(x[j])
			}
		}
		copy(raw.Data[s*raw.Stride:s*raw.Stride+n], rate)
	}
	copyTo(dst, out)
	return nil
}

// PVar returns the pVar of the last training epoch.
func (c *CURBD) PVar() (float64, error) {
	if c.a == nil {
		return 0, notFitted("PVar")
	}
	return c.pvar, nil
}

// ScaleFactor returns the factor R was multiplied by before the fit (1
// without Scale).
func (c *CURBD) ScaleFactor() (float64, error) {
	if c.a == nil {
		return 0, notFitted("ScaleFactor")
	}
	return c.scale, nil
}

// copyTo copies src into dst, resizing an empty dst.
func copyTo(dst, src *mat.Dense) {
	sr, sc := src.Dims()
	if dst.IsEmpty() {
		dst.ReuseAs(sr, sc)
	}
	if r, c := dst.Dims(); r != sr || c != sc {
		panic(fmt.Sprintf("curbd: destination is %d×%d, want %d×%d", r, c, sr, sc))
	}
	dst.Copy(src)
}
