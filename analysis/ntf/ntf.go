// Package ntf is non-negative tensor factorization: the non-negative CP
// (CANDECOMP/PARAFAC) model of a 3-way tensor fitted by hierarchical
// alternating least squares (HALS), with seeded random restarts and the
// diagnostics used to choose its rank — reconstruction error, similarity
// across restarts (factor match score) and core consistency.
//
// Its use in neurotab is the dynamic functional connectome (Dyballa et
// al.; the tensor component analysis of Williams et al. 2018, Neuron 98,
// 1099–1115, doi:10.1016/j.neuron.2018.05.015): the windowed FC of package
// fc (Config.Window) of several recordings with the same neurons is
// stacked into a windows × recordings × neuron-pairs tensor of
// non-negative affinities (e.g. |r| or (1 + r)/2; fc.AffinityTensor builds
// it), and each CP component
// is a time course, a weight per recording and a set of co-active pairs.
//
// The tensor X is I × J × K; the model of rank R is
//
//	X̂_ijk = Σ_r λ_r a_ir b_jr c_kr,   A ≥ 0 (I × R), B ≥ 0 (J × R), C ≥ 0 (K × R),
//
// with unit-norm factor columns and weights λ_r ≥ 0 in decreasing order.
package ntf

import (
	"fmt"
	"math"

	"github.com/neurotab/neurotab"
)

// Tensor is a dense I × J × K tensor of float64 with element (i, j, k) at
// Data[(i·J + j)·K + k] (the last index fastest, as numpy's C order).
type Tensor struct {
	Dims [3]int
	Data []float64
}

// NewTensor returns an I × J × K tensor over data (a new zeroed slice when
// data is nil). It panics when len(data) ≠ I·J·K or a dimension is < 1,
// as gonum's mat.NewDense does.
func NewTensor(I, J, K int, data []float64) *Tensor {
	if I < 1 || J < 1 || K < 1 {
		panic(fmt.Sprintf("ntf: tensor dimensions %d × %d × %d, want ≥ 1", I, J, K))
	}
	if data == nil {
		data = make([]float64, I*J*K)
	}
	if len(data) != I*J*K {
		panic(fmt.Sprintf("ntf: %d values for a %d × %d × %d tensor", len(data), I, J, K))
	}
	return &Tensor{Dims: [3]int{I, J, K}, Data: data}
}

// At returns element (i, j, k).
func (x *Tensor) At(i, j, k int) float64 {
	return x.Data[(i*x.Dims[1]+j)*x.Dims[2]+k]
}

// Set sets element (i, j, k) to v.
func (x *Tensor) Set(i, j, k int, v float64) {
	x.Data[(i*x.Dims[1]+j)*x.Dims[2]+k] = v
}

// check reports whether x is a valid non-negative tensor.
func (x *Tensor) check() error {
	if x == nil {
		return fmt.Errorf("ntf: nil tensor: %w", neurotab.ErrShape)
	}
	I, J, K := x.Dims[0], x.Dims[1], x.Dims[2]
	if I < 1 || J < 1 || K < 1 || len(x.Data) != I*J*K {
		return fmt.Errorf("ntf: %d values for a %d × %d × %d tensor: %w", len(x.Data), I, J, K, neurotab.ErrShape)
	}
	for n, v := range x.Data {
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			i, j, k := n/(J*K), n/K%J, n%K
			return fmt.Errorf("ntf: element (%d, %d, %d) is %v: %w", i, j, k, v, neurotab.ErrNotFinite)
		case v < 0:
			i, j, k := n/(J*K), n/K%J, n%K
			return fmt.Errorf("ntf: element (%d, %d, %d) is %v, want ≥ 0: %w", i, j, k, v, neurotab.ErrOutOfRange)
		}
	}
	return nil
}

// MaxRank is the largest rank a CP model of an I × J × K tensor needs,
// min(IJ, IK, JK) (Kruskal 1989; Kolda & Bader 2009, SIAM Review,
// doi:10.1137/07070111X, §3.1): every tensor has a CP decomposition of
// that rank, so a larger one only repeats components.
func MaxRank(I, J, K int) int { return min(I*J, I*K, J*K) }
