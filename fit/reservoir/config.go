package reservoir

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Distribution is the law the non-zero weights are drawn from.
type Distribution int

const (
	// Default is Normal for W and Bernoulli for W_in, W_fb and b (the
	// defaults of reservoirpy's Reservoir).
	Default Distribution = iota
	// Normal draws N(0, 1).
	Normal
	// Uniform draws U[−1, 1].
	Uniform
	// Bernoulli draws ±1 with probability ½ each.
	Bernoulli
)

// String returns "default", "normal", "uniform" or "bernoulli".
func (d Distribution) String() string {
	switch d {
	case Default:
		return "default"
	case Normal:
		return "normal"
	case Uniform:
		return "uniform"
	case Bernoulli:
		return "bernoulli"
	}
	return fmt.Sprintf("Distribution(%d)", int(d))
}

// draw returns one value of d (Default resolved by the caller).
func (d Distribution) draw(rng *rand.Rand) float64 {
	switch d {
	case Uniform:
		return 2*rng.Float64() - 1
	case Bernoulli:
		if rng.Uint64()&1 == 0 {
			return -1
		}
		return 1
	}
	return rng.NormFloat64()
}

// or returns d, or def for Default.
func (d Distribution) or(def Distribution) Distribution {
	if d == Default {
		return def
	}
	return d
}

// Random streams of Config.Seed, one per weight matrix, so that changing
// one part (adding feedback) leaves the others' numbers alone.
const (
	streamW  = 1
	streamIn = 2
	streamB  = 3
	streamFb = 4
	streamEI = 5
)

// Config describes a random echo-state network (see ESN for the update).
// The zero value is usable: 100 tanh units, one input, W of density 0.1
// with N(0, 1) weights rescaled to spectral radius 0.9, ±1 input weights of
// density 0.1 (the connectivities and laws of reservoirpy's Reservoir, so
// that its published settings carry over), no bias, no feedback, no leak
// (α = 1), seed 0. The recipe is that of Lukoševičius 2012
// (doi:10.1007/978-3-642-35289-8_36, §3): sparse random W rescaled to a
// spectral radius ρ* (ρ* < 1 is the usual rule of thumb for the echo-state
// property of Jaeger 2001, neither necessary nor sufficient), input
// weights of one law for every unit, scaled per input.
//
// New builds the weights from Seed: the same Config gives the same weights
// bit for bit.
type Config struct {
	// Units is N (default 100).
	Units int
	// Inputs is D, the input dimension (default 1).
	Inputs int
	// Feedback is K, the dimension of the output fed back (0: none).
	Feedback int

	// Activation is f (default Tanh).
	Activation Activation
	// ExternalLeak puts the leak on the pre-activation (see ESN).
	ExternalLeak bool
	// Leak is the leak rate α ∈ (0, 1] of every unit (0 means 1, no leak).
	Leak float64
	// Leaks, when not nil, gives each unit its own α_i ∈ (0, 1] (N values)
	// and overrides Leak.
	Leaks []float64

	// Density is the probability that each W[post][pre] is non-zero, drawn
	// independently per entry (default 0.1).
	Density float64
	// InDegree, when positive, gives every unit exactly this many distinct
	// presynaptic units, chosen uniformly, instead of Density.
	InDegree int
	// Weights is the law of the non-zero W entries (Default: Normal).
	Weights Distribution
	// SpectralRadius is ρ*: W is rescaled so that ρ(W) = ρ* (default 0.9).
	// SpectralRadius computes ρ(W).
	SpectralRadius float64
	// Orthogonal makes W = ρ* Q with Q a random orthogonal N×N matrix
	// (dense; Density, InDegree and Weights are ignored), whose eigenvalues
	// all have modulus ρ*.
	Orthogonal bool
	// Adjacency, when not nil, constrains W to a connectome: an N×N
	// adjacency A[pre][post] (connectome.Adjacency, signed by
	// connectome.SignedAdjacency), so that W[post][pre] ≠ 0 exactly where
	// A[pre][post] ≠ 0, i.e. W has the support of Aᵀ (see "Matrix
	// orientation" in [github.com/neurotab/neurotab]). Units may be 0 (N
	// is taken from A) or N; Density and InDegree are ignored.
	Adjacency mat.Matrix
	// AdjacencyWeights takes W = Aᵀ with A's own values (synapse counts,
	// signs) before the rescaling to ρ*; otherwise each non-zero of W is
	// drawn from Weights.
	AdjacencyWeights bool
	// Excitatory, when positive, imposes Dale's law: a fraction of the
	// units (round(Excitatory·N), chosen at random) is excitatory and the
	// rest inhibitory, and every weight takes the magnitude of its draw and
	// the sign s[pre] of its presynaptic unit, W ← |W|·diag(s) (the side of
	// "Matrix orientation" in [github.com/neurotab/neurotab]). 0 keeps the
	// signs of the draws. Not with Orthogonal or AdjacencyWeights.
	Excitatory float64
	// InhibitionScale, with Excitatory, multiplies every inhibitory weight
	// by β before the rescaling to ρ*, W = W_E − β W_I: the global E/I
	// ratio that EIBalance tunes unit by unit (0 means 1). Applied after
	// Balanced, so β = 1 keeps a balanced W balanced.
	InhibitionScale float64
	// Balanced, with Excitatory, scales the inhibitory weights onto each
	// unit so that its row of W sums to zero (Rajan & Abbott 2006,
	// "Eigenvalue spectra of random matrices for neural networks", Phys.
	// Rev. Lett. 97:188104, doi:10.1103/PhysRevLett.97.188104); a row with
	// only excitatory or only inhibitory inputs is left as drawn.
	Balanced bool

	// InputScaling scales every column of W_in (default 1).
	InputScaling float64
	// InputScalings, when not nil, scales each input's column of W_in by
	// its own factor (D values) and overrides InputScaling.
	InputScalings []float64
	// InputDensity is the probability that each W_in entry is non-zero
	// (default 0.1, reservoirpy's input_connectivity; 1 for a dense W_in).
	InputDensity float64
	// InputWeights is the law of the non-zero W_in, W_fb and b entries
	// (Default: Bernoulli ±1).
	InputWeights Distribution
	// BiasScaling scales the bias b, drawn from InputWeights for every unit
	// (0: no bias).
	BiasScaling float64
	// FeedbackScaling scales W_fb (default 1).
	FeedbackScaling float64
	// FeedbackDensity is the probability that each W_fb entry is non-zero
	// (default 0.1, reservoirpy's fb_connectivity).
	FeedbackDensity float64

	// Seed seeds every weight.
	Seed neurotab.Seed
}

// resolved returns the configuration with the defaults filled in.
func (c Config) resolved() Config {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	if c.Units == 0 {
		c.Units = 100
		if c.Adjacency != nil {
			c.Units, _ = c.Adjacency.Dims()
		}
	}
	if c.Inputs == 0 {
		c.Inputs = 1
	}
	def(&c.Leak, 1)
	def(&c.Density, 0.1)
	def(&c.SpectralRadius, 0.9)
	def(&c.InputScaling, 1)
	def(&c.InputDensity, 0.1)
	def(&c.FeedbackScaling, 1)
	def(&c.FeedbackDensity, 0.1)
	def(&c.InhibitionScale, 1)
	c.Weights = c.Weights.or(Normal)
	c.InputWeights = c.InputWeights.or(Bernoulli)
	return c
}

// Check reports whether the configuration is valid. The errors wrap
// neurotab.ErrParam.
func (c Config) Check() error {
	r := c.resolved()
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("reservoir: Config.%s = %v, want %s: %w", field, v, want, neurotab.ErrParam)
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	unit := func(v float64) bool { return v > 0 && v <= 1 }
	switch {
	case r.Units < 1:
		return bad("Units", c.Units, "N ≥ 1")
	case r.Inputs < 1:
		return bad("Inputs", c.Inputs, "D ≥ 1")
	case r.Feedback < 0:
		return bad("Feedback", c.Feedback, "K ≥ 0")
	case r.Activation != Tanh && r.Activation != Identity && r.Activation != Sigmoid:
		return bad("Activation", c.Activation, "Tanh, Identity or Sigmoid")
	case !unit(r.Leak):
		return bad("Leak", c.Leak, "0 < α ≤ 1")
	case c.Leaks != nil && len(c.Leaks) != r.Units:
		return bad("Leaks", fmt.Sprintf("%d values", len(c.Leaks)), fmt.Sprintf("N = %d", r.Units))
	case !unit(r.Density):
		return bad("Density", c.Density, "0 < density ≤ 1")
	case r.InDegree < 0 || r.InDegree > r.Units:
		return bad("InDegree", c.InDegree, fmt.Sprintf("0 ≤ in-degree ≤ N = %d", r.Units))
	case r.Weights < Normal || r.Weights > Bernoulli:
		return bad("Weights", c.Weights, "a Distribution")
	case !(r.SpectralRadius > 0) || !finite(r.SpectralRadius):
		return bad("SpectralRadius", c.SpectralRadius, "a finite ρ* > 0")
	case !(r.InputScaling > 0) || !finite(r.InputScaling):
		return bad("InputScaling", c.InputScaling, "a finite scale > 0")
	case c.InputScalings != nil && len(c.InputScalings) != r.Inputs:
		return bad("InputScalings", fmt.Sprintf("%d values", len(c.InputScalings)), fmt.Sprintf("D = %d", r.Inputs))
	case !unit(r.InputDensity):
		return bad("InputDensity", c.InputDensity, "0 < density ≤ 1")
	case r.InputWeights < Normal || r.InputWeights > Bernoulli:
		return bad("InputWeights", c.InputWeights, "a Distribution")
	case !(r.BiasScaling >= 0) || !finite(r.BiasScaling):
		return bad("BiasScaling", c.BiasScaling, "a finite scale ≥ 0")
	case !(r.FeedbackScaling > 0) || !finite(r.FeedbackScaling):
		return bad("FeedbackScaling", c.FeedbackScaling, "a finite scale > 0")
	case !unit(r.FeedbackDensity):
		return bad("FeedbackDensity", c.FeedbackDensity, "0 < density ≤ 1")
	}
	if c.Adjacency != nil {
		ar, ac := c.Adjacency.Dims()
		switch {
		case ar != ac || ar != r.Units:
			return bad("Adjacency", fmt.Sprintf("%d×%d", ar, ac), fmt.Sprintf("N×N with N = %d", r.Units))
		case r.Orthogonal:
			return bad("Orthogonal", true, "false with an Adjacency")
		}
		for i := range ar {
			for j := range ac {
				if v := c.Adjacency.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
					return bad(fmt.Sprintf("Adjacency[%d][%d]", i, j), v, "a finite weight")
				}
			}
		}
	}
	switch {
	case !(r.Excitatory >= 0 && r.Excitatory <= 1):
		return bad("Excitatory", c.Excitatory, "a fraction in [0, 1]")
	case r.Excitatory > 0 && (r.Orthogonal || r.AdjacencyWeights):
		return bad("Excitatory", c.Excitatory, "0 with Orthogonal or AdjacencyWeights")
	case r.Balanced && r.Excitatory == 0:
		return bad("Balanced", true, "false without Excitatory")
	case !(r.InhibitionScale >= 0) || !finite(r.InhibitionScale):
		return bad("InhibitionScale", c.InhibitionScale, "a finite β ≥ 0")
	case r.InhibitionScale != 1 && r.Excitatory == 0:
		return bad("InhibitionScale", c.InhibitionScale, "0 or 1 without Excitatory")
	}
	for i, a := range c.Leaks {
		if !unit(a) {
			return bad(fmt.Sprintf("Leaks[%d]", i), a, "0 < α ≤ 1")
		}
	}
	for i, s := range c.InputScalings {
		if !(s >= 0) || !finite(s) {
			return bad(fmt.Sprintf("InputScalings[%d]", i), s, "a finite scale ≥ 0")
		}
	}
	return nil
}

// Parameters returns the configuration, defaults filled in, as provenance
// parameters (table.Provenance.Parameters).
func (c Config) Parameters() map[string]any {
	r := c.resolved()
	p := map[string]any{
		"units": r.Units, "inputs": r.Inputs, "feedback": r.Feedback,
		"activation": r.Activation.String(), "external_leak": r.ExternalLeak, "leak": r.Leak,
		"density": r.Density, "in_degree": r.InDegree, "weights": r.Weights.String(),
		"spectral_radius": r.SpectralRadius, "orthogonal": r.Orthogonal,
		"input_scaling": r.InputScaling, "input_density": r.InputDensity,
		"input_weights": r.InputWeights.String(), "bias_scaling": r.BiasScaling,
		"feedback_scaling": r.FeedbackScaling, "feedback_density": r.FeedbackDensity,
		"excitatory": r.Excitatory, "balanced": r.Balanced, "inhibition_scale": r.InhibitionScale,
		"seed": r.Seed.String(),
	}
	if c.Leaks != nil {
		p["leaks"] = slices.Clone(c.Leaks)
	}
	if c.InputScalings != nil {
		p["input_scalings"] = slices.Clone(c.InputScalings)
	}
	if c.Adjacency != nil {
		nnz := 0
		ar, ac := c.Adjacency.Dims()
		for i := range ar {
			for j := range ac {
				if c.Adjacency.At(i, j) != 0 {
					nnz++
				}
			}
		}
		p["adjacency_edges"] = nnz
		p["adjacency_weights"] = c.AdjacencyWeights
	}
	return p
}

// New draws the weights of the configured ESN from Seed. W is drawn on
// stream 1 of the seed, W_in on stream 2, b on stream 3, W_fb on stream 4
// and the excitatory units on stream 5 (neurotab.Seed.Rand), so one part's
// settings never change another part's numbers. W is rescaled by ρ*/ρ(W) with ρ(W) from SpectralRadius.
// The errors wrap neurotab.ErrParam (an invalid configuration, or a W
// whose spectral radius is 0, e.g. too sparse to hold a cycle) or
// neurotab.ErrSingular (the eigenvalues did not converge).
func (c Config) New() (*ESN, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	r := c.resolved()
	n, d := r.Units, r.Inputs
	e := &ESN{Activation: r.Activation, ExternalLeak: r.ExternalLeak, Leak: make([]float64, n)}
	for i := range e.Leak {
		e.Leak[i] = r.Leak
	}
	if c.Leaks != nil {
		copy(e.Leak, c.Leaks)
	}

	rng := r.Seed.Rand(streamW)
	if r.Orthogonal {
		e.W = NewCSR(orthogonal(n, rng))
		e.W.Scale(r.SpectralRadius)
	} else {
		if r.Adjacency != nil {
			e.W = adjacencyW(r.Adjacency, r.AdjacencyWeights, r.Weights, rng)
		} else {
			e.W = randomW(n, r.Density, r.InDegree, r.Weights, rng)
		}
		if r.Excitatory > 0 {
			dale(e.W, r.Excitatory, r.Balanced, r.Seed.Rand(streamEI))
			if r.InhibitionScale != 1 {
				for p, v := range e.W.Data {
					if v < 0 {
						e.W.Data[p] = v * r.InhibitionScale
					}
				}
			}
		}
		rho, err := SpectralRadius(e.W)
		if err != nil {
			return nil, err
		}
		if rho == 0 {
			return nil, fmt.Errorf("reservoir: W (N = %d, %d non-zeros) has spectral radius 0 and cannot be rescaled to %g; raise Density or InDegree: %w",
				n, e.W.NNZ(), r.SpectralRadius, neurotab.ErrParam)
		}
		e.W.Scale(r.SpectralRadius / rho)
	}
	e.W.prepare()

	scale := make([]float64, d)
	for j := range scale {
		scale[j] = r.InputScaling
	}
	if c.InputScalings != nil {
		copy(scale, c.InputScalings)
	}
	e.In = randomDense(n, d, r.InputDensity, r.InputWeights, scale, r.Seed.Rand(streamIn))
	if r.BiasScaling > 0 {
		b := randomDense(n, 1, 1, r.InputWeights, []float64{r.BiasScaling}, r.Seed.Rand(streamB))
		e.Bias = b.RawMatrix().Data
	}
	if r.Feedback > 0 {
		fs := make([]float64, r.Feedback)
		for j := range fs {
			fs[j] = r.FeedbackScaling
		}
		e.Feedback = randomDense(n, r.Feedback, r.FeedbackDensity, r.InputWeights, fs, r.Seed.Rand(streamFb))
	}
	return e, nil
}

// randomW draws a sparse N×N W: entry by entry (row-major) non-zero with
// probability density, or inDegree distinct presynaptic units per row
// (partial Fisher–Yates shuffle), each non-zero drawn from dist.
func randomW(n int, density float64, inDegree int, dist Distribution, rng *rand.Rand) *CSR {
	w := &CSR{N: n, Indptr: make([]int, n+1)}
	if inDegree > 0 {
		perm := make([]int32, n)
		for i := range n {
			for j := range perm {
				perm[j] = int32(j)
			}
			for j := range inDegree {
				k := j + rng.IntN(n-j)
				perm[j], perm[k] = perm[k], perm[j]
			}
			pre := perm[:inDegree]
			slices.Sort(pre)
			for _, j := range pre {
				w.Indices = append(w.Indices, j)
				w.Data = append(w.Data, dist.draw(rng))
			}
			w.Indptr[i+1] = len(w.Data)
		}
		return w
	}
	for i := range n {
		for j := range n {
			if density >= 1 || rng.Float64() < density {
				w.Indices = append(w.Indices, int32(j))
				w.Data = append(w.Data, dist.draw(rng))
			}
		}
		w.Indptr[i+1] = len(w.Data)
	}
	return w
}

// dale signs W by presynaptic unit: round(fE·N) units, chosen by a
// shuffle, are excitatory (s = +1), the rest inhibitory (s = −1), and
// W[post][pre] ← s[pre]·|W[post][pre]|. With balance, the inhibitory
// weights of each row are scaled by E/I (E the sum of its excitatory
// weights, I the magnitude of the sum of its inhibitory ones), so that
// the row sums to zero.
func dale(w *CSR, fE float64, balance bool, rng *rand.Rand) {
	n := w.N
	sign := make([]float64, n)
	for i := range sign {
		sign[i] = -1
	}
	for _, j := range rng.Perm(n)[:int(math.Round(fE*float64(n)))] {
		sign[j] = 1
	}
	for i := range n {
		lo, hi := w.Indptr[i], w.Indptr[i+1]
		var exc, inh float64
		for p := lo; p < hi; p++ {
			v := sign[w.Indices[p]] * math.Abs(w.Data[p])
			w.Data[p] = v
			if v > 0 {
				exc += v
			} else {
				inh -= v
			}
		}
		if !balance || exc == 0 || inh == 0 {
			continue
		}
		for p := lo; p < hi; p++ {
			if w.Data[p] < 0 {
				w.Data[p] *= exc / inh
			}
		}
	}
}

// adjacencyW returns W[post][pre] on the support of Aᵀ (A[pre][post]):
// A's values when keep, otherwise values drawn from dist in row-major
// order of W.
func adjacencyW(a mat.Matrix, keep bool, dist Distribution, rng *rand.Rand) *CSR {
	n, _ := a.Dims()
	w := &CSR{N: n, Indptr: make([]int, n+1)}
	for post := range n {
		for pre := range n {
			if v := a.At(pre, post); v != 0 {
				if !keep {
					v = dist.draw(rng)
				}
				w.Indices = append(w.Indices, int32(pre))
				w.Data = append(w.Data, v)
			}
		}
		w.Indptr[post+1] = len(w.Data)
	}
	return w
}

// randomDense draws an r×c matrix whose entries are non-zero with
// probability density, drawn from dist and scaled by scale[column].
func randomDense(r, c int, density float64, dist Distribution, scale []float64, rng *rand.Rand) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i := range r {
		for j := range c {
			if density >= 1 || rng.Float64() < density {
				m.Set(i, j, scale[j]*dist.draw(rng))
			}
		}
	}
	return m
}
