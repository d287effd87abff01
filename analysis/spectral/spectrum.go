package spectral

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/dsp/fourier"
	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Spectrum names how the cross-spectrum of one segment is estimated.
type Spectrum string

// The spectral estimators. Both remove each segment's mean (scipy's
// detrend="constant") and give one-sided densities in units²/Hz:
//
//	SpectrumWelch       S_xy(f) = c(f) / (fs Σ_t w(t)²) · X_w(f) Y_w(f)*
//	                    w the periodic Hann window w(t) = ½ − ½ cos(2πt/L)
//	SpectrumMultitaper  S_xy(f) = c(f) / fs · Σ_k λ_k X_k(f) Y_k(f)* / Σ_k λ_k
//	                    X_k the DFT of the segment times DPSS taper k (unit norm, see DPSS),
//	                    λ_k its concentration; K = ⌊2NW⌋ tapers, those with λ_k ≤ 0.9 dropped
//
// where c(f) = 2 except at 0 and (even L) the Nyquist frequency, where it
// is 1. Welch's density is scipy.signal.csd's (Welch 1967,
// doi:10.1109/TAU.1967.1161901) with the conjugate on the other factor:
// scipy.signal.csd(x, y) is S_xy*; the multitaper one is MNE's
// (Thomson 1982, doi:10.1109/PROC.1982.12433) with its non-adaptive
// weights √λ_k and low_bias taper selection.
const (
	SpectrumWelch      Spectrum = "welch"
	SpectrumMultitaper Spectrum = "multitaper"
)

// ParseSpectrum returns the spectrum named s ("" is SpectrumWelch), or an
// error wrapping neurotab.ErrParam.
func ParseSpectrum(s string) (Spectrum, error) {
	switch sp := Spectrum(s); sp {
	case "":
		return SpectrumWelch, nil
	case SpectrumWelch, SpectrumMultitaper:
		return sp, nil
	}
	return "", fmt.Errorf("spectral: unknown spectrum %q, want welch or multitaper: %w", s, neurotab.ErrParam)
}

// plan turns segments of one length into scaled Fourier coefficients on
// the selected frequency bins, so that the cross-spectral density of a
// segment is Σ_k z_k(x) z_k(y)*.
type plan struct {
	length, step int
	tapers       [][]float64 // Hann, or the kept DPSS tapers
	bins         []int       // selected rfft bins
	freqs        []float64   // their frequencies (Hz)
	scale        [][]float64 // scale[k][b]: √(weight of taper k · c(f) / fs / Σ taper²)
	fft          *fourier.FFT
	seg          []float64
	coef         []complex128
}

// newPlan builds the plan of c for segments of length L.
func (c *Connectivity) newPlan(L int) (*plan, error) {
	sp, _ := ParseSpectrum(string(c.Spectrum))
	fs := c.sampleRate()
	p := &plan{length: L, step: L - c.Overlap, fft: fourier.NewFFT(L), seg: make([]float64, L)}
	var weights []float64
	switch sp {
	case SpectrumWelch:
		w := make([]float64, L)
		for t := range w {
			w[t] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(t)/float64(L))
		}
		p.tapers, weights = [][]float64{w}, []float64{1}
	case SpectrumMultitaper:
		nw := 4.0
		if c.Bandwidth > 0 {
			nw = c.Bandwidth * float64(L) / (2 * fs)
		}
		k := int(2 * nw)
		if nw < 0.5 || nw >= float64(L)/2 {
			return nil, fmt.Errorf("spectral: bandwidth %g Hz over %d samples at %g Hz gives NW = %g, want 0.5 ≤ NW < %d: %w",
				c.Bandwidth, L, fs, nw, L/2, neurotab.ErrParam)
		}
		tapers, lambda, err := DPSS(L, nw, min(k, L))
		if err != nil {
			return nil, err
		}
		for i, v := range tapers {
			if lambda[i] > 0.9 {
				p.tapers, weights = append(p.tapers, v), append(weights, lambda[i])
			}
		}
		if len(p.tapers) == 0 {
			return nil, fmt.Errorf("spectral: no DPSS taper of NW = %g over %d samples is concentrated above 0.9: %w", nw, L, neurotab.ErrParam)
		}
	}
	wsum := 0.0
	for _, w := range weights {
		wsum += w
	}
	fmax := c.FMax
	if fmax == 0 {
		fmax = fs / 2
	}
	df := fs / float64(L)
	for b := 0; b <= L/2; b++ {
		f := float64(b) * df
		if f >= c.FMin-1e-9*df && f <= fmax+1e-9*df {
			p.bins, p.freqs = append(p.bins, b), append(p.freqs, f)
		}
	}
	if len(p.bins) == 0 {
		return nil, fmt.Errorf("spectral: no frequency of a %d-sample segment at %g Hz (step %g Hz) lies in [%g, %g] Hz: %w",
			L, fs, df, c.FMin, fmax, neurotab.ErrParam)
	}
	p.scale = make([][]float64, len(p.tapers))
	for k, v := range p.tapers {
		ss := 0.0
		for _, x := range v {
			ss += x * x
		}
		p.scale[k] = make([]float64, len(p.bins))
		for i, b := range p.bins {
			cf := 2.0
			if b == 0 || 2*b == L {
				cf = 1
			}
			p.scale[k][i] = math.Sqrt(weights[k] / wsum * cf / fs / ss)
		}
	}
	return p, nil
}

// segments returns how many segments an epoch of T samples holds (0 when
// it is shorter than one).
func (p *plan) segments(T int) int {
	if T < p.length {
		return 0
	}
	return 1 + (T-p.length)/p.step
}

// columns returns the coefficient columns (segments × tapers) of epoch x.
func (p *plan) columns(x mat.Matrix) int {
	t, _ := x.Dims()
	return p.segments(t) * len(p.tapers)
}

// coefficients writes the scaled coefficients of one channel's epoch x
// into z: z[b·stride + q] for selected bin b and q = segment·K + taper,
// scaled by 1/√segments so that Σ_q z(x) z(y)* is the mean over segments.
func (p *plan) coefficients(z []complex128, stride int, x []float64) {
	nseg := p.segments(len(x))
	K := len(p.tapers)
	norm := 1 / math.Sqrt(float64(nseg))
	for s := range nseg {
		part := x[s*p.step : s*p.step+p.length]
		mean := 0.0
		for _, v := range part {
			mean += v
		}
		mean /= float64(len(part))
		for k, w := range p.tapers {
			for t, v := range part {
				p.seg[t] = (v - mean) * w[t]
			}
			p.coef = p.fft.Coefficients(p.coef, p.seg)
			for i, b := range p.bins {
				z[i*stride+s*K+k] = p.coef[b] * complex(p.scale[k][i]*norm, 0)
			}
		}
	}
}

// column copies column j of X into dst (resized), checking finiteness.
func column(dst []float64, X mat.Matrix, j, epoch int) ([]float64, error) {
	T, _ := X.Dims()
	dst = dst[:0]
	if d, ok := X.(mat.RawMatrixer); ok {
		raw := d.RawMatrix()
		for t := range T {
			dst = append(dst, raw.Data[t*raw.Stride+j])
		}
	} else {
		for t := range T {
			dst = append(dst, X.At(t, j))
		}
	}
	for t, v := range dst {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return dst, fmt.Errorf("spectral: epoch %d, sample %d, column %d is %v: %w", epoch, t, j, v, neurotab.ErrNotFinite)
		}
	}
	return dst, nil
}
