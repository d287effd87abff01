package pipeline_test

import (
	"fmt"
	"math"
	"os"

	"github.com/neurotab/neurotab/fit/pipeline"
	"github.com/neurotab/neurotab/fit/reservoir"
	"github.com/neurotab/neurotab/formats/table"
	"gonum.org/v1/gonum/mat"
)

// Forecast two neurons tracing a circle (period 20 samples) five samples
// ahead: the autoregression is exact, persistence scores 2 cos(π/2) − 1 = −1.
func ExampleForecast() {
	const T = 165
	X := mat.NewDense(T, 2, nil)
	tm := make([]float64, T)
	for t := range T {
		X.Set(t, 0, math.Cos(2*math.Pi*float64(t)/20))
		X.Set(t, 1, math.Sin(2*math.Pi*float64(t)/20))
		tm[t] = float64(t)
	}
	rec := &table.Recording{Dataset: "toy", Worm: "w1", Neurons: []string{"A", "B"}, Time: tm, Data: X}
	f := pipeline.Forecast{Horizon: 5, TrainFraction: 100.0 / T, Washout: 10, Reservoir: reservoir.Config{Units: 50, Seed: 1}, Ridge: 1e-6}
	res, err := f.Fit(rec)
	if err != nil {
		panic(err)
	}
	for _, m := range []string{pipeline.Persistence, pipeline.Autoregressive} {
		fmt.Printf("%s test R² %.6f\n", m, res.Method(m).Score(pipeline.Test, pipeline.MetricR2))
	}
	// Output:
	// persistence test R² -1.000000
	// autoregressive test R² 1.000000
}

// Predict a held-out neuron, m = 2c − s, from the two others at the same
// sample, save the trained model and apply it again.
func ExampleModel() {
	const T = 200
	X := mat.NewDense(T, 3, nil)
	tm := make([]float64, T)
	for t := range T {
		c, s := math.Cos(2*math.Pi*float64(t)/20), math.Sin(2*math.Pi*float64(t)/20)
		X.SetRow(t, []float64{c, s, 2*c - s})
		tm[t] = float64(t)
	}
	rec := &table.Recording{Dataset: "toy", Worm: "w1", Neurons: []string{"c", "s", "m"}, Time: tm, Data: X}
	f := pipeline.Forecast{Task: pipeline.TaskHeldout, Heldout: []string{"m"}, Washout: 10, Reservoir: reservoir.Config{Units: 30, Seed: 1}, Ridge: 1e-6}
	res, err := f.Fit(rec)
	if err != nil {
		panic(err)
	}
	fmt.Printf("inputs %v, target %v: autoregressive test R² %.6f\n", res.Inputs, res.Neurons, res.Method(pipeline.Autoregressive).Score(pipeline.Test, pipeline.MetricR2))
	dir, _ := os.MkdirTemp("", "model")
	defer os.RemoveAll(dir)
	if err := res.Model.Save(dir); err != nil {
		panic(err)
	}
	m, err := pipeline.LoadModel(dir)
	if err != nil {
		panic(err)
	}
	again, err := m.Apply(rec)
	if err != nil {
		panic(err)
	}
	fmt.Println("same reservoir predictions:", mat.Equal(res.Methods[0].Predicted[1], again.Methods[0].Predicted[1]))
	// Output:
	// inputs [c s], target [m]: autoregressive test R² 1.000000
	// same reservoir predictions: true
}
