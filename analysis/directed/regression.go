package directed

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// collinear is the smallest pivot of a Cholesky factorization of
// unit-norm columns: a column whose part not explained by the columns
// before it has squared norm below it (1 − R² < 1e-12) is collinear with
// them, and the pair is undefined.
const collinear = 1e-12

// maxCondition is the largest condition number of the shared design of the
// conditional variant (unit-norm columns) before Fit reports it singular.
const maxCondition = 1e12

// pairSSR holds the residual sums of squares of the restricted and
// unrestricted regressions of every ordered pair, flat row-major
// [source·N + target], in units of the target's total sum of squares (the
// ratio is all a statistic needs). Undefined pairs are NaN.
type pairSSR struct {
	n, p int
	nobs int // T − p rows of each regression
	df   int // residual degrees of freedom of the unrestricted model
	r, u []float64
}

// lagged is the centred, unit-norm lagged design of a trace matrix: the
// Gram matrix of its N·p lag columns (index i·p + l − 1 for x_i(t−l)) and
// N current columns (index N·p + j for x_j(t)) over t = p … T−1.
type lagged struct {
	n, p, nobs int
	g          *mat.SymDense
	constant   []bool // neurons whose T samples are all equal
}

func (d *lagged) lag(i, l int) int { return i*d.p + l - 1 }
func (d *lagged) cur(j int) int    { return d.n*d.p + j }

// newLagged reads x (T × N), checks it and builds its design for lag p.
// params is the number of coefficients of the unrestricted model for N
// neurons, to check that T leaves at least one residual degree of freedom.
func newLagged(x mat.Matrix, p int, params func(n int) int) (*lagged, error) {
	if err := checkLag("lag", p); err != nil {
		return nil, err
	}
	t, n := x.Dims()
	if n == 0 {
		return nil, fmt.Errorf("directed: %d × 0 trace matrix, want at least one neuron: %w", t, neurotab.ErrShape)
	}
	if need := p + params(n) + 1; t < need {
		return nil, fmt.Errorf("directed: %d samples for lag %d and %d neurons, want at least %d: %w", t, p, n, need, neurotab.ErrShape)
	}
	cols := make([][]float64, n)
	constant := make([]bool, n)
	for j := range cols {
		c := make([]float64, t)
		for s := range c {
			v := x.At(s, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("directed: column %d, sample %d is %v: fill gaps first: %w", j, s, v, neurotab.ErrNotFinite)
			}
			c[s] = v
		}
		cols[j] = c
		constant[j] = true
		for _, v := range c {
			if v != c[0] {
				constant[j] = false
				break
			}
		}
	}
	d := &lagged{n: n, p: p, nobs: t - p, constant: constant}
	z := mat.NewDense(n*p+n, d.nobs, nil)
	for i, c := range cols {
		for l := 1; l <= p; l++ {
			standardize(z.RawRowView(d.lag(i, l)), c[p-l:t-l])
		}
		standardize(z.RawRowView(d.cur(i)), c[p:])
	}
	d.g = mat.NewSymDense(n*p+n, nil)
	d.g.SymOuterK(1, z)
	return d, nil
}

// standardize writes src centred and scaled to unit norm into dst, or
// zeros when src is constant.
func standardize(dst, src []float64) {
	var mean float64
	for _, v := range src {
		mean += v
	}
	mean /= float64(len(src))
	var ss float64
	for k, v := range src {
		dst[k] = v - mean
		ss += dst[k] * dst[k]
	}
	if ss == 0 {
		clear(dst)
		return
	}
	s := 1 / math.Sqrt(ss)
	for k := range dst {
		dst[k] *= s
	}
}

func newPairSSR(n, p, nobs, df int) *pairSSR {
	s := &pairSSR{n: n, p: p, nobs: nobs, df: df, r: make([]float64, n*n), u: make([]float64, n*n)}
	for k := range s.r {
		s.r[k], s.u[k] = math.NaN(), math.NaN()
	}
	return s
}

// bivariate returns the ssr of every ordered pair's bivariate models (the
// target's own p lags, plus the source's in the unrestricted one). The
// restricted regression of target j is factorized once, A = L Lᵀ with A
// the Gram of j's lags; each source i then needs only the Schur complement
// S = X'X − Wᵀ W of its lags, W = L⁻¹ (Y'X), and
//
//	ssr_r = y'y − ‖L⁻¹ Y'y‖²,   ssr_u = ssr_r − ‖L_S⁻¹ (X'y − Wᵀ L⁻¹ Y'y)‖².
func (d *lagged) bivariate() *pairSSR {
	n, p := d.n, d.p
	out := newPairSSR(n, p, d.nobs, d.nobs-2*p-1)
	a := make([]float64, p*p)
	w := make([]float64, p*p)
	s := make([]float64, p*p)
	u := make([]float64, p)
	c := make([]float64, p)
	col := make([]float64, p)
	for j := range n {
		for r := range p {
			for q := range p {
				a[r*p+q] = d.g.At(d.lag(j, r+1), d.lag(j, q+1))
			}
			u[r] = d.g.At(d.lag(j, r+1), d.cur(j))
		}
		tss := d.g.At(d.cur(j), d.cur(j))
		if tss == 0 || !cholesky(a, p) {
			continue
		}
		forward(a, p, u)
		ssrR := tss - dot(u, u)
		if !(ssrR > eps*tss) {
			continue
		}
		for i := range n {
			if i == j {
				continue
			}
			// W = L⁻¹ (Y'X), column by column.
			for q := range p {
				for r := range p {
					col[r] = d.g.At(d.lag(j, r+1), d.lag(i, q+1))
				}
				forward(a, p, col)
				for r := range p {
					w[r*p+q] = col[r]
				}
			}
			for r := range p {
				for q := 0; q <= r; q++ {
					v := d.g.At(d.lag(i, r+1), d.lag(i, q+1))
					for m := range p {
						v -= w[m*p+r] * w[m*p+q]
					}
					s[r*p+q] = v
				}
				v := d.g.At(d.lag(i, r+1), d.cur(j))
				for m := range p {
					v -= w[m*p+r] * u[m]
				}
				c[r] = v
			}
			if !cholesky(s, p) {
				continue
			}
			forward(s, p, c)
			ssrU := ssrR - dot(c, c)
			if !(ssrU > eps*tss) {
				continue
			}
			out.r[i*n+j], out.u[i*n+j] = ssrR, ssrU
		}
	}
	return out
}

// conditional returns the ssr of every ordered pair's conditional models:
// the unrestricted model of target j regresses it on the p lags of every
// non-constant neuron (design G, shared by all targets, factorized once);
// the restricted one drops source i's lags, and its ssr follows from the
// unrestricted coefficients βᵢⱼ of i's lags (the Wald identity):
//
//	ssr_r − ssr_u = βᵢⱼᵀ [(G)⁻¹]ᵢᵢ⁻¹ βᵢⱼ.
func (d *lagged) conditional() (*pairSSR, error) {
	n, p := d.n, d.p
	var act []int
	for i, c := range d.constant {
		if !c {
			act = append(act, i)
		}
	}
	q := len(act) * p
	out := newPairSSR(n, p, d.nobs, d.nobs-q-1)
	if len(act) < 2 {
		return out, nil
	}
	gf := mat.NewSymDense(q, nil)
	rhs := mat.NewDense(q, len(act), nil)
	for a, i := range act {
		for l := 1; l <= p; l++ {
			r := a*p + l - 1
			for b, k := range act {
				for m := 1; m <= p; m++ {
					if c := b*p + m - 1; c >= r {
						gf.SetSym(r, c, d.g.At(d.lag(i, l), d.lag(k, m)))
					}
				}
				rhs.Set(r, b, d.g.At(d.lag(i, l), d.cur(k)))
			}
		}
	}
	var chol mat.Cholesky
	if ok := chol.Factorize(gf); !ok || chol.Cond() > maxCondition {
		return nil, fmt.Errorf("directed: conditional design of %d neurons × %d lags from %d samples is singular (some traces are linear combinations of others' lags): %w",
			len(act), p, d.nobs, neurotab.ErrSingular)
	}
	var beta mat.Dense
	if err := chol.SolveTo(&beta, rhs); err != nil {
		return nil, fmt.Errorf("directed: conditional design: %v: %w", err, neurotab.ErrSingular)
	}
	var h mat.SymDense
	if err := chol.InverseTo(&h); err != nil {
		return nil, fmt.Errorf("directed: conditional design: %v: %w", err, neurotab.ErrSingular)
	}
	hii := make([][]float64, len(act)) // Cholesky factors of the blocks [G⁻¹]ᵢᵢ
	for a := range act {
		f := make([]float64, p*p)
		for r := range p {
			for c := range p {
				f[r*p+c] = h.At(a*p+r, a*p+c)
			}
		}
		if !cholesky(f, p) {
			return nil, fmt.Errorf("directed: conditional design: block %d of the inverse is not positive definite: %w", act[a], neurotab.ErrSingular)
		}
		hii[a] = f
	}
	v := make([]float64, p)
	for b, j := range act {
		tss := d.g.At(d.cur(j), d.cur(j))
		ssrU := tss - mat.Dot(rhs.ColView(b), beta.ColView(b))
		if !(ssrU > eps*tss) {
			continue
		}
		for a, i := range act {
			if i == j {
				continue
			}
			for r := range p {
				v[r] = beta.At(a*p+r, b)
			}
			forward(hii[a], p, v)
			out.r[i*n+j], out.u[i*n+j] = ssrU+dot(v, v), ssrU
		}
	}
	return out, nil
}

// eps is statsmodels' infeasibility threshold: a model whose ssr is below
// eps times the total sum of squares fits perfectly and has no test.
const eps = 0x1p-52

// cholesky factorizes the p × p symmetric matrix a (row-major, lower
// triangle read) in place into its lower factor L, a = L Lᵀ. It reports
// false when a pivot² is not above collinear (columns of unit norm).
func cholesky(a []float64, p int) bool {
	for k := range p {
		d := a[k*p+k]
		for m := range k {
			d -= a[k*p+m] * a[k*p+m]
		}
		if !(d > collinear) {
			return false
		}
		d = math.Sqrt(d)
		a[k*p+k] = d
		for r := k + 1; r < p; r++ {
			s := a[r*p+k]
			for m := range k {
				s -= a[r*p+m] * a[k*p+m]
			}
			a[r*p+k] = s / d
		}
	}
	return true
}

// forward solves L x = b in place for the lower factor l of cholesky.
func forward(l []float64, p int, b []float64) {
	for k := range p {
		s := b[k]
		for m := range k {
			s -= l[k*p+m] * b[m]
		}
		b[k] = s / l[k*p+k]
	}
}

func dot(a, b []float64) float64 {
	var s float64
	for k := range a {
		s += a[k] * b[k]
	}
	return s
}
