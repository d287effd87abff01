package hmm

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/internal/fixtures"
)

// refTol is the tolerance of every comparison with the numpy/scipy
// reference (analysis-reference/make_fixtures.py, log-space recursions with
// scipy.special.logsumexp).
const refTol = 1e-12

type fbFixture struct {
	Pi0        []float64   `json:"pi0"`
	A          [][]float64 `json:"A"`
	LogLik     [][]float64 `json:"loglik"`
	LogZ       float64     `json:"log_marginal"`
	Gamma      [][]float64 `json:"gamma"`
	XiSum      [][]float64 `json:"xi_sum_over_t"`
	Viterbi    []int       `json:"viterbi"`
	ViterbiLog float64     `json:"viterbi_logprob"`
}

type emFixture struct {
	Y          [][]float64 `json:"Y"`
	Pi0        []float64   `json:"pi0"`
	A          [][]float64 `json:"A"`
	Lambdas    [][]float64 `json:"lambdas"`
	LogZBefore float64     `json:"log_marginal_before"`
	NewPi0     []float64   `json:"new_pi0"`
	NewA       [][]float64 `json:"new_A"`
	NewLambdas [][]float64 `json:"new_lambdas"`
}

type referenceFile struct {
	FB fbFixture `json:"hmm_forward_backward"`
	EM emFixture `json:"poisson_hmm_one_em_step"`
}

func loadReference(t *testing.T) *referenceFile {
	t.Helper()
	p := fixtures.Path(t, "analysis-reference", "fixtures.json")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var r referenceFile
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func fromRows(rows [][]float64) *mat.Dense {
	m := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		m.SetRow(i, r)
	}
	return m
}

// maxAbsDiff returns max |a − b| over matching elements of two matrices.
func maxAbsDiff(t *testing.T, a mat.Matrix, b [][]float64) float64 {
	t.Helper()
	r, c := a.Dims()
	if r != len(b) || c != len(b[0]) {
		t.Fatalf("dims %d × %d, want %d × %d", r, c, len(b), len(b[0]))
	}
	d := 0.0
	for i := range r {
		for j := range c {
			d = max(d, math.Abs(a.At(i, j)-b[i][j]))
		}
	}
	return d
}

func TestForwardBackwardReference(t *testing.T) {
	f := loadReference(t).FB
	post, err := ForwardBackward(fromRows(f.LogLik), f.Pi0, fromRows(f.A))
	if err != nil {
		t.Fatal(err)
	}
	if d := math.Abs(post.LogZ - f.LogZ); d > refTol {
		t.Errorf("log Z = %.17g, reference %.17g (|Δ| = %.3g)", post.LogZ, f.LogZ, d)
	}
	t.Logf("|Δ log Z| = %.3g, γ %.3g, Σξ %.3g", math.Abs(post.LogZ-f.LogZ), maxAbsDiff(t, post.Gamma, f.Gamma), maxAbsDiff(t, post.XiSum, f.XiSum))
	if d := maxAbsDiff(t, post.Gamma, f.Gamma); d > refTol {
		t.Errorf("γ max |Δ| = %.3g", d)
	}
	if d := maxAbsDiff(t, post.XiSum, f.XiSum); d > refTol {
		t.Errorf("Σξ max |Δ| = %.3g", d)
	}
	path, lp, err := Viterbi(fromRows(f.LogLik), f.Pi0, fromRows(f.A))
	if err != nil {
		t.Fatal(err)
	}
	for i := range path {
		if path[i] != f.Viterbi[i] {
			t.Fatalf("Viterbi path %v, reference %v", path, f.Viterbi)
		}
	}
	if d := math.Abs(lp - f.ViterbiLog); d > refTol {
		t.Errorf("Viterbi log-probability %.17g, reference %.17g", lp, f.ViterbiLog)
	}
}

// TestPoissonOneEMStepReference checks one Baum–Welch step of a 2-state
// Poisson HMM against the reference (ssm's update rules: π with the 1e-8
// pseudocount, P = Σξ normalized, λ = γ-weighted mean; ours adds ssm's
// 1e-16 to λ, below the tolerance).
func TestPoissonOneEMStepReference(t *testing.T) {
	f := loadReference(t).EM
	obs := &Poisson{Rates: fromRows(f.Lambdas)}
	m := &Model{Initial: &Initial{Pi: append([]float64(nil), f.Pi0...)}, Transitions: &Transitions{P: fromRows(f.A)}, Observations: obs}
	obj, err := m.Step([]mat.Matrix{fromRows(f.Y)})
	if err != nil {
		t.Fatal(err)
	}
	// κ = 0, α = 1: the objective is the log marginal likelihood alone.
	if d := math.Abs(obj - f.LogZBefore); d > refTol {
		t.Errorf("log Z before = %.17g, reference %.17g", obj, f.LogZBefore)
	}
	if d := maxAbsDiff(t, mat.NewDense(1, 2, m.Initial.Pi), [][]float64{f.NewPi0}); d > refTol {
		t.Errorf("π max |Δ| = %.3g", d)
	}
	if d := maxAbsDiff(t, m.Transitions.P, f.NewA); d > refTol {
		t.Errorf("P max |Δ| = %.3g", d)
	}
	t.Logf("|Δ| log Z %.3g, P %.3g, λ %.3g", math.Abs(obj-f.LogZBefore), maxAbsDiff(t, m.Transitions.P, f.NewA), maxAbsDiff(t, obs.Rates, f.NewLambdas))
	if d := maxAbsDiff(t, obs.Rates, f.NewLambdas); d > refTol {
		t.Errorf("λ max |Δ| = %.3g", d)
	}
}
