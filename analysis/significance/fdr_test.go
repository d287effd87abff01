package significance

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// bhReference is testdata/bh.json, made by testdata/make_bh.py with
// Debian's statsmodels (multipletests, method='fdr_bh').
type bhReference struct {
	Source string            `json:"source"`
	P      []float64         `json:"p"`
	Q      []float64         `json:"q"`
	Reject map[string][]bool `json:"reject"`
}

// TestBenjaminiHochbergReference compares q-values and decisions with
// statsmodels on a fixed p vector with ties, an exact 0 and 1.0s. The
// tolerance is 1e-15: both compute m p/k and a running minimum, in the same
// order, so only the division's rounding could differ.
func TestBenjaminiHochbergReference(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "bh.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref bhReference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	q, err := BenjaminiHochberg(ref.P)
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for i := range q {
		worst = math.Max(worst, math.Abs(q[i]-ref.Q[i]))
	}
	t.Logf("max |q − statsmodels| = %g (%s)", worst, ref.Source)
	if worst > 1e-15 {
		t.Errorf("q = %v\nwant %v (max difference %g)", q, ref.Q, worst)
	}
	if len(ref.Reject) == 0 {
		t.Fatal("reference has no decisions")
	}
	for level, want := range ref.Reject {
		t.Run("alpha="+level, func(t *testing.T) {
			alpha, err := strconv.ParseFloat(level, 64)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Reject(ref.P, alpha)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Reject(α=%v) = %v\nwant %v", alpha, got, want)
			}
		})
	}
}

// TestBenjaminiHochbergByHand checks small cases worked out by hand.
func TestBenjaminiHochbergByHand(t *testing.T) {
	cases := []struct {
		name   string
		p, q   []float64
		alpha  float64
		reject []bool
	}{
		// The example of the doc comment: m p/k of the sorted 0.01, 0.03,
		// 0.04, 0.5 is 0.04, 0.06, 0.0533, 0.5; minima from the right.
		{"doc", []float64{0.01, 0.04, 0.03, 0.5}, []float64{0.04, 0.16 / 3, 0.16 / 3, 0.5},
			0.05, []bool{true, false, false, false}},
		// Step-up: p_(3) = 0.03 ≤ 3·0.05/4 rejects the three smallest even
		// though p_(2) = 0.028 > 2·0.05/4 = 0.025.
		{"step up", []float64{0.001, 0.028, 0.03, 0.9}, []float64{0.004, 0.04, 0.04, 0.9},
			0.05, []bool{true, true, true, false}},
		// m p/k above 1 is clipped to 1.
		{"clip", []float64{0.9, 0.95}, []float64{0.95, 0.95}, 0.05, []bool{false, false}},
		{"empty", []float64{}, []float64{}, 0.05, []bool{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := BenjaminiHochberg(c.p)
			if err != nil {
				t.Fatal(err)
			}
			for i := range q {
				if math.Abs(q[i]-c.q[i]) > 1e-15 {
					t.Errorf("q = %v, want %v", q, c.q)
					break
				}
			}
			r, err := Reject(c.p, c.alpha)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(r, c.reject) {
				t.Errorf("Reject = %v, want %v", r, c.reject)
			}
		})
	}
}

// TestFDRErrors checks the sentinels of bad p-values and levels.
func TestFDRErrors(t *testing.T) {
	cases := []struct {
		name  string
		p     []float64
		alpha float64
		want  error
		text  string
	}{
		{"NaN", []float64{0.1, math.NaN()}, 0.05, neurotab.ErrNotFinite, "significance: p-value 1 is NaN: not finite"},
		{"negative", []float64{-0.1}, 0.05, neurotab.ErrOutOfRange, "significance: p-value 0 = -0.1 outside [0, 1]: value out of range"},
		{"above 1", []float64{0.5, 1.5}, 0.05, neurotab.ErrMalformed, "significance: p-value 1 = 1.5 outside [0, 1]: value out of range"},
		{"alpha 0", []float64{0.5}, 0, neurotab.ErrParam, "significance: level α = 0, want 0 < α < 1: invalid parameter"},
		{"alpha NaN", []float64{0.5}, math.NaN(), neurotab.ErrParam, "significance: level α = NaN, want 0 < α < 1: invalid parameter"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Reject(c.p, c.alpha)
			if !errors.Is(err, c.want) || err.Error() != c.text {
				t.Errorf("Reject = %v, want %q wrapping %v", err, c.text, c.want)
			}
			if c.want == neurotab.ErrParam {
				return
			}
			if _, err := BenjaminiHochberg(c.p); !errors.Is(err, c.want) || err.Error() != c.text {
				t.Errorf("BenjaminiHochberg = %v, want %q wrapping %v", err, c.text, c.want)
			}
		})
	}
}

// TestFDRIndependent checks the theorem of Benjamini & Hochberg (1995) on
// simulated independent p-values: for m0 uniform nulls among m, the FDR
// E[V/max(R,1)] of Reject at level α is exactly α m0/m. m = 100, m0 = 80,
// alternatives p = 1 − Φ(z), z ~ N(3, 1); α = 0.1, so FDR = 0.08. Over
// 4000 seeded repetitions the standard error of the mean FDP is ≈ 0.0015;
// the tolerance is 0.006 (four of them).
func TestFDRIndependent(t *testing.T) {
	const m, m0, reps, alpha = 100, 80, 4000, 0.1
	rng := neurotab.Seed(1995).Rand(0)
	p := make([]float64, m)
	sum, power := 0.0, 0.0
	for range reps {
		for i := range p {
			if i < m0 {
				p[i] = rng.Float64()
			} else {
				p[i] = 0.5 * math.Erfc((3+rng.NormFloat64())/math.Sqrt2)
			}
		}
		r, err := Reject(p, alpha)
		if err != nil {
			t.Fatal(err)
		}
		v, n, tp := 0, 0, 0
		for i, rej := range r {
			if rej {
				n++
				if i < m0 {
					v++
				} else {
					tp++
				}
			}
		}
		if n > 0 {
			sum += float64(v) / float64(n)
		}
		power += float64(tp) / (m - m0)
	}
	fdr, want := sum/reps, alpha*m0/m
	t.Logf("FDR %.4f (theory %.4f), power %.3f", fdr, want, power/reps)
	if math.Abs(fdr-want) > 0.006 {
		t.Errorf("FDR %.4f, want %.4f ± 0.006", fdr, want)
	}
}

// TestUpperTriangle checks the order of the edges.
func TestUpperTriangle(t *testing.T) {
	c := mat.NewDense(3, 3, []float64{0, 1, 2, 10, 0, 3, 20, 30, 0})
	if got, want := UpperTriangle(c), []float64{1, 2, 3}; !reflect.DeepEqual(got, want) {
		t.Errorf("UpperTriangle = %v, want %v", got, want)
	}
}
