package hmm_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/analysis/hmm"
)

// ExampleForwardBackward runs inference on two states and four steps.
// The numbers agree with numpy/scipy log-space recursions (log Z =
// −3.672963780904119, γ_3(1) = 0.9236465133920656); the Viterbi
// log-probability is log ½ − 0.1 + log 0.9 − 0.2 + log 0.1 − 0.1 + log 0.9 − 0.3.
func ExampleForwardBackward() {
	logLik := mat.NewDense(4, 2, []float64{
		-0.1, -3,
		-0.2, -2.5,
		-3, -0.1,
		-2.8, -0.3,
	})
	pi := []float64{0.5, 0.5}
	A := mat.NewDense(2, 2, []float64{0.9, 0.1, 0.1, 0.9})
	post, err := hmm.ForwardBackward(logLik, pi, A)
	if err != nil {
		fmt.Println(err)
		return
	}
	path, lp, _ := hmm.Viterbi(logLik, pi, A)
	fmt.Printf("log Z = %.4f\n", post.LogZ)
	fmt.Printf("p(z_3 = 1 | x) = %.4f\n", post.Gamma.At(2, 1))
	fmt.Printf("Viterbi %v, log p = %.4f\n", path, lp)
	// Output:
	// log Z = -3.6730
	// p(z_3 = 1 | x) = 0.9236
	// Viterbi [0 0 1 1], log p = -3.9065
}

// ExampleEM fits a 2-state Poisson HMM to one neuron's counts.
func ExampleEM() {
	counts := []float64{0, 1, 0, 0, 1, 0, 6, 5, 7, 4, 6, 5, 0, 0, 1, 0, 0, 1, 5, 6, 4, 7, 5, 6}
	x := mat.NewDense(len(counts), 1, counts)
	obs, _ := hmm.NewPoisson(2, 1)
	tr, _ := hmm.NewTransitions(2, 0.9)
	m := &hmm.Model{Initial: &hmm.Initial{Pi: []float64{0.5, 0.5}}, Transitions: tr, Observations: obs}
	res, err := hmm.EM{Restarts: 3, Seed: 1}.Fit(m, []mat.Matrix{x})
	if err != nil {
		fmt.Println(err)
		return
	}
	path, _, _ := res.Model.Viterbi(x)
	fmt.Println(path)
	// Output:
	// [0 0 0 0 0 0 1 1 1 1 1 1 0 0 0 0 0 0 1 1 1 1 1 1]
}
