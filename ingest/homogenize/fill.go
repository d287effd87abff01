package homogenize

import (
	"math"
	"sort"
)

// FillLinear writes x to dst with every NaN sample replaced by linear
// interpolation in time between the nearest finite samples before (a) and
// after (b) it:
//
//	x̂(t) = x[a] + (x[b] − x[a]) · (t − t[a]) / (t[b] − t[a])
//
// Leading and trailing NaNs take the first and last finite value. This is
// numpy's np.interp(t, t[finite], x[finite]) evaluated at the gaps. Finite
// samples are copied unchanged. It returns dst (resized; it may be x itself)
// and the number of samples filled. When x has no finite sample dst is a
// copy of x and the count is 0. t must be increasing with len(t) == len(x);
// FillLinear panics otherwise (a programmer error: Homogenize checks data
// before calling it).
//
// Unlike the published Leifer2023 preprocessor (scikit-learn's
// IterativeImputer, which regresses each trace on others), each trace is
// filled from its own neighbours only; see the package documentation.
func FillLinear(dst, t, x []float64) ([]float64, int) {
	if len(t) != len(x) {
		panic("homogenize: FillLinear: len(t) != len(x)")
	}
	dst = resize(dst, len(x))
	copy(dst, x) // a no-op when dst is x
	prev := -1   // last finite index
	filled := 0
	for i := 0; i < len(x); i++ {
		if math.IsNaN(dst[i]) {
			continue
		}
		switch {
		case prev < 0 && i > 0:
			for k := 0; k < i; k++ {
				dst[k] = dst[i]
			}
			filled += i
		case prev >= 0 && i > prev+1:
			slope := (dst[i] - dst[prev]) / (t[i] - t[prev])
			for k := prev + 1; k < i; k++ {
				dst[k] = slope*(t[k]-t[prev]) + dst[prev]
			}
			filled += i - prev - 1
		}
		prev = i
	}
	if prev >= 0 {
		for k := prev + 1; k < len(x); k++ {
			dst[k] = dst[prev]
		}
		filled += len(x) - 1 - prev
	}
	return dst, filled
}

// Interp evaluates the piecewise-linear function through (t[i], x[i]) at
// the times q, as numpy's np.interp(q, t, x): for t[j] ≤ q < t[j+1]
//
//	y = x[j] + (x[j+1] − x[j]) / (t[j+1] − t[j]) · (q − t[j])
//
// and x[0] left of t[0], x[len−1] from t[len−1] on. t must be increasing
// and non-empty with len(t) == len(x) (Interp panics otherwise); q may be in
// any order, increasing q is fastest. dst is resized to len(q) and returned.
func Interp(dst, q, t, x []float64) []float64 {
	if len(t) != len(x) || len(t) == 0 {
		panic("homogenize: Interp: len(t) != len(x) or empty")
	}
	dst = resize(dst, len(q))
	n := len(t)
	j := 0
	for i, v := range q {
		switch {
		case !(v >= t[0]): // also NaN: np.interp gives x[0] for -inf; NaN gives NaN below
			if math.IsNaN(v) {
				dst[i] = math.NaN()
			} else {
				dst[i] = x[0]
			}
			continue
		case v >= t[n-1]:
			dst[i] = x[n-1]
			continue
		}
		if v < t[j] || (j+1 < n && v >= t[j+1] && j+2 < n && v >= t[j+2]) {
			// far jump or backwards: binary search for the last t[j] <= v
			j = sort.SearchFloat64s(t, v)
			if j == n || t[j] > v {
				j--
			}
		}
		for v >= t[j+1] {
			j++
		}
		dst[i] = (x[j+1]-x[j])/(t[j+1]-t[j])*(v-t[j]) + x[j]
	}
	return dst
}

// resize returns dst with length n, reallocating only when its capacity is
// too small.
func resize(dst []float64, n int) []float64 {
	if cap(dst) < n {
		return make([]float64, n)
	}
	return dst[:n]
}
