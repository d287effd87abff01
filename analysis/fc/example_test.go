package fc_test

import (
	"fmt"
	"io"
	"math"
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

// recordings is a Source over a slice (a traces table read with
// table.OpenRecordings is the usual one).
type recordings struct{ recs []*table.Recording }

func (s *recordings) Next() (*table.Recording, error) {
	if len(s.recs) == 0 {
		return nil, io.EOF
	}
	r := s.recs[0]
	s.recs = s.recs[1:]
	return r, nil
}

// The tangent kind compares recordings. Two recordings of a and b, both of
// unit variance, correlated with r = 0.6 in w1 and 0 in w2: their
// covariances share eigenvectors, so the geometric mean G has eigenvalues
// sqrt((1 ± 0.6)(1 ± 0)) and the tangent vectors' off-diagonal entry is
// ±(ln 1.6 − ln 0.4)/4 = ±ln(4)/4 = ±0.347: w1 couples a and b more than
// the group's reference point, w2 less.
func ExampleRunTangent() {
	a := []float64{1, -1, 1, -1}
	c := []float64{1, -1, -1, 1} // orthogonal to a, unit variance
	rec := func(worm string, r float64) *table.Recording {
		x := mat.NewDense(4, 2, nil)
		for t := range 4 {
			x.Set(t, 0, a[t])
			x.Set(t, 1, r*a[t]+math.Sqrt(1-r*r)*c[t])
		}
		return &table.Recording{Dataset: "Demo", Worm: worm, Neurons: []string{"a", "b"}, Time: []float64{0, 1, 2, 3}, Data: x}
	}
	open := func() (fc.Source, error) {
		return &recordings{[]*table.Recording{rec("w1", 0.6), rec("w2", 0)}}, nil
	}
	_, err := fc.RunTangent(open, fc.Config{Kind: fc.KindTangent}, func(res *fc.Result) error {
		m := res.Matrices[0]
		fmt.Printf("%s %s T[a][b] = %.3f\n", res.Window.Worm, m.Measure, m.Value.At(0, 1))
		return nil
	})
	if err != nil {
		fmt.Println(err)
	}
	fmt.Printf("ln(4)/4 = %.3f\n", math.Log(4)/4)
	// Output:
	// w1 tangent T[a][b] = 0.347
	// w2 tangent T[a][b] = -0.347
	// ln(4)/4 = 0.347
}
