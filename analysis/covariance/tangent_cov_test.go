package covariance

import (
	"errors"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// TestFitCovariances checks that a Tangent fitted to covariances gives the
// tangent vectors and mean of one fitted to the traces they came from, and
// its shape errors.
func TestFitCovariances(t *testing.T) {
	xs := []mat.Matrix{randomTraces(1, 200, 5), randomTraces(2, 300, 5), randomTraces(3, 250, 5)}
	var direct Tangent
	if err := direct.Fit(xs); err != nil {
		t.Fatal(err)
	}
	covs := make([]mat.Symmetric, len(xs))
	for k, x := range xs {
		var lw LedoitWolf // Tangent's default estimator
		if err := lw.Fit(x); err != nil {
			t.Fatal(err)
		}
		var s mat.SymDense
		if err := lw.CovarianceTo(&s); err != nil {
			t.Fatal(err)
		}
		covs[k] = &s
	}
	var fromCov Tangent
	if err := fromCov.FitCovariances(covs); err != nil {
		t.Fatal(err)
	}
	for k := range xs {
		var a, b mat.SymDense
		if err := direct.TangentTo(&a, k); err != nil {
			t.Fatal(err)
		}
		if err := fromCov.TangentTo(&b, k); err != nil {
			t.Fatal(err)
		}
		if !mat.EqualApprox(&a, &b, 1e-12) {
			t.Fatalf("tangent %d differs:\n%v\n%v", k, mat.Formatted(&a), mat.Formatted(&b))
		}
	}
	for _, c := range []struct {
		name string
		covs []mat.Symmetric
		want error
	}{
		{"none", nil, neurotab.ErrShape},
		{"sizes", []mat.Symmetric{covs[0], mat.NewSymDense(2, []float64{1, 0, 0, 1})}, neurotab.ErrShape},
		{"singular", []mat.Symmetric{covs[0], mat.NewSymDense(5, nil)}, neurotab.ErrSingular},
	} {
		t.Run(c.name, func(t *testing.T) {
			var e Tangent
			if err := e.FitCovariances(c.covs); !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}
