package directed_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/directed"
)

// drive returns T samples of two neurons: x0 an AR(1) process, x1 driven
// by x0's previous sample plus independent Gaussian noise.
func drive(T int) *mat.Dense {
	rng := neurotab.Seed(7).Rand(0)
	x := mat.NewDense(T, 2, nil)
	for t := 1; t < T; t++ {
		x.Set(t, 0, 0.5*x.At(t-1, 0)+rng.NormFloat64())
		x.Set(t, 1, 0.8*x.At(t-1, 0)+0.5*rng.NormFloat64())
	}
	return x
}

// Granger tests every ordered pair; C[source][target], NaN diagonal.
func ExampleGranger() {
	g := directed.Granger{Lag: 2}
	if err := g.Fit(drive(300)); err != nil {
		fmt.Println(err)
		return
	}
	var p mat.Dense
	if err := g.PValueTo(&p); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("p(0→1) < 1e-6: %v\n", p.At(0, 1) < 1e-6)
	fmt.Printf("p(1→0) > 0.01: %v\n", p.At(1, 0) > 0.01)
	fmt.Printf("diagonal: %v\n", p.At(0, 0))
	// Output:
	// p(0→1) < 1e-6: true
	// p(1→0) > 0.01: true
	// diagonal: NaN
}

// GrangerPair is statsmodels' grangercausalitytests for one pair and lag.
func ExampleGrangerPair() {
	x := drive(300)
	r, err := directed.GrangerPair(mat.Col(nil, 0, x), mat.Col(nil, 1, x), 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("F(%d, %d) > 100: %v\n", r.Lag, r.DF, r.F > 100)
	// Output:
	// F(1, 296) > 100: true
}

// GaussianTE gives transfer entropy in nats, ½ ln of Granger's ssr ratio.
func ExampleGaussianTE() {
	e := directed.GaussianTE{Lag: 1}
	if err := e.Fit(drive(300)); err != nil {
		fmt.Println(err)
		return
	}
	var te mat.Dense
	if err := e.MatrixTo(&te); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("TE(0→1) > TE(1→0): %v\n", te.At(0, 1) > te.At(1, 0))
	// Output:
	// TE(0→1) > TE(1→0): true
}

// TransferEntropy follows rinform: the first series is the source.
func ExampleTransferEntropy() {
	xs := []int{0, 0, 1, 1, 1, 1, 0, 0, 0}
	ys := []int{0, 1, 1, 1, 1, 0, 0, 0, 1}
	for _, k := range []int{1, 2} {
		te, err := directed.TransferEntropy(ys, xs, k)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("TE(ys→xs, k=%d) = %.7f bits\n", k, te)
	}
	te, _ := directed.TransferEntropy(xs, ys, 1)
	fmt.Printf("TE(xs→ys, k=1) = %.7f bits\n", te)
	// Output:
	// TE(ys→xs, k=1) = 0.8112781 bits
	// TE(ys→xs, k=2) = 0.6792696 bits
	// TE(xs→ys, k=1) = 0.2169172 bits
}
