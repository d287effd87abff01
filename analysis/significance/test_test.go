package significance

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/estimatortest"
)

func TestConformance(t *testing.T) {
	x := ar1(1, 64, 3, 0.5)
	estimatortest.Run(t, estimatortest.Case[*Test]{
		Package:  "significance",
		New:      func() *Test { return &Test{} },
		Defaults: map[string]any{"surrogates": DefaultSurrogates, "method": "circular_shift", "seed": "0"},
		Bad: map[string]func(*Test){
			"negative surrogates": func(e *Test) { e.Surrogates = -1 },
			"unknown method":      func(e *Test) { e.Method = "bootstrap" },
		},
		Fit: func(e *Test) error { return e.Fit(x, pearson) },
		Results: map[string]func(*Test) error{
			"PValuesTo":  func(e *Test) error { return e.PValuesTo(&mat.Dense{}) },
			"ObservedTo": func(e *Test) error { return e.ObservedTo(&mat.Dense{}) },
		},
		Snapshot: func(e *Test) []float64 {
			var p mat.Dense
			if err := e.PValuesTo(&p); err != nil {
				t.Fatal(err)
			}
			return p.RawMatrix().Data
		},
	})
}

// pValues fits a Test and returns its p-values.
func pValues(t *testing.T, test Test, x mat.Matrix, stat Statistic) *mat.Dense {
	t.Helper()
	if err := test.Fit(x, stat); err != nil {
		t.Fatal(err)
	}
	var p mat.Dense
	if err := test.PValuesTo(&p); err != nil {
		t.Fatal(err)
	}
	return &p
}

// TestSameSeed checks that a seed fixes the p-values bit for bit, for both
// methods, and that another seed changes them.
func TestSameSeed(t *testing.T) {
	x := ar1(2, 200, 4, 0.5)
	for _, m := range Methods() {
		t.Run(string(m), func(t *testing.T) {
			a := pValues(t, Test{Surrogates: 99, Method: m, Seed: 11}, x, pearson)
			b := pValues(t, Test{Surrogates: 99, Method: m, Seed: 11}, x, pearson)
			c := pValues(t, Test{Surrogates: 99, Method: m, Seed: 12}, x, pearson)
			if !mat.Equal(a, b) {
				t.Errorf("seed 11 twice gave\n%v\nand\n%v", mat.Formatted(a), mat.Formatted(b))
			}
			if mat.Equal(a, c) {
				t.Error("seeds 11 and 12 gave the same p-values")
			}
		})
	}
}

// TestPValueCounts checks the formula p = (1 + #{|C̃| ≥ |C|})/(1 + S) with
// a statistic whose surrogate values are known: X is one column with
// X(t) = t, and the statistic is the first sample, so surrogate s has
// statistic τ_s, its circular offset. With |C| = X(0) = 0 every surrogate
// ties, p = 1; with X(t) = t − 2 over T = 5, |C| = 2 and a surrogate
// exceeds when |τ − 2| ≥ 2, i.e. τ ∈ {0, 4}: the p-value is checked against
// that count from the offsets drawn by the same streams.
func TestPValueCounts(t *testing.T) {
	first := func(x mat.Matrix) (mat.Matrix, error) { return mat.NewDense(1, 1, []float64{x.At(0, 0)}), nil }
	const s = 50
	x := mat.NewDense(5, 1, []float64{-2, -1, 0, 1, 2})
	exceed := 0
	for i := range s {
		tau := Test{}.Seed.Rand(uint64(i)).IntN(5)
		if math.Abs(float64(tau-2)) >= 2 {
			exceed++
		}
	}
	p := pValues(t, Test{Surrogates: s}, x, first)
	if want := float64(1+exceed) / (1 + s); p.At(0, 0) != want {
		t.Errorf("p = %v, want (1+%d)/(1+%d) = %v", p.At(0, 0), exceed, s, want)
	}
	if exceed == 0 || exceed == s {
		t.Errorf("%d of %d offsets in {0, 4}: the check is degenerate", exceed, s)
	}
	zero := mat.NewDense(5, 1, []float64{0, 1, 2, 3, 4})
	if p := pValues(t, Test{Surrogates: s}, zero, first); p.At(0, 0) != 1 {
		t.Errorf("p with every surrogate tying = %v, want 1", p.At(0, 0))
	}
}

// TestCalibration checks the size of the surrogate test of each method:
// on independent AR(1) traces (N = 10, T = 500, φ = 0.5) with Pearson
// correlations and S = 199 surrogates, p < 0.05 means at most 8 of 199
// surrogates reach |r|, which under an exact null has probability
// 9/200 = 0.045. Over 40 seeds (1800 edges; standard error ≈ 0.005 if
// edges were independent) the fraction must be 0.05 ± 0.02.
func TestCalibration(t *testing.T) {
	if testing.Short() {
		t.Skip("40 surrogate tests of 199 surrogates per method")
	}
	const seeds, n = 40, 10
	for _, m := range Methods() {
		t.Run(string(m), func(t *testing.T) {
			hits, edges := 0, 0
			for seed := range neurotab.Seed(seeds) {
				x := ar1(100+seed, 500, n, 0.5)
				p := pValues(t, Test{Surrogates: 199, Method: m, Seed: seed}, x, pearson)
				for _, v := range UpperTriangle(p) {
					edges++
					if v < 0.05 {
						hits++
					}
				}
			}
			frac := float64(hits) / float64(edges)
			t.Logf("%d of %d null edges with p < 0.05: %.4f", hits, edges, frac)
			if math.Abs(frac-0.05) > 0.02 {
				t.Errorf("fraction of null edges with p < 0.05 = %.4f, want 0.05 ± 0.02", frac)
			}
		})
	}
}

// TestPlantedFDR checks that Benjamini–Hochberg at level 0.1 on
// surrogate p-values keeps the false discovery rate of FC edges at 0.1.
// N = 12 AR(1) traces (T = 500, φ = 0.5) form 6 pairs (0,1), (2,3), …; in
// each pair the second trace is 0.5·first + √0.75·own (correlation 0.5,
// still AR(1) with φ = 0.5), so 6 of the 66 edges are true and 60 are null
// (by the theorem FDR ≤ 0.1·60/66 ≈ 0.091). S = 499 circular shifts: a
// true edge's p is 1/500 unless some surrogate's two offsets happen to
// agree (chance 1/T each), which puts it near 0.004, still below BH's
// threshold 6·0.1/66 ≈ 0.009 for the six (with 199 surrogates that floor,
// ≈ 0.01, costs power, not FDR control). Over 40 seeds the mean false
// discovery proportion must be ≤ 0.1 + 0.03 (its standard error is
// ≈ 0.015; measured 0.093, and 0.0995 over 120 seeds), and the power ≥ 0.9
// (|r| = 0.5 over ≈ 300 effective samples is beyond every surrogate).
func TestPlantedFDR(t *testing.T) {
	if testing.Short() {
		t.Skip("40 surrogate tests of 499 surrogates")
	}
	const seeds, n, size, alpha = 40, 12, 500, 0.1
	fdp, fdp2, power := 0.0, 0.0, 0.0
	for seed := range neurotab.Seed(seeds) {
		x := ar1(200+seed, size, n, 0.5)
		for pair := 0; pair < n; pair += 2 {
			for i := range size {
				x.Set(i, pair+1, 0.5*x.At(i, pair)+math.Sqrt(0.75)*x.At(i, pair+1))
			}
		}
		p := pValues(t, Test{Surrogates: 499, Seed: seed}, x, pearson)
		reject, err := Reject(UpperTriangle(p), alpha)
		if err != nil {
			t.Fatal(err)
		}
		k, falses, trues := 0, 0, 0
		for i := range n {
			for j := i + 1; j < n; j++ {
				if reject[k] {
					if j == i+1 && i%2 == 0 {
						trues++
					} else {
						falses++
					}
				}
				k++
			}
		}
		if falses+trues > 0 {
			q := float64(falses) / float64(falses+trues)
			fdp += q
			fdp2 += q * q
		}
		power += float64(trues) / (n / 2)
	}
	fdp /= seeds
	power /= seeds
	se := math.Sqrt((fdp2/seeds - fdp*fdp) / seeds)
	t.Logf("BH at %.2f: mean FDP %.4f ± %.4f (standard error), power %.3f over %d seeds", alpha, fdp, se, power, seeds)
	if fdp > alpha+0.03 {
		t.Errorf("mean false discovery proportion %.4f, want ≤ %.2f + 0.03", fdp, alpha)
	}
	if power < 0.9 {
		t.Errorf("power %.3f, want ≥ 0.9", power)
	}
}

// TestFitErrors checks the errors of Fit and that it leaves the Test
// unfitted.
func TestFitErrors(t *testing.T) {
	good := ar1(1, 50, 3, 0.5)
	nan := mat.DenseCopyOf(good)
	nan.Set(7, 2, math.NaN())
	calls := 0
	growing := func(x mat.Matrix) (mat.Matrix, error) {
		calls++
		return mat.NewDense(calls, calls, nil), nil
	}
	failing := func(x mat.Matrix) (mat.Matrix, error) { return nil, neurotab.ErrSingular }
	cases := []struct {
		name string
		x    mat.Matrix
		stat Statistic
		want error
		text string
	}{
		{"NaN", nan, pearson, neurotab.ErrNotFinite, "significance: column 2, sample 7 is NaN: not finite"},
		{"empty", &mat.Dense{}, pearson, neurotab.ErrShape, "significance: 0×0 traces are empty: shape mismatch"},
		{"growing", good, growing, neurotab.ErrShape, "significance: statistic of surrogate 0 is 2×2, of the data 1×1: shape mismatch"},
		{"failing", good, failing, neurotab.ErrSingular, "singular matrix"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			test := Test{Surrogates: 9}
			if err := test.Fit(good, pearson); err != nil {
				t.Fatal(err)
			}
			err := test.Fit(c.x, c.stat)
			if !errors.Is(err, c.want) || err.Error() != c.text {
				t.Errorf("Fit = %v, want %q wrapping %v", err, c.text, c.want)
			}
			if err := test.PValuesTo(&mat.Dense{}); !errors.Is(err, neurotab.ErrNotFitted) {
				t.Errorf("PValuesTo after a failed Fit = %v, want ErrNotFitted", err)
			}
		})
	}
}

// TestConstantTrace checks that a NaN statistic (a constant trace has no
// correlation) gives a NaN p-value and leaves the others alone.
func TestConstantTrace(t *testing.T) {
	x := ar1(9, 100, 3, 0.5)
	for i := range 100 {
		x.Set(i, 1, 4)
	}
	p := pValues(t, Test{Surrogates: 19}, x, pearson)
	for i := range 3 {
		for j := range 3 {
			if got, nan := p.At(i, j), i == 1 || j == 1; math.IsNaN(got) != nan {
				t.Errorf("p[%d][%d] = %v, want NaN: %v", i, j, got, nan)
			}
		}
	}
}
