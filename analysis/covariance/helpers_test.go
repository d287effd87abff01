package covariance

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/internal/fixtures"
)

// tol is the tolerance of every comparison with numpy/scikit-learn values.
const tol = 1e-9

// signals is make_fixtures.py's signals(T, offset, seed).
func signals(t int, offset float64, seed uint64) *mat.Dense {
	return fixtures.AnalysisSignals(t, offset, seed)
}

// analysisReference is the part of
// /work/shared/data/analysis-reference/fixtures.json this package checks
// (made by make_fixtures.py with numpy 1.24.2, scipy 1.10.1, scikit-learn
// 1.2.1; see its SOURCE.md).
type analysisReference struct {
	Pearson    [][]float64 `json:"pearson_T30"`
	CovDDOF0   [][]float64 `json:"cov_ddof0_T30"`
	LedoitWolf struct {
		Shrinkage  float64     `json:"shrinkage"`
		Covariance [][]float64 `json:"covariance"`
	} `json:"ledoitwolf_raw_T30"`
	Correlation struct {
		Shrinkage float64     `json:"shrinkage_on_standardized"`
		Matrix    [][]float64 `json:"matrix"`
	} `json:"nilearn_correlation_T30"`
	Precision          [][]float64 `json:"nilearn_precision_T30"`
	PartialCorrelation [][]float64 `json:"nilearn_partial_correlation_T30"`
	PartialEmpirical   [][]float64 `json:"partial_correlation_empirical_T30"`
	Tangent            struct {
		Covariances   [][][]float64 `json:"lw_covariances"`
		GeometricMean [][]float64   `json:"geometric_mean"`
		Tangent       [][][]float64 `json:"tangent"`
	} `json:"tangent_3subjects_T30_offsets_0_7_14_seeds_1_2_3"`
}

func loadAnalysisReference(t *testing.T) *analysisReference {
	t.Helper()
	var r analysisReference
	fixtures.ReadJSON(t, &r, "analysis-reference", "fixtures.json")
	return &r
}

// oasReference is testdata/oas.json, written by testdata/make_oas.py with
// scikit-learn 1.2.1's sklearn.covariance.OAS.
type oasReference struct {
	T30, T5 struct {
		Shrinkage  float64     `json:"shrinkage"`
		Covariance [][]float64 `json:"covariance"`
	}
}

var loadOAS = sync.OnceValues(func() (*oasReference, error) {
	b, err := os.ReadFile("testdata/oas.json")
	if err != nil {
		return nil, err
	}
	var raw struct {
		T30 json.RawMessage `json:"oas_T30"`
		T5  json.RawMessage `json:"oas_T5"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	var r oasReference
	if err := json.Unmarshal(raw.T30, &r.T30); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw.T5, &r.T5); err != nil {
		return nil, err
	}
	return &r, nil
})

// maxAbsDiff returns max |got − want| over the N × N entries (NaN where
// exactly one is NaN counts as +Inf), failing t on a size mismatch.
func maxAbsDiff(t *testing.T, got mat.Matrix, want [][]float64) float64 {
	t.Helper()
	r, c := got.Dims()
	if r != len(want) || c != len(want[0]) {
		t.Fatalf("got %d×%d, want %d×%d", r, c, len(want), len(want[0]))
	}
	var d float64
	for i := range want {
		for j := range want[i] {
			g, w := got.At(i, j), want[i][j]
			switch {
			case math.IsNaN(g) && math.IsNaN(w):
			case math.IsNaN(g) || math.IsNaN(w):
				d = math.Inf(1)
			default:
				d = max(d, math.Abs(g-w))
			}
		}
	}
	return d
}

// requireClose fails t when got differs from want by more than tol
// anywhere, and logs the largest difference.
func requireClose(t *testing.T, name string, got mat.Matrix, want [][]float64, tol float64) {
	t.Helper()
	d := maxAbsDiff(t, got, want)
	t.Logf("%s: max |Go − reference| = %.3g", name, d)
	if !(d <= tol) {
		t.Errorf("%s: max |Go − reference| = %g > %g\n got %v\nwant %v", name, d, tol, mat.Formatted(got), want)
	}
}

// rows turns a matrix into [][]float64.
func rows(m mat.Matrix) [][]float64 {
	r, c := m.Dims()
	out := make([][]float64, r)
	for i := range out {
		out[i] = make([]float64, c)
		for j := range out[i] {
			out[i][j] = m.At(i, j)
		}
	}
	return out
}

// randomTraces returns a T × N matrix of Gaussian traces with a shared
// component (so the covariances are far from diagonal), from seed.
func randomTraces(seed uint64, t, n int) *mat.Dense {
	r := rand.New(rand.NewPCG(seed, 0))
	x := mat.NewDense(t, n, nil)
	for i := 0; i < t; i++ {
		common := r.NormFloat64()
		for j := 0; j < n; j++ {
			x.Set(i, j, 0.5*common*float64(j%3)+r.NormFloat64()+float64(j))
		}
	}
	return x
}
