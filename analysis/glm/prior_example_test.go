package glm_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/analysis/glm"
)

// A connectome-informed one-hot prior: neuron 1 excites neuron 0 and
// neuron 0 inhibits neuron 1 (W[post][pre] orientation), strength 3:
// p(exc) = e³/(2 + e³) = 0.909.
func ExampleOneHotPriorFromSigns() {
	signs := mat.NewDense(2, 2, []float64{0, 1, -1, 0})
	prior, err := glm.OneHotPriorFromSigns(4, signs, 3, 0, true)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, none, exc := prior.Prior()
	fmt.Printf("types:\n%v\n", mat.Formatted(prior.Types()))
	fmt.Printf("p(exc 1→0) = %.3f, p(none 1→0) = %.3f\n", exc.At(0, 1), none.At(0, 1))
	obs, err := glm.NewGLM(glm.GLMOptions{K: 4, N: 2, Family: glm.Poisson, Link: glm.Sigmoid, Basis: []float64{1}, Prior: prior})
	fmt.Println(obs.Prior.Name(), err)
	// Output:
	// types:
	// ⎡ 0   1⎤
	// ⎣-1   0⎦
	// p(exc 1→0) = 0.909, p(none 1→0) = 0.045
	// onehot <nil>
}
