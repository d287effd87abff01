package reservoir

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// DenseEigenLimit is the largest N for which SpectralRadius computes every
// eigenvalue of the dense W (gonum mat.Eigen, LAPACK's dgeev in Go); above
// it SpectralRadius uses restarted Arnoldi iteration.
const DenseEigenLimit = 2000

// Arnoldi settings: Krylov dimension, restarts and relative tolerance on
// successive estimates of ρ.
const (
	arnoldiDim      = 120
	arnoldiRestarts = 60
	arnoldiTol      = 1e-12
)

// SpectralRadius returns ρ(W) = max_i |λ_i(W)|, deterministically (the same
// W gives the same bits):
//
//   - N ≤ DenseEigenLimit: every eigenvalue of the dense W by gonum's
//     mat.Eigen (Hessenberg QR), the maximum modulus of them;
//   - N > DenseEigenLimit: explicitly restarted Arnoldi iteration (Saad,
//     "Numerical Methods for Large Eigenvalue Problems", 2nd ed., SIAM
//     2011, chapters 6–7) from a fixed start vector (uniform on [−1, 1] from
//     neurotab.Seed(0) stream 0), Krylov dimension 120, restarted from the
//     real and imaginary parts of the largest-modulus Ritz vector until two
//     estimates agree to a relative 1e-12 or after 60 restarts. The result
//     is the largest Ritz-value modulus, which approaches ρ from below;
//     the tests measure it against the dense value.
//
// The error wraps neurotab.ErrSingular when the eigenvalue iteration fails
// to converge.
func SpectralRadius(w *CSR) (float64, error) {
	if w.N <= DenseEigenLimit {
		return denseRadius(w)
	}
	return arnoldiRadius(w), nil
}

// denseRadius returns max |λ| of the dense W.
func denseRadius(w *CSR) (float64, error) {
	if w.NNZ() == 0 {
		return 0, nil
	}
	var eig mat.Eigen
	if !eig.Factorize(w.Dense(), mat.EigenNone) {
		return 0, fmt.Errorf("reservoir: eigenvalues of the %d×%d W did not converge: %w", w.N, w.N, neurotab.ErrSingular)
	}
	rho := 0.0
	for _, l := range eig.Values(nil) {
		rho = math.Max(rho, cmplx.Abs(l))
	}
	return rho, nil
}

// arnoldiRadius estimates ρ(W) by restarted Arnoldi iteration.
func arnoldiRadius(w *CSR) float64 {
	n := w.N
	m := min(arnoldiDim, n)
	rng := neurotab.Seed(0).Rand(0)
	v := make([]float64, n)
	for i := range v {
		v[i] = 2*rng.Float64() - 1
	}
	basis := make([][]float64, m+1)
	for i := range basis {
		basis[i] = make([]float64, n)
	}
	h := mat.NewDense(m+1, m, nil)
	prev := math.Inf(1)
	rho := 0.0
	for range arnoldiRestarts {
		k, ok := arnoldi(w, v, basis, h)
		if !ok || k == 0 {
			break
		}
		var eig mat.Eigen
		hk := h.Slice(0, k, 0, k)
		if !eig.Factorize(hk, mat.EigenRight) {
			break
		}
		vals := eig.Values(nil)
		best := 0
		for i, l := range vals {
			if cmplx.Abs(l) > cmplx.Abs(vals[best]) {
				best = i
			}
		}
		rho = cmplx.Abs(vals[best])
		if k < m || math.Abs(rho-prev) <= arnoldiTol*rho {
			break // an invariant subspace (exact) or converged
		}
		prev = rho
		// Restart from Re + Im of the Ritz vector V y.
		var vecs mat.CDense
		eig.VectorsTo(&vecs)
		for i := range v {
			v[i] = 0
		}
		for j := range k {
			y := vecs.At(j, best)
			floats.AddScaled(v, real(y)+imag(y), basis[j])
		}
	}
	return rho
}

// arnoldi runs up to len(basis)−1 Arnoldi steps from v, writing the
// orthonormal basis and the Hessenberg matrix h, and returns the number of
// steps k taken (fewer on breakdown, when the Krylov space is invariant).
// ok is false when v is zero.
func arnoldi(w *CSR, v []float64, basis [][]float64, h *mat.Dense) (k int, ok bool) {
	m := len(basis) - 1
	nv := floats.Norm(v, 2)
	if nv == 0 || math.IsNaN(nv) {
		return 0, false
	}
	floats.ScaleTo(basis[0], 1/nv, v)
	h.Zero()
	for j := range m {
		next := basis[j+1]
		w.MulVec(next, basis[j])
		before := floats.Norm(next, 2)
		for range 2 { // Gram–Schmidt twice ("twice is enough")
			for i := 0; i <= j; i++ {
				c := floats.Dot(next, basis[i])
				h.Set(i, j, h.At(i, j)+c)
				floats.AddScaled(next, -c, basis[i])
			}
		}
		nn := floats.Norm(next, 2)
		if nn <= 1e-14*math.Max(before, 1e-300) {
			return j + 1, true
		}
		h.Set(j+1, j, nn)
		floats.Scale(1/nn, next)
	}
	return m, true
}

// orthogonal returns a Haar-distributed N×N orthogonal matrix: Q of the QR
// factorization of a matrix of N(0,1) entries, its columns signed by the
// diagonal of R (Mezzadri 2007, "How to generate random matrices from the
// classical compact groups", Notices AMS 54:592–604, arXiv:math-ph/0609050).
func orthogonal(n int, rng *rand.Rand) *mat.Dense {
	g := mat.NewDense(n, n, nil)
	raw := g.RawMatrix().Data
	for i := range raw {
		raw[i] = rng.NormFloat64()
	}
	var qr mat.QR
	qr.Factorize(g)
	var q, r mat.Dense
	qr.QTo(&q)
	qr.RTo(&r)
	for j := range n {
		if r.At(j, j) < 0 {
			for i := range n {
				q.Set(i, j, -q.At(i, j))
			}
		}
	}
	return &q
}
