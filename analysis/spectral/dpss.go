package spectral

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/dsp/fourier"

	"github.com/neurotab/neurotab"
)

// DPSS returns the first k discrete prolate spheroidal (Slepian) sequences
// of length n and time-half-bandwidth product nw, and their concentrations
// (the fraction of each taper's energy inside the band |f| ≤ W = nw/n),
// as scipy.signal.windows.dpss(n, nw, k, return_ratios=True) does (Slepian
// 1978, doi:10.1002/j.1538-7305.1978.tb02104.x; Percival & Walden 1993,
// ch. 8).
//
// The tapers are the eigenvectors of the k largest eigenvalues of the
// symmetric tridiagonal n × n matrix
//
//	diagonal      ((n − 1 − 2m)/2)² cos(2πW)   m = 0 … n−1
//	off-diagonal  m(n − m)/2                   m = 1 … n−1
//
// found by bisection on Sturm counts and inverse iteration (each
// O(n) per step, as LAPACK's stebz and stein, which scipy calls). Each taper
// has unit L2 norm; signs follow Percival & Walden (and scipy): the
// symmetric tapers (even index) have a positive sum, the antisymmetric ones
// begin with a positive lobe. The concentration of taper v is
//
//	λ = 2W r(0) + Σ_{τ=1}^{n−1} 4W sinc(2Wτ) r(τ),   r(τ) = Σ_m v[m] v[m+τ]
//
// with sinc(x) = sin(πx)/(πx). Errors: n < 1, nw ≤ 0 or nw ≥ n/2, k < 1
// or k > n (all wrapping neurotab.ErrParam).
func DPSS(n int, nw float64, k int) (tapers [][]float64, concentrations []float64, err error) {
	switch {
	case n < 1:
		return nil, nil, fmt.Errorf("spectral: DPSS length %d < 1: %w", n, neurotab.ErrParam)
	case !(nw > 0 && nw < float64(n)/2):
		return nil, nil, fmt.Errorf("spectral: DPSS NW %v, want 0 < NW < n/2 = %v: %w", nw, float64(n)/2, neurotab.ErrParam)
	case k < 1 || k > n:
		return nil, nil, fmt.Errorf("spectral: DPSS %d tapers of length %d, want 1…%d: %w", k, n, n, neurotab.ErrParam)
	}
	w := nw / float64(n)
	d := make([]float64, n)
	e := make([]float64, n) // e[m] couples m−1 and m; e[0] unused
	c := math.Cos(2 * math.Pi * w)
	for m := range n {
		h := (float64(n) - 1 - 2*float64(m)) / 2
		d[m] = h * h * c
		if m > 0 {
			e[m] = float64(m) * float64(n-m) / 2
		}
	}
	tapers = make([][]float64, k)
	concentrations = make([]float64, k)
	for i := range k {
		lambda := tridiagEigenvalue(d, e, n-1-i)
		v := inverseIteration(d, e, lambda)
		fixSign(v, i)
		tapers[i] = v
	}
	for i, v := range tapers {
		concentrations[i] = concentration(v, w)
	}
	return tapers, concentrations, nil
}

// sturm returns how many eigenvalues of the tridiagonal (d, e) are below x.
func sturm(d, e []float64, x float64) int {
	count := 0
	q := 1.0
	tiny := math.SmallestNonzeroFloat64 * 1e10
	for m := range d {
		if m == 0 {
			q = d[0] - x
		} else {
			q = d[m] - x - e[m]*e[m]/q
		}
		if q == 0 {
			q = -tiny
		}
		if q < 0 {
			count++
		}
	}
	return count
}

// tridiagEigenvalue returns the eigenvalue of ascending index idx of the
// symmetric tridiagonal (d, e), by bisection to the last bit.
func tridiagEigenvalue(d, e []float64, idx int) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for m := range d { // Gershgorin bounds
		r := 0.0
		if m > 0 {
			r += math.Abs(e[m])
		}
		if m+1 < len(d) {
			r += math.Abs(e[m+1])
		}
		lo, hi = min(lo, d[m]-r), max(hi, d[m]+r)
	}
	span := max(math.Abs(lo), math.Abs(hi), 1)
	lo, hi = lo-1e-9*span, hi+1e-9*span
	for range 200 {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break
		}
		if sturm(d, e, mid) > idx {
			hi = mid
		} else {
			lo = mid
		}
	}
	return lo + (hi-lo)/2
}

// inverseIteration returns the unit eigenvector of the tridiagonal (d, e)
// for its eigenvalue lambda: three solves of (T − λI) y = x with Gaussian
// elimination and partial pivoting (LAPACK's gttrf/gtts2), from a start
// vector that is neither symmetric nor antisymmetric.
func inverseIteration(d, e []float64, lambda float64) []float64 {
	n := len(d)
	x := make([]float64, n)
	for m := range x {
		x[m] = 1 + 0.5*math.Sin(float64(3*m+1))
	}
	if n == 1 {
		return []float64{1}
	}
	dl, dd, du, du2 := make([]float64, n-1), make([]float64, n), make([]float64, n-1), make([]float64, n)
	piv := make([]bool, n-1) // rows i and i+1 swapped
	scale := 0.0
	for m := range n {
		dd[m] = d[m] - lambda
		scale = max(scale, math.Abs(d[m])+math.Abs(e[m]))
		if m < n-1 {
			dl[m], du[m] = e[m+1], e[m+1]
		}
	}
	for i := range n - 1 {
		if math.Abs(dd[i]) >= math.Abs(dl[i]) {
			if dd[i] != 0 {
				f := dl[i] / dd[i]
				dl[i] = f
				dd[i+1] -= f * du[i]
			}
			continue
		}
		piv[i] = true
		f := dd[i] / dl[i]
		dd[i] = dl[i]
		dl[i] = f
		tmp := du[i]
		du[i] = dd[i+1]
		dd[i+1] = tmp - f*dd[i+1]
		if i < n-2 {
			du2[i] = du[i+1]
			du[i+1] = -f * du[i+1]
		}
	}
	tiny := 1e-300 + scale*1e-17
	for i := range dd {
		if math.Abs(dd[i]) < tiny {
			dd[i] = math.Copysign(tiny, dd[i])
		}
	}
	for range 3 {
		for i := range n - 1 {
			if piv[i] {
				x[i], x[i+1] = x[i+1], x[i]-dl[i]*x[i+1]
			} else {
				x[i+1] -= dl[i] * x[i]
			}
		}
		x[n-1] /= dd[n-1]
		x[n-2] = (x[n-2] - du[n-2]*x[n-1]) / dd[n-2]
		for i := n - 3; i >= 0; i-- {
			x[i] = (x[i] - du[i]*x[i+1] - du2[i]*x[i+2]) / dd[i]
		}
		s := 0.0
		for _, v := range x {
			s += v * v
		}
		s = 1 / math.Sqrt(s)
		for i := range x {
			x[i] *= s
		}
	}
	return x
}

// fixSign applies Percival & Walden's sign convention as scipy does:
// taper i even has a positive sum; taper i odd has its first sample with
// v² > max(1e-7, 1/n) positive.
func fixSign(v []float64, i int) {
	flip := false
	if i%2 == 0 {
		s := 0.0
		for _, x := range v {
			s += x
		}
		flip = s < 0
	} else {
		thresh := max(1e-7, 1/float64(len(v)))
		for _, x := range v {
			if x*x > thresh {
				flip = x < 0
				break
			}
		}
	}
	if flip {
		for j := range v {
			v[j] = -v[j]
		}
	}
}

// concentration returns the in-band energy fraction of the unit taper v
// for half-bandwidth w (cycles/sample), from its autocorrelation computed
// with one FFT of length 2n.
func concentration(v []float64, w float64) float64 {
	n := len(v)
	fft := fourier.NewFFT(2 * n)
	seq := make([]float64, 2*n)
	copy(seq, v)
	c := fft.Coefficients(nil, seq)
	for i := range c {
		c[i] = complex(real(c[i])*real(c[i])+imag(c[i])*imag(c[i]), 0)
	}
	r := fft.Sequence(seq, c)
	lambda := 2 * w * r[0]
	for tau := 1; tau < n; tau++ {
		x := 2 * w * float64(tau)
		lambda += 4 * w * math.Sin(math.Pi*x) / (math.Pi * x) * r[tau]
	}
	return lambda / float64(2*n)
}
