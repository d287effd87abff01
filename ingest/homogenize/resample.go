package homogenize

import (
	"fmt"
	"math"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/table"
)

// BlockSize is the published downsampling factor: when downsampling to Dt,
// traces are first interpolated to Dt/BlockSize and then averaged over
// non-overlapping blocks of BlockSize samples.
const BlockSize = 6

// Grid is the resampling plan of one time vector onto the spacing Dt,
// following NeuralBasePreprocessor.resample_data of the published pipeline
// (Simeon et al. 2024, arXiv:2411.12091). With t0 = t[0], tN = t[len−1] and
// m the median spacing of t:
//
//   - upsampling (Dt < m): linear interpolation (np.interp) at
//     q_k = t0 + k·Dt, k = 0 … ⌈(tN − t0)/Dt⌉ − 1 (np.arange excludes tN);
//   - downsampling (Dt ≥ m): linear interpolation at the fine times
//     f_i = t0 + i·(Dt/6), i < ⌈(tN − t0)/(Dt/6)⌉, then block means
//     y_k = (1/6) Σ_{i=6k}^{6k+5} x(f_i), k < ⌊len(f)/6⌋.
//
// Output times are Time[k] = t0 + k·Dt in both cases (published: the block
// mean of f_6k…f_6k+5 is stamped k·Dt, the start of its block). A Grid is
// read-only after NewGrid and safe for concurrent use.
type Grid struct {
	Dt   float64   // target spacing, s
	Down bool      // true: interpolate to Dt/BlockSize, then block means
	Time []float64 // output times t0 + k·Dt

	// interpolation plan for the targets (fine targets when Down):
	// value = x[idx] + frac·(x[idx+1] − x[idx])
	idx  []int32
	frac []float64
}

// NewGrid plans the resampling of samples taken at times t (at least 2,
// finite, strictly increasing) onto the spacing dt > 0 s. Its errors wrap
// neurotab.ErrParam (dt), neurotab.ErrShape (fewer than 2 samples, or a
// recording shorter than one step), neurotab.ErrNotFinite or
// neurotab.ErrTimeOrder (t).
func NewGrid(t []float64, dt float64) (*Grid, error) {
	g, msg, err := newGrid(t, dt)
	if err != nil {
		return nil, fmt.Errorf("homogenize: %s: %w", msg, err)
	}
	return g, nil
}

// newGrid is NewGrid with the problem and its sentinel apart, for
// Homogenize's DataError.
func newGrid(t []float64, dt float64) (g *Grid, msg string, err error) {
	if !(dt > 0) || math.IsInf(dt, 0) {
		return nil, fmt.Sprintf("resampling step %g s is not a positive number", dt), neurotab.ErrParam
	}
	if len(t) < 2 {
		return nil, fmt.Sprintf("resampling needs at least 2 samples, have %d", len(t)), neurotab.ErrShape
	}
	if msg, err := checkTime(t); err != nil {
		return nil, msg, err
	}
	g = &Grid{Dt: dt, Down: !(dt < table.MedianDt(t))}
	step := dt
	if g.Down {
		step = dt / BlockSize
	}
	t0, tN := t[0], t[len(t)-1]
	n := int(math.Ceil((tN - t0) / step)) // np.arange length
	nOut := n
	if g.Down {
		nOut = n / BlockSize
		n = nOut * BlockSize // the tail of an incomplete block is never used
	}
	if nOut == 0 {
		return nil, fmt.Sprintf("recording of %g s is shorter than one resampling step (%g s)", tN-t0, dt), neurotab.ErrShape
	}
	g.idx = make([]int32, n)
	g.frac = make([]float64, n)
	j := 0
	for i := 0; i < n; i++ {
		q := t0 + float64(i)*step
		for j+2 < len(t) && q >= t[j+1] {
			j++
		}
		g.idx[i] = int32(j)
		g.frac[i] = (q - t[j]) / (t[j+1] - t[j])
	}
	g.Time = make([]float64, nOut)
	for k := range g.Time {
		g.Time[k] = t0 + float64(k)*dt
	}
	return g, "", nil
}

// checkTime checks that t is finite and strictly increasing; on failure it
// returns what is wrong and neurotab.ErrNotFinite or neurotab.ErrTimeOrder.
func checkTime(t []float64) (string, error) {
	for i, v := range t {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Sprintf("time %g at sample %d", v, i), neurotab.ErrNotFinite
		}
		if i > 0 && !(v > t[i-1]) {
			return fmt.Sprintf("time does not increase at sample %d (%g after %g)", i, v, t[i-1]), neurotab.ErrTimeOrder
		}
	}
	return "", nil
}

// Len returns the number of output samples.
func (g *Grid) Len() int { return len(g.Time) }

// Method returns the interpolate_method string of the plan: "linear" when
// upsampling, "linear+block_mean(6)" when downsampling.
func (g *Grid) Method() string {
	if g.Down {
		return fmt.Sprintf("linear+block_mean(%d)", BlockSize)
	}
	return "linear"
}

// Resample writes the resampled x (sampled at the t given to NewGrid) to
// dst, resized to g.Len(), and returns it. It allocates nothing when dst is
// large enough. NaNs propagate to the outputs that use them. It panics when
// len(x) differs from the planned time vector's length in a way that makes
// the plan index out of range (a programmer error).
func (g *Grid) Resample(dst, x []float64) []float64 {
	dst = resize(dst, len(g.Time))
	if !g.Down {
		for k, j := range g.idx {
			a := x[j]
			dst[k] = a + g.frac[k]*(x[j+1]-a)
		}
		return dst
	}
	for k := range dst {
		var s float64
		for i := k * BlockSize; i < (k+1)*BlockSize; i++ {
			j := g.idx[i]
			a := x[j]
			s += a + g.frac[i]*(x[j+1]-a)
		}
		dst[k] = s / BlockSize
	}
	return dst
}

// Resample resamples one trace x, sampled at times t, onto the spacing dt
// with the published rule (see Grid). It returns the new times and values.
func Resample(t, x []float64, dt float64) (tNew, xNew []float64, err error) {
	if len(t) != len(x) {
		return nil, nil, fmt.Errorf("homogenize: %d times for %d samples: %w", len(t), len(x), neurotab.ErrShape)
	}
	g, err := NewGrid(t, dt)
	if err != nil {
		return nil, nil, err
	}
	return g.Time, g.Resample(nil, x), nil
}

// BlockMean writes the means of the non-overlapping blocks of k samples of
// x to dst (resized to ⌊len(x)/k⌋; an incomplete last block is dropped, as
// numpy's x[:n*k].reshape(n, k).mean(axis=1)) and returns it. k < 1 is
// treated as 1.
func BlockMean(dst, x []float64, k int) []float64 {
	if k < 1 {
		k = 1
	}
	n := len(x) / k
	dst = resize(dst, n)
	for b := 0; b < n; b++ {
		var s float64
		for _, v := range x[b*k : (b+1)*k] {
			s += v
		}
		dst[b] = s / float64(k)
	}
	return dst
}
