package connectivity

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strconv"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// tol is the tolerance of every comparison with numpy.
const tol = 1e-9

// reference is testdata/reference.json, written once by
// testdata/gen_reference.py with numpy 1.24 (np.corrcoef, np.cov,
// np.linalg.inv, np.argmax); see the script for the exact formulas.
type reference struct {
	Seed    int         `json:"seed"`
	T       int         `json:"t"`
	N       int         `json:"n"`
	X       [][]float64 `json:"x"`
	Pearson [][]float64 `json:"pearson"`
	Lagged  struct {
		MaxLag  int           `json:"max_lag"`
		Lags    []int         `json:"lags"`
		R       [][][]float64 `json:"r"`
		PeakLag [][]int       `json:"peak_lag"`
		Peak    [][]float64   `json:"peak"`
	} `json:"lagged"`
	Partial []struct {
		Ridge float64     `json:"ridge"`
		Rho   [][]float64 `json:"rho"`
	} `json:"partial"`
	PartialWide struct {
		X       [][]float64 `json:"x"`
		CovRank int         `json:"cov_rank"`
		Ridge   float64     `json:"ridge"`
		Rho     [][]float64 `json:"rho"`
	} `json:"partial_wide"`
}

var loadReference = sync.OnceValues(func() (*reference, error) {
	b, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		return nil, err
	}
	var r reference
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	return &r, nil
})

func ref(t testing.TB) *reference {
	t.Helper()
	r, err := loadReference()
	if err != nil {
		t.Fatalf("testdata/reference.json: %v (regenerate with testdata/gen_reference.py)", err)
	}
	return r
}

// dense builds a matrix from rows.
func dense(rows [][]float64) *mat.Dense {
	m := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		m.SetRow(i, r)
	}
	return m
}

// cols builds a T × N matrix from N columns.
func cols(c ...[]float64) *mat.Dense {
	m := mat.NewDense(len(c[0]), len(c), nil)
	for j, v := range c {
		m.SetCol(j, v)
	}
	return m
}

// same reports whether a and b are equal within tol, NaN matching NaN.
func same(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol
}

// matrixNear fails t at the first element of got that differs from want.
func matrixNear(t *testing.T, what string, got mat.Matrix, want [][]float64, tol float64) {
	t.Helper()
	r, c := got.Dims()
	if r != len(want) || c != len(want[0]) {
		t.Fatalf("%s: %d×%d, want %d×%d", what, r, c, len(want), len(want[0]))
	}
	for i := range want {
		for j := range want[i] {
			if g := got.At(i, j); !same(g, want[i][j], tol) {
				t.Fatalf("%s[%d][%d] = %.15g, want %.15g (Δ %.3g, tol %g)", what, i, j, g, want[i][j], g-want[i][j], tol)
			}
		}
	}
}

func TestReferencePearson(t *testing.T) {
	rf := ref(t)
	x := dense(rf.X)
	// Expected: np.corrcoef(x, rowvar=False).
	got, err := Pearson(x)
	if err != nil {
		t.Fatal(err)
	}
	matrixNear(t, "pearson", got, rf.Pearson, tol)
	// Any mat.Matrix works, not only *mat.Dense: a transposed view of the
	// transpose takes the At path.
	var xt mat.Dense
	xt.CloneFrom(x.T())
	got2, err := Pearson(xt.T())
	if err != nil {
		t.Fatal(err)
	}
	matrixNear(t, "pearson via At", got2, rf.Pearson, tol)
}

func TestReferenceLagged(t *testing.T) {
	rf := ref(t)
	l, err := LaggedCorrelation(dense(rf.X), rf.Lagged.MaxLag)
	if err != nil {
		t.Fatal(err)
	}
	for k, lag := range rf.Lagged.Lags {
		t.Run("lag="+itoa(lag), func(t *testing.T) {
			// Expected: np.corrcoef of the shifted slices (gen_reference.py).
			want := rf.Lagged.R[k]
			var m mat.Dense
			l.LagTo(&m, lag)
			matrixNear(t, "LagTo", &m, want, tol)
			for i := range want {
				for j := range want[i] {
					if g := l.At(i, j, lag); !same(g, want[i][j], tol) {
						t.Fatalf("At(%d, %d, %d) = %.15g, want %.15g", i, j, lag, g, want[i][j])
					}
				}
			}
		})
	}
	// Expected: np.argmax(|r|) over lags (no ties in this data: the best
	// and second best |r| differ by at least 1.3e-3 for every pair).
	matrixNear(t, "Peak", l.Peak, rf.Lagged.Peak, tol)
	for i, row := range rf.Lagged.PeakLag {
		for j, want := range row {
			if g := l.PeakLag.At(i, j); g != float64(want) {
				t.Errorf("PeakLag[%d][%d] = %v, want %d", i, j, g, want)
			}
		}
	}
	// The planted delay: column 2 is column 0 delayed by 3 samples.
	if g := l.PeakLag.At(0, 2); g != 3 {
		t.Errorf("PeakLag[0][2] = %v, want the planted 3", g)
	}
}

func TestReferencePartial(t *testing.T) {
	rf := ref(t)
	x := dense(rf.X)
	for _, c := range rf.Partial {
		t.Run("ridge="+ftoa(c.Ridge), func(t *testing.T) {
			// Expected: -P_ij/sqrt(P_ii P_jj), P = np.linalg.inv(np.cov(x))
			// for ridge 0, np.linalg.inv(np.corrcoef(x) + ridge*I) otherwise.
			got, err := PartialCorrelation(x, c.Ridge)
			if err != nil {
				t.Fatal(err)
			}
			matrixNear(t, "partial", got, c.Rho, tol)
		})
	}
	t.Run("wide", func(t *testing.T) {
		w := rf.PartialWide
		x := dense(w.X)
		tt, n := x.Dims()
		if w.CovRank >= n {
			t.Fatalf("reference wide matrix has full rank %d", w.CovRank)
		}
		// np.linalg.matrix_rank(np.cov(x)) = T−1 < N: no inverse without a ridge.
		_, err := PartialCorrelation(x, 0)
		var se *SingularError
		if !errors.As(err, &se) || !errors.Is(err, neurotab.ErrSingular) {
			t.Fatalf("%d×%d without ridge: err = %v, want a *SingularError", tt, n, err)
		}
		got, err := PartialCorrelation(x, w.Ridge)
		if err != nil {
			t.Fatal(err)
		}
		matrixNear(t, "partial wide", got, w.Rho, tol)
	})
}

func itoa(i int) string     { return strconv.Itoa(i) }
func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
