package reservoir_test

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/fit/readout"
	"github.com/neurotab/neurotab/fit/reservoir"
	"github.com/neurotab/neurotab/fit/tasks"
)

// Build an echo-state network, drive it with a sine, and train a ridge
// readout to output the sine a quarter period later.
func Example() {
	c := reservoir.Config{Units: 50, SpectralRadius: 0.9, InputScaling: 0.5, InputDensity: 1, Seed: 1}
	esn, err := c.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	rho, _ := reservoir.SpectralRadius(esn.W)
	fmt.Printf("ρ(W) = %.6f\n", rho)

	const T, lead = 1200, 5 // period 20 steps; a quarter is 5
	U := mat.NewDense(T, 1, nil)
	Y := mat.NewDense(T, 1, nil)
	for t := range T {
		U.Set(t, 0, math.Sin(2*math.Pi*float64(t)/20))
		Y.Set(t, 0, math.Sin(2*math.Pi*float64(t+lead)/20))
	}
	var X mat.Dense
	if err := reservoir.NewRunner(esn).Run(&X, U); err != nil {
		fmt.Println(err)
		return
	}
	// Discard 200 steps of washout, train on 800, test on 200.
	r := readout.Ridge{Alpha: 1e-6, FitIntercept: true}
	if err := r.Fit(X.Slice(200, 1000, 0, 50), Y.Slice(200, 1000, 0, 1)); err != nil {
		fmt.Println(err)
		return
	}
	var Yhat mat.Dense
	if err := r.PredictTo(&Yhat, X.Slice(1000, T, 0, 50)); err != nil {
		fmt.Println(err)
		return
	}
	e, _ := readout.NRMSE(Y.Slice(1000, T, 0, 1), &Yhat)
	fmt.Printf("test NRMSE < 1e-3: %t\n", e[0] < 1e-3)
	// Output:
	// ρ(W) = 0.900000
	// test NRMSE < 1e-3: true
}

// Balance a sigmoid Dale's-law reservoir unit by unit so that every unit
// with inhibitory inputs fires at a mean rate of 0.4, then freeze it.
func ExampleEIBalance() {
	e, err := reservoir.Config{Units: 100, Activation: reservoir.Sigmoid, Excitatory: 0.8, Balanced: true,
		SpectralRadius: 2, InputScaling: 0.1, InputDensity: 1, Seed: 2}.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	warm := tasks.Memory{Seed: 9, Train: 20000}.Input(100)
	g, err := reservoir.EIBalance{Rate: 0.4}.Fit(e, warm)
	if err != nil {
		fmt.Println(err)
		return
	}
	var X mat.Dense
	if err := reservoir.NewRunner(e).Run(&X, tasks.Memory{Seed: 10}.Input(100)); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("unit 0: inhibitory gain %.2f, mean rate %.2f\n", g[0], mat.Sum(X.ColView(0))/float64(X.RawMatrix().Rows))
	// Output:
	// unit 0: inhibitory gain 1.60, mean rate 0.40
}
