package homogenize

import "math"

// ZScore writes the per-trace z-score of x to dst (resized; it may be x
// itself) and returns it:
//
//	z[i] = (x[i] − μ) / σ,  μ = mean(x),  σ = sqrt(mean((x − μ)²))
//
// with the population SD (ddof = 0), as scikit-learn's StandardScaler used
// by the published pipeline (Simeon et al. 2024, arXiv:2411.12091) and
// scipy.stats.zscore. NaN samples are left out of μ and σ and stay NaN
// (StandardScaler's rule). A constant trace (σ = 0) gives x − μ, all zeros
// (StandardScaler's scale of 1). μ and σ are computed in two passes.
func ZScore(dst, x []float64) []float64 {
	dst = resize(dst, len(x))
	var s float64
	n := 0
	for _, v := range x {
		if !math.IsNaN(v) {
			s += v
			n++
		}
	}
	if n == 0 {
		copy(dst, x)
		return dst
	}
	mu := s / float64(n)
	var ss, c float64 // c: compensation term of the corrected two-pass algorithm
	for _, v := range x {
		if !math.IsNaN(v) {
			d := v - mu
			ss += d * d
			c += d
		}
	}
	sd := math.Sqrt((ss - c*c/float64(n)) / float64(n))
	if sd == 0 {
		sd = 1
	}
	for i, v := range x {
		dst[i] = (v - mu) / sd
	}
	return dst
}

// CausalVarianceFloor is the floor on the running variance in
// CausalNormalize (the published CausalNormalizer's 1e-8), so the first
// sample, whose variance is 0, maps to 0 instead of 0/0.
const CausalVarianceFloor = 1e-8

// CausalNormalize writes the causal z-score of x to dst (resized; it may be
// x itself) and returns it, using only samples up to each time:
//
//	z[t] = (x[t] − m_t) / sqrt(max(v_t, 1e-8)),
//	m_t = mean(x[0…t]),  v_t = mean((x[0…t] − m_t)²)
//
// as the CausalNormalizer of the published pipeline (Simeon et al. 2024,
// arXiv:2411.12091), equal to pandas' expanding().mean() and
// expanding().std(ddof=0). The running moments use Welford's update (the
// published code's cumsum(x²)/n − m² loses digits for traces with a large
// mean). NaN samples give NaN and do not enter the moments.
func CausalNormalize(dst, x []float64) []float64 {
	dst = resize(dst, len(x))
	var mean, m2 float64
	n := 0
	for i, v := range x {
		if math.IsNaN(v) {
			dst[i] = v
			continue
		}
		n++
		d := v - mean
		mean += d / float64(n)
		m2 += d * (v - mean)
		vr := max(m2/float64(n), CausalVarianceFloor)
		dst[i] = (v - mean) / math.Sqrt(vr)
	}
	return dst
}
