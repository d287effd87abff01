package glm

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// data is a checked fit input: the design row-major T × P (intercept column
// first when asked), the responses and the weights.
type data struct {
	x     []float64
	T, P  int
	y, w  []float64
	pen0  int     // first penalized coefficient (1 with an intercept)
	lgSum float64 // Σ w log Γ(y+1) (Poisson)
}

func (r *Regression) newData(X mat.Matrix, y, w []float64) (*data, error) {
	T, F := X.Dims()
	if T == 0 {
		return nil, fmt.Errorf("glm: no samples: %w", neurotab.ErrShape)
	}
	if len(y) != T {
		return nil, fmt.Errorf("glm: X has %d rows but y %d entries: %w", T, len(y), neurotab.ErrShape)
	}
	if w != nil && len(w) != T {
		return nil, fmt.Errorf("glm: X has %d rows but w %d entries: %w", T, len(w), neurotab.ErrShape)
	}
	family, _ := r.resolved()
	d := &data{T: T, P: F, y: y, w: w}
	if r.Intercept {
		d.P, d.pen0 = F+1, 1
	}
	if d.P == 0 {
		return nil, fmt.Errorf("glm: no columns and no intercept: %w", neurotab.ErrShape)
	}
	d.x = make([]float64, T*d.P)
	if w == nil {
		d.w = make([]float64, T)
		for t := range d.w {
			d.w[t] = 1
		}
	}
	wsum := 0.0
	for t := range T {
		row := d.x[t*d.P : (t+1)*d.P]
		if r.Intercept {
			row[0] = 1
		}
		for j := range F {
			v := X.At(t, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("glm: X at bin %d, column %d is %v: %w", t, j, v, neurotab.ErrNotFinite)
			}
			row[d.pen0+j] = v
		}
		yt, wt := y[t], d.w[t]
		if math.IsNaN(yt) || math.IsInf(yt, 0) {
			return nil, fmt.Errorf("glm: y at bin %d is %v: %w", t, yt, neurotab.ErrNotFinite)
		}
		if math.IsNaN(wt) || math.IsInf(wt, 0) {
			return nil, fmt.Errorf("glm: weight at bin %d is %v: %w", t, wt, neurotab.ErrNotFinite)
		}
		if wt < 0 {
			return nil, fmt.Errorf("glm: weight at bin %d is %v < 0: %w", t, wt, neurotab.ErrOutOfRange)
		}
		wsum += wt
		switch family {
		case Poisson:
			if yt < 0 || (!r.AllowNonInteger && yt != math.Trunc(yt)) {
				return nil, fmt.Errorf("glm: Poisson count at bin %d is %v, not a non-negative integer (set AllowNonInteger for rates): %w", t, yt, neurotab.ErrOutOfRange)
			}
			lg, _ := math.Lgamma(yt + 1)
			d.lgSum += wt * lg
		case Bernoulli:
			if yt < 0 || yt > 1 {
				return nil, fmt.Errorf("glm: Bernoulli response at bin %d is %v, outside [0, 1]: %w", t, yt, neurotab.ErrOutOfRange)
			}
		}
	}
	if !(wsum > 0) {
		return nil, fmt.Errorf("glm: every weight is 0: %w", neurotab.ErrOutOfRange)
	}
	return d, nil
}

// softplus returns log(1+e^z) and its log, accurate in both tails.
func softplus(z float64) (f, logf float64) {
	switch {
	case z < -30:
		return math.Exp(z), z
	case z > 30:
		f = z + math.Exp(-z)
	default:
		f = math.Log1p(math.Exp(z))
	}
	return f, math.Log(f)
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// term returns ℓ(y | η) without constants and, when deriv, ∂ℓ/∂η and ∂²ℓ/∂η².
func term(family, link string, y, eta float64, deriv bool) (l, d1, d2 float64) {
	switch {
	case family == Poisson && link == Exp:
		mu := math.Exp(eta)
		return y*eta - mu, y - mu, -mu
	case family == Poisson: // softplus
		f, logf := softplus(eta)
		if y == 0 {
			l = -f
		} else {
			l = y*logf - f
		}
		if !deriv {
			return l, 0, 0
		}
		s := sigmoid(eta)
		q := y / f
		return l, (q - 1) * s, -q*s*s/f + (q-1)*s*(1-s)
	default: // Bernoulli, logit
		f, _ := softplus(eta)
		p := sigmoid(eta)
		return y*eta - f, y - p, -p * (1 - p)
	}
}

// loglik returns the penalized objective for beta when l2 != nil, the
// plain weighted log likelihood with constants otherwise.
func (d *data) loglik(beta []float64, family, link string, l2 *float64) float64 {
	if family == Gaussian {
		return d.gaussLoglik(beta)
	}
	s := 0.0
	for t := range d.T {
		if d.w[t] == 0 {
			continue
		}
		l, _, _ := term(family, link, d.y[t], dot(d.x[t*d.P:(t+1)*d.P], beta), false)
		s += d.w[t] * l
	}
	if l2 != nil {
		for j := d.pen0; j < d.P; j++ {
			s -= 0.5 * *l2 * beta[j] * beta[j]
		}
		return s
	}
	if family == Poisson {
		s -= d.lgSum
	}
	return s
}

func (d *data) gaussLoglik(beta []float64) float64 {
	var ss, ws float64
	for t := range d.T {
		r := d.y[t] - dot(d.x[t*d.P:(t+1)*d.P], beta)
		ss += d.w[t] * r * r
		ws += d.w[t]
	}
	v := ss / ws
	return -0.5 * ws * (math.Log(2*math.Pi*v) + 1)
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// newton maximizes the penalized objective; it returns β and the iterations.
func (r *Regression) newton(d *data, family, link string) ([]float64, int, error) {
	P := d.P
	beta := make([]float64, P)
	next := make([]float64, P)
	grad := mat.NewVecDense(P, nil)
	step := mat.NewVecDense(P, nil)
	hess := mat.NewSymDense(P, nil)
	h := hess.RawSymmetric().Data
	var chol mat.Cholesky
	l2, tol := r.L2, r.tol()
	obj := d.loglik(beta, family, link, &l2)
	for it := 1; it <= r.maxIter(); it++ {
		g := grad.RawVector().Data
		clear(g)
		clear(h)
		for t := range d.T {
			wt := d.w[t]
			if wt == 0 {
				continue
			}
			row := d.x[t*P : (t+1)*P]
			_, d1, d2 := term(family, link, d.y[t], dot(row, beta), true)
			a, c := wt*d1, -wt*d2
			for i, xi := range row {
				g[i] += a * xi
				if xi == 0 {
					continue
				}
				ci := c * xi
				hr := h[i*P : (i+1)*P]
				for j := i; j < P; j++ {
					hr[j] += ci * row[j]
				}
			}
		}
		for j := d.pen0; j < P; j++ {
			g[j] -= l2 * beta[j]
			h[j*P+j] += l2
		}
		if anyNaN(g) || anyNaN(h) {
			return nil, it, fmt.Errorf("glm: gradient is NaN at iteration %d: %w", it, neurotab.ErrNotFinite)
		}
		if !chol.Factorize(hess) || chol.Cond() > 1e15 {
			return nil, it, fmt.Errorf("glm: Hessian is singular at iteration %d (collinear columns or separated data); set L2 > 0: %w", it, neurotab.ErrSingular)
		}
		if err := chol.SolveVecTo(step, grad); err != nil {
			return nil, it, fmt.Errorf("glm: Hessian is singular at iteration %d; set L2 > 0: %w", it, neurotab.ErrSingular)
		}
		s := step.RawVector().Data
		alpha := 1.0
		var nobj float64
		accepted := false
		for range 60 {
			for j := range P {
				next[j] = beta[j] + alpha*s[j]
			}
			nobj = d.loglik(next, family, link, &l2)
			if math.IsNaN(nobj) {
				return nil, it, fmt.Errorf("glm: log likelihood is NaN at iteration %d: %w", it, neurotab.ErrNotFinite)
			}
			if nobj >= obj-1e-12*math.Abs(obj) {
				accepted = true
				break
			}
			alpha /= 2
		}
		if !accepted {
			return beta, it, nil // no ascent direction left at float precision
		}
		maxStep, maxBeta := 0.0, 0.0
		for j := range P {
			maxStep = math.Max(maxStep, math.Abs(next[j]-beta[j]))
			maxBeta = math.Max(maxBeta, math.Abs(next[j]))
		}
		beta, next = next, beta
		obj = nobj
		if maxStep <= tol*(1+maxBeta) {
			return beta, it, nil
		}
	}
	return nil, r.maxIter(), fmt.Errorf("glm: no convergence in %d Newton iterations (coefficients growing without bound: separated data?); set L2 > 0 or raise MaxIter: %w", r.maxIter(), neurotab.ErrSingular)
}

// wls solves (XᵀWX + L2 I) β = XᵀW y.
func (r *Regression) wls(d *data) ([]float64, error) {
	P := d.P
	a := mat.NewSymDense(P, nil)
	h := a.RawSymmetric().Data
	b := mat.NewVecDense(P, nil)
	g := b.RawVector().Data
	for t := range d.T {
		row := d.x[t*P : (t+1)*P]
		wt := d.w[t]
		for i, xi := range row {
			g[i] += wt * xi * d.y[t]
			for j := i; j < P; j++ {
				h[i*P+j] += wt * xi * row[j]
			}
		}
	}
	for j := d.pen0; j < P; j++ {
		h[j*P+j] += r.L2
	}
	var chol mat.Cholesky
	if !chol.Factorize(a) || chol.Cond() > 1e15 {
		return nil, fmt.Errorf("glm: XᵀWX is singular (collinear columns or too few weighted samples); set L2 > 0: %w", neurotab.ErrSingular)
	}
	beta := mat.NewVecDense(P, nil)
	if err := chol.SolveVecTo(beta, b); err != nil {
		return nil, fmt.Errorf("glm: XᵀWX is singular; set L2 > 0: %w", neurotab.ErrSingular)
	}
	return beta.RawVector().Data, nil
}

func anyNaN(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) {
			return true
		}
	}
	return false
}
