package readout

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Ridge is a linear readout fitted by ridge (Tikhonov) regression in closed
// form (Hoerl & Kennard 1970, "Ridge regression: biased estimation for
// nonorthogonal problems", Technometrics 12:55–67,
// doi:10.1080/00401706.1970.10488634; the standard echo-state readout in
// Lukoševičius 2012, doi:10.1007/978-3-642-35289-8_36):
//
//	W = argmin_W ‖Y − X W‖² + α‖W‖²  =  (XᵀX + αI)⁻¹ XᵀY
//
// X is T×F, Y is T×K, W is F×K. With FitIntercept the intercept b is left
// unpenalized by centring (Hastie, Tibshirani & Friedman, The Elements of
// Statistical Learning, 2nd ed. 2009, §3.4.1):
//
//	W = (X̃ᵀX̃ + αI)⁻¹ X̃ᵀỸ,   b = ȳ − Wᵀx̄,   X̃ = X − 1x̄ᵀ, Ỹ = Y − 1ȳᵀ
//
// The F×F system is solved by a Cholesky factorization (gonum mat.Cholesky),
// never an explicit inverse. This is the same estimator as scikit-learn's
// linear_model.Ridge (the tests check it against it).
//
// The zero value is ordinary least squares without intercept (α = 0), which
// needs XᵀX positive definite (T ≥ F and X of full column rank); set Alpha > 0
// otherwise.
//
// Data arrive with Fit (one matrix) or with Accumulate (any number of row
// batches) followed by Solve. Accumulate keeps the sample count, the column
// means x̄, ȳ and the centred cross-products X̃ᵀX̃, X̃ᵀỸ, merging batches with
// the pairwise update of Chan, Golub & LeVeque (1979, "Updating formulae and
// a pairwise algorithm for computing sample variances", Stanford
// STAN-CS-79-773):
//
//	C = C_A + C_B + (n_A n_B / n) (m_A − m_B)(m_A − m_B)ᵀ
//
// so the statistics cost O(F² + FK) memory whatever T, and Solve may be
// called again with another Alpha or FitIntercept without re-reading data.
//
// Ridge has the estimator shape of package neurotab (see "Estimators" in
// [github.com/neurotab/neurotab]): the exported fields are the
// configuration, Fit(X, Y) learns, PredictTo, PredictVec, WeightsTo and
// InterceptTo read the fit and return an error wrapping
// neurotab.ErrNotFitted before one; the To methods panic only on a
// destination of the wrong size. Copy a Ridge only before it has data
// (copies share the statistics); Reset starts afresh.
type Ridge struct {
	// Alpha is the penalty α ≥ 0 on ‖W‖², in the units of XᵀX (feature
	// units squared, summed over samples). It is not divided by T, so a
	// given α regularizes a longer recording less (as in scikit-learn).
	Alpha float64
	// FitIntercept fits an unpenalized intercept b by centring X and Y.
	FitIntercept bool
	// Washout is the number of leading rows discarded (Lukoševičius 2012,
	// §4.1: the reservoir's initial transient). It counts rows from the
	// start of the data since Reset, so with Accumulate the washout may
	// span several batches.
	Washout int
	// SVDFallback solves by the SVD pseudo-inverse when the Cholesky
	// factorization of XᵀX + αI fails (not positive definite, or too
	// ill-conditioned), instead of returning neurotab.ErrSingular:
	//
	//	W = V Σ⁺ Uᵀ (XᵀY)   with XᵀX + αI = U Σ Vᵀ, σ_i < F·ε·σ_1 treated as 0
	//
	// the minimum-norm solution (numpy's lstsq and scipy's pinv cutoff).
	SVDFallback bool

	seen int // rows offered since Reset, washout included

	// Sufficient statistics.
	n      int
	f, k   int
	mx, my []float64     // column means of X (F) and Y (K)
	cxx    *mat.SymDense // X̃ᵀX̃, F×F
	cxy    *mat.Dense    // X̃ᵀỸ, F×K

	linear // the fit: W (nil until Solve succeeds) and b (nil without intercept)
}

// Check reports whether the configuration is valid: Alpha a finite α ≥ 0
// and Washout ≥ 0. The error wraps neurotab.ErrParam.
func (r *Ridge) Check() error {
	if !(r.Alpha >= 0) || math.IsInf(r.Alpha, 1) {
		return fmt.Errorf("readout: Ridge.Alpha = %v, want a finite α ≥ 0: %w", r.Alpha, neurotab.ErrParam)
	}
	if r.Washout < 0 {
		return fmt.Errorf("readout: Ridge.Washout = %d, want ≥ 0: %w", r.Washout, neurotab.ErrParam)
	}
	return nil
}

// Parameters returns the configuration as provenance parameters
// (table.Provenance.Parameters): alpha, fit_intercept, washout and
// svd_fallback.
func (r *Ridge) Parameters() map[string]any {
	return map[string]any{"alpha": r.Alpha, "fit_intercept": r.FitIntercept, "washout": r.Washout, "svd_fallback": r.SVDFallback}
}

// Fit fits the readout to X (T×F) and Y (T×K), discarding any earlier data
// and fit. It is Reset, Accumulate(X, Y), Solve. The errors wrap
// neurotab.ErrParam (Alpha < 0 or not finite, Washout < 0),
// neurotab.ErrShape (row counts differ, empty input, no row past the
// washout), neurotab.ErrNotFinite (NaN or Inf in X or Y) or
// neurotab.ErrSingular (XᵀX + αI not positive definite, or too
// ill-conditioned, without SVDFallback); after an error the readout is
// unfitted.
func (r *Ridge) Fit(X, Y mat.Matrix) error {
	r.Reset()
	if err := r.Check(); err != nil {
		return err
	}
	if t, _ := X.Dims(); t > 0 && t <= r.Washout {
		return fmt.Errorf("readout: Ridge.Washout = %d leaves none of the %d rows: %w", r.Washout, t, neurotab.ErrShape)
	}
	if err := r.Accumulate(X, Y); err != nil {
		return err
	}
	return r.Solve()
}

// Reset discards the accumulated statistics, the washout count and the
// fit, keeping the configuration.
func (r *Ridge) Reset() {
	*r = Ridge{Alpha: r.Alpha, FitIntercept: r.FitIntercept, Washout: r.Washout, SVDFallback: r.SVDFallback}
}

// Accumulate adds the rows of X (T×F) and Y (T×K) to the sufficient
// statistics, skipping those still inside the washout (the first Washout
// rows since Reset, which are not looked at). Every batch must have the F
// and K of the first. The errors wrap neurotab.ErrShape or
// neurotab.ErrNotFinite, and leave the statistics unchanged. A fit from an
// earlier Solve stays in place until Solve is called again.
func (r *Ridge) Accumulate(X, Y mat.Matrix) error {
	t, f := X.Dims()
	ty, k := Y.Dims()
	switch {
	case t != ty:
		return fmt.Errorf("readout: X has %d rows, Y has %d: %w", t, ty, neurotab.ErrShape)
	case t == 0 || f == 0 || k == 0:
		return fmt.Errorf("readout: empty input (X %d×%d, Y %d×%d): %w", t, f, ty, k, neurotab.ErrShape)
	case r.n > 0 && (f != r.f || k != r.k):
		return fmt.Errorf("readout: batch has %d features and %d targets, earlier batches %d and %d: %w",
			f, k, r.f, r.k, neurotab.ErrShape)
	}
	washed := max(min(r.Washout-r.seen, t), 0)
	if washed == t {
		r.seen += t
		return nil
	}
	if washed > 0 {
		X, Y = dropRows(X, washed), dropRows(Y, washed)
		t -= washed
	}
	xs, ys := newRows(X), newRows(Y)
	mxB, err := columnMeans("X", xs, t, f)
	if err != nil {
		return err
	}
	myB, err := columnMeans("Y", ys, t, k)
	if err != nil {
		return err
	}
	// No error past this point: the statistics change only on success.
	if r.n == 0 {
		r.f, r.k = f, k
		r.mx, r.my = make([]float64, f), make([]float64, k)
		r.cxx = mat.NewSymDense(f, nil)
		r.cxy = mat.NewDense(f, k, nil)
	}
	cxx, cxy := r.cxx.RawSymmetric(), r.cxy.RawMatrix()

	// C += X̃_Bᵀ X̃_B and X̃_Bᵀ Ỹ_B, a cache-sized chunk of centred rows at a
	// time. rx, ry collect Σ(x − mxB), which rounding leaves non-zero.
	chunk := min(chunkRows(f), t)
	xb := make([]float64, chunk*f)
	yb := make([]float64, chunk*k)
	rx, ry := make([]float64, f), make([]float64, k)
	for lo := 0; lo < t; lo += chunk {
		hi := min(lo+chunk, t)
		for i := lo; i < hi; i++ {
			centreRow(xb[(i-lo)*f:(i-lo+1)*f], xs.row(i), mxB, rx)
			centreRow(yb[(i-lo)*k:(i-lo+1)*k], ys.row(i), myB, ry)
		}
		gx := blas64.General{Rows: hi - lo, Cols: f, Stride: f, Data: xb}
		gy := blas64.General{Rows: hi - lo, Cols: k, Stride: k, Data: yb}
		blas64.Syrk(blas.Trans, 1, gx, 1, cxx)
		blas64.Gemm(blas.Trans, blas.NoTrans, 1, gx, gy, 1, cxy)
	}
	// Exact correction for the rounding in the batch means:
	// Σ(x−m)(x−m)ᵀ = Σ(x−m₀)(x−m₀)ᵀ − T r rᵀ with r = Σ(x−m₀)/T and m = m₀ + r.
	tf := float64(t)
	for j := range rx {
		rx[j] /= tf
		mxB[j] += rx[j]
	}
	for j := range ry {
		ry[j] /= tf
		myB[j] += ry[j]
	}
	blas64.Syr(-tf, vec(rx), cxx)
	blas64.Ger(-tf, vec(rx), vec(ry), cxy)

	if r.n == 0 {
		copy(r.mx, mxB)
		copy(r.my, myB)
	} else {
		// Pairwise merge: C += (n_A n_B / n) d_x d_yᵀ, m = m_A + (n_B/n)(m_B − m_A).
		nA, nB := float64(r.n), tf
		n := nA + nB
		dx, dy := rx, ry // reuse
		for i := range dx {
			dx[i] = mxB[i] - r.mx[i]
		}
		for j := range dy {
			dy[j] = myB[j] - r.my[j]
		}
		c := nA * nB / n
		blas64.Syr(c, vec(dx), cxx)
		blas64.Ger(c, vec(dx), vec(dy), cxy)
		for i := range dx {
			r.mx[i] += nB / n * dx[i]
		}
		for j := range dy {
			r.my[j] += nB / n * dy[j]
		}
	}
	r.n += t
	r.seen += washed + t
	return nil
}

// Solve computes W (and b) from the accumulated statistics with the current
// Alpha and FitIntercept. Without intercept it uses the uncentred
// cross-products, XᵀX = X̃ᵀX̃ + n x̄x̄ᵀ and XᵀY = X̃ᵀỸ + n x̄ȳᵀ. The errors wrap
// neurotab.ErrNotFitted (no data), neurotab.ErrParam (bad Alpha) or
// neurotab.ErrSingular; after an error the readout is unfitted.
func (r *Ridge) Solve() error {
	r.linear = linear{}
	if r.n == 0 {
		return fmt.Errorf("readout: Ridge.Solve before any data (call Fit or Accumulate): %w", neurotab.ErrNotFitted)
	}
	if err := r.Check(); err != nil {
		return err
	}
	a := mat.NewSymDense(r.f, nil)
	a.CopySym(r.cxx)
	rhs := mat.DenseCopyOf(r.cxy)
	if !r.FitIntercept {
		n := float64(r.n)
		blas64.Syr(n, vec(r.mx), a.RawSymmetric())
		blas64.Ger(n, vec(r.mx), vec(r.my), rhs.RawMatrix())
	}
	for i := range r.f {
		a.SetSym(i, i, a.At(i, i)+r.Alpha)
	}
	var chol mat.Cholesky
	if !chol.Factorize(a) {
		if r.SVDFallback {
			return r.solveSVD(a, rhs)
		}
		return fmt.Errorf("readout: XᵀX + αI is not positive definite (α=%g, %d features, %d samples, intercept %t); use Alpha > 0: %w",
			r.Alpha, r.f, r.n, r.FitIntercept, neurotab.ErrSingular)
	}
	w := mat.NewDense(r.f, r.k, nil)
	if err := chol.SolveTo(w, rhs); err != nil {
		var cond mat.Condition
		if r.SVDFallback {
			return r.solveSVD(a, rhs)
		}
		if errors.As(err, &cond) {
			return fmt.Errorf("readout: XᵀX + αI has condition number %.3g (α=%g, %d features); raise Alpha: %w",
				float64(cond), r.Alpha, r.f, neurotab.ErrSingular)
		}
		return fmt.Errorf("readout: XᵀX + αI: %v: %w", err, neurotab.ErrSingular)
	}
	r.setFit(w)
	return nil
}

// setFit keeps w as the weights and, with FitIntercept, sets b = ȳ − Wᵀx̄.
func (r *Ridge) setFit(w *mat.Dense) {
	r.w = w
	if r.FitIntercept {
		r.b = make([]float64, r.k)
		copy(r.b, r.my)
		blas64.Gemv(blas.Trans, -1, w.RawMatrix(), vec(r.mx), 1, vec(r.b))
	}
}

// solveSVD solves a W = rhs by the pseudo-inverse of the symmetric a,
// treating singular values below F·ε·σ₁ as zero (the minimum-norm
// solution). The error wraps neurotab.ErrSingular when a is zero or the
// SVD does not converge.
func (r *Ridge) solveSVD(a *mat.SymDense, rhs *mat.Dense) error {
	var svd mat.SVD
	if !svd.Factorize(a, mat.SVDThin) {
		return fmt.Errorf("readout: SVD of XᵀX + αI did not converge (α=%g, %d features): %w", r.Alpha, r.f, neurotab.ErrSingular)
	}
	rank := svd.Rank(float64(r.f) * 0x1p-52)
	if rank == 0 {
		return fmt.Errorf("readout: XᵀX + αI is zero (α=%g, %d features): %w", r.Alpha, r.f, neurotab.ErrSingular)
	}
	w := mat.NewDense(r.f, r.k, nil)
	svd.SolveTo(w, rhs, rank)
	r.setFit(w)
	return nil
}

// dropRows returns the rows of m from skip on, as a view of a *mat.Dense
// and through an offset otherwise.
func dropRows(m mat.Matrix, skip int) mat.Matrix {
	t, c := m.Dims()
	if d, ok := m.(*mat.Dense); ok {
		return d.Slice(skip, t, 0, c)
	}
	return rowOffset{m, skip}
}

// rowOffset is m without its first off rows.
type rowOffset struct {
	m   mat.Matrix
	off int
}

func (o rowOffset) Dims() (int, int)    { t, c := o.m.Dims(); return t - o.off, c }
func (o rowOffset) At(i, j int) float64 { return o.m.At(i+o.off, j) }
func (o rowOffset) T() mat.Matrix       { return mat.Transpose{Matrix: o} }

// Samples returns the number of rows accumulated since the last Reset or Fit.
func (r *Ridge) Samples() int { return r.n }

// Dims returns the feature and target counts F, K (zero before any data).
func (r *Ridge) Dims() (features, targets int) { return r.f, r.k }

// centreRow writes src − mean into dst and adds it to sum.
func centreRow(dst, src, mean, sum []float64) {
	for j, v := range src {
		d := v - mean[j]
		dst[j] = d
		sum[j] += d
	}
}
