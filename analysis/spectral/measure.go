package spectral

import (
	"fmt"
	"math"

	"github.com/neurotab/neurotab"
)

// Method names a spectral connectivity measure, with MNE-connectivity's
// names (spectral_connectivity_epochs, method=…).
type Method string

// The measures. With S_ij^(e)(f) = X_i(f) X_j(f)* the cross-spectrum of
// neurons i and j in epoch e (see Connectivity for how an epoch's spectrum
// is estimated), E[·] the mean over the n epochs and Σ the sum over them:
//
//	MethodCoherence      coh    = |E[S_ij]| / sqrt(E[S_ii] E[S_jj])
//	MethodImagCoherence  imcoh  = Im(E[S_ij]) / sqrt(E[S_ii] E[S_jj])          (Nolte et al. 2004, doi:10.1016/j.clinph.2004.04.029)
//	MethodPLV            plv    = |E[S_ij / |S_ij|]|                           (Lachaux et al. 1999, doi:10.1002/(SICI)1097-0193(1999)8:4<194::AID-HBM4>3.0.CO;2-C)
//	MethodPPC            ppc    = (|Σ S_ij/|S_ij||² − n) / (n (n − 1))          (Vinck et al. 2010, doi:10.1016/j.neuroimage.2010.01.073)
//	MethodPLI            pli    = |E[sign(Im S_ij)]|                           (Stam et al. 2007, doi:10.1002/hbm.20346)
//	MethodWPLI           wpli   = |E[Im S_ij]| / E[|Im S_ij|]                  (Vinck et al. 2011, doi:10.1016/j.neuroimage.2011.01.055)
//	MethodWPLI2Debiased  wpli²d = ((Σ Im S_ij)² − Σ (Im S_ij)²) / ((Σ |Im S_ij|)² − Σ (Im S_ij)²)   (Vinck et al. 2011)
//
// These are the accumulators of MNE-connectivity's
// spectral_connectivity_epochs, reimplemented: where the denominator of
// wpli or wpli²d is 0 the value is 0, as there. imcoh is antisymmetric
// (positive at [i][j] when i leads j by less than half a cycle); the
// others are symmetric.
const (
	MethodCoherence     Method = "coh"
	MethodImagCoherence Method = "imcoh"
	MethodPLV           Method = "plv"
	MethodPPC           Method = "ppc"
	MethodPLI           Method = "pli"
	MethodWPLI          Method = "wpli"
	MethodWPLI2Debiased Method = "wpli2_debiased"
)

// ParseMethod returns the method named s ("" is MethodCoherence), or an
// error wrapping neurotab.ErrParam.
func ParseMethod(s string) (Method, error) {
	switch m := Method(s); m {
	case "":
		return MethodCoherence, nil
	case MethodCoherence, MethodImagCoherence, MethodPLV, MethodPPC, MethodPLI, MethodWPLI, MethodWPLI2Debiased:
		return m, nil
	}
	return "", fmt.Errorf("spectral: unknown method %q, want coh, imcoh, plv, ppc, pli, wpli or wpli2_debiased: %w", s, neurotab.ErrParam)
}

// minEpochs is the fewest epochs the method is defined for.
func (m Method) minEpochs() int {
	if m == MethodPPC || m == MethodWPLI2Debiased {
		return 2
	}
	return 1
}

// accumulator sums, over epochs, what a method needs of each pair's
// cross-spectrum at each frequency (index p·F + f for pair p), and of each
// neuron's auto-spectrum for the coherences.
type accumulator struct {
	method Method
	epochs int
	sum    []complex128 // coh, imcoh: Σ S; plv, ppc: Σ S/|S|
	auto   []float64    // coh, imcoh: Σ S_ii, index i·F + f
	im     []float64    // pli: Σ sign(Im S); wpli, wpli²d: Σ Im S
	absIm  []float64    // wpli, wpli²d: Σ |Im S|
	sqIm   []float64    // wpli²d: Σ (Im S)²
}

func newAccumulator(m Method, pairs, neurons, freqs int) *accumulator {
	a := &accumulator{method: m}
	switch m {
	case MethodCoherence, MethodImagCoherence:
		a.sum, a.auto = make([]complex128, pairs*freqs), make([]float64, neurons*freqs)
	case MethodPLV, MethodPPC:
		a.sum = make([]complex128, pairs*freqs)
	case MethodPLI:
		a.im = make([]float64, pairs*freqs)
	case MethodWPLI:
		a.im, a.absIm = make([]float64, pairs*freqs), make([]float64, pairs*freqs)
	case MethodWPLI2Debiased:
		a.im, a.absIm, a.sqIm = make([]float64, pairs*freqs), make([]float64, pairs*freqs), make([]float64, pairs*freqs)
	}
	return a
}

// addCross adds one epoch's cross-spectra s (index p·F + f).
func (a *accumulator) addCross(s []complex128) {
	switch a.method {
	case MethodCoherence, MethodImagCoherence:
		for k, v := range s {
			a.sum[k] += v
		}
	case MethodPLV, MethodPPC:
		for k, v := range s {
			r := math.Hypot(real(v), imag(v))
			a.sum[k] += complex(real(v)/r, imag(v)/r)
		}
	case MethodPLI:
		for k, v := range s {
			switch im := imag(v); {
			case im > 0:
				a.im[k]++
			case im < 0:
				a.im[k]--
			}
		}
	case MethodWPLI, MethodWPLI2Debiased:
		for k, v := range s {
			im := imag(v)
			a.im[k] += im
			a.absIm[k] += math.Abs(im)
			if a.sqIm != nil {
				a.sqIm[k] += im * im
			}
		}
	}
}

// value returns the measure of pair p (neurons i, j) at frequency f of F.
func (a *accumulator) value(p, i, j, f, F int) float64 {
	k := p*F + f
	n := float64(a.epochs)
	switch a.method {
	case MethodCoherence, MethodImagCoherence:
		den := math.Sqrt(a.auto[i*F+f] * a.auto[j*F+f])
		if a.method == MethodImagCoherence {
			return imag(a.sum[k]) / den
		}
		return math.Hypot(real(a.sum[k]), imag(a.sum[k])) / den
	case MethodPLV:
		return math.Hypot(real(a.sum[k]), imag(a.sum[k])) / n
	case MethodPPC:
		s := a.sum[k]
		return (real(s)*real(s) + imag(s)*imag(s) - n) / (n * (n - 1))
	case MethodPLI:
		return math.Abs(a.im[k]) / n
	case MethodWPLI:
		if a.absIm[k] == 0 {
			return 0
		}
		return math.Abs(a.im[k]) / a.absIm[k]
	default: // MethodWPLI2Debiased
		den := a.absIm[k]*a.absIm[k] - a.sqIm[k]
		if den == 0 {
			return 0
		}
		return (a.im[k]*a.im[k] - a.sqIm[k]) / den
	}
}
