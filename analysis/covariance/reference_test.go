package covariance

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestSignals checks the Go rebuild of make_fixtures.py's input against
// its Pearson matrix (np.corrcoef), so every other reference test compares
// like with like.
func TestSignals(t *testing.T) {
	ref := loadAnalysisReference(t)
	m := Measure{Estimator: &Empirical{}, Kind: KindCorrelation}
	if err := m.Fit(signals(30, 0, 1)); err != nil {
		t.Fatal(err)
	}
	var r mat.SymDense
	if err := m.MatrixTo(&r); err != nil {
		t.Fatal(err)
	}
	requireClose(t, "pearson_T30", &r, ref.Pearson, tol)
}

// TestEstimatorsReference compares each estimator's covariance and
// shrinkage with scikit-learn/numpy on signals(30): numpy.cov(ddof=0),
// sklearn LedoitWolf (fixtures.json) and sklearn OAS (testdata/oas.json).
func TestEstimatorsReference(t *testing.T) {
	ref := loadAnalysisReference(t)
	oas, err := loadOAS()
	if err != nil {
		t.Fatalf("testdata/oas.json: %v (regenerate with testdata/make_oas.py)", err)
	}
	x := signals(30, 0, 1)
	for _, c := range []struct {
		name      string
		est       Estimator
		x         mat.Matrix
		want      [][]float64
		shrinkage float64 // NaN: no shrinkage
	}{
		{"cov_ddof0_T30", &Empirical{}, x, ref.CovDDOF0, math.NaN()},
		{"ledoitwolf_raw_T30", &LedoitWolf{}, x, ref.LedoitWolf.Covariance, ref.LedoitWolf.Shrinkage},
		{"oas_T30", &OAS{}, x, oas.T30.Covariance, oas.T30.Shrinkage},
		{"oas_T5", &OAS{}, x.Slice(0, 5, 0, 4), oas.T5.Covariance, oas.T5.Shrinkage},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.est.Fit(c.x); err != nil {
				t.Fatal(err)
			}
			var s mat.SymDense
			if err := c.est.CovarianceTo(&s); err != nil {
				t.Fatal(err)
			}
			requireClose(t, c.name, &s, c.want, tol)
			if math.IsNaN(c.shrinkage) {
				return
			}
			got, err := c.est.(interface{ Shrinkage() (float64, error) }).Shrinkage()
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("shrinkage %.17g, reference %.17g", got, c.shrinkage)
			if math.Abs(got-c.shrinkage) > tol {
				t.Errorf("shrinkage %.17g, want %.17g", got, c.shrinkage)
			}
		})
	}
}

// TestEmpiricalDDOF1 checks DDOF 1 against DDOF 0 × T/(T−1) (numpy.cov's
// two normalizations of the same scatter matrix).
func TestEmpiricalDDOF1(t *testing.T) {
	ref := loadAnalysisReference(t)
	e := Empirical{DDOF: 1}
	if err := e.Fit(signals(30, 0, 1)); err != nil {
		t.Fatal(err)
	}
	var s mat.SymDense
	if err := e.CovarianceTo(&s); err != nil {
		t.Fatal(err)
	}
	want := rows(mat.NewDense(4, 4, nil))
	for i := range want {
		for j := range want[i] {
			want[i][j] = ref.CovDDOF0[i][j] * 30 / 29
		}
	}
	requireClose(t, "cov_ddof1_T30", &s, want, tol)
}

// TestMeasureReference compares each kind with the fixtures: nilearn
// ConnectivityMeasure semantics with scikit-learn's LedoitWolf, and the
// unshrunk partial correlation (np.cov ddof 0, scipy.linalg.inv).
func TestMeasureReference(t *testing.T) {
	ref := loadAnalysisReference(t)
	x := signals(30, 0, 1)
	for _, c := range []struct {
		name string
		m    Measure
		want [][]float64
	}{
		{"ledoitwolf_raw_T30 (covariance, zero Measure)", Measure{}, ref.LedoitWolf.Covariance},
		{"nilearn_correlation_T30", Measure{Kind: KindCorrelation}, ref.Correlation.Matrix},
		{"nilearn_precision_T30", Measure{Estimator: &LedoitWolf{}, Kind: KindPrecision}, ref.Precision},
		{"nilearn_partial_correlation_T30", Measure{Kind: KindPartialCorrelation}, ref.PartialCorrelation},
		{"nilearn spelling 'partial correlation'", Measure{Kind: "partial correlation"}, ref.PartialCorrelation},
		{"partial_correlation_empirical_T30", Measure{Estimator: &Empirical{}, Kind: KindPartialCorrelation}, ref.PartialEmpirical},
		{"pearson_T30 (correlation of Empirical)", Measure{Estimator: &Empirical{}, Kind: KindCorrelation}, ref.Pearson},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.m.Fit(x); err != nil {
				t.Fatal(err)
			}
			var r mat.SymDense
			if err := c.m.MatrixTo(&r); err != nil {
				t.Fatal(err)
			}
			requireClose(t, c.name, &r, c.want, tol)
		})
	}
}

// TestLedoitWolfCorrelationGotcha pins the documented surprise: with
// Ledoit–Wolf, nilearn's correlation is (1 − λz)·Pearson off the diagonal,
// λz being the shrinkage of the z-scored traces (fixtures.json's
// shrinkage_on_standardized), not Pearson itself and not the shrinkage of
// the raw traces.
func TestLedoitWolfCorrelationGotcha(t *testing.T) {
	ref := loadAnalysisReference(t)
	x := signals(30, 0, 1)
	z, err := zscored(x)
	if err != nil {
		t.Fatal(err)
	}
	var lw LedoitWolf
	if err := lw.Fit(z); err != nil {
		t.Fatal(err)
	}
	lz, err := lw.Shrinkage()
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(lz-ref.Correlation.Shrinkage) > tol {
		t.Fatalf("shrinkage of the z-scored traces %.17g, want %.17g", lz, ref.Correlation.Shrinkage)
	}
	if math.Abs(lz-ref.LedoitWolf.Shrinkage) < 1e-3 {
		t.Fatalf("λz %g ≈ λ of the raw traces %g: the test would not tell them apart", lz, ref.LedoitWolf.Shrinkage)
	}
	m := Measure{Kind: KindCorrelation}
	if err := m.Fit(x); err != nil {
		t.Fatal(err)
	}
	var c mat.SymDense
	if err := m.MatrixTo(&c); err != nil {
		t.Fatal(err)
	}
	want := make([][]float64, 4)
	for i := range want {
		want[i] = make([]float64, 4)
		for j := range want[i] {
			want[i][j] = (1 - lz) * ref.Pearson[i][j]
		}
		want[i][i] = 1
	}
	requireClose(t, "(1−λz)·pearson_T30", &c, want, tol)
	if d := maxAbsDiff(t, &c, ref.Pearson); d < 0.01 {
		t.Errorf("Ledoit–Wolf correlation within %g of Pearson: the shrinkage did not show", d)
	}
}

// TestTangentReference compares Tangent with the fixture's re-implementation
// of nilearn's tangent kind on three recordings (signals(30, 7s, 1+s)):
// Ledoit–Wolf covariances, geometric mean, tangent vectors; then checks
// that InverseTo maps each tangent vector back to its covariance.
func TestTangentReference(t *testing.T) {
	ref := loadAnalysisReference(t)
	xs := []mat.Matrix{signals(30, 0, 1), signals(30, 7, 2), signals(30, 14, 3)}
	var tg Tangent
	if err := tg.Fit(xs); err != nil {
		t.Fatal(err)
	}
	if tg.Recordings() != 3 {
		t.Fatalf("Recordings() = %d, want 3", tg.Recordings())
	}
	var g mat.SymDense
	if err := tg.MeanTo(&g); err != nil {
		t.Fatal(err)
	}
	requireClose(t, "geometric_mean", &g, ref.Tangent.GeometricMean, tol)
	for k := range xs {
		var tv, back mat.SymDense
		if err := tg.TangentTo(&tv, k); err != nil {
			t.Fatal(err)
		}
		requireClose(t, "tangent", &tv, ref.Tangent.Tangent[k], tol)
		if err := tg.InverseTo(&back, &tv); err != nil {
			t.Fatal(err)
		}
		requireClose(t, "InverseTo(tangent) = lw_covariance", &back, ref.Tangent.Covariances[k], tol)
	}
}
