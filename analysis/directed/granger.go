package directed

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/neurotab/neurotab"
)

// Test names a Granger-causality test statistic, with statsmodels' names.
type Test string

// The tests of Granger. With nobs = T − p regression rows, df = nobs − k the
// residual degrees of freedom of the unrestricted model (k coefficients,
// constant included: 2p + 1 bivariate, N'·p + 1 conditional, N' the
// neurons in the conditioning set, those without a constant lag window)
// and ssr_r ≥ ssr_u the residual sums of squares:
//
//	TestF      F  = (ssr_r − ssr_u) / ssr_u · df / p     p-value of F(p, df)
//	TestChi2   χ² = nobs (ssr_r − ssr_u) / ssr_u          p-value of χ²(p)
//	TestLR     LR = nobs ln(ssr_r / ssr_u)                p-value of χ²(p)
//
// These are statsmodels' grangercausalitytests "ssr_ftest",
// "ssr_chi2test" and "lrtest" (the LR statistic is −2 (llf_r − llf_u) of
// the Gaussian log-likelihoods, which reduces to the form above).
const (
	TestF    Test = "ssr_ftest"
	TestChi2 Test = "ssr_chi2test"
	TestLR   Test = "lrtest"
)

// ParseTest returns the test named s ("" is TestF), or an error wrapping
// neurotab.ErrParam.
func ParseTest(s string) (Test, error) {
	switch t := Test(s); t {
	case "":
		return TestF, nil
	case TestF, TestChi2, TestLR:
		return t, nil
	}
	return "", fmt.Errorf("directed: unknown Granger test %q, want %s, %s or %s: %w", s, TestF, TestChi2, TestLR, neurotab.ErrParam)
}

// Result is the Granger test of one ordered pair, as statsmodels'
// grangercausalitytests reports it for one lag (see Test for the formulas).
// Every field is NaN for an undefined pair.
type Result struct {
	F, FPValue       float64 // ssr-based F test, F(Lag, DF)
	Chi2, Chi2PValue float64 // ssr-based χ² test, χ²(Lag)
	LR, LRPValue     float64 // likelihood-ratio test, χ²(Lag)
	Lag              int     // p, the numerator degrees of freedom
	DF               int     // residual degrees of freedom of the unrestricted model
	Nobs             int     // T − p regression rows
}

// Test returns the statistic and p-value of test t (TestF for "" or an
// unknown name).
func (r Result) Test(t Test) (statistic, pValue float64) {
	switch t {
	case TestChi2:
		return r.Chi2, r.Chi2PValue
	case TestLR:
		return r.LR, r.LRPValue
	}
	return r.F, r.FPValue
}

// result computes the three tests from the ssr of one pair.
func result(ssrR, ssrU float64, nobs, df, p int) Result {
	res := Result{Lag: p, DF: df, Nobs: nobs}
	if math.IsNaN(ssrR) || math.IsNaN(ssrU) {
		nan := math.NaN()
		res.F, res.FPValue, res.Chi2, res.Chi2PValue, res.LR, res.LRPValue = nan, nan, nan, nan, nan, nan
		return res
	}
	rel := (ssrR - ssrU) / ssrU
	res.F = rel * float64(df) / float64(p)
	res.FPValue = fSurvival(res.F, float64(p), float64(df))
	chi := distuv.ChiSquared{K: float64(p)}
	res.Chi2 = float64(nobs) * rel
	res.Chi2PValue = chi.Survival(res.Chi2)
	res.LR = float64(nobs) * math.Log(ssrR/ssrU)
	res.LRPValue = chi.Survival(res.LR)
	return res
}

// fSurvival is P(F > f) for F(d1, d2), computed as the regularized
// incomplete beta I_{d2/(d2 + d1 f)}(d2/2, d1/2) rather than as 1 − CDF
// (distuv.F.Survival), so that small p-values keep their relative
// precision (scipy.stats.f.sf does the same).
func fSurvival(f, d1, d2 float64) float64 {
	if f <= 0 {
		return 1
	}
	return mathext.RegIncBeta(d2/2, d1/2, d2/(d2+d1*f))
}

// GrangerPair tests whether source Granger-causes target at lag p, as
// statsmodels' grangercausalitytests(np.column_stack([target, source]),
// maxlag=[p]) does (note statsmodels' column order: the tested effect is
// the second column on the first). source and target are equally long
// series. Errors: lag ≤ 0 (neurotab.ErrParam), unequal lengths or fewer
// than 3p + 2 samples (neurotab.ErrShape), NaN or ±Inf (neurotab.ErrNotFinite).
func GrangerPair(source, target []float64, lag int) (Result, error) {
	if len(source) != len(target) {
		return Result{}, fmt.Errorf("directed: source has %d samples, target %d: %w", len(source), len(target), neurotab.ErrShape)
	}
	if err := checkLag("lag", lag); err != nil {
		return Result{}, err
	}
	if len(source) == 0 {
		return Result{}, fmt.Errorf("directed: empty series: %w", neurotab.ErrShape)
	}
	x := mat.NewDense(len(source), 2, nil)
	for t := range source {
		x.Set(t, 0, source[t])
		x.Set(t, 1, target[t])
	}
	g := Granger{Lag: lag}
	if err := g.Fit(x); err != nil {
		return Result{}, err
	}
	return g.At(0, 1), nil
}

// Granger computes Granger causality (Granger 1969,
// doi:10.2307/1912791) for every ordered pair of the neurons of a T × N
// trace matrix: does the past of source i improve the least-squares
// prediction of target j beyond j's own past (bivariate, the default), or
// beyond the past of every neuron but i (Conditional; Geweke 1984,
// doi:10.1080/01621459.1984.10478112)? See the package documentation for
// the two regressions and Test for the statistics; the bivariate test of a
// pair is exactly statsmodels' grangercausalitytests at lag p.
//
// Granger has the estimator shape of package neurotab (see "Estimators" in
// [github.com/neurotab/neurotab]): the exported fields are the
// configuration, the zero value tests at lag 1 with the F test; Fit(X)
// keeps the result, read as N × N matrices C[source][target] (NaN
// diagonal) with StatisticTo, PValueTo and FTo, or per pair with At. The
// result methods return an error wrapping neurotab.ErrNotFitted before a
// Fit and panic only on a destination of the wrong size.
//
// Each lag is its own fit: statsmodels' maxlag = L runs lags 1 … L, which
// is L Granger fits with Lag = 1 … L.
type Granger struct {
	// Lag is p ≥ 1, the number of past samples of each series in the
	// regressions; 0 means 1.
	Lag int
	// Test is the statistic of StatisticTo and PValueTo: TestF (also ""),
	// TestChi2 or TestLR.
	Test Test
	// Conditional adds the lags of every other neuron to both regressions.
	Conditional bool

	fit *pairSSR
}

// defaultLag returns a configured lag with its default: 0 means 1.
func defaultLag(lag int) int {
	if lag == 0 {
		return 1
	}
	return lag
}

// Check reports whether the configuration is valid: Lag ≥ 0 and a known
// Test. Errors wrap neurotab.ErrParam.
func (g *Granger) Check() error {
	if g.Lag < 0 {
		return fmt.Errorf("directed: Lag %d < 0: %w", g.Lag, neurotab.ErrParam)
	}
	_, err := ParseTest(string(g.Test))
	return err
}

// Parameters returns the configuration as provenance parameters
// (table.Provenance.Parameters): lag (the default written as 1), test
// ("" written as ssr_ftest) and conditional.
func (g *Granger) Parameters() map[string]any {
	t, err := ParseTest(string(g.Test))
	if err != nil {
		t = g.Test
	}
	return map[string]any{"lag": defaultLag(g.Lag), "test": string(t), "conditional": g.Conditional}
}

// Fit runs the regressions of every ordered pair of the columns of X, a
// T × N trace matrix (rows are time), replacing any earlier fit. Errors: an
// invalid configuration (neurotab.ErrParam, before looking at X); fewer
// than p + k + 1 samples, k the coefficients of the unrestricted model
// (neurotab.ErrShape); a NaN or ±Inf sample (neurotab.ErrNotFinite); a
// singular conditional design (neurotab.ErrSingular). After an error the
// estimator is unfitted.
func (g *Granger) Fit(X mat.Matrix) error {
	g.fit = nil
	if err := g.Check(); err != nil {
		return err
	}
	s, err := fitSSR(X, defaultLag(g.Lag), g.Conditional)
	if err != nil {
		return err
	}
	g.fit = s
	return nil
}

// fitSSR builds the lagged design of X and the ssr of every pair.
func fitSSR(X mat.Matrix, p int, conditional bool) (*pairSSR, error) {
	params := func(int) int { return 2*p + 1 }
	if conditional {
		params = func(n int) int { return n*p + 1 }
	}
	d, err := newLagged(X, p, params)
	if err != nil {
		return nil, err
	}
	if conditional {
		return d.conditional()
	}
	return d.bivariate(), nil
}

// Neurons returns N of the fit (0 before one).
func (g *Granger) Neurons() int {
	if g.fit == nil {
		return 0
	}
	return g.fit.n
}

// At returns the tests of the pair source i → target j. It panics before a
// Fit or when i or j is out of range (programmer errors); i == j gives NaN.
func (g *Granger) At(i, j int) Result {
	if g.fit == nil {
		panic("directed: Granger.At before Fit")
	}
	s := g.fit
	if i < 0 || j < 0 || i >= s.n || j >= s.n {
		panic(fmt.Sprintf("directed: Granger.At(%d, %d) outside %d neurons", i, j, s.n))
	}
	return result(s.r[i*s.n+j], s.u[i*s.n+j], s.nobs, s.df, s.p)
}

// StatisticTo copies the N × N matrix C[source][target] of the statistic of
// Test (F, χ² or LR) into dst. An empty dst is resized; a non-empty dst
// must be N × N, otherwise StatisticTo panics. The error wraps
// neurotab.ErrNotFitted.
func (g *Granger) StatisticTo(dst *mat.Dense) error {
	t, _ := ParseTest(string(g.Test))
	return g.matrixTo("StatisticTo", dst, func(r Result) float64 { s, _ := r.Test(t); return s })
}

// PValueTo copies the N × N matrix C[source][target] of the p-values of
// Test into dst (uncorrected for the N(N−1) tests). An empty dst is
// resized; a non-empty dst must be N × N, otherwise PValueTo panics. The
// error wraps neurotab.ErrNotFitted.
func (g *Granger) PValueTo(dst *mat.Dense) error {
	t, _ := ParseTest(string(g.Test))
	return g.matrixTo("PValueTo", dst, func(r Result) float64 { _, p := r.Test(t); return p })
}

// FTo copies the N × N matrix C[source][target] of the F statistics into
// dst, whatever Test is. An empty dst is resized; a non-empty dst must be
// N × N, otherwise FTo panics. The error wraps neurotab.ErrNotFitted.
func (g *Granger) FTo(dst *mat.Dense) error {
	return g.matrixTo("FTo", dst, func(r Result) float64 { return r.F })
}

// matrixTo fills dst with f of every pair's Result.
func (g *Granger) matrixTo(method string, dst *mat.Dense, f func(Result) float64) error {
	if g.fit == nil {
		return unfitted(method)
	}
	n := g.fit.n
	resize(method, dst, n)
	for i := range n {
		for j := range n {
			dst.Set(i, j, f(g.At(i, j)))
		}
	}
	return nil
}

// resize makes an empty dst n × n and panics on a non-empty dst of another
// size (gonum's idiom).
func resize(method string, dst *mat.Dense, n int) {
	if dst.IsEmpty() {
		dst.ReuseAs(n, n)
	} else if r, c := dst.Dims(); r != n || c != n {
		panic(fmt.Sprintf("directed: %s: dst is %d×%d, want %d×%d", method, r, c, n, n))
	}
}
