package glmhmm

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/glm"
	"github.com/neurotab/neurotab/analysis/hmm"
	"github.com/neurotab/neurotab/connectome"
	"gonum.org/v1/gonum/mat"
)

// Emissions of Config.
const (
	// Gaussian: identity-link GLM with a variance per state and neuron, on
	// z-scored traces.
	Gaussian = "gaussian"
	// Poisson: exp-link GLM on spike counts per bin.
	Poisson = "poisson"
)

// Priors of Config.
const (
	// PriorNone fits every state's weights on their own (the naive
	// HMM-GLM), with the ridge penalty L2.
	PriorNone = "none"
	// PriorGaussian ties the states' weights to a learnable mean,
	// W_k ~ N(W̄, σ²) (Li et al., ICLR 2024).
	PriorGaussian = "gaussian"
	// PriorOneHot is the one-hot prior W_k = S_k ⊙ (A_k[exc] − A_k[inh])
	// with logits shared across states (Li et al., ICLR 2024).
	PriorOneHot = "onehot"
)

// Config sets up a Fit. The zero value is usable: Gaussian emission, no
// prior, K from 2 to 4, history window 5 bins with decay 1/s, L2 3 per
// training bin,
// 3 restarts of at most 100 EM iterations, 10 chunks with 20% held out,
// initial self-transition 0.95, sticky κ 0, seed 0.
type Config struct {
	// MinStates and MaxStates bound the K tried (0 means 2 and 4).
	MinStates, MaxStates int
	// Emission is Gaussian ("" means Gaussian) or Poisson.
	Emission string
	// Prior is PriorNone ("" means none), PriorGaussian or PriorOneHot.
	Prior string
	// Window is the history length L in bins (0 means 5).
	Window int
	// Decay is the history basis decay in 1/s (0 means 1; see glm.ExpBasis).
	Decay float64
	// L2 is the ridge penalty on the weights per training bin: each
	// state's GLM is penalized by (L2·T_train/2) Σ W², so the penalty keeps
	// its weight against the likelihood whatever the recording's length
	// (0 means 3; negative means 0). Strong shrinkage keeps EM from
	// spending the states on history fits that do not switch.
	L2 float64
	// Restarts is the number of seeded EM restarts per K (0 means 3).
	Restarts int
	// MaxIter bounds the EM iterations of a restart (0 means 100).
	MaxIter int
	// Tol is EM's relative tolerance (0 means 1e-6).
	Tol float64
	// Stay is the initial self-transition probability (0 means 0.95).
	Stay float64
	// Kappa ≥ 0 is the sticky Dirichlet prior count on self-transitions
	// (every transition also gets one pseudo-count, Dirichlet α = 2).
	Kappa float64
	// HeldOut is the fraction of chunks held out (0 means 0.2; < 1).
	HeldOut float64
	// Chunks is the number of contiguous chunks a recording is cut into
	// (0 means 10).
	Chunks int
	// Seed seeds the restarts.
	Seed neurotab.Seed

	// PriorSigma is the Gaussian prior's σ (0 means glm.DefaultGaussianSigma).
	PriorSigma float64
	// Tau is the one-hot prior's Concrete temperature (0 means glm.DefaultTau).
	Tau float64
	// Connectome, with PriorOneHot, informs the prior (the connectome-informed
	// HMM-GLM): a chemical or electrical edge pre → post between two of the
	// recording's neurons is a synapse whose sign is the presynaptic
	// neuron's transmitter (connectome.Signs: GABA inhibitory, ACh and Glu
	// excitatory; unknown counted excitatory), a pair of canonical neurons
	// with no edge is "no synapse", and a pair with a neuron the connectome
	// does not name (an unlabeled trace) keeps the uniform prior. π starts
	// at those types with PriorStrength (0 means 2: about 88 % of the prior
	// mass on the connectome's type); FixPrior keeps it there.
	Connectome    []connectome.Edge
	PriorStrength float64
	FixPrior      bool
}

// resolved returns c with defaults filled in.
func (c Config) resolved() Config {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	deff := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.MinStates, 2)
	def(&c.MaxStates, max(4, c.MinStates))
	def(&c.Window, 5)
	def(&c.Restarts, 3)
	def(&c.MaxIter, 100)
	def(&c.Chunks, 10)
	deff(&c.Decay, 1)
	deff(&c.L2, 3)
	if c.L2 < 0 {
		c.L2 = 0
	}
	deff(&c.Tol, 1e-6)
	deff(&c.Stay, 0.95)
	deff(&c.HeldOut, 0.2)
	if c.Emission == "" {
		c.Emission = Gaussian
	}
	if c.Prior == "" {
		c.Prior = PriorNone
	}
	return c
}

// Check validates the configuration; errors wrap neurotab.ErrParam, or
// neurotab.ErrUnsupported for a prior this build does not fit.
func (c Config) Check() error {
	r := c.resolved()
	bad := func(format string, a ...any) error {
		return fmt.Errorf("glmhmm: "+format+": %w", append(a, neurotab.ErrParam)...)
	}
	switch {
	case r.MinStates < 1 || r.MaxStates < r.MinStates:
		return bad("states %d..%d, want 1 ≤ min ≤ max", r.MinStates, r.MaxStates)
	case r.MaxStates > hmm.MaxAlignStates:
		return bad("at most %d states, not %d", hmm.MaxAlignStates, r.MaxStates)
	case r.Emission != Gaussian && r.Emission != Poisson:
		return bad("emission %q, want %s or %s", r.Emission, Gaussian, Poisson)
	case r.Window < 1:
		return bad("history window %d bins, want ≥ 1", r.Window)
	case !(r.Decay > 0) || math.IsInf(r.Decay, 0):
		return bad("decay %g /s, want finite > 0", r.Decay)
	case math.IsNaN(c.L2) || math.IsInf(c.L2, 0):
		return bad("L2 %g, want finite", c.L2)
	case r.Restarts < 1 || r.MaxIter < 1:
		return bad("restarts %d and max iterations %d, want ≥ 1", r.Restarts, r.MaxIter)
	case !(r.Tol > 0):
		return bad("tolerance %g, want > 0", r.Tol)
	case !(r.Stay > 0 && r.Stay < 1):
		return bad("stay probability %g, want in (0, 1)", r.Stay)
	case !(r.Kappa >= 0) || math.IsInf(r.Kappa, 0):
		return bad("kappa %g, want finite ≥ 0", r.Kappa)
	case !(r.HeldOut > 0 && r.HeldOut < 1):
		return bad("held-out fraction %g, want in (0, 1)", r.HeldOut)
	case r.Chunks < 2:
		return bad("%d chunks, want ≥ 2", r.Chunks)
	}
	_, err := newObservations(r, 2, []string{"a", "b"}, 1, r.L2)
	return err
}

// Parameters returns the configuration, defaults resolved, as provenance
// parameters.
func (c Config) Parameters() map[string]any {
	r := c.resolved()
	return map[string]any{
		"states": fmt.Sprintf("%d..%d", r.MinStates, r.MaxStates), "emission": r.Emission, "prior": r.Prior,
		"window": r.Window, "decay": r.Decay, "l2": r.L2, "restarts": r.Restarts, "max_iter": r.MaxIter,
		"tol": r.Tol, "stay": r.Stay, "kappa": r.Kappa, "held_out": r.HeldOut, "chunks": r.Chunks,
		"seed": r.Seed.String(), "prior_sigma": r.PriorSigma, "tau": r.Tau, "prior_strength": r.PriorStrength,
		"fix_prior": r.FixPrior, "connectome_edges": len(r.Connectome), "connectome_datasets": strings.Join(connectome.Datasets(r.Connectome), "+"),
	}
}

// newObservations is the one place a prior name becomes an emission model:
// a K-state GLM on N neurons with the history basis of c at bin width dt s.
// l2 is the absolute ridge penalty (Config.L2 times the training bins).
func newObservations(c Config, K int, neurons []string, dt, l2 float64) (hmm.Observations, error) {
	N := len(neurons)
	basis, err := glm.ExpBasis(c.Decay, c.Window, dt)
	if err != nil {
		return nil, fmt.Errorf("glmhmm: %w", err)
	}
	var prior glm.WeightPrior
	switch c.Prior {
	case PriorNone:
	case PriorGaussian:
		if prior, err = glm.NewGaussianPrior(N, c.PriorSigma); err != nil {
			return nil, fmt.Errorf("glmhmm: %w", err)
		}
	case PriorOneHot:
		if c.Connectome == nil {
			prior, err = glm.NewOneHotPrior(K, N, c.Tau)
		} else {
			strength := c.PriorStrength
			if strength == 0 {
				strength = 2
			}
			prior, err = glm.OneHotPriorFromSigns(K, ConnectomeSigns(c.Connectome, neurons), strength, c.Tau, c.FixPrior)
		}
		if err != nil {
			return nil, fmt.Errorf("glmhmm: %w", err)
		}
	default:
		return nil, fmt.Errorf("glmhmm: prior %q, want %s, %s or %s: %w", c.Prior, PriorNone, PriorGaussian, PriorOneHot, neurotab.ErrParam)
	}
	return glm.NewGLM(glm.GLMOptions{K: K, N: N, Family: c.Emission, Basis: basis, L2: l2, Prior: prior})
}

// ConnectomeSigns is the N × N sign matrix (W[post][pre] orientation) that
// a connectome gives the recording's neurons, as Config.Connectome
// describes: +1 or −1 for a synapse pre → post of that presynaptic sign, 0
// for two canonical neurons with none, NaN for a pair with a neuron the
// edges do not name.
func ConnectomeSigns(edges []connectome.Edge, neurons []string) *mat.Dense {
	N := len(neurons)
	named := map[string]bool{}
	syn := map[[2]string]bool{}
	for _, e := range edges {
		if e.Type != connectome.Chemical && e.Type != connectome.Electrical {
			continue
		}
		named[e.Pre], named[e.Post] = true, true
		if e.Weight != 0 {
			syn[[2]string{e.Pre, e.Post}] = true
		}
	}
	sign := connectome.Signs(connectome.DefaultAtlas(), neurons, connectome.SignRule{})
	S := mat.NewDense(N, N, nil)
	for post := range N {
		for pre := range N {
			switch {
			case !named[neurons[pre]] || !named[neurons[post]]:
				S.Set(post, pre, math.NaN())
			case syn[[2]string{neurons[pre], neurons[post]}]:
				s := sign[pre]
				if s == 0 {
					s = 1
				}
				S.Set(post, pre, s)
			}
		}
	}
	return S
}

// ParseStates reads a K range "2..6" or a single K "3".
func ParseStates(s string) (lo, hi int, err error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "..")
	if !ok {
		b = a
	}
	lo, err1 := strconv.Atoi(strings.TrimSpace(a))
	hi, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil || lo < 1 || hi < lo {
		return 0, 0, fmt.Errorf("glmhmm: states %q, want K or MIN..MAX with 1 ≤ MIN ≤ MAX: %w", s, neurotab.ErrParam)
	}
	return lo, hi, nil
}
