package covariance

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// SymToVec appends to dst the lower triangle of the N × N symmetric matrix
// m, row by row (m_00, m_10, m_11, m_20, m_21, m_22, …), and returns the
// extended slice: nilearn's sym_matrix_to_vec. With the diagonal
// (discardDiagonal false) it appends N(N+1)/2 values and divides the
// diagonal ones by √2, so that ‖v‖² = Σ_{i>j} m_ij² + Σ_i m_ii²/2 =
// ‖m‖²_F / 2: Euclidean distances between vectors are Frobenius distances
// between matrices (of tangent vectors, for Tangent) over √2:
//
//	v = (m_00/√2, m_10, m_11/√2, m_20, m_21, m_22/√2, …)
//
// With discardDiagonal it appends the N(N−1)/2 strictly-lower values
// unscaled (m_10, m_20, m_21, …).
func SymToVec(dst []float64, m mat.Symmetric, discardDiagonal bool) []float64 {
	n := m.SymmetricDim()
	for i := 0; i < n; i++ {
		for j := 0; j < i; j++ {
			dst = append(dst, m.At(i, j))
		}
		if !discardDiagonal {
			dst = append(dst, m.At(i, i)/math.Sqrt2)
		}
	}
	return dst
}

// VecToSym writes into dst the symmetric matrix of a vector made by
// SymToVec: nilearn's vec_to_sym_matrix. With diagonal nil, vec holds
// N(N+1)/2 values with the diagonal divided by √2 (multiplied back here).
// With diagonal non-nil, vec holds the N(N−1)/2 strictly-lower values and
// diagonal the N diagonal values of the matrix, unscaled (nilearn's
// vec_to_sym_matrix takes them divided by √2; pass the true diagonal here,
// e.g. ones for a correlation matrix).
//
// An empty dst is resized; a non-empty dst must be N × N, otherwise VecToSym
// panics. A vector length that is no triangle number, or that disagrees
// with len(diagonal), wraps neurotab.ErrShape.
func VecToSym(dst *mat.SymDense, vec []float64, diagonal []float64) error {
	var n int
	if diagonal == nil {
		n = triangleSide(len(vec))
		if n < 1 {
			return fmt.Errorf("covariance: vector of %d values is not the lower triangle of a symmetric matrix: %w", len(vec), neurotab.ErrShape)
		}
	} else {
		n = len(diagonal)
		if n < 1 || len(vec) != n*(n-1)/2 {
			return fmt.Errorf("covariance: vector of %d values with a diagonal of %d, want %d values: %w", len(vec), n, n*(n-1)/2, neurotab.ErrShape)
		}
	}
	if dst.IsEmpty() {
		dst.ReuseAsSym(n)
	} else if m := dst.SymmetricDim(); m != n {
		panic(fmt.Sprintf("covariance: VecToSym: dst is %d×%d, want %d×%d", m, m, n, n))
	}
	k := 0
	for i := 0; i < n; i++ {
		for j := 0; j < i; j++ {
			dst.SetSym(j, i, vec[k])
			k++
		}
		if diagonal == nil {
			dst.SetSym(i, i, vec[k]*math.Sqrt2)
			k++
		} else {
			dst.SetSym(i, i, diagonal[i])
		}
	}
	return nil
}

// triangleSide returns n with n(n+1)/2 = l, or −1.
func triangleSide(l int) int {
	n := int((math.Sqrt(float64(8*l+1)) - 1) / 2)
	for _, c := range []int{n - 1, n, n + 1} {
		if c >= 0 && c*(c+1)/2 == l {
			return c
		}
	}
	return -1
}
