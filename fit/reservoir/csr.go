package reservoir

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// CSR is a sparse N×N recurrent weight matrix W[post][pre] in compressed
// sparse row form: the weights onto unit i (its presynaptic units and their
// weights) are Indices[Indptr[i]:Indptr[i+1]] and Data[Indptr[i]:Indptr[i+1]],
// so the recurrent input of every unit, (W x)_i = Σ_j W[i][j] x[j], is one
// pass over a row. The orientation is that of "recurrent weights" in
// package neurotab (see "Matrix orientation" in
// [github.com/neurotab/neurotab]): W = Aᵀ for an adjacency A[pre][post].
type CSR struct {
	// N is the number of units.
	N int
	// Indptr has N+1 non-decreasing offsets into Indices and Data, from 0
	// to the number of non-zeros.
	Indptr []int
	// Indices holds the presynaptic unit of each non-zero, increasing
	// within a row.
	Indices []int32
	// Data holds the weight of each non-zero.
	Data []float64

	// narrow is a 16-bit copy of Indices (N ≤ 65536) for the fast product.
	narrow []uint16
}

// wide is the length of the array a 16-bit index addresses: a vector x
// with cap(x) ≥ wide is read through a *[wide]float64, whose uint16 indices
// need no bounds check.
const wide = 1 << 16

// prepare keeps the 16-bit copy of Indices when N ≤ 65536. NewCSR,
// Config.New and ESN.Check call it.
func (s *CSR) prepare() {
	s.narrow = nil
	if s.N > wide {
		return
	}
	s.narrow = make([]uint16, len(s.Indices))
	for p, j := range s.Indices {
		s.narrow[p] = uint16(j)
	}
}

// NewCSR returns the CSR form of the non-zero entries of the square matrix
// w (W[post][pre]). It panics if w is not square.
func NewCSR(w mat.Matrix) *CSR {
	n, c := w.Dims()
	if n != c {
		panic(fmt.Sprintf("reservoir: NewCSR of a %d×%d matrix", n, c))
	}
	s := &CSR{N: n, Indptr: make([]int, n+1)}
	for i := range n {
		for j := range n {
			if v := w.At(i, j); v != 0 {
				s.Indices = append(s.Indices, int32(j))
				s.Data = append(s.Data, v)
			}
		}
		s.Indptr[i+1] = len(s.Data)
	}
	s.prepare()
	return s
}

// NNZ returns the number of stored entries.
func (s *CSR) NNZ() int { return len(s.Data) }

// Dense returns W as an N×N dense matrix.
func (s *CSR) Dense() *mat.Dense {
	d := mat.NewDense(max(s.N, 1), max(s.N, 1), nil)
	if s.N == 0 {
		return d
	}
	for i := range s.N {
		for p := s.Indptr[i]; p < s.Indptr[i+1]; p++ {
			d.Set(i, int(s.Indices[p]), s.Data[p])
		}
	}
	return d
}

// MulVec writes W x into dst (both of length N). dst and x must not alias.
//
// When x has a capacity of at least 65536 and W was prepared (NewCSR,
// Config.New or ESN.Check), the product reads x through a fixed-size array
// with 16-bit indices, free of bounds checks (about 30% faster; Runner
// allocates its states so). After changing Indices by hand, call
// ESN.Check again.
func (s *CSR) MulVec(dst, x []float64) {
	dst = dst[:s.N]
	if len(s.narrow) == len(s.Indices) && s.narrow != nil && cap(x) >= wide {
		xa := (*[wide]float64)(x[:wide])
		for i := range dst {
			dst[i] = s.rowNarrow(i, xa)
		}
		return
	}
	for i := range dst {
		dst[i] = s.row(i, x)
	}
}

// rowNarrow is row with 16-bit indices into a 65536-array: the same sums
// in the same order (so the same bits), kept apart from row because only
// an array of a constant length lets the compiler drop the bounds checks.
func (s *CSR) rowNarrow(i int, x *[wide]float64) float64 {
	lo, hi := s.Indptr[i], s.Indptr[i+1]
	idx, val := s.narrow[lo:hi], s.Data[lo:hi]
	val = val[:len(idx)]
	var a0, a1, a2, a3 float64
	k := 0
	for ; k+3 < len(idx); k += 4 {
		a0 += val[k] * x[idx[k]]
		a1 += val[k+1] * x[idx[k+1]]
		a2 += val[k+2] * x[idx[k+2]]
		a3 += val[k+3] * x[idx[k+3]]
	}
	for ; k < len(idx); k++ {
		a0 += val[k] * x[idx[k]]
	}
	return (a0 + a1) + (a2 + a3)
}

// row returns Σ_j W[i][j] x[j], with four accumulators.
func (s *CSR) row(i int, x []float64) float64 {
	lo, hi := s.Indptr[i], s.Indptr[i+1]
	idx, val := s.Indices[lo:hi], s.Data[lo:hi]
	val = val[:len(idx)]
	var a0, a1, a2, a3 float64
	k := 0
	for ; k+3 < len(idx); k += 4 {
		a0 += val[k] * x[idx[k]]
		a1 += val[k+1] * x[idx[k+1]]
		a2 += val[k+2] * x[idx[k+2]]
		a3 += val[k+3] * x[idx[k+3]]
	}
	for ; k < len(idx); k++ {
		a0 += val[k] * x[idx[k]]
	}
	return (a0 + a1) + (a2 + a3)
}

// Scale multiplies every weight by f.
func (s *CSR) Scale(f float64) {
	for i := range s.Data {
		s.Data[i] *= f
	}
}

// check validates the structure: offsets, indices in range and increasing
// within a row, finite weights.
func (s *CSR) check() error {
	if s.N < 1 || len(s.Indptr) != s.N+1 || s.Indptr[0] != 0 || s.Indptr[s.N] != len(s.Indices) || len(s.Indices) != len(s.Data) {
		return fmt.Errorf("reservoir: W is not a valid %d-unit CSR (%d offsets, %d indices, %d weights): %w",
			s.N, len(s.Indptr), len(s.Indices), len(s.Data), neurotab.ErrShape)
	}
	for i := range s.N {
		lo, hi := s.Indptr[i], s.Indptr[i+1]
		if lo > hi {
			return fmt.Errorf("reservoir: W row %d: offsets %d > %d: %w", i, lo, hi, neurotab.ErrShape)
		}
		for p := lo; p < hi; p++ {
			j := int(s.Indices[p])
			if j < 0 || j >= s.N || (p > lo && j <= int(s.Indices[p-1])) {
				return fmt.Errorf("reservoir: W row %d: presynaptic index %d out of range or order: %w", i, j, neurotab.ErrShape)
			}
			if v := s.Data[p]; math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("reservoir: W[%d][%d] = %v: %w", i, j, v, neurotab.ErrNotFinite)
			}
		}
	}
	return nil
}
