package hmm

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// bruteForce enumerates all K^T paths: log Z, γ, Σξ and the best path with
// its log-probability — the definition, independent of the recursions.
func bruteForce(ll *mat.Dense, pi []float64, A *mat.Dense) (logZ float64, gamma, xi *mat.Dense, best []int, bestLP float64) {
	T, K := ll.Dims()
	gamma, xi = mat.NewDense(T, K, nil), mat.NewDense(K, K, nil)
	z := make([]int, T)
	var paths [][]int
	var lps []float64
	var rec func(t int)
	rec = func(t int) {
		if t == T {
			lp := math.Log(pi[z[0]]) + ll.At(0, z[0])
			for s := 1; s < T; s++ {
				lp += math.Log(A.At(z[s-1], z[s])) + ll.At(s, z[s])
			}
			paths = append(paths, append([]int(nil), z...))
			lps = append(lps, lp)
			return
		}
		for k := range K {
			z[t] = k
			rec(t + 1)
		}
	}
	rec(0)
	logZ = logSumExp(lps)
	bestLP = math.Inf(-1)
	for i, p := range paths {
		w := math.Exp(lps[i] - logZ)
		for t, k := range p {
			gamma.Set(t, k, gamma.At(t, k)+w)
			if t > 0 {
				xi.Set(p[t-1], k, xi.At(p[t-1], k)+w)
			}
		}
		if lps[i] > bestLP {
			bestLP, best = lps[i], p
		}
	}
	return
}

// TestForwardBackwardBruteForce compares with path enumeration, including
// log-likelihoods near −800 that underflow exp (the max-shift case) and a
// transition of probability zero.
func TestForwardBackwardBruteForce(t *testing.T) {
	cases := []struct {
		name  string
		shift float64
		A     []float64
	}{
		{"moderate", 0, []float64{0.6, 0.3, 0.1, 0.2, 0.5, 0.3, 0.25, 0.25, 0.5}},
		{"underflowing", -800, []float64{0.6, 0.3, 0.1, 0.2, 0.5, 0.3, 0.25, 0.25, 0.5}},
		{"zero transition", 0, []float64{0.7, 0, 0.3, 0.2, 0.5, 0.3, 0, 0.4, 0.6}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			const T, K = 7, 3
			ll := mat.NewDense(T, K, nil)
			for i := range T {
				for k := range K {
					ll.Set(i, k, c.shift-math.Abs(math.Sin(float64(3*i+k+1)))*3)
				}
			}
			pi, A := []float64{0.2, 0.5, 0.3}, mat.NewDense(K, K, c.A)
			post, err := ForwardBackward(ll, pi, A)
			if err != nil {
				t.Fatal(err)
			}
			logZ, g, xi, path, lp := bruteForce(ll, pi, A)
			if c.shift != 0 {
				// Enumeration still works: its path terms stay in log space.
				t.Logf("log Z = %v", logZ)
			}
			if d := math.Abs(post.LogZ - logZ); d > 1e-12*math.Max(1, math.Abs(logZ)) {
				t.Errorf("log Z = %v, enumeration %v", post.LogZ, logZ)
			}
			if !mat.EqualApprox(post.Gamma, g, 1e-12) || !mat.EqualApprox(post.XiSum, xi, 1e-12) {
				t.Errorf("γ or Σξ differ from enumeration:\n%v\n%v", mat.Formatted(post.Gamma), mat.Formatted(g))
			}
			vp, vlp, err := Viterbi(ll, pi, A)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(vlp-lp) > 1e-12*math.Max(1, math.Abs(lp)) {
				t.Errorf("Viterbi log-probability %v, enumeration %v", vlp, lp)
			}
			for i := range vp {
				if vp[i] != path[i] {
					t.Fatalf("Viterbi path %v, enumeration %v", vp, path)
				}
			}
		})
	}
}

func TestInputErrors(t *testing.T) {
	ll := mat.NewDense(2, 2, []float64{-1, -2, -3, -4})
	pi := []float64{0.5, 0.5}
	A := mat.NewDense(2, 2, []float64{0.9, 0.1, 0.2, 0.8})
	nan := mat.NewDense(2, 2, []float64{-1, math.NaN(), -3, -4})
	inf := mat.NewDense(2, 2, []float64{-1, -2, math.Inf(1), -4})
	cases := []struct {
		name string
		ll   mat.Matrix
		pi   []float64
		A    mat.Matrix
		want error
		says string
	}{
		{"NaN log-likelihood", nan, pi, A, neurotab.ErrNotFinite, "t=0, state 1"},
		{"+Inf log-likelihood", inf, pi, A, neurotab.ErrNotFinite, "t=1, state 0"},
		{"row not stochastic", ll, pi, mat.NewDense(2, 2, []float64{0.9, 0.2, 0.2, 0.8}), neurotab.ErrParam, "transition row 0 sums to 1.1"},
		{"negative transition", ll, pi, mat.NewDense(2, 2, []float64{1.1, -0.1, 0.2, 0.8}), neurotab.ErrParam, "transition row 0 entry 1"},
		{"pi not stochastic", ll, []float64{0.5, 0.6}, A, neurotab.ErrParam, "initial distribution"},
		{"K < 1", zeroCols{}, nil, A, neurotab.ErrParam, "K = 0"},
		{"A wrong size", ll, pi, mat.NewDense(3, 3, nil), neurotab.ErrShape, "3 × 3"},
		{"impossible sequence", mat.NewDense(2, 2, []float64{0, math.Inf(-1), math.Inf(-1), 0}), pi, mat.NewDense(2, 2, []float64{1, 0, 0, 1}), neurotab.ErrNotFinite, "probability zero"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ForwardBackward(c.ll, c.pi, c.A)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) || !strings.HasPrefix(err.Error(), "hmm: ") {
				t.Errorf("ForwardBackward: %v, want %v saying %q", err, c.want, c.says)
			}
			if c.name == "impossible sequence" {
				return // Viterbi returns the −Inf log-probability instead.
			}
			if _, _, err := Viterbi(c.ll, c.pi, c.A); !errors.Is(err, c.want) {
				t.Errorf("Viterbi: %v, want %v", err, c.want)
			}
		})
	}
}

// zeroCols is a 3 × 0 matrix (mat.Dense cannot be made with zero columns).
type zeroCols struct{}

func (zeroCols) Dims() (int, int)    { return 3, 0 }
func (zeroCols) At(int, int) float64 { panic("no elements") }
func (zeroCols) T() mat.Matrix       { return mat.Transpose{Matrix: zeroCols{}} }
