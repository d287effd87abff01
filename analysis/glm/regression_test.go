package glm

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/estimatortest"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// refTol is the agreement asked of every reference comparison.
const refTol = 1e-7

// fixtureInputs rebuilds the inputs of weighted_poisson_glm in
// make_fixtures.py: X = [1, sin(0.3t), cos(0.7t)], t = 0..39, the counts
// y and the weights w = 0.5 + 0.5 cos(0.2t)².
func fixtureInputs() (*mat.Dense, []float64, []float64) {
	const T = 40
	X := mat.NewDense(T, 3, nil)
	y := make([]float64, T)
	w := make([]float64, T)
	for t := range T {
		ft := float64(t)
		X.SetRow(t, []float64{1, math.Sin(0.3 * ft), math.Cos(0.7 * ft)})
		y[t] = b2f((3*t+1)%5 == 0) + b2f(t%7 == 0) + b2f(math.Sin(0.3*ft) > 0.5)
		w[t] = 0.5 + 0.5*math.Pow(math.Cos(0.2*ft), 2)
	}
	return X, y, w
}

// referenceInputs rebuilds the inputs of testdata/make_reference.py.
func referenceInputs() (X *mat.Dense, w, yBern, yGauss, yPois []float64) {
	const T = 60
	X = mat.NewDense(T, 3, nil)
	w = make([]float64, T)
	yBern, yGauss, yPois = make([]float64, T), make([]float64, T), make([]float64, T)
	for t := range T {
		ft := float64(t)
		X.SetRow(t, []float64{math.Sin(0.3 * ft), math.Cos(0.7 * ft), float64((7*t)%11) / 10})
		w[t] = 0.5 + 0.5*math.Pow(math.Cos(0.2*ft), 2)
		yBern[t] = b2f((3*t+1)%5 == 0 || math.Sin(0.3*ft) > 0.5)
		yGauss[t] = 1 + 0.5*math.Sin(0.3*ft) - math.Cos(0.7*ft) + 0.3*math.Sin(2.3*ft)
		yPois[t] = b2f((3*t+1)%5 == 0) + b2f(t%7 == 0) + b2f(math.Sin(0.3*ft) > 0.5)
	}
	return
}

func coef(t *testing.T, r *Regression) []float64 {
	t.Helper()
	var v mat.VecDense
	if err := r.CoefTo(&v); err != nil {
		t.Fatal(err)
	}
	return v.RawVector().Data
}

func closeTo(t *testing.T, name string, got, want []float64, tol float64) float64 {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
	}
	worst := 0.0
	for i := range got {
		worst = math.Max(worst, math.Abs(got[i]-want[i]))
	}
	if worst > tol {
		t.Errorf("%s = %v, want %v (max |diff| %.3g > %g)", name, got, want, worst, tol)
	}
	return worst
}

// TestWeightedPoissonFixture compares with the γ-weighted Poisson MLEs of
// fixtures.json (scipy trust-ncg for exp, BFGS gtol 1e-10 for softplus).
func TestWeightedPoissonFixture(t *testing.T) {
	raw, err := os.ReadFile(fixtures.Path(t, "analysis-reference", "fixtures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		G struct {
			Y       []float64 `json:"y"`
			ExpB    []float64 `json:"exp_link_beta"`
			ExpNLL  float64   `json:"exp_link_nll"`
			SoftB   []float64 `json:"softplus_link_beta"`
			SoftNLL float64   `json:"softplus_link_nll"`
		} `json:"weighted_poisson_glm"`
	}
	if err := json.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	X, y, w := fixtureInputs()
	closeTo(t, "rebuilt y", y, fx.G.Y, 0)
	lgSum := 0.0
	for i := range y {
		lg, _ := math.Lgamma(y[i] + 1)
		lgSum += w[i] * lg
	}
	for _, c := range []struct {
		link string
		beta []float64
		nll  float64
	}{{Exp, fx.G.ExpB, fx.G.ExpNLL}, {Softplus, fx.G.SoftB, fx.G.SoftNLL}} {
		t.Run(c.link, func(t *testing.T) {
			r := &Regression{Link: c.link}
			if err := r.Fit(X, y, w); err != nil {
				t.Fatal(err)
			}
			d := closeTo(t, "β", coef(t, r), c.beta, refTol)
			ll, _ := r.LogLikelihood()
			// the fixture's nll leaves out Σ w log Γ(y+1)
			if got := -(ll + lgSum); math.Abs(got-c.nll) > 1e-9 {
				t.Errorf("nll = %.12g, want %.12g", got, c.nll)
			}
			t.Logf("%s: max |Δβ| = %.2g, nll %.12g", c.link, d, -(ll + lgSum))
		})
	}
}

// TestStatsmodelsReference compares with statsmodels GLM(freq_weights=w)
// (testdata/make_reference.py, testdata/reference.json).
func TestStatsmodelsReference(t *testing.T) {
	raw, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	type fit struct {
		Beta []float64 `json:"beta"`
		LLF  *float64  `json:"llf"`
	}
	var ref map[string]json.RawMessage
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	X, w, yb, yg, yp := referenceInputs()
	for _, c := range []struct {
		key string
		r   Regression
		y   []float64
	}{
		{"bernoulli_logit", Regression{Family: Bernoulli, Intercept: true}, yb},
		{"gaussian_identity", Regression{Family: Gaussian, Intercept: true}, yg},
		{"poisson_exp", Regression{Intercept: true}, yp},
		{"gaussian_ridge_l2_2.5", Regression{Family: Gaussian, Intercept: true, L2: 2.5}, yg},
	} {
		t.Run(c.key, func(t *testing.T) {
			var f fit
			if err := json.Unmarshal(ref[c.key], &f); err != nil {
				t.Fatal(err)
			}
			r := c.r
			if err := r.Fit(X, c.y, w); err != nil {
				t.Fatal(err)
			}
			d := closeTo(t, "β", coef(t, &r), f.Beta, 1e-9)
			if f.LLF != nil {
				ll, _ := r.LogLikelihood()
				if math.Abs(ll-*f.LLF) > 1e-9 {
					t.Errorf("log likelihood %.12g, want %.12g", ll, *f.LLF)
				}
			}
			t.Logf("max |Δβ| = %.2g", d)
		})
	}
}

// TestPenalizedStationarity checks the L2 fit of each iterative family at
// its optimum: the penalized gradient Σ w ∂ℓ/∂η x − L2 β vanishes there.
func TestPenalizedStationarity(t *testing.T) {
	X, w, yb, _, yp := referenceInputs()
	for _, c := range []struct {
		name string
		r    Regression
		y    []float64
	}{
		{"poisson exp", Regression{Intercept: true, L2: 3}, yp},
		{"poisson softplus", Regression{Link: Softplus, Intercept: true, L2: 3}, yp},
		{"bernoulli", Regression{Family: Bernoulli, Intercept: true, L2: 3}, yb},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := c.r
			if err := r.Fit(X, c.y, w); err != nil {
				t.Fatal(err)
			}
			beta := coef(t, &r)
			fam, link := r.resolved()
			g := make([]float64, 4)
			for i := range c.y {
				row := []float64{1, X.At(i, 0), X.At(i, 1), X.At(i, 2)}
				_, d1, _ := term(fam, link, c.y[i], dot(row, beta), true)
				for j := range g {
					g[j] += w[i] * d1 * row[j]
				}
			}
			for j := 1; j < 4; j++ {
				g[j] -= 3 * beta[j]
			}
			closeTo(t, "penalized gradient", g, make([]float64, 4), 1e-9)
			// and the fit differs from the unpenalized one
			r0 := c.r
			r0.L2 = 0
			if err := r0.Fit(X, c.y, w); err != nil {
				t.Fatal(err)
			}
			if b0 := coef(t, &r0); math.Abs(b0[1]) <= math.Abs(beta[1]) {
				t.Errorf("L2 did not shrink β₁: %v vs %v", beta[1], b0[1])
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	X, y, w := fixtureInputs()
	nanX := mat.DenseCopyOf(X)
	nanX.Set(5, 1, math.NaN())
	frac := append([]float64(nil), y...)
	frac[7] = 1.5
	nanY := append([]float64(nil), y...)
	nanY[3] = math.NaN()
	negW := append([]float64(nil), w...)
	negW[2] = -1
	collinear := mat.NewDense(40, 2, nil)
	for i := range 40 {
		collinear.SetRow(i, []float64{X.At(i, 1), 2 * X.At(i, 1)})
	}
	sep := make([]float64, 40)
	for i := range sep {
		sep[i] = b2f(X.At(i, 1) > 0)
	}
	huge := mat.DenseCopyOf(X)
	huge.Scale(1e300, X)
	for _, c := range []struct {
		name string
		r    Regression
		X    mat.Matrix
		y, w []float64
		want error
		msg  string
	}{
		{"non-integer count", Regression{}, X, frac, w, neurotab.ErrOutOfRange, "bin 7"},
		{"NaN in X", Regression{}, nanX, y, w, neurotab.ErrNotFinite, "bin 5, column 1"},
		{"NaN in y", Regression{}, X, nanY, w, neurotab.ErrNotFinite, "bin 3"},
		{"negative weight", Regression{}, X, y, negW, neurotab.ErrOutOfRange, "bin 2"},
		{"short y", Regression{}, X, y[:10], w, neurotab.ErrShape, "y 10"},
		{"collinear", Regression{}, collinear, y, w, neurotab.ErrSingular, "set L2"},
		{"collinear gaussian", Regression{Family: Gaussian}, collinear, y, w, neurotab.ErrSingular, "set L2"},
		{"separated", Regression{Family: Bernoulli, Intercept: true}, X.Slice(0, 40, 1, 2), sep, w, neurotab.ErrSingular, "L2"},
		{"diverges", Regression{}, huge, y, w, neurotab.ErrNotFinite, "iteration 1"},
		{"bad family", Regression{Family: "gamma"}, X, y, w, neurotab.ErrParam, "gamma"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := c.r
			err := r.Fit(c.X, c.y, c.w)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) || !strings.HasPrefix(err.Error(), "glm: ") {
				t.Fatalf("Fit = %v, want %v naming %q", err, c.want, c.msg)
			}
			if err := r.CoefTo(&mat.VecDense{}); !errors.Is(err, neurotab.ErrNotFitted) {
				t.Errorf("CoefTo after a failed Fit = %v", err)
			}
		})
	}
	t.Run("non-integer allowed", func(t *testing.T) {
		r := Regression{AllowNonInteger: true}
		if err := r.Fit(X, frac, w); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("separated with L2", func(t *testing.T) {
		r := Regression{Family: Bernoulli, Intercept: true, L2: 1}
		if err := r.Fit(X.Slice(0, 40, 1, 2), sep, w); err != nil {
			t.Fatal(err)
		}
	})
}

func TestConformance(t *testing.T) {
	X, y, w := fixtureInputs()
	estimatortest.Run(t, estimatortest.Case[*Regression]{
		Package: "glm",
		New:     func() *Regression { return &Regression{} },
		Defaults: map[string]any{"family": "poisson", "link": "exp", "intercept": false, "l2": 0.0,
			"max_iter": 100, "tol": 1e-10, "allow_non_integer": false},
		Bad: map[string]func(*Regression){
			"unknown family":   func(r *Regression) { r.Family = "gamma" },
			"softplus + gauss": func(r *Regression) { r.Family, r.Link = Gaussian, Softplus },
			"negative L2":      func(r *Regression) { r.L2 = -1 },
			"NaN L2":           func(r *Regression) { r.L2 = math.NaN() },
			"negative MaxIter": func(r *Regression) { r.MaxIter = -1 },
			"negative Tol":     func(r *Regression) { r.Tol = -1 },
		},
		Fit: func(r *Regression) error { return r.Fit(X, y, w) },
		Results: map[string]func(*Regression) error{
			"CoefTo":        func(r *Regression) error { return r.CoefTo(&mat.VecDense{}) },
			"LogLikelihood": func(r *Regression) error { _, err := r.LogLikelihood(); return err },
			"Iterations":    func(r *Regression) error { _, err := r.Iterations(); return err },
		},
		Snapshot: func(r *Regression) []float64 {
			var v mat.VecDense
			_ = r.CoefTo(&v)
			return v.RawVector().Data
		},
	})
}
