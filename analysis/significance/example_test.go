package significance_test

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/connectivity"
	"github.com/neurotab/neurotab/analysis/significance"
)

// Three slow traces, the third a noisy copy of the first: the surrogate test
// finds the one coupled pair, and Benjamini–Hochberg keeps it at FDR 0.05.
func Example() {
	const t = 400
	rng := neurotab.Seed(42).Rand(0)
	x := mat.NewDense(t, 3, nil)
	var a, b float64
	for i := range t {
		a = 0.8*a + rng.NormFloat64()
		b = 0.8*b + rng.NormFloat64()
		x.Set(i, 0, a)
		x.Set(i, 1, b)
		x.Set(i, 2, a+rng.NormFloat64())
	}
	test := significance.Test{Surrogates: 199, Seed: 1}
	pearson := func(x mat.Matrix) (mat.Matrix, error) { return connectivity.Pearson(x) }
	if err := test.Fit(x, pearson); err != nil {
		fmt.Println(err)
		return
	}
	var p mat.Dense
	_ = test.PValuesTo(&p)
	edges := significance.UpperTriangle(&p) // (0,1), (0,2), (1,2)
	reject, _ := significance.Reject(edges, 0.05)
	fmt.Println("p (0,2):", p.At(0, 2), "= 1/(1+S)")
	fmt.Println("p (0,1) above 0.05:", p.At(0, 1) > 0.05 || math.IsNaN(p.At(0, 1)))
	fmt.Println("kept at FDR 0.05:", reject)
	// Output:
	// p (0,2): 0.005 = 1/(1+S)
	// p (0,1) above 0.05: true
	// kept at FDR 0.05: [false true false]
}

// The Benjamini–Hochberg q-values of four p-values (worked by hand in the
// doc of BenjaminiHochberg).
func ExampleBenjaminiHochberg() {
	q, _ := significance.BenjaminiHochberg([]float64{0.01, 0.04, 0.03, 0.5})
	fmt.Printf("%.4f\n", q)
	// Output:
	// [0.0400 0.0533 0.0533 0.5000]
}
