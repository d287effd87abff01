package homogenize

import "math"

// MovingAverage writes the causal moving average of x with the published
// window definition to dst (resized; it must not overlap x) and returns it.
// The window w is made odd (w+1 when even) and each output averages the
// current sample and the w/2 before it (fewer at the start):
//
//	y[i] = mean(x[max(0, i − ⌊w/2⌋) … i])
//
// so the default w = 15 averages 8 samples (moving_average_smooth in the
// published pipeline, Simeon et al. 2024, arXiv:2411.12091). This equals
// pandas' Series.rolling(⌊w/2⌋+1, min_periods=1).mean(). An output whose
// window holds a NaN is NaN. w < 1 is treated as 1 (a copy).
func MovingAverage(dst, x []float64, w int) []float64 {
	dst = resize(dst, len(x))
	if w < 1 {
		w = 1
	}
	if w%2 == 0 {
		w++
	}
	m := w/2 + 1 // samples in a full window
	var sum float64
	nan := 0
	for i, v := range x {
		if math.IsNaN(v) {
			nan++
		} else {
			sum += v
		}
		if i >= m {
			if old := x[i-m]; math.IsNaN(old) {
				nan--
			} else {
				sum -= old
			}
		}
		if nan > 0 {
			dst[i] = math.NaN()
			continue
		}
		n := min(i+1, m)
		dst[i] = sum / float64(n)
		// Re-sum every 1024 samples so rounding in the running sum cannot
		// accumulate over long recordings.
		if i%1024 == 1023 {
			sum = 0
			for _, u := range x[i+1-n : i+1] {
				sum += u
			}
		}
	}
	return dst
}

// GaussianTruncate is the half-width of GaussianSmooth's kernel in units of
// Sigma: weights beyond 8σ are below e^{−32} ≈ 1.3e-14 of the centre weight
// and are left out.
const GaussianTruncate = 8

// GaussianSmooth writes the causal (half-)Gaussian smoothing of x to dst
// (resized; it must not overlap x) and returns it:
//
//	y[i] = Σ_{k=0}^{K_i} w_k x[i−k] / Σ_{k=0}^{K_i} w_k,  w_k = exp(−k² / (2σ²))
//
// with K_i = min(i, ⌈8σ⌉), σ in samples. This is gaussian_kernel_smooth of
// the published pipeline (Simeon et al. 2024, arXiv:2411.12091), whose sum
// runs over the whole past; the truncation at 8σ changes results by less
// than 1e-13 relative. It is not scipy.ndimage.gaussian_filter1d, which is
// centred (non-causal). NaNs propagate to the outputs whose window holds
// them. σ ≤ 0 gives a copy.
func GaussianSmooth(dst, x []float64, sigma float64) []float64 {
	return gaussianSmooth(dst, x, gaussianWeights(nil, sigma))
}

// gaussianWeights returns w_0 … w_K for sigma (just [1] for sigma <= 0).
func gaussianWeights(w []float64, sigma float64) []float64 {
	if !(sigma > 0) {
		return append(w[:0], 1)
	}
	K := int(math.Ceil(GaussianTruncate * sigma))
	w = w[:0]
	a := 1 / (2 * sigma * sigma)
	for k := 0; k <= K; k++ {
		w = append(w, math.Exp(-a*float64(k*k)))
	}
	return w
}

func gaussianSmooth(dst, x, w []float64) []float64 {
	dst = resize(dst, len(x))
	var norm float64 // Σ w_k for k <= min(i, K)
	for i := range x {
		if i < len(w) {
			norm += w[i]
		}
		var s float64
		K := min(i, len(w)-1)
		for k := 0; k <= K; k++ {
			s += w[k] * x[i-k]
		}
		dst[i] = s / norm
	}
	return dst
}

// ExponentialSmooth writes the exponential smoothing of x to dst (resized;
// it may be x itself) and returns it:
//
//	y[0] = x[0],  y[i] = α x[i] + (1 − α) y[i−1]
//
// as exponential_kernel_smooth of the published pipeline (Simeon et al.
// 2024, arXiv:2411.12091) and pandas' Series.ewm(alpha=α,
// adjust=False).mean(). 0 < α ≤ 1; smaller is smoother. A NaN makes every
// later output NaN: fill gaps first.
func ExponentialSmooth(dst, x []float64, alpha float64) []float64 {
	dst = resize(dst, len(x))
	if len(x) == 0 {
		return dst
	}
	y := x[0]
	dst[0] = y
	for i := 1; i < len(x); i++ {
		y = alpha*x[i] + (1-alpha)*y
		dst[i] = y
	}
	return dst
}
