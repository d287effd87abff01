package fc_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/analysis/fc"
	"github.com/neurotab/neurotab/formats/table"
)

// Pearson correlations of three traces: b = 2a is perfectly correlated
// with a, c = 5 − a anti-correlated, and d is constant, so it has no rows.
func ExampleFit() {
	rec := &table.Recording{
		Dataset: "Demo", Worm: "w1",
		Neurons: []string{"a", "b", "c", "d"},
		Time:    []float64{0, 0.5, 1, 1.5},
		Data: mat.NewDense(4, 4, []float64{
			1, 2, 4, 7,
			2, 4, 3, 7,
			3, 6, 2, 7,
			4, 8, 1, 7,
		}),
	}
	res, err := fc.Fit(rec, fc.Config{Kind: fc.KindCorrelation})
	if err != nil {
		fmt.Println(err)
		return
	}
	rb := table.NewRowBuilder(nil, table.FC)
	defer rb.Release()
	n, _ := res.AppendRows(rb)
	m := res.Matrices[0]
	fmt.Println(m.Measure, n, "rows; constant:", res.Constant)
	fmt.Printf("a-b %.0f  a-c %.0f  b-c %.0f\n", m.Value.At(0, 1), m.Value.At(0, 2), m.Value.At(1, 2))
	// Output:
	// correlation 6 rows; constant: [d]
	// a-b 1  a-c -1  b-c -1
}
