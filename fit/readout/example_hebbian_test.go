package readout_test

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/fit/readout"
)

// Oja's rule finds the top eigenvector of the inputs' second moment: the
// four inputs ±(2, 1), ±(1, 2) have C = [[2.5, 2], [2, 2.5]], whose top
// eigenvector is (1, 1)/√2 (eigenvalue 4.5).
func ExampleHebbian() {
	X := mat.NewDense(4, 2, []float64{2, 1, 1, 2, -2, -1, -1, -2})
	h := readout.Hebbian{Rule: readout.Oja, Rate: 0.05, Decay: 0.1, Epochs: 2000, Seed: 1}
	if err := h.Fit(X); err != nil {
		fmt.Println(err)
		return
	}
	var w mat.Dense
	if err := h.WeightsTo(&w); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("|w| = (%.4f, %.4f), 1/√2 = %.4f\n", math.Abs(w.At(0, 0)), math.Abs(w.At(1, 0)), 1/math.Sqrt2)
	// Output:
	// |w| = (0.7071, 0.7071), 1/√2 = 0.7071
}

// LMS learns y = 2x₁ − x₂ + 1 online from noiseless samples.
func ExampleLMS() {
	X := mat.NewDense(4, 2, []float64{0, 0, 1, 0, 0, 1, 1, 1})
	Y := mat.NewDense(4, 1, []float64{1, 3, 0, 2})
	l := readout.LMS{Rate: 0.2, Epochs: 500, FitIntercept: true}
	if err := l.Fit(X, Y); err != nil {
		fmt.Println(err)
		return
	}
	var w mat.Dense
	var b mat.VecDense
	if err := l.WeightsTo(&w); err != nil {
		fmt.Println(err)
		return
	}
	if err := l.InterceptTo(&b); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("W = [%.4f %.4f], b = %.4f\n", w.At(0, 0), w.At(1, 0), b.AtVec(0))
	// Output:
	// W = [2.0000 -1.0000], b = 1.0000
}

// A classifier reads the class of each sequence from its mean state.
func ExampleClassifier() {
	seq := func(a, b float64) mat.Matrix { return mat.NewDense(3, 2, []float64{a, b, a + 0.1, b, a, b + 0.1}) }
	train := []mat.Matrix{seq(1, 0), seq(0.9, 0.1), seq(0, 1), seq(0.1, 0.8)}
	c := readout.Classifier{Alpha: 1e-3, FitIntercept: true, Pool: readout.PoolMean}
	if err := c.Fit(train, []int{0, 0, 1, 1}); err != nil {
		fmt.Println(err)
		return
	}
	classes, err := c.ClassesTo(nil, []mat.Matrix{seq(0.2, 0.9), seq(1.1, 0.2)})
	fmt.Println(classes, err)
	// Output:
	// [1 0] <nil>
}
