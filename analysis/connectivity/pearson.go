package connectivity

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/gram"
)

// Pearson returns the N × N Pearson correlation matrix of the T × N trace
// matrix x (rows are time, columns are neurons):
//
//	r_ij = cov(x_i, x_j) / (σ_i σ_j)
//	     = Σ_t (x_i(t) − x̄_i)(x_j(t) − x̄_j) / sqrt(Σ_t (x_i(t) − x̄_i)² Σ_t (x_j(t) − x̄_j)²)
//
// (Pearson 1895, Proc. R. Soc. Lond. 58:240, doi:10.1098/rspl.1895.0041;
// numpy.corrcoef computes the same). The diagonal is exactly 1 and every
// value is clipped to [−1, 1] against rounding.
//
// A constant trace (all T samples equal) has σ = 0: its row and column,
// diagonal included, are NaN. Pearson never panics on data: fewer than 2
// samples or no neurons wrap neurotab.ErrShape, a NaN or ±Inf sample is a
// *NonFiniteError.
//
// The centred scatter XcᵀXc is one symmetric rank-T product of X as it is
// (internal/gram: no transposed or z-scored copy; split over the cores in
// pure Go, OpenBLAS dsyrk with the openblas build tag), and r_ij is S_ij
// divided by sqrt(S_ii S_jj).
func Pearson(x mat.Matrix) (*mat.SymDense, error) {
	r, _, err := pearson(x)
	return r, err
}

// pearson is Pearson that also reports which columns are constant.
func pearson(x mat.Matrix) (*mat.SymDense, []bool, error) {
	t, n := x.Dims()
	if err := checkShape(t, n, 0); err != nil {
		return nil, nil, err
	}
	g, err := gram.Scatter(x)
	if err != nil {
		var nf *gram.NonFinite
		if errors.As(err, &nf) {
			return nil, nil, &NonFiniteError{Sample: nf.Sample, Column: nf.Column, Value: nf.Value}
		}
		return nil, nil, err
	}
	r, constant := g.S, g.Constant
	raw := r.RawSymmetric()
	scale := make([]float64, n)
	for i := range n {
		if d := raw.Data[i*raw.Stride+i]; d > 0 && !constant[i] {
			scale[i] = 1 / math.Sqrt(d)
		} else {
			constant[i] = true
		}
	}
	for i := range n {
		row := raw.Data[i*raw.Stride : i*raw.Stride+n]
		for j := i + 1; j < n; j++ {
			row[j] *= scale[i] * scale[j]
		}
	}
	finishCorrelation(r, constant)
	return r, constant, nil
}

// checkShape checks that a T × N matrix has N ≥ 1 and, after a lag, at
// least two overlapping samples.
func checkShape(t, n, maxLag int) error {
	switch {
	case n < 1:
		return fmt.Errorf("connectivity: %d×%d traces have no neurons: %w", t, n, neurotab.ErrShape)
	case t-maxLag < 2 && maxLag > 0:
		return fmt.Errorf("connectivity: %d samples leave %d overlapping at lag %d, need at least 2: %w", t, t-maxLag, maxLag, neurotab.ErrShape)
	case t < 2:
		return fmt.Errorf("connectivity: %d samples, need at least 2: %w", t, neurotab.ErrShape)
	}
	return nil
}

// transpose copies the T × N matrix x into a new N × T matrix (one row per
// neuron, contiguous in time) and checks every value is finite.
func transpose(x mat.Matrix) (*mat.Dense, error) {
	t, n := x.Dims()
	z := mat.NewDense(n, t, nil)
	zd := z.RawMatrix().Data
	if rm, ok := x.(mat.RawMatrixer); ok {
		raw := rm.RawMatrix()
		for s := 0; s < t; s++ {
			row := raw.Data[s*raw.Stride : s*raw.Stride+n]
			for j, v := range row {
				zd[j*t+s] = v
			}
		}
	} else {
		for s := 0; s < t; s++ {
			for j := 0; j < n; j++ {
				zd[j*t+s] = x.At(s, j)
			}
		}
	}
	for j := 0; j < n; j++ {
		for s, v := range zd[j*t : (j+1)*t] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, &NonFiniteError{Sample: s, Column: j, Value: v}
			}
		}
	}
	return z, nil
}

// standardize writes into dst (N × m) the samples from, …, from+m−1 of each
// row of src (N × T, one row per neuron), centred and scaled to unit
// Euclidean norm, so that dst dstᵀ is their correlation matrix. A row whose
// m samples are all equal is written as zeros and flagged in constant.
// dst may be src when from is 0.
func standardize(dst, src *mat.Dense, from int, constant []bool) {
	n, m := dst.Dims()
	for j := 0; j < n; j++ {
		in := src.RawRowView(j)[from : from+m]
		out := dst.RawRowView(j)
		constant[j] = isConstant(in)
		if constant[j] {
			clear(out)
			continue
		}
		// Two-pass mean with a correction term (as gonum's stat.Mean and
		// numpy's pairwise sum, it keeps offsets like 100 ± 1 accurate).
		var sum float64
		for _, v := range in {
			sum += v
		}
		mean := sum / float64(m)
		var corr float64
		for _, v := range in {
			corr += v - mean
		}
		mean += corr / float64(m)
		var ss float64
		for i, v := range in {
			d := v - mean
			out[i] = d
			ss += d * d
		}
		if ss == 0 {
			constant[j] = true
			clear(out)
			continue
		}
		scale := 1 / math.Sqrt(ss)
		for i := range out {
			out[i] *= scale
		}
	}
}

func isConstant(v []float64) bool {
	for _, x := range v[1:] {
		if x != v[0] {
			return false
		}
	}
	return true
}

// finishCorrelation sets the diagonal to 1, clips to [−1, 1] and writes NaN
// in the rows and columns of constant traces.
func finishCorrelation(r *mat.SymDense, constant []bool) {
	raw := r.RawSymmetric() // upper triangle
	n := raw.N
	for i := 0; i < n; i++ {
		row := raw.Data[i*raw.Stride : i*raw.Stride+n]
		if constant[i] {
			for j := i; j < n; j++ {
				row[j] = math.NaN()
			}
			continue
		}
		row[i] = 1
		for j := i + 1; j < n; j++ {
			if constant[j] {
				row[j] = math.NaN()
			} else {
				row[j] = clip(row[j])
			}
		}
	}
}

func clip(v float64) float64 {
	switch {
	case v > 1:
		return 1
	case v < -1:
		return -1
	}
	return v
}
