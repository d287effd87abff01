package gram

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	// With -tags openblas, the products below run on OpenBLAS.
	_ "github.com/neurotab/neurotab/internal/openblas"
)

// TestScatter compares Scatter with the definition summed naively, for
// shapes that exercise one band, several bands, several row blocks and a
// matrix that is not a *mat.Dense.
func TestScatter(t *testing.T) {
	for _, c := range []struct {
		name string
		t, n int
		t2   bool // wrap in a transpose (not a RawMatrixer)
	}{
		{"one neuron", 50, 1, false},
		{"small", 40, 7, false},
		{"blocks", 1500, 300, false},
		{"wide", 30, 200, false},
		{"not raw", 64, 9, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(3, uint64(c.n)))
			var x mat.Matrix
			d := mat.NewDense(c.t, c.n, nil)
			for i := range c.t {
				for j := range c.n {
					d.Set(i, j, 100+r.NormFloat64()*float64(j+1))
				}
			}
			x = d
			if c.t2 {
				x = mat.DenseCopyOf(d.T()).T()
			}
			g, err := Scatter(x)
			if err != nil {
				t.Fatal(err)
			}
			s, norm4, mean, constant := g.S, g.Norm4, g.Mean, g.Constant
			wantMean, _, err := Means(x)
			if err != nil {
				t.Fatal(err)
			}
			for j := range mean {
				if math.Abs(mean[j]-wantMean[j]) > 1e-13*math.Abs(wantMean[j]) {
					t.Fatalf("mean[%d] = %v, Means gives %v", j, mean[j], wantMean[j])
				}
			}
			for j, k := range constant {
				if k {
					t.Fatalf("column %d reported constant", j)
				}
			}
			var want4 float64
			for tt := range c.t {
				var q float64
				for j := range c.n {
					v := d.At(tt, j) - mean[j]
					q += v * v
				}
				want4 += q * q
			}
			if math.Abs(norm4-want4) > 1e-10*want4 {
				t.Fatalf("norm4 = %v, want %v", norm4, want4)
			}
			for i := range c.n {
				for j := i; j < c.n; j++ {
					var want float64
					for tt := range c.t {
						want += (d.At(tt, i) - mean[i]) * (d.At(tt, j) - mean[j])
					}
					if got := s.At(i, j); math.Abs(got-want) > 1e-9*math.Sqrt(s.At(i, i)*s.At(j, j)) {
						t.Fatalf("S[%d][%d] = %v, want %v", i, j, got, want)
					}
				}
			}
		})
	}
}

func TestMeans(t *testing.T) {
	x := mat.NewDense(3, 3, []float64{1, 0.1, 5, 2, 0.1, 5, 3, 0.1, math.NaN()})
	if _, _, err := Means(x.Slice(0, 2, 0, 3)); err != nil {
		t.Fatal(err)
	}
	mean, constant, err := Means(x.Slice(0, 3, 0, 2))
	if err != nil {
		t.Fatal(err)
	}
	if mean[0] != 2 || mean[1] != 0.1 || constant[0] || !constant[1] {
		t.Fatalf("means %v, constant %v; want [2 0.1], [false true]", mean, constant)
	}
	g, err := Scatter(x.Slice(0, 3, 0, 2))
	if err != nil {
		t.Fatal(err)
	}
	if g.S.At(0, 0) != 2 || g.S.At(1, 1) != 0 || g.S.At(0, 1) != 0 || !g.Constant[1] {
		t.Fatalf("Scatter S = %v, constant %v; want [[2 0] [0 0]], [false true]", mat.Formatted(g.S), g.Constant)
	}
	_, err = Scatter(x)
	var nf *NonFinite
	if !errors.As(err, &nf) || nf.Sample != 2 || nf.Column != 2 {
		t.Fatalf("Scatter err = %v, want NaN at sample 2, column 2", err)
	}
	_, _, err = Means(x)
	if !errors.As(err, &nf) || nf.Sample != 2 || nf.Column != 2 {
		t.Fatalf("err = %v, want NaN at sample 2, column 2", err)
	}
}

func TestBands(t *testing.T) {
	for _, c := range []struct{ n, p int }{{1, 4}, {2, 2}, {10, 3}, {300, 2}, {1000, 8}} {
		b := Bands(c.n, c.p)
		if b[0] != 0 || b[len(b)-1] != c.n || len(b)-1 > c.p {
			t.Fatalf("Bands(%d, %d) = %v", c.n, c.p, b)
		}
		total := float64(c.n) * float64(c.n+1) / 2
		for k := 1; k < len(b); k++ {
			if b[k] <= b[k-1] {
				t.Fatalf("Bands(%d, %d) = %v: empty band", c.n, c.p, b)
			}
			area := 0.0
			for i := b[k-1]; i < b[k]; i++ {
				area += float64(c.n - i)
			}
			if c.n >= 100 && math.Abs(area-total/float64(len(b)-1)) > 0.01*total {
				t.Fatalf("Bands(%d, %d) = %v: band %d holds %v of %v entries", c.n, c.p, b, k, area, total)
			}
		}
	}
}
