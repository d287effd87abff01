package readout

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// reference holds testdata/reference.json, written once by
// testdata/gen_reference.py (numpy 1.24, scikit-learn 1.2; see the script
// for the formula behind each number). Go tests never call Python.
type reference struct {
	Seed  int64       `json:"seed"`
	X     [][]float64 `json:"X"`
	Y     [][]float64 `json:"Y"`
	Xtest [][]float64 `json:"Xtest"`
	Ytest [][]float64 `json:"Ytest"`
	Wtrue [][]float64 `json:"Wtrue"`
	Y0    [][]float64 `json:"Y0"`
	Ridge []struct {
		Name         string      `json:"name"`
		Alpha        float64     `json:"alpha"`
		FitIntercept bool        `json:"fit_intercept"`
		W            [][]float64 `json:"W"`
		B            []float64   `json:"b"`
		Predict      [][]float64 `json:"predict"`
		SklearnW     [][]float64 `json:"sklearn_W"`
		SklearnB     []float64   `json:"sklearn_b"`
	} `json:"ridge"`
	Forget []struct {
		Name   string      `json:"name"`
		Lambda float64     `json:"lambda"`
		Delta  float64     `json:"delta"`
		W      [][]float64 `json:"W"`
	} `json:"forget"`
	Metrics []struct {
		Name      string      `json:"name"`
		Yhat      [][]float64 `json:"Yhat"`
		R2        []float64   `json:"r2"`
		NRMSE     []float64   `json:"nrmse"`
		SklearnR2 []float64   `json:"sklearn_r2"`
	} `json:"metrics"`
}

var (
	refOnce sync.Once
	refData *reference
	refErr  error
)

func loadReference(t testing.TB) *reference {
	t.Helper()
	refOnce.Do(func() {
		b, err := os.ReadFile("testdata/reference.json")
		if err != nil {
			refErr = err
			return
		}
		refData = new(reference)
		refErr = json.Unmarshal(b, refData)
	})
	if refErr != nil {
		t.Fatalf("testdata/reference.json (run testdata/gen_reference.py): %v", refErr)
	}
	return refData
}

// dense turns a list of rows into a matrix.
func dense(rows [][]float64) *mat.Dense {
	m := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		m.SetRow(i, r)
	}
	return m
}

// relErr returns max|a − b| / max|b|, the matrix-wide relative error.
func relErr(a, b mat.Matrix) float64 {
	r, c := b.Dims()
	var diff, scale float64
	for i := range r {
		for j := range c {
			diff = math.Max(diff, math.Abs(a.At(i, j)-b.At(i, j)))
			scale = math.Max(scale, math.Abs(b.At(i, j)))
		}
	}
	if scale == 0 {
		return diff
	}
	return diff / scale
}

// relErrVec is relErr for vectors.
func relErrVec(a, b []float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	return relErr(mat.NewDense(1, len(a), a), mat.NewDense(1, len(b), b))
}

// seededData returns a T×F design with unequal scales and offsets and
// Y = X W + b + noise·N(0,1), from a fixed seed (Go's PCG; not the
// reference fixture).
func seededData(seed uint64, t, f, k int, noise float64) (X, Y, W *mat.Dense, b []float64) {
	rng := newRand(seed)
	X = mat.NewDense(t, f, nil)
	scale := make([]float64, f)
	off := make([]float64, f)
	for j := range f {
		scale[j] = 0.5 + 2*rng.Float64()
		off[j] = 2 * rng.NormFloat64()
	}
	for i := range t {
		for j := range f {
			X.Set(i, j, off[j]+scale[j]*rng.NormFloat64())
		}
	}
	W = mat.NewDense(f, k, nil)
	for i := range f {
		for j := range k {
			W.Set(i, j, rng.NormFloat64())
		}
	}
	b = make([]float64, k)
	for j := range b {
		b[j] = 3 * rng.NormFloat64()
	}
	Y = mat.NewDense(t, k, nil)
	Y.Mul(X, W)
	for i := range t {
		for j := range k {
			Y.Set(i, j, Y.At(i, j)+b[j]+noise*rng.NormFloat64())
		}
	}
	return X, Y, W, b
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

// fitted is the part of the estimator shape both readouts share.
type fitted interface {
	PredictTo(dst *mat.Dense, X mat.Matrix) error
	PredictVec(dst, x []float64) ([]float64, error)
	WeightsTo(dst *mat.Dense) error
	InterceptTo(dst *mat.VecDense) error
}

// must fails t on a non-nil err.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// intercept returns the intercept of a fitted readout as a slice.
func intercept(t testing.TB, r fitted) []float64 {
	t.Helper()
	var b mat.VecDense
	must(t, r.InterceptTo(&b))
	return mat.Col(nil, 0, &b)
}

// predict returns r's prediction for X in a new matrix.
func predict(r fitted, X mat.Matrix) (*mat.Dense, error) {
	var dst mat.Dense
	if err := r.PredictTo(&dst, X); err != nil {
		return nil, err
	}
	return &dst, nil
}
