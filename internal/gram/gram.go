// Package gram computes the centred scatter matrix Xcᵀ Xc of a T × N trace
// matrix (rows are time) — the one symmetric product behind every
// covariance and correlation matrix of neurotab — as fast as the BLAS in
// use allows:
//
//   - with gonum's pure-Go BLAS (the default build), blocks of rows are
//     centred into a buffer that stays in cache and the upper triangle of
//     the product is accumulated by rank-k updates split into bands of
//     equal work, one goroutine per core (GOMAXPROCS): X is read from
//     memory once;
//   - with another BLAS (the openblas build tag, see internal/openblas),
//     rows of X are centred into a buffer of at most 64 MiB (same layout,
//     no transpose) and each buffer is one dsyrk call, which the BLAS
//     blocks and threads itself.
//
// Both compute S_ij = Σ_t (x_i(t) − m_i)(x_j(t) − m_j) for given column
// means m; they differ only in the order of the additions.
package gram

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/mat"
)

// blockBytes is the size of the block of centred rows of the pure-Go path:
// small enough to stay in a core's L2 cache while the bands sweep it once
// per neuron, so that X is read from memory once rather than N times.
const blockBytes = 256 << 10

// cBlockBytes is the size of the block of centred rows handed to each dsyrk
// of a C BLAS: large enough for its own blocking and threads to run at full
// speed (a 1,000 × 5,000 matrix is one call; with 16 MiB blocks its three
// calls made it 1.29× numpy, with one 1.16×), small enough to be reused
// rather than allocating a copy of a large X.
const cBlockBytes = 64 << 20

// NonFinite reports a NaN or ±Inf sample of a trace matrix.
type NonFinite struct {
	Sample, Column int
	Value          float64
}

func (e *NonFinite) Error() string {
	return fmt.Sprintf("column %d, sample %d is %v", e.Column, e.Sample, e.Value)
}

// Means returns the column means of the T × N matrix x (T ≥ 1) and which
// columns are constant (every sample equal to the first), in two passes:
// the plain mean m₀, then the correction Σ_t (x(t) − m₀)/T (as gonum's
// stat.Mean; it keeps offsets like 100 ± 1 accurate). The first NaN or
// ±Inf sample, in row order, is returned as a *NonFinite.
func Means(x mat.Matrix) (mean []float64, constant []bool, err error) {
	t, n := x.Dims()
	m0, constant, err := firstPass(x)
	if err != nil {
		return nil, nil, err
	}
	corr := make([]float64, n)
	buf := make([]float64, n)
	for s := range t {
		for j, v := range Row(x, s, buf) {
			corr[j] += v - m0[j]
		}
	}
	for j := range m0 {
		m0[j] += corr[j] / float64(t)
	}
	return m0, constant, nil
}

// firstPass returns the plain column means Σ_t x(t)/T, which columns are
// constant, and the first non-finite sample as a *NonFinite.
func firstPass(x mat.Matrix) (mean []float64, constant []bool, err error) {
	t, n := x.Dims()
	sum := make([]float64, n)
	buf := make([]float64, n)
	first := append([]float64(nil), Row(x, 0, buf)...)
	varies := 0
	constant = make([]bool, n)
	for j := range constant {
		constant[j] = true
	}
	for s := range t {
		row := Row(x, s, buf)[:n]
		sum := sum[:len(row)]
		for j, v := range row {
			sum[j] += v
			if v != first[j] && constant[j] {
				constant[j] = false
				varies++
			}
		}
	}
	for j, v := range sum {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			// A non-finite sum: find the first non-finite sample (an
			// overflowing sum of finite samples finds none and goes on).
			for s := range t {
				for j, v := range Row(x, s, buf) {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						return nil, nil, &NonFinite{Sample: s, Column: j, Value: v}
					}
				}
			}
		}
		sum[j] = v / float64(t)
	}
	// A column with a NaN sample compares unequal to its first sample
	// there, so it is never constant; a NaN first sample was found above.
	return sum, constant, nil
}

// Row returns row s of x: a view when x is a raw matrix, else a copy in
// buf (length N).
func Row(x mat.Matrix, s int, buf []float64) []float64 {
	if rm, ok := x.(mat.RawMatrixer); ok {
		raw := rm.RawMatrix()
		return raw.Data[s*raw.Stride : s*raw.Stride+raw.Cols]
	}
	return mat.Row(buf, s, x)
}

// PureGo reports whether blas64 is gonum's pure-Go implementation (the
// default build) rather than a C BLAS.
func PureGo() bool {
	_, ok := blas64.Implementation().(gonum.Implementation)
	return ok
}

// Result is what Scatter computes of a T × N trace matrix.
type Result struct {
	// S is the centred scatter Xcᵀ Xc, Xc = X − 1 Meanᵀ (N × N; a
	// constant column has a zero row and column).
	S *mat.SymDense
	// Mean is the column means, accurate as those of Means.
	Mean []float64
	// Constant flags the columns whose samples are all equal.
	Constant []bool
	// Norm4 is Σ_t ‖xc(t)‖⁴, the fourth moment that Ledoit–Wolf's β needs.
	Norm4 float64
}

// Scatter computes the centred scatter of the T × N matrix x (T ≥ 1,
// N ≥ 1) reading x twice: a first pass for the plain means m₀ (and the
// finiteness check, a *NonFinite error), then one pass that centres rows
// by m₀ and accumulates the symmetric product. The centring error
// δ = Σ_t (x(t) − m₀)/T is summed on the way and removed exactly at the
// end, S = Σ_t (x(t) − m₀)(x(t) − m₀)ᵀ − T δδᵀ, so S is as accurate as with
// the two-pass mean.
func Scatter(x mat.Matrix) (*Result, error) {
	t, n := x.Dims()
	m0, constant, err := firstPass(x)
	if err != nil {
		return nil, err
	}
	s := mat.NewSymDense(n, nil)
	out := s.RawSymmetric()
	corr := make([]float64, n)
	var norm4 float64
	if !PureGo() {
		rows := min(t, max(64, cBlockBytes/(8*n)))
		buf := make([]float64, rows*n)
		for from := 0; from < t; from += rows {
			k := min(rows, t-from)
			norm4 += centre(buf, x, from, k, m0, corr)
			blas64.Syrk(blas.Trans, 1, blas64.General{Rows: k, Cols: n, Stride: n, Data: buf[:k*n]}, 1, out)
		}
	} else {
		rows := min(t, max(8, blockBytes/(8*n)))
		buf := make([]float64, rows*n)
		bands := Bands(n, runtime.GOMAXPROCS(0))
		for from := 0; from < t; from += rows {
			k := min(rows, t-from)
			norm4 += centre(buf, x, from, k, m0, corr)
			block := buf[:k*n]
			if len(bands) == 2 {
				rankK(out, block, k, bands[0], bands[1])
				continue
			}
			var wg sync.WaitGroup
			for b := range len(bands) - 1 {
				wg.Go(func() { rankK(out, block, k, bands[b], bands[b+1]) })
			}
			wg.Wait()
		}
	}
	ft := float64(t)
	for i := range n {
		d := corr[i] / ft
		m0[i] += d
		if d == 0 {
			continue
		}
		row := out.Data[i*out.Stride : i*out.Stride+n]
		for j := i; j < n; j++ {
			row[j] -= d * corr[j]
		}
	}
	for i, c := range constant {
		if c { // exactly zero, whatever the rounding of its mean
			for j := range n {
				s.SetSym(i, j, 0)
			}
		}
	}
	return &Result{S: s, Mean: m0, Constant: constant, Norm4: norm4}, nil
}

// centre writes rows from, …, from+k−1 of x minus mean into dst (k × N,
// contiguous), adds each column's centred values to corr, and returns
// Σ ‖row‖⁴ over them.
func centre(dst []float64, x mat.Matrix, from, k int, mean, corr []float64) (norm4 float64) {
	n := len(mean)
	tmp := make([]float64, n)
	for r := range k {
		d := dst[r*n : (r+1)*n]
		var q float64
		row := Row(x, from+r, tmp)[:n]
		corr := corr[:n]
		for j, v := range row {
			c := v - mean[j]
			d[j] = c
			corr[j] += c
			q += c * c
		}
		norm4 += q * q
	}
	return norm4
}

// rankK adds to rows lo, …, hi−1 of the upper triangle of out the product
// blockᵀ block of the k × N block: row i gains Σ_l block[l][i]·block[l][i:],
// one axpy per (i, l) with row i of out kept in L1 cache.
func rankK(out blas64.Symmetric, block []float64, k, lo, hi int) {
	n := out.N
	impl := blas64.Implementation()
	for i := lo; i < hi; i++ {
		c := out.Data[i*out.Stride+i : i*out.Stride+n]
		for l := range k {
			a := block[l*n+i : (l+1)*n]
			if a[0] != 0 {
				impl.Daxpy(len(c), a[0], a, 1, c, 1)
			}
		}
	}
}

// Bands splits the rows 0, …, n−1 of an n × n upper triangle into at most
// p bands of about equal area (row i holds n − i entries): the band
// boundaries, from 0 to n. A band is never empty.
func Bands(n, p int) []int {
	p = max(1, min(p, n))
	b := []int{0}
	total := float64(n) * float64(n+1) / 2
	for q := 1; q < p; q++ {
		// rows 0..i−1 hold i·n − i(i−1)/2 entries; solve for q/p of total.
		target := total * float64(q) / float64(p)
		i := int(math.Round(float64(n) + 0.5 - math.Sqrt((float64(n)+0.5)*(float64(n)+0.5)-2*target)))
		if i > b[len(b)-1] && i < n {
			b = append(b, i)
		}
	}
	return append(b, n)
}
