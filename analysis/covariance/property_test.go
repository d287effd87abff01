package covariance

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/analysis/connectivity"
)

// permuteColumns returns x with column j taken from column perm[j].
func permuteColumns(x *mat.Dense, perm []int) *mat.Dense {
	t, n := x.Dims()
	y := mat.NewDense(t, n, nil)
	for j, p := range perm {
		for i := 0; i < t; i++ {
			y.Set(i, j, x.At(i, p))
		}
	}
	return y
}

// TestPermutationEquivariance: permuting the neurons (columns of X)
// permutes the N × N result the same way, C'[i][j] = C[p(i)][p(j)], for
// every estimator and kind (the shrinkage targets μI are permutation
// invariant).
func TestPermutationEquivariance(t *testing.T) {
	x := randomTraces(11, 80, 6)
	perm := []int{3, 0, 5, 1, 4, 2}
	y := permuteColumns(x, perm)
	check := func(t *testing.T, a, b *mat.SymDense) {
		t.Helper()
		n := a.SymmetricDim()
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				if d := math.Abs(b.At(i, j) - a.At(perm[i], perm[j])); d > 1e-12 {
					t.Fatalf("C'[%d][%d] = %v, C[%d][%d] = %v", i, j, b.At(i, j), perm[i], perm[j], a.At(perm[i], perm[j]))
				}
			}
		}
	}
	for _, est := range []struct {
		name string
		new  func() Estimator
	}{
		{"Empirical", func() Estimator { return &Empirical{} }},
		{"LedoitWolf", func() Estimator { return &LedoitWolf{} }},
		{"OAS", func() Estimator { return &OAS{} }},
	} {
		for _, kind := range []Kind{KindCovariance, KindCorrelation, KindPartialCorrelation, KindPrecision} {
			t.Run(est.name+"/"+string(kind), func(t *testing.T) {
				var a, b mat.SymDense
				m := Measure{Estimator: est.new(), Kind: kind}
				if err := m.Fit(x); err != nil {
					t.Fatal(err)
				}
				if err := m.MatrixTo(&a); err != nil {
					t.Fatal(err)
				}
				if err := m.Fit(y); err != nil {
					t.Fatal(err)
				}
				if err := m.MatrixTo(&b); err != nil {
					t.Fatal(err)
				}
				check(t, &a, &b)
			})
		}
	}
	t.Run("Tangent", func(t *testing.T) {
		xs := []*mat.Dense{x, randomTraces(12, 60, 6), randomTraces(13, 90, 6)}
		var orig, perm2 Tangent
		a := make([]mat.Matrix, len(xs))
		b := make([]mat.Matrix, len(xs))
		for k, xk := range xs {
			a[k], b[k] = xk, permuteColumns(xk, perm)
		}
		if err := orig.Fit(a); err != nil {
			t.Fatal(err)
		}
		if err := perm2.Fit(b); err != nil {
			t.Fatal(err)
		}
		for k := range xs {
			var ta, tb mat.SymDense
			if err := orig.TangentTo(&ta, k); err != nil {
				t.Fatal(err)
			}
			if err := perm2.TangentTo(&tb, k); err != nil {
				t.Fatal(err)
			}
			check(t, &ta, &tb)
		}
	})
}

// TestCorrelationEqualsPearson: the correlation kind of Empirical is
// connectivity.Pearson (a different code path: transposed copy, unit-norm
// rows), including the NaN row and column of a constant trace.
func TestCorrelationEqualsPearson(t *testing.T) {
	constant := randomTraces(5, 40, 5)
	for i := 0; i < 40; i++ {
		constant.Set(i, 2, 3.5)
	}
	for _, c := range []struct {
		name string
		x    *mat.Dense
	}{
		{"random T=200 N=7", randomTraces(3, 200, 7)},
		{"offset 1e4", func() *mat.Dense {
			x := randomTraces(4, 100, 4)
			for i := 0; i < 100; i++ {
				for j := 0; j < 4; j++ {
					x.Set(i, j, x.At(i, j)+1e4)
				}
			}
			return x
		}()},
		{"constant column", constant},
		{"T=2", randomTraces(6, 2, 3)},
	} {
		t.Run(c.name, func(t *testing.T) {
			want, err := connectivity.Pearson(c.x)
			if err != nil {
				t.Fatal(err)
			}
			m := Measure{Estimator: &Empirical{}, Kind: KindCorrelation}
			if err := m.Fit(c.x); err != nil {
				t.Fatal(err)
			}
			var got mat.SymDense
			if err := m.MatrixTo(&got); err != nil {
				t.Fatal(err)
			}
			requireClose(t, "connectivity.Pearson", &got, rows(want), 1e-12)
		})
	}
}

// TestEmpiricalNaive compares Empirical with the textbook double sum over
// samples (means by plain summation) on traces far from zero.
func TestEmpiricalNaive(t *testing.T) {
	x := randomTraces(9, 150, 5)
	tt, n := x.Dims()
	for _, ddof := range []int{0, 1} {
		want := make([][]float64, n)
		mean := make([]float64, n)
		for j := range mean {
			for i := 0; i < tt; i++ {
				mean[j] += x.At(i, j)
			}
			mean[j] /= float64(tt)
		}
		for a := range want {
			want[a] = make([]float64, n)
			for b := range want[a] {
				for i := 0; i < tt; i++ {
					want[a][b] += (x.At(i, a) - mean[a]) * (x.At(i, b) - mean[b])
				}
				want[a][b] /= float64(tt - ddof)
			}
		}
		e := Empirical{DDOF: ddof}
		if err := e.Fit(x); err != nil {
			t.Fatal(err)
		}
		var s mat.SymDense
		if err := e.CovarianceTo(&s); err != nil {
			t.Fatal(err)
		}
		requireClose(t, "naive covariance", &s, want, 1e-12)
	}
}

// TestShrinkageProperties: λ ∈ [0, 1]; scaling X by c scales Σ by c² and
// leaves λ alone; shifting X changes nothing; the result is (1−λ)S + λμI
// with S the Empirical covariance; N = 1 gives λ = 0 (scikit-learn's
// special case).
func TestShrinkageProperties(t *testing.T) {
	type shrinker interface {
		Estimator
		Shrinkage() (float64, error)
	}
	x := randomTraces(21, 25, 8)
	scaled := mat.DenseCopyOf(x)
	scaled.Apply(func(_, _ int, v float64) float64 { return 3*v + 100 }, scaled)
	for _, est := range []struct {
		name string
		new  func() shrinker
	}{
		{"LedoitWolf", func() shrinker { return &LedoitWolf{} }},
		{"OAS", func() shrinker { return &OAS{} }},
	} {
		t.Run(est.name, func(t *testing.T) {
			a, b := est.new(), est.new()
			if err := a.Fit(x); err != nil {
				t.Fatal(err)
			}
			if err := b.Fit(scaled); err != nil {
				t.Fatal(err)
			}
			la, _ := a.Shrinkage()
			lb, _ := b.Shrinkage()
			if !(la > 0 && la <= 1) {
				t.Errorf("shrinkage %v not in (0, 1] for T=25, N=8", la)
			}
			if math.Abs(la-lb) > 1e-12 {
				t.Errorf("shrinkage %v changed to %v under x → 3x + 100", la, lb)
			}
			var sa, sb mat.SymDense
			_ = a.CovarianceTo(&sa)
			_ = b.CovarianceTo(&sb)
			sa.ScaleSym(9, &sa)
			requireClose(t, "Σ(3x+100) = 9 Σ(x)", &sb, rows(&sa), 1e-10)

			var emp Empirical
			if err := emp.Fit(x); err != nil {
				t.Fatal(err)
			}
			var s mat.SymDense
			_ = emp.CovarianceTo(&s)
			mu := mat.Trace(&s) / 8
			want := rows(&s)
			for i := range want {
				for j := range want[i] {
					want[i][j] *= 1 - la
				}
				want[i][i] += la * mu
			}
			_ = a.CovarianceTo(&sa)
			requireClose(t, "(1−λ)S + λμI", &sa, want, 1e-14)

			one := est.new()
			if err := one.Fit(x.Slice(0, 25, 0, 1)); err != nil {
				t.Fatal(err)
			}
			if l, _ := one.Shrinkage(); l != 0 {
				t.Errorf("N = 1: shrinkage %v, want 0", l)
			}
		})
	}
}

// TestPrecisionInverse: precision times covariance is the identity.
func TestPrecisionInverse(t *testing.T) {
	x := randomTraces(2, 50, 6)
	cov := Measure{Estimator: &OAS{}}
	prec := Measure{Estimator: &OAS{}, Kind: KindPrecision}
	var s, p mat.SymDense
	if err := cov.Fit(x); err != nil {
		t.Fatal(err)
	}
	if err := prec.Fit(x); err != nil {
		t.Fatal(err)
	}
	_ = cov.MatrixTo(&s)
	_ = prec.MatrixTo(&p)
	var id mat.Dense
	id.Mul(&s, &p)
	requireClose(t, "Σ P", &id, rows(mat.NewDiagDense(6, []float64{1, 1, 1, 1, 1, 1})), 1e-12)
}

// TestTangentClosedForm: for commuting (diagonal) covariances the geometric
// mean is the elementwise geometric mean, G_ii = (Π_k a_ki)^(1/K), and the
// tangent vectors are diag(log(a_ki / G_ii)). The covariances come from a
// test Estimator that returns the k-th diagonal on its k-th Fit.
func TestTangentClosedForm(t *testing.T) {
	a := [][]float64{{1, 4, 0.5}, {2, 1, 8}, {4, 2, 2}}
	est := &sequence{values: a, next: new(int)}
	xs := []mat.Matrix{mat.NewDense(2, 3, nil), mat.NewDense(2, 3, nil), mat.NewDense(2, 3, nil)}
	tg := Tangent{Estimator: est}
	if err := tg.Fit(xs); err != nil {
		t.Fatal(err)
	}
	g := []float64{2, 2, 2} // (1·2·4)^(1/3), (4·1·2)^(1/3), (0.5·8·2)^(1/3)
	var mean mat.SymDense
	_ = tg.MeanTo(&mean)
	requireClose(t, "geometric mean", &mean, rows(mat.NewDiagDense(3, g)), 1e-9)
	for k := range a {
		want := make([]float64, 3)
		for i := range want {
			want[i] = math.Log(a[k][i] / g[i])
		}
		var tv mat.SymDense
		_ = tg.TangentTo(&tv, k)
		requireClose(t, "tangent", &tv, rows(mat.NewDiagDense(3, want)), 1e-9)
	}
	// Identical recordings: the mean is their covariance, tangents are 0.
	same := Tangent{Estimator: &sequence{values: [][]float64{{3, 1, 2}}, next: new(int)}}
	if err := same.Fit(xs); err != nil {
		t.Fatal(err)
	}
	_ = same.MeanTo(&mean)
	requireClose(t, "mean of identical", &mean, rows(mat.NewDiagDense(3, []float64{3, 1, 2})), 1e-12)
	var tv mat.SymDense
	_ = same.TangentTo(&tv, 1)
	requireClose(t, "tangent of identical", &tv, rows(mat.NewDense(3, 3, nil)), 1e-12)
}

// sequence is a test Estimator (a type of another package would look the
// same) that ignores X and returns diag(values[k]) on its k-th Fit (k
// modulo len(values)): it drives Tangent with covariances whose geometric
// mean has a closed form. The counter is behind a pointer, so the shallow
// copies Tangent fits share it.
type sequence struct {
	values [][]float64
	next   *int
	cov    *mat.SymDense
}

func (s *sequence) Fit(X mat.Matrix) error {
	v := s.values[*s.next%len(s.values)]
	*s.next++
	s.cov = mat.NewSymDense(len(v), nil)
	for i, x := range v {
		s.cov.SetSym(i, i, x)
	}
	return nil
}

func (s *sequence) CovarianceTo(dst *mat.SymDense) error {
	dst.ReuseAsSym(s.cov.SymmetricDim())
	dst.CopySym(s.cov)
	return nil
}

func (s *sequence) Parameters() map[string]any { return map[string]any{"estimator": "sequence"} }

// TestTangentOneStep: for commuting covariances one iteration from the
// arithmetic mean A already lands on the geometric mean, since
// A^(1/2) expm(mean_k logm(a_k/A)) A^(1/2) = expm(mean_k log a_k); and
// MaxIter and Tol show in Parameters.
func TestTangentOneStep(t *testing.T) {
	a := [][]float64{{1, 4, 0.5}, {2, 1, 8}, {4, 2, 2}}
	tg := Tangent{Estimator: &sequence{values: a, next: new(int)}, MaxIter: 1, Tol: 1e-3}
	xs := []mat.Matrix{mat.NewDense(2, 3, nil), mat.NewDense(2, 3, nil), mat.NewDense(2, 3, nil)}
	if err := tg.Fit(xs); err != nil {
		t.Fatal(err)
	}
	var mean mat.SymDense
	_ = tg.MeanTo(&mean)
	requireClose(t, "geometric mean after one step", &mean, rows(mat.NewDiagDense(3, []float64{2, 2, 2})), 1e-12)
	p := tg.Parameters()
	if p["max_iter"] != 1 || p["tol"] != 1e-3 || p["estimator"] != "sequence" {
		t.Errorf("Parameters = %v", p)
	}
}

// TestNonRawInput: a mat.Matrix that is not a *mat.Dense (read with At)
// gives the same result as the Dense it wraps.
func TestNonRawInput(t *testing.T) {
	x := randomTraces(8, 40, 5)
	wrapped := mat.Transpose{Matrix: mat.Transpose{Matrix: x}}
	for _, mk := range []func() Estimator{
		func() Estimator { return &Empirical{} },
		func() Estimator { return &LedoitWolf{} },
		func() Estimator { return &OAS{} },
	} {
		a, b := mk(), mk()
		if err := a.Fit(x); err != nil {
			t.Fatal(err)
		}
		if err := b.Fit(wrapped); err != nil {
			t.Fatal(err)
		}
		var sa, sb mat.SymDense
		_ = a.CovarianceTo(&sa)
		_ = b.CovarianceTo(&sb)
		requireClose(t, a.Parameters()["estimator"].(string), &sb, rows(&sa), 0)
	}
}
