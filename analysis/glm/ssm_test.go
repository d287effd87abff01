package glm

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/analysis/hmm"
)

// TestInputDrivenBernoulliRecovery is ssm's input-driven GLM-HMM example
// (Ashwood et al., Nature Neuroscience 2022; ssm's "GLM-HMM" notebook):
// K = 3 states of choice behaviour, choice_t ~ Bernoulli(σ(w_k · stim_t +
// b_k)) with (w, b) = (6, 1), (2, −3), (2, 3), sticky transitions
// [[.98,.01,.01],[.05,.92,.03],[.03,.03,.94]], 20 sessions × 100 trials,
// stimuli from ssm's set of 11 contrasts. The fitted weights must lie
// within 3 posterior standard deviations (Laplace approximation at the
// fit) of the true ones, the transitions within 0.05.
func TestInputDrivenBernoulliRecovery(t *testing.T) {
	const K, sessions, trials = 3, 20, 100
	trueW := [][2]float64{{6, 1}, {2, -3}, {2, 3}}
	P := mat.NewDense(3, 3, []float64{0.98, 0.01, 0.01, 0.05, 0.92, 0.03, 0.03, 0.03, 0.94})
	stims := []float64{-1, -0.5, -0.25, -0.125, -0.0625, 0, 0.0625, 0.125, 0.25, 0.5, 1}
	truth, err := NewGLM(GLMOptions{K: K, N: 1, Inputs: 1, Family: Bernoulli})
	if err != nil {
		t.Fatal(err)
	}
	for k, w := range trueW {
		truth.InputWeights[k].Set(0, 0, w[0])
		truth.Bias.Set(k, 0, w[1])
	}
	rng := rand.New(rand.NewPCG(7, 22))
	pi := []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}
	var xs []mat.Matrix
	for range sessions {
		z := samplePath(rng, pi, P, trials)
		u := mat.NewDense(trials, 1, nil)
		for i := range trials {
			u.Set(i, 0, stims[rng.IntN(len(stims))])
		}
		xs = append(xs, sampleGLM(rng, truth, z, u))
	}
	obs, _ := NewGLM(GLMOptions{K: K, N: 1, Inputs: 1, Family: Bernoulli})
	tr, _ := hmm.NewTransitions(K, 0.9)
	res, err := hmm.EM{MaxIter: 300, Restarts: 5, Seed: 3}.Fit(&hmm.Model{Initial: &hmm.Initial{Pi: append([]float64(nil), pi...)}, Transitions: tr, Observations: obs}, xs)
	if err != nil {
		t.Fatal(err)
	}
	fit := res.Model.Observations.(*GLMObservations)
	// Match fitted states to true ones by their weights.
	score := make([]int, K*K)
	for f := range K {
		for r := range K {
			d := math.Hypot(fit.InputWeights[f].At(0, 0)-trueW[r][0], fit.Bias.At(f, 0)-trueW[r][1])
			score[f*K+r] = -int(1000 * d)
		}
	}
	perm := bestPerm(score, K)
	posts, _, err := res.Model.Posteriors(xs)
	if err != nil {
		t.Fatal(err)
	}
	for f := range K {
		r := perm[f]
		// Laplace: the inverse of Σ_t γ_t(f) p(1−p) x xᵀ with x = (1, stim).
		H := mat.NewSymDense(2, nil)
		for s, x := range xs {
			T, _ := x.Dims()
			for i := range T {
				g := posts[s].Gamma.At(i, f)
				u := x.At(i, 1)
				p := sigmoid(fit.Bias.At(f, 0) + fit.InputWeights[f].At(0, 0)*u)
				c := g * p * (1 - p)
				H.SetSym(0, 0, H.At(0, 0)+c)
				H.SetSym(0, 1, H.At(0, 1)+c*u)
				H.SetSym(1, 1, H.At(1, 1)+c*u*u)
			}
		}
		var cov mat.Dense
		if err := cov.Inverse(H); err != nil {
			t.Fatal(err)
		}
		sdB, sdW := math.Sqrt(cov.At(0, 0)), math.Sqrt(cov.At(1, 1))
		w, b := fit.InputWeights[f].At(0, 0), fit.Bias.At(f, 0)
		t.Logf("state %d ↔ true %d: stimulus weight %.2f ± %.2f (true %v), bias %.2f ± %.2f (true %v)", f, r, w, sdW, trueW[r][0], b, sdB, trueW[r][1])
		if math.Abs(w-trueW[r][0]) > 3*sdW || math.Abs(b-trueW[r][1]) > 3*sdB {
			t.Errorf("state %d: (%.2f, %.2f) not within 3 posterior SD of %v", f, w, b, trueW[r])
		}
	}
	dP := 0.0
	for i := range K {
		for j := range K {
			dP = math.Max(dP, math.Abs(res.Model.Transitions.P.At(i, j)-P.At(perm[i], perm[j])))
		}
	}
	t.Logf("transitions max |Δ| = %.3f", dP)
	if dP > 0.05 {
		t.Errorf("transitions max |Δ| = %.3f > 0.05", dP)
	}
}

// bestPerm returns the permutation f → r of 3 states maximizing
// Σ_f score[f*3 + r].
func bestPerm(score []int, K int) []int {
	var best []int
	bestScore := math.MinInt
	for _, p := range [][]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}} {
		s := 0
		for f, r := range p {
			s += score[f*K+r]
		}
		if s > bestScore {
			best, bestScore = p, s
		}
	}
	return best
}

func randSource(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed)) }
