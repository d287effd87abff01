package fc_test

import (
	"fmt"
	"time"

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

// Dynamic FC: windows of 2 s every 1 s over a 4 s recording sampled at
// 1 Hz. b follows a at first and opposes it at the end; in window 2 b is
// constant, so its r is NaN and that window has no rows for the pair.
func ExampleFit_windows() {
	rec := &table.Recording{
		Dataset: "Demo", Worm: "w1",
		Neurons: []string{"a", "b"},
		Time:    []float64{0, 1, 2, 3, 4},
		Data: mat.NewDense(5, 2, []float64{
			0, 0,
			1, 1,
			0, 0,
			1, 0,
			0, 1,
		}),
	}
	res, err := fc.Fit(rec, fc.Config{Window: 2 * time.Second, Step: time.Second})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range res.Windows {
		fmt.Printf("window %d  t %g–%g s  r(a,b) = %.0f\n", w.Window.Index, w.Window.Start, w.Window.End, w.Matrices[0].Value.At(0, 1))
	}
	// Output:
	// window 0  t 0–1 s  r(a,b) = 1
	// window 1  t 1–2 s  r(a,b) = 1
	// window 2  t 2–3 s  r(a,b) = NaN
	// window 3  t 3–4 s  r(a,b) = -1
}
