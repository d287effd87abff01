package readout_test

import (
	"fmt"

	"github.com/neurotab/neurotab/fit/readout"
)

// A three-factor readout tracks a target whose mapping flips midway: the
// prediction error gates the eligibility traces at a constant rate, so the
// weight follows the new mapping without a reset.
func ExampleThreeFactor() {
	tf := &readout.ThreeFactor{Rate: 0.1, Tau: 2}
	x := []float64{1}
	for t := range 400 {
		target := 2.0
		if t >= 200 {
			target = -1
		}
		if err := tf.Update(x, []float64{target}); err != nil {
			panic(err)
		}
		if t == 199 || t == 399 {
			y, _ := tf.PredictVec(nil, x)
			fmt.Printf("step %d: ŷ = %.3f\n", t+1, y[0])
		}
	}
	// Output:
	// step 200: ŷ = 2.000
	// step 400: ŷ = -1.000
}
