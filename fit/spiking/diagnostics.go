package spiking

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// KernelRank returns the kernel quality of a liquid (Legenstein & Maass
// 2007, "Edge of chaos and prediction of computational performance for
// neural circuit models", Neural Netw. 20:323–334,
// doi:10.1016/j.neunet.2007.04.017): the numerical rank of the S×N matrix
// of liquid states for S different inputs, the number of singular values
// above max(S, N)·σ_max·ε (ε the float64 machine epsilon, numpy's
// matrix_rank default). A larger rank separates more inputs linearly.
func KernelRank(X mat.Matrix) (int, error) {
	r, c := X.Dims()
	if r == 0 || c == 0 {
		return 0, fmt.Errorf("spiking: kernel rank of a %d×%d matrix: %w", r, c, neurotab.ErrShape)
	}
	var svd mat.SVD
	if !svd.Factorize(X, mat.SVDNone) {
		return 0, fmt.Errorf("spiking: kernel rank: SVD did not converge: %w", neurotab.ErrSingular)
	}
	s := svd.Values(nil)
	const eps = 0x1p-52 // float64 machine epsilon
	tol := float64(max(r, c)) * s[0] * eps
	k := 0
	for _, v := range s {
		if v > tol {
			k++
		}
	}
	return k, nil
}

// Separation returns the separation property of the liquid states X (one
// row per sample) for the class labels (Maass, Natschläger & Markram 2002;
// the inter/intra-class ratio of Norton & Ventura 2010, "Improving liquid
// state machines through iterative refinement of the reservoir",
// Neurocomputing 73:2893–2904, doi:10.1016/j.neucom.2010.08.005):
//
//	Sep = mean over class pairs of ‖μ_a − μ_b‖ / mean over classes of mean_{x ∈ c} ‖x − μ_c‖
//
// where μ_c is the centroid of class c; higher is better separated (+Inf
// when every class is a single point). It needs two classes and wraps
// neurotab.ErrShape otherwise.
func Separation(X mat.Matrix, labels []int) (float64, error) {
	r, c := X.Dims()
	if r != len(labels) {
		return 0, fmt.Errorf("spiking: separation of %d states with %d labels: %w", r, len(labels), neurotab.ErrShape)
	}
	k := 0
	for _, l := range labels {
		if l < 0 {
			return 0, fmt.Errorf("spiking: separation: label %d: %w", l, neurotab.ErrOutOfRange)
		}
		k = max(k, l+1)
	}
	mu := mat.NewDense(k, c, nil)
	n := make([]float64, k)
	for i, l := range labels {
		n[l]++
		for j := range c {
			mu.Set(l, j, mu.At(l, j)+X.At(i, j))
		}
	}
	var present []int
	for l := range k {
		if n[l] > 0 {
			present = append(present, l)
			for j := range c {
				mu.Set(l, j, mu.At(l, j)/n[l])
			}
		}
	}
	if len(present) < 2 {
		return 0, fmt.Errorf("spiking: separation needs two classes, got %d: %w", len(present), neurotab.ErrShape)
	}
	dist := func(a, b []float64) float64 {
		s := 0.0
		for j := range a {
			d := a[j] - b[j]
			s += d * d
		}
		return math.Sqrt(s)
	}
	inter, pairs := 0.0, 0
	for x, a := range present {
		for _, b := range present[x+1:] {
			inter += dist(mu.RawRowView(a), mu.RawRowView(b))
			pairs++
		}
	}
	inter /= float64(pairs)
	within := make([]float64, k)
	row := make([]float64, c)
	for i, l := range labels {
		for j := range c {
			row[j] = X.At(i, j)
		}
		within[l] += dist(row, mu.RawRowView(l)) / n[l]
	}
	intra := 0.0
	for _, l := range present {
		intra += within[l] / float64(len(present))
	}
	if intra == 0 {
		return math.Inf(1), nil
	}
	return inter / intra, nil
}
