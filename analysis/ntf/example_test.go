package ntf_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/analysis/ntf"
)

// A 6 windows × 2 recordings × 4 pairs tensor made of two components — an
// early one on pairs 0 and 1, a late one on pairs 2 and 3 — is recovered
// by a rank-2 fit: the factor match score against the planted model is 1
// and the core consistency 100.
func ExampleCP() {
	time := [][]float64{{1, 0.8, 0.5, 0.2, 0.1, 0}, {0, 0.1, 0.3, 0.6, 0.9, 1}}
	rec := [][]float64{{1, 0.5}, {0.4, 1}}
	pairs := [][]float64{{1, 1, 0, 0}, {0, 0, 1, 0.5}}
	x := ntf.NewTensor(6, 2, 4, nil)
	A, B, C := mat.NewDense(6, 2, nil), mat.NewDense(2, 2, nil), mat.NewDense(4, 2, nil)
	for r := range 2 {
		A.SetCol(r, time[r])
		B.SetCol(r, rec[r])
		C.SetCol(r, pairs[r])
		for i := range 6 {
			for j := range 2 {
				for k := range 4 {
					x.Set(i, j, k, x.At(i, j, k)+time[r][i]*rec[r][j]*pairs[r][k])
				}
			}
		}
	}
	cp := ntf.CP{Rank: 2, Restarts: 3, Seed: 1}
	if err := cp.Fit(x); err != nil {
		fmt.Println(err)
		return
	}
	m, _ := cp.Model()
	planted := &ntf.Model{Weights: []float64{1, 1}, Factors: [3]*mat.Dense{A, B, C}}
	for n, F := range planted.Factors { // unit columns, norms into the weights
		for r := range 2 {
			norm := mat.Norm(F.ColView(r), 2)
			planted.Weights[r] *= norm
			col := mat.Col(nil, r, F)
			for i := range col {
				col[i] /= norm
			}
			planted.Factors[n].SetCol(r, col)
		}
	}
	fms, _ := ntf.FMS(planted, m)
	cc, _ := cp.CoreConsistency()
	rel, _ := cp.RelativeErrors()
	fmt.Printf("FMS %.3f, core consistency %.1f, relative error below 1e-4: %v\n", fms, cc, rel[0] < 1e-4)
	// Output:
	// FMS 1.000, core consistency 100.0, relative error below 1e-4: true
}
