package connectivity

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

func TestPearsonClosedForm(t *testing.T) {
	x := []float64{0.3, -1.2, 2.5, 0.7, 4.1, -0.6, 1.9}
	affine := func(a, b float64) []float64 {
		y := make([]float64, len(x))
		for i, v := range x {
			y[i] = a*v + b
		}
		return y
	}
	nan := math.NaN()
	for _, c := range []struct {
		name string
		x    *mat.Dense
		want [][]float64 // by hand: r is ±1 for an exact affine relation, 0 for orthogonal centred traces
	}{
		{"x and 2x+1", cols(x, affine(2, 1)), [][]float64{{1, 1}, {1, 1}}},
		{"x and -x", cols(x, affine(-1, 0)), [][]float64{{1, -1}, {-1, 1}}},
		{"x and -0.001x+1e6", cols(x, affine(-0.001, 1e6)), [][]float64{{1, -1}, {-1, 1}}},
		// (1,-1,1,-1) and (1,1,-1,-1) are centred and orthogonal: r = 0.
		{"orthogonal", cols([]float64{1, -1, 1, -1}, []float64{1, 1, -1, -1}), [][]float64{{1, 0}, {0, 1}}},
		// Two samples: any two non-constant traces are ±1.
		{"two samples", cols([]float64{0, 1}, []float64{5, 3}), [][]float64{{1, -1}, {-1, 1}}},
		{"one neuron", cols(x), [][]float64{{1}}},
		{"constant trace", cols(x, affine(0, 3), affine(2, 1)), [][]float64{{1, nan, 1}, {nan, nan, nan}, {1, nan, 1}}},
		{"all constant", cols([]float64{2, 2, 2}, []float64{0, 0, 0}), [][]float64{{nan, nan}, {nan, nan}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Pearson(c.x)
			if err != nil {
				t.Fatal(err)
			}
			matrixNear(t, "r", got, c.want, 1e-12)
		})
	}
}

func TestPearsonErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		x    mat.Matrix
		want error
	}{
		{"one sample", mat.NewDense(1, 3, []float64{1, 2, 3}), neurotab.ErrShape},
		{"no neurons", noColumns(10), neurotab.ErrShape},
		{"NaN", cols([]float64{1, 2, 3}, []float64{1, math.NaN(), 3}), neurotab.ErrNotFinite},
		{"+Inf", cols([]float64{1, 2, math.Inf(1)}), neurotab.ErrNotFinite},
		{"-Inf", cols([]float64{math.Inf(-1), 2, 3}), neurotab.ErrNotFinite},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := Pearson(c.x)
			if !errors.Is(err, c.want) || r != nil {
				t.Fatalf("got %v, %v; want nil, %v", r, err, c.want)
			}
		})
	}
	// The error names the sample and the column.
	_, err := Pearson(cols([]float64{1, 2, 3}, []float64{1, math.NaN(), 3}))
	var nf *NonFiniteError
	if !errors.As(err, &nf) || nf.Sample != 1 || nf.Column != 1 || !math.IsNaN(nf.Value) {
		t.Fatalf("err = %#v, want sample 1 column 1", err)
	}
}

// randomTraces returns a seeded T × N matrix whose columns share a common
// signal (so correlations are far from 0), with per-column offsets and
// scales.
func randomTraces(seed uint64, t, n int) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := mat.NewDense(t, n, nil)
	common := make([]float64, t)
	for s := range common {
		common[s] = rng.NormFloat64()
	}
	for j := 0; j < n; j++ {
		w := rng.Float64()*2 - 1
		scale := math.Exp(rng.NormFloat64())
		off := rng.NormFloat64() * 10
		for s := 0; s < t; s++ {
			x.Set(s, j, off+scale*(w*common[s]+rng.NormFloat64()))
		}
	}
	return x
}

func TestPearsonProperties(t *testing.T) {
	const T, N = 300, 9
	x := randomTraces(7, T, N)
	r, err := Pearson(x)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("matches a naive loop", func(t *testing.T) {
		// A different algorithm: the definition, pair by pair, with
		// two-pass means and no BLAS.
		col := func(j int) []float64 { return mat.Col(nil, j, x) }
		for i := 0; i < N; i++ {
			for j := 0; j < N; j++ {
				want := naivePearson(col(i), col(j))
				if g := r.At(i, j); !same(g, want, 1e-12) {
					t.Fatalf("r[%d][%d] = %.15g, naive %.15g", i, j, g, want)
				}
			}
		}
	})

	t.Run("permuting neurons permutes the matrix", func(t *testing.T) {
		perm := rand.New(rand.NewPCG(3, 4)).Perm(N)
		xp := mat.NewDense(T, N, nil)
		for j, p := range perm {
			xp.SetCol(j, mat.Col(nil, p, x))
		}
		rp, err := Pearson(xp)
		if err != nil {
			t.Fatal(err)
		}
		for i, pi := range perm {
			for j, pj := range perm {
				if g, w := rp.At(i, j), r.At(pi, pj); !same(g, w, 1e-14) {
					t.Fatalf("permuted r[%d][%d] = %v, want r[%d][%d] = %v", i, j, g, pi, pj, w)
				}
			}
		}
	})

	t.Run("affine maps keep |r|", func(t *testing.T) {
		xa := mat.DenseCopyOf(x)
		signs := make([]float64, N)
		for j := 0; j < N; j++ {
			signs[j] = float64(1 - 2*(j%2))
			a, b := signs[j]*float64(j+1)*3.7, float64(j)*-1e3
			for s := 0; s < T; s++ {
				xa.Set(s, j, a*x.At(s, j)+b)
			}
		}
		ra, err := Pearson(xa)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < N; i++ {
			for j := 0; j < N; j++ {
				if g, w := ra.At(i, j), signs[i]*signs[j]*r.At(i, j); !same(g, w, 1e-11) {
					t.Fatalf("r[%d][%d] = %v after affine maps, want %v", i, j, g, w)
				}
			}
		}
	})

	t.Run("input untouched", func(t *testing.T) {
		y := randomTraces(7, T, N)
		if !mat.Equal(x, y) {
			t.Fatal("Pearson modified its input")
		}
	})
}

func naivePearson(a, b []float64) float64 {
	n := float64(len(a))
	var ma, mb float64
	for i := range a {
		ma += a[i]
		mb += b[i]
	}
	ma /= n
	mb /= n
	var sab, saa, sbb float64
	for i := range a {
		sab += (a[i] - ma) * (b[i] - mb)
		saa += (a[i] - ma) * (a[i] - ma)
		sbb += (b[i] - mb) * (b[i] - mb)
	}
	return sab / math.Sqrt(saa*sbb)
}

// noColumns is a T × 0 matrix (mat.Dense cannot be one).
type noColumns int

func (m noColumns) Dims() (int, int)    { return int(m), 0 }
func (m noColumns) At(_, _ int) float64 { panic("noColumns has no elements") }
func (m noColumns) T() mat.Matrix       { return mat.Transpose{Matrix: m} }
