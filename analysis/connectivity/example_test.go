package connectivity_test

import (
	"errors"
	"fmt"
	"math"

	"github.com/neurotab/neurotab/analysis/connectivity"
	"github.com/neurotab/neurotab/formats/table"
	"gonum.org/v1/gonum/mat"
)

// exampleRecording is 60 samples of three neurons: AVAR follows AVAL two
// samples later, SMDVL is AVAL upside down plus a slow drift.
func exampleRecording() *table.Recording {
	const T = 60
	rec := &table.Recording{
		Dataset: "Example", Worm: "worm1",
		Neurons: []string{"AVAL", "AVAR", "SMDVL"},
		Time:    make([]float64, T),
		Data:    mat.NewDense(T, 3, nil),
	}
	aval := func(s int) float64 { return math.Sin(0.3*float64(s)) + 0.3*math.Cos(1.7*float64(s)) }
	for s := 0; s < T; s++ {
		rec.Time[s] = 0.333 * float64(s)
		rec.Data.Set(s, 0, aval(s))
		rec.Data.Set(s, 1, aval(s-2))
		rec.Data.Set(s, 2, -aval(s)+0.02*float64(s))
	}
	return rec
}

// Fit an estimator to a recording and write its fc-table rows.
func Example() {
	rec := exampleRecording()
	est := connectivity.Estimator{Measure: connectivity.MeasureLagged, MaxLag: 4}
	if err := est.FitRecording(rec); err != nil {
		fmt.Println(err)
		return
	}
	var r mat.SymDense
	var peakLag, r0 mat.Dense
	if err := est.MatrixTo(&r); err != nil {
		fmt.Println(err)
		return
	}
	_ = est.PeakLagTo(&peakLag) // fitted with MeasureLagged: no error
	_ = est.LagTo(&r0, 0)
	fmt.Printf("peak r AVAL→AVAR %.3f at lag %v samples (%.3f s)\n",
		r.At(0, 1), peakLag.At(0, 1), peakLag.At(0, 1)*table.MedianDt(rec.Time))
	fmt.Printf("r(AVAL, AVAR) at lag 0: %.3f\n", r0.At(0, 1))

	rb := table.NewRowBuilder(nil, table.FC)
	defer rb.Release()
	n, err := est.AppendFC(rb, connectivity.RecordingWindow(rec), rec.Neurons)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n, "fc rows; provenance", est.Parameters())
	// Output:
	// peak r AVAL→AVAR 1.000 at lag 2 samples (0.666 s)
	// r(AVAL, AVAR) at lag 0: 0.665
	// 12 fc rows; provenance map[max_lag:4 measure:lagged_pearson]
}

func ExamplePearson() {
	// Columns: x, 2x+1, −x, and a trace uncorrelated with x.
	x := mat.NewDense(4, 4, []float64{
		1, 3, -1, 1,
		2, 5, -2, -1,
		3, 7, -3, -1,
		4, 9, -4, 1,
	})
	r, err := connectivity.Pearson(x)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.2f\n", mat.Formatted(r))
	// Output:
	// ⎡ 1.00   1.00  -1.00   0.00⎤
	// ⎢ 1.00   1.00  -1.00   0.00⎥
	// ⎢-1.00  -1.00   1.00   0.00⎥
	// ⎣ 0.00   0.00   0.00   1.00⎦
}

func ExamplePartialCorrelation() {
	rec := exampleRecording()
	r, _ := connectivity.Pearson(rec.Data)
	rho, err := connectivity.PartialCorrelation(rec.Data, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	shrunk, _ := connectivity.PartialCorrelation(rec.Data, 1)
	fmt.Printf("AVAL–SMDVL: r %.3f, partial %.3f, partial with ridge 1 %.3f\n", r.At(0, 2), rho.At(0, 2), shrunk.At(0, 2))

	// A trace that is a linear function of another makes Σ singular;
	// the error names the pair, and a ridge removes it.
	x := mat.NewDense(4, 2, []float64{1, 3, 2, 5, 3, 7, 5, 11})
	_, err = connectivity.PartialCorrelation(x, 0)
	var se *connectivity.SingularError
	fmt.Println(errors.As(err, &se), se.Pair)
	_, err = connectivity.PartialCorrelation(x, 0.1)
	fmt.Println(err)
	// Output:
	// AVAL–SMDVL: r -0.923, partial -0.879, partial with ridge 1 -0.403
	// true [0 1]
	// <nil>
}
