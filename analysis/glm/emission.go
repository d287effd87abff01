package glm

import (
	"fmt"
	"math"

	"github.com/neurotab/neurotab"
)

// Sigmoid is the bounded rate link of the one-hot HMM-GLM's synthetic
// setting (Li et al., ICLR 2024; their nonlinearities.Sigmoid):
//
//	μ = lo + (hi − lo) · σ(η),  σ(η) = 1/(1 + e^{−η})
//
// with (lo, hi) = (RateMin, RateMax) of [GLMObservations], (1e-8, 1) by
// default, so a Poisson rate stays in (1e-8, 1) spikes per bin.
const Sigmoid = "sigmoid"

// Default bounds of the [Sigmoid] link.
const (
	DefaultRateMin = 1e-8
	DefaultRateMax = 1.0
)

// emission is one (family, link) pair of [GLMObservations]: the mean μ(η),
// the log density and the Fisher information of η.
type emission struct {
	family, link string
	lo, hi       float64 // Sigmoid bounds
}

// resolveEmission checks family and link ("" = canonical) and returns them.
func resolveEmission(family, link string, lo, hi float64) (emission, error) {
	e := emission{family: family, link: link, lo: lo, hi: hi}
	if e.link == "" {
		switch family {
		case Poisson:
			e.link = Exp
		case Bernoulli:
			e.link = Logit
		case Gaussian:
			e.link = Identity
		}
	}
	ok := false
	switch family {
	case Poisson:
		ok = e.link == Exp || e.link == Softplus || e.link == Sigmoid
	case Bernoulli:
		ok = e.link == Logit
	case Gaussian:
		ok = e.link == Identity
	default:
		return e, fmt.Errorf("glm: GLM observations family %q, want %q, %q or %q: %w", family, Poisson, Bernoulli, Gaussian, neurotab.ErrParam)
	}
	if !ok {
		return e, fmt.Errorf("glm: link %q is not available for family %q: %w", link, family, neurotab.ErrParam)
	}
	if e.link == Sigmoid {
		if e.lo == 0 && e.hi == 0 {
			e.lo, e.hi = DefaultRateMin, DefaultRateMax
		}
		if !(e.lo > 0) || !(e.hi > e.lo) || math.IsInf(e.hi, 0) {
			return e, fmt.Errorf("glm: sigmoid rate bounds (%v, %v), want 0 < RateMin < RateMax finite: %w", lo, hi, neurotab.ErrParam)
		}
	}
	return e, nil
}

// mean returns μ(η) and dμ/dη.
func (e emission) mean(eta float64) (mu, dmu float64) {
	switch e.link {
	case Exp:
		mu = math.Exp(eta)
		return mu, mu
	case Softplus:
		mu, _ = softplus(eta)
		return mu, sigmoid(eta)
	case Sigmoid:
		s := sigmoid(eta)
		return e.lo + (e.hi-e.lo)*s, (e.hi - e.lo) * s * (1 - s)
	case Logit:
		s := sigmoid(eta)
		return s, s * (1 - s)
	default:
		return eta, 1
	}
}

// term returns the log density of y at η without the y-only constant
// (log Γ(y+1) for Poisson, −½ log 2πv for Gaussian), ∂/∂η of it and the
// Fisher information E[−∂²/∂η²] = μ'² / Var(y), which is ≥ 0 whatever the
// link (Fisher scoring; McCullagh & Nelder 1989, §2.5). v is the Gaussian
// variance.
func (e emission) term(y, eta, v float64) (l, d1, fisher float64) {
	switch e.family {
	case Gaussian:
		r := y - eta
		return -r * r / (2 * v), r / v, 1 / v
	case Bernoulli:
		f, _ := softplus(eta)
		p := sigmoid(eta)
		return y*eta - f, y - p, p * (1 - p)
	}
	if e.link == Exp {
		mu := math.Exp(eta)
		return y*eta - mu, y - mu, mu
	}
	mu, dmu := e.mean(eta)
	if y != 0 {
		l = y * math.Log(mu)
	}
	l -= mu
	return l, (y/mu - 1) * dmu, dmu * dmu / mu
}

// logLik returns the log density of y at η without the y-only constant.
func (e emission) logLik(y, eta, v float64) float64 {
	switch e.family {
	case Gaussian:
		r := y - eta
		return -r * r / (2 * v)
	case Bernoulli:
		f, _ := softplus(eta)
		return y*eta - f
	}
	if e.link == Exp {
		return y*eta - math.Exp(eta)
	}
	mu, _ := e.mean(eta)
	if y == 0 {
		return -mu
	}
	return y*math.Log(mu) - mu
}

// constant returns the y-only term of the log density (v: Gaussian variance).
func (e emission) constant(y, v float64) float64 {
	switch e.family {
	case Poisson:
		lg, _ := math.Lgamma(y + 1)
		return -lg
	case Gaussian:
		return -0.5 * math.Log(2*math.Pi*v)
	}
	return 0
}

// inverse returns η with μ(η) ≈ m, clipped to the link's range: the start
// of a bias from a mean response.
func (e emission) inverse(m float64) float64 {
	switch e.link {
	case Exp:
		return math.Log(m + 0.1)
	case Softplus:
		return math.Log(math.Expm1(m + 0.1))
	case Sigmoid:
		p := math.Min(math.Max((m-e.lo)/(e.hi-e.lo), 0.01), 0.99)
		return math.Log(p / (1 - p))
	case Logit:
		p := math.Min(math.Max(m, 0.01), 0.99)
		return math.Log(p / (1 - p))
	}
	return m
}

// checkValue checks one response; it returns a message or "".
func (e emission) checkValue(y float64, allowNonInteger bool) string {
	switch e.family {
	case Poisson:
		if y < 0 || (!allowNonInteger && y != math.Trunc(y)) {
			return "not a non-negative integer (set AllowNonInteger for rates)"
		}
	case Bernoulli:
		if y < 0 || y > 1 {
			return "outside [0, 1]"
		}
	}
	return ""
}
