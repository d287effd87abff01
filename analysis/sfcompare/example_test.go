package sfcompare_test

import (
	"fmt"
	"math"

	"github.com/neurotab/neurotab/analysis/sfcompare"
	"github.com/neurotab/neurotab/formats/table"
)

// ExampleMatrices turns the rows of a directed fc table into one |FC|
// matrix: C[A][B] = 0.4 and C[B][A] = −0.8 average to |−0.2| = 0.2.
func ExampleMatrices() {
	nan := math.NaN()
	rows := []table.FCRow{
		{SourceDataset: "d", Worm: "w", Pre: "A", Post: "B", Measure: "granger_f", Value: 0.4, PValue: nan, QValue: nan},
		{SourceDataset: "d", Worm: "w", Pre: "B", Post: "A", Measure: "granger_f", Value: -0.8, PValue: nan, QValue: nan},
	}
	ms, _ := sfcompare.Matrices(rows)
	fmt.Println(ms[0].Neurons, ms[0].C.At(0, 1))
	// Output:
	// [A B] 0.2
}
