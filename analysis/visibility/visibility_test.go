package visibility

import (
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/neurotab/neurotab"
)

// bruteNatural applies the NVG definition to every pair, O(T³). The test is
// cross-multiplied so that integer-valued series compare exactly:
// x(k)(j−i) < x(j)(j−i) + (x(i) − x(j))(j−k).
func bruteNatural(x []float64) []Edge {
	var edges []Edge
	for i := range x {
		for j := i + 1; j < len(x); j++ {
			d := float64(j - i)
			ok := true
			for k := i + 1; k < j && ok; k++ {
				ok = x[k]*d < x[j]*d+(x[i]-x[j])*float64(j-k)
			}
			if ok {
				edges = append(edges, Edge{i, j})
			}
		}
	}
	return edges
}

// bruteHorizontal applies the HVG definition to every pair, O(T³).
func bruteHorizontal(x []float64) []Edge {
	var edges []Edge
	for i := range x {
		for j := i + 1; j < len(x); j++ {
			low := math.Min(x[i], x[j])
			ok := true
			for k := i + 1; k < j && ok; k++ {
				ok = x[k] < low
			}
			if ok {
				edges = append(edges, Edge{i, j})
			}
		}
	}
	return edges
}

var graphs = []struct {
	name  string
	fast  func([]float64) ([]Edge, error)
	brute func([]float64) []Edge
}{
	{"natural", Natural, bruteNatural},
	{"horizontal", Horizontal, bruteHorizontal},
}

// TestClosedForms checks small series whose graphs are drawn by hand.
func TestClosedForms(t *testing.T) {
	cases := []struct {
		name        string
		x           []float64
		natural, hv []Edge
	}{
		// [3,4,2,1] (the example): the HVG is the path, 4 hides 3
		// from everything right of it; in the NVG 4 also sees 1 over 2 (the
		// line from 4 to 1 is at 2.5 above sample 2).
		{"issue", []float64{3, 4, 2, 1},
			[]Edge{{0, 1}, {1, 2}, {1, 3}, {2, 3}},
			[]Edge{{0, 1}, {1, 2}, {2, 3}}},
		// A valley: both ends see each other over the low middle in both.
		{"valley", []float64{2, 0, 1},
			[]Edge{{0, 1}, {0, 2}, {1, 2}},
			[]Edge{{0, 1}, {0, 2}, {1, 2}}},
		// Collinear samples block the NVG line; equal samples block the HVG.
		{"line", []float64{1, 2, 3}, []Edge{{0, 1}, {1, 2}}, []Edge{{0, 1}, {1, 2}}},
		{"flat", []float64{5, 5, 5}, []Edge{{0, 1}, {1, 2}}, []Edge{{0, 1}, {1, 2}}},
		// A convex trace: every pair sees every other in the NVG; in the HVG
		// only the far end (the top) sees past its neighbour.
		{"convex", []float64{0, 1, 4, 9},
			[]Edge{{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}},
			[]Edge{{0, 1}, {1, 2}, {2, 3}}},
		{"one", []float64{1}, nil, nil},
		{"empty", nil, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			nv, err := Natural(c.x)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(nv, c.natural) {
				t.Errorf("Natural(%v) = %v, want %v", c.x, nv, c.natural)
			}
			hv, err := Horizontal(c.x)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(hv, c.hv) {
				t.Errorf("Horizontal(%v) = %v, want %v", c.x, hv, c.hv)
			}
		})
	}
}

// TestAgainstDefinition compares both graphs with the O(T³) definition on
// random short series: continuous values (no ties) and small integers
// (many ties and collinear triples, where "strictly below" decides).
func TestAgainstDefinition(t *testing.T) {
	rng := neurotab.Seed(7).Rand(0)
	draws := map[string]func() float64{
		"uniform":  rng.Float64,
		"integers": func() float64 { return float64(rng.IntN(4)) },
		"walk":     nil, // filled below: a random walk has long monotone runs
	}
	for _, g := range graphs {
		for name, draw := range draws {
			t.Run(g.name+"/"+name, func(t *testing.T) {
				for trial := range 500 {
					x := make([]float64, 1+rng.IntN(40))
					for i := range x {
						if draw == nil {
							if i > 0 {
								x[i] = x[i-1]
							}
							x[i] += float64(rng.IntN(3) - 1)
							continue
						}
						x[i] = draw()
					}
					got, err := g.fast(x)
					if err != nil {
						t.Fatal(err)
					}
					if want := g.brute(x); !reflect.DeepEqual(got, want) {
						t.Fatalf("trial %d, x = %v:\n got %v\nwant %v", trial, x, got, want)
					}
				}
			})
		}
	}
}

// TestHorizontalIID checks the HVG of an i.i.d. uniform series against its
// closed forms (Luque et al. 2009): P(k) = (1/3)(2/3)^(k−2) for k ≥ 2 and
// mean degree 4. For distinct values each sample is popped from the stack
// once unless it is a record from the right, and has a left neighbour on the
// stack unless it is a record from the left, so E = 2T − R_left − R_right
// exactly and ⟨k⟩ = 4 − 2(R_left + R_right)/T ≈ 4 − 4 ln T / T.
func TestHorizontalIID(t *testing.T) {
	const n = 200_000
	rng := neurotab.Seed(2009).Rand(0)
	x := make([]float64, n)
	for i := range x {
		x[i] = rng.Float64()
	}
	edges, err := Horizontal(x)
	if err != nil {
		t.Fatal(err)
	}
	records := 0
	for hi, i := math.Inf(-1), 0; i < n; i++ {
		if x[i] > hi {
			hi, records = x[i], records+1
		}
	}
	for hi, i := math.Inf(-1), n-1; i >= 0; i-- {
		if x[i] > hi {
			hi, records = x[i], records+1
		}
	}
	if want := 2*n - records; len(edges) != want {
		t.Errorf("%d edges, want 2T − records = %d", len(edges), want)
	}
	k := Degrees(n, edges)
	sum := 0
	count := make(map[int]int)
	for _, d := range k {
		sum += d
		count[d]++
	}
	// 4 ln(2e5)/2e5 ≈ 2.4e-4: a tolerance of 1e-3 covers it and the record
	// counts' spread.
	if mean := float64(sum) / n; math.Abs(mean-4) > 1e-3 {
		t.Errorf("mean degree %.6f, want 4 ± 1e-3", mean)
	}
	for d := 2; d <= 8; d++ {
		want := math.Pow(2.0/3, float64(d-2)) / 3
		got := float64(count[d]) / n
		// Five binomial standard errors (degrees of nearby samples are
		// weakly dependent; the binomial error is a guide, not a bound).
		tol := 5 * math.Sqrt(want*(1-want)/n)
		if math.Abs(got-want) > tol {
			t.Errorf("P(k=%d) = %.5f, want %.5f ± %.5f", d, got, want, tol)
		} else {
			t.Logf("P(k=%d) = %.5f, want %.5f ± %.5f", d, got, want, tol)
		}
	}
	// Only the two ends can have a single neighbour.
	if low := count[0] + count[1]; low > 2 {
		t.Errorf("%d samples of degree < 2, want at most the two ends", low)
	}
}

// TestDegrees counts the hand-drawn NVG of [3,4,2,1].
func TestDegrees(t *testing.T) {
	got := Degrees(4, []Edge{{0, 1}, {1, 2}, {1, 3}, {2, 3}})
	if want := []int{1, 3, 2, 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("Degrees = %v, want %v", got, want)
	}
}

// TestNotFinite checks that NaN and ±Inf are refused by both graphs.
func TestNotFinite(t *testing.T) {
	for _, g := range graphs {
		for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
			t.Run(g.name, func(t *testing.T) {
				_, err := g.fast([]float64{1, 2, v, 3})
				if !errors.Is(err, neurotab.ErrNotFinite) {
					t.Fatalf("err = %v, want ErrNotFinite", err)
				}
				if want := "visibility: sample 2 is " + formatFloat(v) + ": not finite"; err.Error() != want {
					t.Errorf("err = %q, want %q", err, want)
				}
			})
		}
	}
}

func formatFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case v > 0:
		return "+Inf"
	}
	return "-Inf"
}

// TestNaturalWorstCase checks the quadratic case of the documented cost:
// a monotone ramp has only neighbour edges, a convex one all T(T−1)/2.
func TestNaturalWorstCase(t *testing.T) {
	const n = 2000
	ramp, convex := make([]float64, n), make([]float64, n)
	for i := range n {
		ramp[i] = float64(i)
		convex[i] = float64(i) * float64(i)
	}
	cases := []struct {
		name string
		x    []float64
		want int
	}{{"ramp", ramp, n - 1}, {"convex", convex, n * (n - 1) / 2}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := Natural(c.x)
			if err != nil {
				t.Fatal(err)
			}
			if len(e) != c.want {
				t.Errorf("%d edges, want %d", len(e), c.want)
			}
		})
	}
}
