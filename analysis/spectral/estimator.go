package spectral

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Connectivity computes a spectral connectivity measure between every pair
// of neurons, per frequency, over epochs. It has the estimator shape of
// package neurotab (see "Estimators" in [github.com/neurotab/neurotab]):
// the exported fields are the configuration and the zero value computes
// the coherence of Welch spectra, each epoch one Hann-windowed segment,
// frequencies in cycles per sample.
//
// Fit takes epochs (trials), each a T × N trace matrix. Every epoch is cut
// into segments of SegmentLength samples that start SegmentLength −
// Overlap apart (a remainder shorter than a segment is dropped, as
// scipy.signal.welch does); the epoch's cross-spectrum S_ij^(e)(f) is the
// mean over its segments of the segment estimate (see Spectrum), and the
// measure's expectations are over epochs (see Method). FitContinuous takes
// one long recording instead and makes each segment an epoch, so the
// expectations run over segments: Welch coherence of FitContinuous is the
// square root of scipy.signal.coherence. FitRecordings takes the epochs as
// table.Recording values.
//
// Results: Frequencies, SpectrumTo (the N × N matrix at one frequency) and
// MatrixTo (the mean over a band). They return an error wrapping
// neurotab.ErrNotFitted before a Fit.
//
// A Connectivity is not safe for concurrent use; give each goroutine its
// own copy of the configuration.
type Connectivity struct {
	// Method is the measure (MethodCoherence for "").
	Method Method
	// Spectrum is SpectrumWelch (also "") or SpectrumMultitaper.
	Spectrum Spectrum
	// SegmentLength is L, the samples of a segment; 0 makes each epoch one
	// segment. FitContinuous needs it set.
	SegmentLength int
	// Overlap is the samples two consecutive segments share, 0 ≤ Overlap <
	// SegmentLength (scipy's default is SegmentLength/2).
	Overlap int
	// Bandwidth is the full bandwidth 2W of the multitaper spectrum in Hz
	// (MNE's mt_bandwidth): NW = Bandwidth · L / (2 SampleRate). 0 picks
	// NW = 4. Welch requires 0.
	Bandwidth float64
	// FMin and FMax (Hz) bound the frequencies kept; FMax 0 is the Nyquist
	// frequency.
	FMin, FMax float64
	// SampleRate is fs in Hz; 0 means 1 (frequencies in cycles per sample).
	SampleRate float64

	// The fit.
	fitted  Method
	neurons int
	freqs   []float64
	values  []float64 // values[(f·N + i)·N + j]
}

func (c *Connectivity) sampleRate() float64 {
	if c.SampleRate == 0 {
		return 1
	}
	return c.SampleRate
}

// Check reports whether the configuration is valid: a known method and
// spectrum, SegmentLength 0 or ≥ 2, 0 ≤ Overlap < SegmentLength (0 when
// SegmentLength is), a finite Bandwidth ≥ 0 set only for multitaper,
// 0 ≤ FMin ≤ FMax (FMax 0: Nyquist) and a finite SampleRate ≥ 0. Errors
// wrap neurotab.ErrParam.
func (c *Connectivity) Check() error {
	if _, err := ParseMethod(string(c.Method)); err != nil {
		return err
	}
	sp, err := ParseSpectrum(string(c.Spectrum))
	if err != nil {
		return err
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("spectral: "+format+": %w", append(a, neurotab.ErrParam)...)
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	fs := c.sampleRate()
	switch {
	case c.SegmentLength < 0 || c.SegmentLength == 1:
		return bad("SegmentLength %d, want 0 or ≥ 2", c.SegmentLength)
	case c.Overlap < 0 || (c.SegmentLength > 0 && c.Overlap >= c.SegmentLength):
		return bad("Overlap %d, want 0 ≤ Overlap < SegmentLength %d", c.Overlap, c.SegmentLength)
	case c.SegmentLength == 0 && c.Overlap != 0:
		return bad("Overlap %d needs a SegmentLength", c.Overlap)
	case !finite(c.Bandwidth) || c.Bandwidth < 0:
		return bad("Bandwidth %v, want a finite value ≥ 0", c.Bandwidth)
	case c.Bandwidth != 0 && sp != SpectrumMultitaper:
		return bad("Bandwidth %g is for spectrum %s, not %s", c.Bandwidth, SpectrumMultitaper, sp)
	case !finite(c.SampleRate) || c.SampleRate < 0:
		return bad("SampleRate %v, want a finite value ≥ 0", c.SampleRate)
	case !finite(c.FMin) || c.FMin < 0:
		return bad("FMin %v, want a finite value ≥ 0", c.FMin)
	case !finite(c.FMax) || c.FMax < 0 || c.FMax > fs/2:
		return bad("FMax %v, want 0 ≤ FMax ≤ Nyquist %g Hz", c.FMax, fs/2)
	case c.FMax != 0 && c.FMax < c.FMin:
		return bad("FMax %g < FMin %g", c.FMax, c.FMin)
	}
	return nil
}

// Parameters returns the configuration as provenance parameters
// (table.Provenance.Parameters): method and spectrum by name ("" written
// as coh, welch), segment_length, overlap, fmin, fmax, sample_rate, and
// bandwidth for multitaper.
func (c *Connectivity) Parameters() map[string]any {
	m, err := ParseMethod(string(c.Method))
	if err != nil {
		m = c.Method
	}
	sp, err := ParseSpectrum(string(c.Spectrum))
	if err != nil {
		sp = c.Spectrum
	}
	p := map[string]any{
		"method": string(m), "spectrum": string(sp),
		"segment_length": c.SegmentLength, "overlap": c.Overlap,
		"fmin": c.FMin, "fmax": c.FMax, "sample_rate": c.SampleRate,
	}
	if sp == SpectrumMultitaper {
		p["bandwidth"] = c.Bandwidth
	}
	return p
}

// Fit computes the measure over epochs, each a T_e × N trace matrix (rows
// are time; every epoch has the same N, and the same T when SegmentLength
// is 0), replacing any earlier fit. Errors: an invalid configuration
// (neurotab.ErrParam, before looking at the data, or a multitaper
// bandwidth or frequency band that the segment length cannot hold); no
// epochs, fewer than 2 for ppc and wpli2_debiased, an epoch shorter than a
// segment or of another N (neurotab.ErrShape); NaN or ±Inf samples
// (neurotab.ErrNotFinite). After an error the estimator is unfitted.
func (c *Connectivity) Fit(epochs []mat.Matrix) error {
	c.fitted, c.neurons, c.freqs, c.values = "", 0, nil, nil
	if err := c.Check(); err != nil {
		return err
	}
	m, _ := ParseMethod(string(c.Method))
	if len(epochs) < m.minEpochs() {
		return fmt.Errorf("spectral: %d epochs, %s needs at least %d: %w", len(epochs), m, m.minEpochs(), neurotab.ErrShape)
	}
	T, N := epochs[0].Dims()
	L := c.SegmentLength
	if L == 0 {
		L = T
	}
	for e, x := range epochs {
		t, n := x.Dims()
		switch {
		case n != N:
			return fmt.Errorf("spectral: epoch %d has %d columns, epoch 0 has %d: %w", e, n, N, neurotab.ErrShape)
		case c.SegmentLength == 0 && t != T:
			return fmt.Errorf("spectral: epoch %d has %d samples, epoch 0 has %d; set SegmentLength for epochs of unequal length: %w", e, t, T, neurotab.ErrShape)
		case t < L || t < 2:
			return fmt.Errorf("spectral: epoch %d has %d samples, fewer than a segment of %d (and 2): %w", e, t, max(L, 2), neurotab.ErrShape)
		}
	}
	if N == 0 {
		return fmt.Errorf("spectral: epochs have no columns: %w", neurotab.ErrShape)
	}
	p, err := c.newPlan(L)
	if err != nil {
		return err
	}
	F := len(p.freqs)
	pairs := N * (N - 1) / 2
	acc := newAccumulator(m, pairs, N, F)
	var z, cross []complex128
	var col []float64
	for first := 0; first < len(epochs); {
		// A batch is one epoch, or for the coherences (linear in S) as
		// many epochs as fit in batchColumns coefficient columns, so that
		// each pair's sum runs over their segments at once.
		last, Q := first+1, p.columns(epochs[first])
		if m == MethodCoherence || m == MethodImagCoherence {
			for last < len(epochs) && Q+p.columns(epochs[last]) <= batchColumns {
				Q += p.columns(epochs[last])
				last++
			}
		}
		z = resize(z, F*N*Q)
		q := 0
		for e := first; e < last; e++ {
			for j := range N {
				if col, err = column(col, epochs[e], j, e); err != nil {
					return err
				}
				p.coefficients(z[j*Q+q:], N*Q, col)
			}
			q += p.columns(epochs[e])
		}
		if acc.auto != nil {
			for j := range N {
				for f := range F {
					zj := z[(f*N+j)*Q:][:Q]
					acc.auto[j*F+f] += real(dot(zj, zj))
				}
			}
		}
		cross = resize(cross, pairs*F)
		crossSpectra(cross, z, N, F, Q)
		acc.addCross(cross)
		acc.epochs += last - first
		first = last
	}
	c.values = make([]float64, F*N*N)
	for f := range F {
		pair := 0
		for i := range N {
			c.values[(f*N+i)*N+i] = math.NaN()
			for j := i + 1; j < N; j++ {
				v := acc.value(pair, i, j, f, F)
				c.values[(f*N+i)*N+j] = v
				if m == MethodImagCoherence {
					v = -v
				}
				c.values[(f*N+j)*N+i] = v
				pair++
			}
		}
	}
	c.fitted, c.neurons, c.freqs = m, N, p.freqs
	return nil
}

// batchColumns bounds the coefficient columns (segments × tapers) of the
// epochs the coherences sum in one pass.
const batchColumns = 256

// crossSpectra writes S_ij(f) = Σ_q z_i(f, q) z_j(f, q)* for the pairs
// i < j (row-major) into s[pair·F + f]; z holds z[(f·N + i)·Q + q].
func crossSpectra(s, z []complex128, N, F, Q int) {
	for f := range F {
		block := z[f*N*Q : (f+1)*N*Q]
		pair := 0
		for i := range N {
			zi := block[i*Q : (i+1)*Q]
			for j := i + 1; j < N; j++ {
				s[pair*F+f] = dot(zi, block[j*Q:(j+1)*Q])
				pair++
			}
		}
	}
}

// dot returns Σ a[q] b[q]*.
func dot(a, b []complex128) complex128 {
	var re, im float64
	for q, x := range a {
		y := b[q]
		re += real(x)*real(y) + imag(x)*imag(y)
		im += imag(x)*real(y) - real(x)*imag(y)
	}
	return complex(re, im)
}

func resize(z []complex128, n int) []complex128 {
	if cap(z) < n {
		return make([]complex128, n)
	}
	return z[:n]
}

// FitContinuous computes the measure from one T × N recording, each of
// its segments (SegmentLength samples, Overlap shared) an epoch of Fit.
// It needs SegmentLength set (neurotab.ErrParam) and T ≥ SegmentLength
// (neurotab.ErrShape); other errors are Fit's.
func (c *Connectivity) FitContinuous(X mat.Matrix) error {
	c.fitted, c.neurons, c.freqs, c.values = "", 0, nil, nil
	if err := c.Check(); err != nil {
		return err
	}
	L := c.SegmentLength
	if L == 0 {
		return fmt.Errorf("spectral: FitContinuous needs a SegmentLength: %w", neurotab.ErrParam)
	}
	T, _ := X.Dims()
	if T < L {
		return fmt.Errorf("spectral: recording has %d samples, fewer than a segment of %d: %w", T, L, neurotab.ErrShape)
	}
	d, ok := X.(*mat.Dense)
	if !ok {
		d = mat.DenseCopyOf(X)
	}
	_, N := d.Dims()
	if N == 0 {
		return fmt.Errorf("spectral: recording has no columns: %w", neurotab.ErrShape)
	}
	step := L - c.Overlap
	epochs := make([]mat.Matrix, 0, 1+(T-L)/step)
	for s := 0; s+L <= T; s += step {
		epochs = append(epochs, d.Slice(s, s+L, 0, N))
	}
	return c.Fit(epochs)
}

// Fitted returns the method of the fit, or "" before one.
func (c *Connectivity) Fitted() Method { return c.fitted }

// Frequencies returns the frequencies (Hz) of the fit, ascending: the
// DFT bins k·fs/L in [FMin, FMax]. The error wraps neurotab.ErrNotFitted.
func (c *Connectivity) Frequencies() ([]float64, error) {
	if c.fitted == "" {
		return nil, unfitted("Frequencies")
	}
	return append([]float64(nil), c.freqs...), nil
}

// SpectrumTo copies the N × N matrix of the measure at the k-th frequency
// of Frequencies into dst: C[i][j] from S_ij = X_i X_j*, symmetric except
// imcoh (antisymmetric), the diagonal NaN (no pair); a neuron with a zero
// spectrum there gives NaN in its row and column for the coherences and
// PLV/PPC. An empty dst is resized; it panics on a non-empty dst of
// another size or k out of range. The error wraps neurotab.ErrNotFitted.
func (c *Connectivity) SpectrumTo(dst *mat.Dense, k int) error {
	if c.fitted == "" {
		return unfitted("SpectrumTo")
	}
	if k < 0 || k >= len(c.freqs) {
		panic(fmt.Sprintf("spectral: SpectrumTo: frequency index %d out of [0, %d)", k, len(c.freqs)))
	}
	n := c.neurons
	c.prepare(dst, "SpectrumTo")
	for i := range n {
		dst.SetRow(i, c.values[(k*n+i)*n:][:n])
	}
	return nil
}

// Band is a closed frequency interval [Lo, Hi] in Hz; the zero Band is
// every frequency of a fit.
type Band struct{ Lo, Hi float64 }

// MatrixTo copies into dst the N × N mean of the measure over the
// frequencies of the fit in band (MNE's faverage), oriented as in
// SpectrumTo. An empty dst is resized; a non-empty dst must be N × N,
// otherwise MatrixTo panics. Errors: no fit (neurotab.ErrNotFitted), a
// band holding no frequency of the fit (neurotab.ErrParam).
func (c *Connectivity) MatrixTo(dst *mat.Dense, band Band) error {
	if c.fitted == "" {
		return unfitted("MatrixTo")
	}
	var ks []int
	for k, f := range c.freqs {
		if band == (Band{}) || (f >= band.Lo && f <= band.Hi) {
			ks = append(ks, k)
		}
	}
	if len(ks) == 0 {
		return fmt.Errorf("spectral: MatrixTo: band [%g, %g] Hz holds none of the %d fitted frequencies: %w", band.Lo, band.Hi, len(c.freqs), neurotab.ErrParam)
	}
	n := c.neurons
	c.prepare(dst, "MatrixTo")
	for i := range n {
		for j := range n {
			s := 0.0
			for _, k := range ks {
				s += c.values[(k*n+i)*n+j]
			}
			dst.Set(i, j, s/float64(len(ks)))
		}
	}
	return nil
}

// prepare resizes an empty dst to N × N or panics on another size.
func (c *Connectivity) prepare(dst *mat.Dense, method string) {
	n := c.neurons
	if dst.IsEmpty() {
		dst.ReuseAs(n, n)
	} else if r, cc := dst.Dims(); r != n || cc != n {
		panic(fmt.Sprintf("spectral: %s: dst is %d×%d, want %d×%d", method, r, cc, n, n))
	}
}

// unfitted is the error of a result method called with no fit.
func unfitted(method string) error {
	return fmt.Errorf("spectral: %s before Fit: %w", method, neurotab.ErrNotFitted)
}

// CrossSpectralDensity returns the one-sided cross-spectral density
// S_xy(f) = X(f) Y(f)* of two equally long series (units²/Hz) with c's
// Spectrum, segments, bandwidth, band and sample rate — the mean over the
// segments (SegmentLength 0: one segment of the whole series) of the
// estimate documented at Spectrum — and its frequencies (Hz). For Welch it
// is the complex conjugate of scipy.signal.csd(x, y, fs, "hann", L,
// Overlap, detrend="constant"). Errors: those of Check, unequal lengths or
// too few samples (neurotab.ErrShape), NaN or ±Inf (neurotab.ErrNotFinite).
func (c *Connectivity) CrossSpectralDensity(x, y []float64) (freqs []float64, sxy []complex128, err error) {
	if err := c.Check(); err != nil {
		return nil, nil, err
	}
	if len(x) != len(y) {
		return nil, nil, fmt.Errorf("spectral: x has %d samples, y %d: %w", len(x), len(y), neurotab.ErrShape)
	}
	L := c.SegmentLength
	if L == 0 {
		L = len(x)
	}
	if len(x) < L || len(x) < 2 {
		return nil, nil, fmt.Errorf("spectral: %d samples, fewer than a segment of %d (and 2): %w", len(x), max(L, 2), neurotab.ErrShape)
	}
	for i, s := range [][]float64{x, y} {
		for t, v := range s {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, nil, fmt.Errorf("spectral: series %c, sample %d is %v: %w", "xy"[i], t, v, neurotab.ErrNotFinite)
			}
		}
	}
	p, err := c.newPlan(L)
	if err != nil {
		return nil, nil, err
	}
	F, Q := len(p.freqs), p.segments(len(x))*len(p.tapers)
	z := make([]complex128, F*2*Q)
	p.coefficients(z, 2*Q, x)
	p.coefficients(z[Q:], 2*Q, y)
	sxy = make([]complex128, F)
	for f := range F {
		sxy[f] = dot(z[2*f*Q:][:Q], z[(2*f+1)*Q:][:Q])
	}
	return p.freqs, sxy, nil
}
