package openblas

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// BenchmarkDgemm reports GFLOP/s (2n³ floating-point operations per
// product) of a dense n × n product C = A·B with n = 2000, through
// gonum's mat (blas64.Gemm): gonum's pure-Go BLAS by default, OpenBLAS
// with -tags openblas.
func BenchmarkDgemm(b *testing.B) {
	const n = 2000
	r := rand.New(rand.NewPCG(1, 2))
	fill := func() *mat.Dense {
		d := make([]float64, n*n)
		for i := range d {
			d[i] = r.NormFloat64()
		}
		return mat.NewDense(n, n, d)
	}
	a, c := fill(), fill()
	var dst mat.Dense
	dst.Mul(a, c) // allocate dst
	b.ResetTimer()
	for b.Loop() {
		dst.Mul(a, c)
	}
	s := b.Elapsed().Seconds()
	b.ReportMetric(s/float64(b.N), "s/product")
	b.ReportMetric(2*n*n*n*float64(b.N)/s/1e9, "GFLOP/s")
}

// TestEnabled checks that the tag and the BLAS in use agree: a product
// through blas64 gives the same result either way, and Enabled says which.
func TestEnabled(t *testing.T) {
	a := mat.NewDense(2, 2, []float64{1, 2, 3, 4})
	var c mat.Dense
	c.Mul(a, a)
	want := []float64{7, 10, 15, 22}
	for i, v := range c.RawMatrix().Data {
		if v != want[i] {
			t.Fatalf("A·A = %v, want %v (openblas enabled: %v)", c.RawMatrix().Data, want, Enabled)
		}
	}
	t.Logf("openblas enabled: %v", Enabled)
}
