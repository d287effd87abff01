package glm_test

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/analysis/glm"
)

// Example fits a γ-weighted Poisson GLM of one neuron's counts on its own
// exponentially filtered spike history: the M-step of one HMM-GLM state.
func Example() {
	counts := []float64{0, 1, 0, 2, 1, 0, 0, 3, 1, 0, 1, 0, 0, 2, 0, 1, 1, 0, 0, 1}
	T := len(counts)
	Y := mat.NewDense(T, 1, counts)
	basis, err := glm.ExpBasis(1, 3, 1) // decay 1/s, 3 lags of 1 s
	if err != nil {
		panic(err)
	}
	var hist mat.Dense
	if err := glm.History(&hist, Y, basis); err != nil {
		panic(err)
	}
	gamma := make([]float64, T) // posteriors of the state
	for t := range gamma {
		gamma[t] = 0.5 + 0.4*math.Cos(0.5*float64(t))
	}
	r := glm.Regression{Intercept: true, L2: 0.1}
	if err := r.Fit(&hist, counts, gamma); err != nil {
		panic(err)
	}
	var beta mat.VecDense
	_ = r.CoefTo(&beta)
	ll, _ := r.LogLikelihood()
	fmt.Printf("basis %.4f\n", basis)
	fmt.Printf("intercept %.4f, history weight %.4f, weighted log likelihood %.4f\n", beta.AtVec(0), beta.AtVec(1), ll)
	// Output:
	// basis [0.6652 0.2447 0.0900]
	// intercept -0.0499, history weight -0.8164, weighted log likelihood -9.9324
}
