package readout

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/internal/estimatortest"
)

func TestThreeFactorConformance(t *testing.T) {
	X, Y, _, _ := seededData(41, 200, 5, 2, 0.1)
	x := X.RawRowView(0)
	estimatortest.Run(t, estimatortest.Case[*ThreeFactor]{
		Package:  "readout",
		New:      func() *ThreeFactor { return &ThreeFactor{Tau: 3} },
		Defaults: map[string]any{"rate": 0.01, "tau": 3.0, "epochs": 1, "fit_intercept": false},
		Bad: map[string]func(*ThreeFactor){
			"negative Rate":   func(r *ThreeFactor) { r.Rate = -1 },
			"NaN Tau":         func(r *ThreeFactor) { r.Tau = math.NaN() },
			"negative Tau":    func(r *ThreeFactor) { r.Tau = -1 },
			"negative Epochs": func(r *ThreeFactor) { r.Epochs = -1 },
		},
		Fit: func(r *ThreeFactor) error { return r.Fit(X, Y) },
		Batched: func(r *ThreeFactor) error {
			for i := range 200 {
				if err := r.Update(X.RawRowView(i), Y.RawRowView(i)); err != nil {
					return err
				}
			}
			return nil
		},
		Results:  results[*ThreeFactor](x),
		Snapshot: func(r *ThreeFactor) []float64 { return snapshot(r) },
	})
}

// TestThreeFactorRule checks the rule against its equations: without a
// trace it is LMS (Widrow–Hoff, a separate implementation); with τ_e the
// first two steps follow by hand; a zero gate changes no weight.
func TestThreeFactorRule(t *testing.T) {
	X, Y, _, _ := seededData(5, 300, 4, 2, 0.1)
	t.Run("τ=0 is LMS", func(t *testing.T) {
		tf := &ThreeFactor{Rate: 0.05, FitIntercept: true}
		lms := &LMS{Rate: 0.05, FitIntercept: true}
		if err := tf.Fit(X, Y); err != nil {
			t.Fatal(err)
		}
		if err := lms.Fit(X, Y); err != nil {
			t.Fatal(err)
		}
		a, b := snapshot(tf), snapshot(lms)
		for i := range a {
			if math.Abs(a[i]-b[i]) > 1e-12 {
				t.Fatalf("weight %d: %v, LMS %v", i, a[i], b[i])
			}
		}
	})
	t.Run("two steps by hand", func(t *testing.T) {
		tf := &ThreeFactor{Rate: 0.5, Tau: 2}
		lam := math.Exp(-0.5)
		x1, y1, x2, y2 := []float64{1, 2}, []float64{3}, []float64{-1, 1}, []float64{0.5}
		if err := tf.Update(x1, y1); err != nil {
			t.Fatal(err)
		}
		// ε = (1−λ) x1, ŷ = 0, M = 3: W = 0.5·3·(1−λ) x1
		e1 := []float64{(1 - lam) * 1, (1 - lam) * 2}
		w := []float64{1.5 * e1[0], 1.5 * e1[1]}
		if err := tf.Update(x2, y2); err != nil {
			t.Fatal(err)
		}
		m := 0.5 - (w[0]*x2[0] + w[1]*x2[1])
		for i := range w {
			w[i] += 0.5 * m * (lam*e1[i] + (1-lam)*x2[i])
		}
		var got mat.Dense
		if err := tf.WeightsTo(&got); err != nil {
			t.Fatal(err)
		}
		for i := range w {
			if math.Abs(got.At(i, 0)-w[i]) > 1e-14 {
				t.Errorf("W[%d] = %.15g, by hand %.15g", i, got.At(i, 0), w[i])
			}
		}
	})
	t.Run("gate 0", func(t *testing.T) {
		tf := &ThreeFactor{Rate: 0.1, Tau: 5}
		for i := range 50 {
			if err := tf.Update(X.RawRowView(i), Y.RawRowView(i)); err != nil {
				t.Fatal(err)
			}
		}
		before := snapshot(tf)
		for i := 50; i < 80; i++ {
			if err := tf.UpdateGated(X.RawRowView(i), Y.RawRowView(i), 0); err != nil {
				t.Fatal(err)
			}
		}
		after := snapshot(tf)
		for i := range before {
			if before[i] != after[i] {
				t.Fatal("a zero gate changed the weights")
			}
		}
		if err := tf.UpdateGated(X.RawRowView(0), Y.RawRowView(0), math.NaN()); err == nil {
			t.Error("NaN gate accepted")
		}
	})
}
