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
	d.gram(cols)
	return d, nil
}

// gram fills d.g, the Gram matrix of the centred, unit-norm design
// columns, without building the T × N(p+1) design: every entry is a
// shifted cross-product of two traces, so after centring each trace on
// its whole-series mean (y = x − x̄) the p + 1 matrices
//
//	F_δ = Σ_{t=δ}^{T−1} y(t) y(t−δ)ᵀ    (N × N, δ = 0 … p, one GEMM each)
//
// give every entry up to at most 2p edge products, and the window means of
// the columns turn the raw products into centred ones:
//
//	G[(i,l),(k,m)] = Σ_{t=p}^{T−1} y_i(t−l) y_k(t−m) − nobs μ_{i,l} μ_{k,m}.
//
// That is ~2 (p+1) T N² flops instead of T (N(p+1))² for the design's own
// Gram. A column whose centred norm² is below 1e-12 of its raw one is
// constant over its window and becomes zero.
func (d *lagged) gram(cols [][]float64) {
	n, p, nobs := d.n, d.p, d.nobs
	T := nobs + p
	y := mat.NewDense(T, n, nil)
	yc := make([][]float64, n)
	for j, c := range cols {
		yc[j] = make([]float64, T)
		if d.constant[j] {
			continue
		}
		var mean float64
		for _, v := range c {
			mean += v
		}
		mean /= float64(T)
		for t, v := range c {
			yc[j][t] = v - mean
			y.Set(t, j, v-mean)
		}
	}
	f := make([]*mat.Dense, p+1)
	for delta := range f {
		f[delta] = mat.NewDense(n, n, nil)
		f[delta].Mul(y.Slice(delta, T, 0, n).T(), y.Slice(0, T-delta, 0, n))
	}

	// Column c is neuron neuron[c] at lag lag[c] (0 for the current value).
	m := n*p + n
	neuron, lag := make([]int, m), make([]int, m)
	for i := range n {
		for l := 1; l <= p; l++ {
			neuron[d.lag(i, l)], lag[d.lag(i, l)] = i, l
		}
		neuron[d.cur(i)] = i
	}
	mean := make([]float64, m) // μ of column c over its window t−l, t = p … T−1
	for c := range m {
		var s float64
		for _, v := range yc[neuron[c]][p-lag[c] : T-lag[c]] {
			s += v
		}
		mean[c] = s / float64(nobs)
	}
	// cross is Σ_{t=p}^{T−1} y_i(t−l) y_k(t−m) for m ≥ l: F_{m−l}[i][k]
	// less the products outside the window t' = t−l ∈ [p−l, T−1−l].
	cross := func(i, l, k, mm int) float64 {
		delta := mm - l
		v := f[delta].At(i, k)
		yi, yk := yc[i], yc[k]
		for t := delta; t < p-l; t++ {
			v -= yi[t] * yk[t-delta]
		}
		for t := T - l; t < T; t++ {
			v -= yi[t] * yk[t-delta]
		}
		return v
	}
	g := mat.NewSymDense(m, nil)
	raw := make([]float64, m)
	for a := range m {
		for b := a; b < m; b++ {
			var v float64
			if lag[b] >= lag[a] {
				v = cross(neuron[a], lag[a], neuron[b], lag[b])
			} else {
				v = cross(neuron[b], lag[b], neuron[a], lag[a])
			}
			if a == b {
				raw[a] = v
			}
			g.SetSym(a, b, v-float64(nobs)*mean[a]*mean[b])
		}
	}
	scale := make([]float64, m)
	for c := range m {
		if v := g.At(c, c); v > 1e-12*raw[c] {
			scale[c] = 1 / math.Sqrt(v)
		}
	}
	for a := range m {
		for b := a; b < m; b++ {
			g.SetSym(a, b, g.At(a, b)*scale[a]*scale[b])
		}
	}
	d.g = g
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
		if !(ssrR > perfectFit*tss) {
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
			if !(ssrU > perfectFit*tss) {
				continue
			}
			out.r[i*n+j], out.u[i*n+j] = ssrR, ssrU
		}
	}
	return out
}

// conditional returns the ssr of every ordered pair's conditional models:
// the unrestricted model of target j regresses it on the p lags of every
// neuron none of whose lag windows is constant (design G, shared by all
// targets, factorized once); the restricted one drops source i's lags, and
// its ssr follows from the unrestricted coefficients βᵢⱼ of i's lags (the
// Wald identity):
//
//	ssr_r − ssr_u = βᵢⱼᵀ [G⁻¹]ᵢᵢ⁻¹ βᵢⱼ.
func (d *lagged) conditional() (*pairSSR, error) {
	n, p := d.n, d.p
	var act []int // neurons none of whose lag windows is constant
	for i := range n {
		ok := true
		for l := 1; l <= p; l++ {
			ok = ok && d.g.At(d.lag(i, l), d.lag(i, l)) > 0
		}
		if ok {
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
		if !(ssrU > perfectFit*tss) {
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

// perfectFit is the infeasibility threshold: a model whose ssr is below
// perfectFit times the target's total sum of squares fits perfectly and the
// pair has no test (NaN). statsmodels uses machine ε (2.2e-16) on its
// QR/pinv residuals; ssr from the normal equations carry rounding of
// ~κ² ε of the total, so a perfect fit shows as a residual of 1e-15 …
// 1e-13 here, and the threshold is 1e-10 (R² > 1 − 1e-10 never happens in
// measured traces).
const perfectFit = 1e-10

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
