package hmm

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/assign"
)

// TestSamplePathMatchesPosterior draws 20,000 paths of the reference
// problem and compares their state frequencies and transition counts with
// γ and Σξ from forward–backward (Monte Carlo standard error ≤ 0.0036 per
// frequency; tolerance 0.015, about 4 standard errors).
func TestSamplePathMatchesPosterior(t *testing.T) {
	f := loadReference(t).FB
	ll, A := fromRows(f.LogLik), fromRows(f.A)
	post, err := ForwardBackward(ll, f.Pi0, A)
	if err != nil {
		t.Fatal(err)
	}
	T, K := post.Gamma.Dims()
	const draws = 20000
	freq, trans := mat.NewDense(T, K, nil), mat.NewDense(K, K, nil)
	rng := neurotab.Seed(42).Rand(0)
	for range draws {
		z, err := SamplePath(ll, f.Pi0, A, rng)
		if err != nil {
			t.Fatal(err)
		}
		for i, k := range z {
			freq.Set(i, k, freq.At(i, k)+1.0/draws)
			if i > 0 {
				trans.Set(z[i-1], k, trans.At(z[i-1], k)+1.0/draws)
			}
		}
	}
	if d := maxAbsDiff(t, freq, rows(post.Gamma)); d > 0.015 {
		t.Errorf("state frequencies differ from γ by %v", d)
	}
	if d := maxAbsDiff(t, trans, rows(post.XiSum)); d > 0.03 {
		t.Errorf("transition counts differ from Σξ by %v", d)
	}
	a, _ := SamplePath(ll, f.Pi0, A, neurotab.Seed(1).Rand(0))
	b, _ := SamplePath(ll, f.Pi0, A, neurotab.Seed(1).Rand(0))
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, different paths: %v, %v", a, b)
		}
	}
	if _, err := SamplePath(mat.NewDense(1, 2, []float64{math.NaN(), 0}), []float64{0.5, 0.5}, mat.NewDense(2, 2, []float64{1, 0, 0, 1}), rng); !errors.Is(err, neurotab.ErrNotFinite) {
		t.Errorf("NaN: %v", err)
	}
}

func rows(m *mat.Dense) [][]float64 {
	r, _ := m.Dims()
	out := make([][]float64, r)
	for i := range r {
		out[i] = mat.Row(nil, i, m)
	}
	return out
}

func TestAlign(t *testing.T) {
	cases := []struct {
		name      string
		truth     []int
		est       []int
		K         int
		wantPerm  []int
		wantAcc   float64
		wantError error
	}{
		{"relabelled exactly", []int{0, 0, 1, 1, 2, 2}, []int{2, 2, 0, 0, 1, 1}, 3, []int{1, 2, 0}, 1, nil},
		{"one error", []int{0, 0, 0, 1, 1}, []int{1, 1, 0, 0, 0}, 2, []int{1, 0}, 0.8, nil},
		{"length mismatch", []int{0}, []int{0, 1}, 2, nil, 0, neurotab.ErrShape},
		{"label out of range", []int{0, 3}, []int{0, 1}, 2, nil, 0, neurotab.ErrParam},
		{"K = 0", []int{0}, []int{0}, 0, nil, 0, neurotab.ErrParam},
		{"K = 10 by the Hungarian method", []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9}, []int{9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1}, 10, []int{9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, 10.0 / 11, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			perm, acc, err := Align(c.truth, c.est, c.K)
			if c.wantError != nil {
				if !errors.Is(err, c.wantError) {
					t.Fatalf("err = %v, want %v", err, c.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if acc != c.wantAcc {
				t.Errorf("accuracy %v, want %v", acc, c.wantAcc)
			}
			for i := range perm {
				if perm[i] != c.wantPerm[i] {
					t.Fatalf("perm %v, want %v", perm, c.wantPerm)
				}
			}
		})
	}
}

// TestHungarianMatchesExhaustive: on random confusion matrices the
// Hungarian assignment scores as much as the best of all K! permutations.
func TestHungarianMatchesExhaustive(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	for _, K := range []int{1, 2, 5, 9} {
		t.Run(fmt.Sprint("K=", K), func(t *testing.T) {
			for range 5 {
				score := make([]float64, K*K)
				for i := range score {
					score[i] = float64(rng.IntN(50))
				}
				got := assign.Max(score, K)
				seen := make([]bool, K)
				sum := 0.0
				for f, r := range got {
					if seen[r] {
						t.Fatalf("not a permutation: %v", got)
					}
					seen[r] = true
					sum += score[f*K+r]
				}
				best := -1.0
				p := make([]int, K)
				for i := range p {
					p[i] = i
				}
				permute(p, 0, func(q []int) {
					s := 0.0
					for f, r := range q {
						s += score[f*K+r]
					}
					best = max(best, s)
				})
				if sum != best {
					t.Fatalf("Hungarian %v, exhaustive %v", sum, best)
				}
			}
		})
	}
}
