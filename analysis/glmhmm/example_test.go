package glmhmm_test

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/analysis/glmhmm"
	"github.com/neurotab/neurotab/analysis/hmm"
	"github.com/neurotab/neurotab/formats/table"
)

// Three neurons at 2 Hz whose means flip by ±1.5 every 60 bins: the fit
// chooses K = 2 by held-out likelihood and recovers the blocks.
func ExampleFit() {
	rng := rand.New(rand.NewPCG(1, 2))
	T := 600
	rec := &table.Recording{Dataset: "Demo", Worm: "w0", Neurons: []string{"AVAL", "AVAR", "ASEL"}, Data: mat.NewDense(T, 3, nil)}
	truth := make([]int, T)
	for t := range T {
		truth[t] = t / 60 % 2
		rec.Time = append(rec.Time, float64(t)/2)
		for n := range 3 {
			m := 1.5
			if (truth[t] == 1) != (n == 2) {
				m = -1.5
			}
			rec.Data.Set(t, n, m+rng.NormFloat64())
		}
	}
	res, err := glmhmm.Fit(rec, glmhmm.Config{MinStates: 2, MaxStates: 3, Restarts: 2, Seed: 1}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, acc, _ := hmm.Align(truth, res.Path, 2)
	weights, _ := res.WeightRows()
	fmt.Println("model:", res.Model)
	fmt.Printf("accuracy: %.2f\n", acc)
	fmt.Println("states rows:", len(res.StateRows()), "glm_weights rows:", len(weights))
	// Output:
	// model: glmhmm-gaussian-K2@Demo/w0
	// accuracy: 1.00
	// states rows: 1800 glm_weights rows: 30
}
