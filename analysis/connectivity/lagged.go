package connectivity

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Lagged holds lagged correlations of N traces for lags −MaxLag…MaxLag
// samples, and per pair the lag of the peak |r|. Make one with
// LaggedCorrelation.
type Lagged struct {
	// MaxLag is the largest |lag| computed, in samples.
	MaxLag int
	// Peak is r_ij(L*_ij), the correlation at the lag where |r_ij(L)| is
	// largest. It is symmetric: r_ji(−L) = r_ij(L).
	Peak *mat.SymDense
	// PeakLag is L*_ij in samples (whole numbers), antisymmetric:
	// L*_ji = −L*_ij; positive when neuron i leads neuron j. Exact ties go
	// to the smaller |L|, then to L > 0 for i < j. NaN where r_ij(L) is
	// NaN at every lag (a constant trace).
	PeakLag *mat.Dense

	r []*mat.Dense // r[L] for L = 0…MaxLag; negative lags are transposes
}

// LaggedCorrelation returns the correlations of x_i(t) with x_j(t+L) for
// every pair of columns of the T × N trace matrix x and every lag
// L = −maxLag…maxLag samples, each computed as a Pearson correlation over
// the T−|L| overlapping samples:
//
//	r_ij(L) = corr( x_i(0 … T−L−1), x_j(L … T−1) )   L ≥ 0
//	r_ij(L) = r_ji(−L)                                L < 0
//
// (numpy.corrcoef of the two shifted slices; the means and norms are those
// of the overlapping segments, unlike the classical biased cross-correlation
// estimator of Box & Jenkins, which uses whole-series means and divides by
// T; the two agree for |L| ≪ T). With maxLag = 0 it is Pearson.
//
// The peak of each pair, L*_ij = argmax_{|L| ≤ maxLag} |r_ij(L)|, and
// r_ij(L*_ij) are in the result's PeakLag and Peak.
//
// A trace constant over an overlap gives NaN at that lag. maxLag must be
// ≥ 0 and leave at least 2 overlapping samples (else neurotab.ErrShape); NaN
// or ±Inf samples are a *NonFiniteError.
func LaggedCorrelation(x mat.Matrix, maxLag int) (*Lagged, error) {
	t, n := x.Dims()
	if maxLag < 0 {
		return nil, fmt.Errorf("connectivity: negative maximum lag %d: %w", maxLag, neurotab.ErrParam)
	}
	if err := checkShape(t, n, maxLag); err != nil {
		return nil, err
	}
	z, err := transpose(x)
	if err != nil {
		return nil, err
	}
	l := &Lagged{MaxLag: maxLag, r: make([]*mat.Dense, maxLag+1)}

	// Lag 0 is the symmetric Pearson matrix.
	constA := make([]bool, n)
	constB := make([]bool, n)
	bufA := make([]float64, n*t)
	bufB := make([]float64, n*t)
	a := mat.NewDense(n, t, bufA)
	standardize(a, z, 0, constA)
	var r0 mat.SymDense
	r0.SymOuterK(1, a)
	finishCorrelation(&r0, constA)
	l.r[0] = mat.NewDense(n, n, nil)
	l.r[0].Copy(&r0)

	for lag := 1; lag <= maxLag; lag++ {
		m := t - lag
		a := mat.NewDense(n, m, bufA[:n*m])
		b := mat.NewDense(n, m, bufB[:n*m])
		standardize(a, z, 0, constA)
		standardize(b, z, lag, constB)
		r := mat.NewDense(n, n, nil)
		r.Mul(a, b.T())
		raw := r.RawMatrix()
		for i := 0; i < n; i++ {
			row := raw.Data[i*raw.Stride : i*raw.Stride+n]
			for j := range row {
				if constA[i] || constB[j] {
					row[j] = math.NaN()
				} else {
					row[j] = clip(row[j])
				}
			}
		}
		l.r[lag] = r
	}
	l.peaks(n)
	return l, nil
}

// peaks fills Peak and PeakLag, scanning L = 0, +1, −1, +2, −2, … and
// keeping the first strictly larger |r|.
func (l *Lagged) peaks(n int) {
	l.Peak = mat.NewSymDense(n, nil)
	l.PeakLag = mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			best, bestLag := math.NaN(), math.NaN()
			try := func(v float64, lag int) {
				if math.IsNaN(v) {
					return
				}
				if math.IsNaN(best) || math.Abs(v) > math.Abs(best) {
					best, bestLag = v, float64(lag)
				}
			}
			try(l.r[0].At(i, j), 0)
			for lag := 1; lag <= l.MaxLag; lag++ {
				try(l.r[lag].At(i, j), lag)
				try(l.r[lag].At(j, i), -lag) // r_ij(−L) = r_ji(L)
			}
			l.Peak.SetSym(i, j, best)
			l.PeakLag.Set(i, j, bestLag)
			l.PeakLag.Set(j, i, -bestLag)
		}
	}
}

// Neurons returns N.
func (l *Lagged) Neurons() int { return l.Peak.SymmetricDim() }

// At returns r_ij(lag) = corr(x_i(t), x_j(t+lag)). It panics when i or j is
// out of range or |lag| > MaxLag (programmer errors).
func (l *Lagged) At(i, j, lag int) float64 {
	switch {
	case lag > l.MaxLag || -lag > l.MaxLag:
		panic(fmt.Sprintf("connectivity: lag %d outside ±%d", lag, l.MaxLag))
	case lag < 0:
		return l.r[-lag].At(j, i)
	}
	return l.r[lag].At(i, j)
}

// LagTo copies the N × N matrix r_··(lag) into dst, which must be empty
// (it is then resized) or N × N. It panics when |lag| > MaxLag or dst has
// another shape (programmer errors).
func (l *Lagged) LagTo(dst *mat.Dense, lag int) {
	if lag > l.MaxLag || -lag > l.MaxLag {
		panic(fmt.Sprintf("connectivity: lag %d outside ±%d", lag, l.MaxLag))
	}
	n := l.Neurons()
	if dst.IsEmpty() {
		dst.ReuseAs(n, n)
	} else if r, c := dst.Dims(); r != n || c != n {
		panic(fmt.Sprintf("connectivity: LagTo into a %d×%d matrix, want %d×%d", r, c, n, n))
	}
	if lag < 0 {
		dst.Copy(l.r[-lag].T())
		return
	}
	dst.Copy(l.r[lag])
}
