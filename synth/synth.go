package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/neurotab/neurotab"
	"gonum.org/v1/gonum/mat"
)

// Config sets up a simulation. Zero fields take the defaults noted.
type Config struct {
	Neurons []string // labels of the network's neurons (required, N ≥ 2)

	Worms   int     // recordings (default 3)
	Samples int     // samples per recording (default 900)
	Dt      float64 // sampling interval, s (default 0.333)
	Substep int     // integration steps per sample (default 3), h = Dt/Substep

	States int     // hidden states K (default 2)
	Dwell  float64 // mean dwell time in a state, s (default 20)

	ConnectionProb float64 // p (default 0.1)
	Gain           float64 // g (default 1.2)
	InhibitoryFrac float64 // fraction of inhibitory neurons (default 0.2)
	Drive          float64 // magnitude of state drives b_k (default 1.5)
	Tau            float64 // τ, s (default 1)
	TauCa          float64 // τ_ca, s (default 1.5)
	Noise          float64 // σ, process noise (default 0.3; negative: none)
	ObsNoise       float64 // σ_obs, observation noise on ΔF/F (default 0.05; negative: none)

	ObservedFrac float64 // fraction of neurons each worm records (default 0.7)
	LabeledFrac  float64 // fraction of recorded neurons that are identified (default 0.8)

	// Signs, when set (len N), fixes each neuron's Dale sign instead of
	// drawing it with InhibitoryFrac: +1 excitatory, −1 inhibitory, 0 a
	// neuron with no outgoing coupling (a neuromodulatory neuron). Give
	// connectome.Signs of the labels so that the atlas's sign rule
	// reproduces the ground truth.
	Signs []float64

	Seed neurotab.Seed
}

func (c Config) withDefaults() Config {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	if c.Worms == 0 {
		c.Worms = 3
	}
	if c.Samples == 0 {
		c.Samples = 900
	}
	if c.Substep == 0 {
		c.Substep = 3
	}
	if c.States == 0 {
		c.States = 2
	}
	def(&c.Dt, 0.333)
	def(&c.Dwell, 20)
	def(&c.ConnectionProb, 0.1)
	def(&c.Gain, 1.2)
	def(&c.InhibitoryFrac, 0.2)
	def(&c.Drive, 1.5)
	def(&c.Tau, 1)
	def(&c.TauCa, 1.5)
	def(&c.Noise, 0.3)
	def(&c.ObsNoise, 0.05)
	def(&c.ObservedFrac, 0.7)
	def(&c.LabeledFrac, 0.8)
	return c
}

// Network is the ground truth shared by every worm.
type Network struct {
	Neurons []string // N labels
	// W is the N × N coupling in the recurrent-weight orientation of the
	// notation page (package neurotab): W[post][pre] is the effect of pre
	// on post, used as x ← W tanh(x); the adjacency A[pre][post] is Wᵀ.
	W          *mat.Dense
	Inhibitory []bool     // N: Dale's law sign of each neuron's outputs (true: negative)
	Drive      *mat.Dense // K × N state drives b_k
	Transition *mat.Dense // K × K per-substep state-transition matrix P (not an adjacency)
}

// Worm is one simulated recording.
type Worm struct {
	ID      string
	Neurons []int      // indices into Network.Neurons of the recorded neurons, ascending
	Labeled []bool     // per recorded neuron: identified or not
	Time    []float64  // T sample times, s (start at 0)
	F       *mat.Dense // T × len(Neurons) ΔF/F
	States  []int      // T hidden state at each sample
}

// Result is a whole simulation.
type Result struct {
	Config  Config // with defaults filled in
	Network Network
	Worms   []Worm
}

// Simulate runs the model of the package comment.
func Simulate(cfg Config) (*Result, error) {
	c := cfg.withDefaults()
	N := len(c.Neurons)
	switch {
	case N < 2:
		return nil, fmt.Errorf("synth: %d neurons, need at least 2: %w", N, neurotab.ErrParam)
	case c.Worms < 1 || c.Samples < 2 || c.States < 1 || c.Substep < 1:
		return nil, fmt.Errorf("synth: worms %d, samples %d, states %d, substeps %d must be positive (samples ≥ 2): %w", c.Worms, c.Samples, c.States, c.Substep, neurotab.ErrParam)
	case c.Dt <= 0 || c.Tau <= 0 || c.TauCa <= 0 || c.Dwell <= 0:
		return nil, fmt.Errorf("synth: Dt, Tau, TauCa and Dwell must be positive: %w", neurotab.ErrParam)
	case c.ConnectionProb <= 0 || c.ConnectionProb > 1 || c.ObservedFrac <= 0 || c.ObservedFrac > 1 || c.LabeledFrac < 0 || c.LabeledFrac > 1:
		return nil, fmt.Errorf("synth: probabilities must lie in (0, 1]: %w", neurotab.ErrParam)
	}
	if c.Signs != nil {
		if len(c.Signs) != N {
			return nil, fmt.Errorf("synth: %d signs for %d neurons: %w", len(c.Signs), N, neurotab.ErrShape)
		}
		for i, v := range c.Signs {
			if v != 1 && v != -1 && v != 0 {
				return nil, fmt.Errorf("synth: sign %v of %s, want +1, -1 or 0: %w", v, c.Neurons[i], neurotab.ErrParam)
			}
		}
	}
	net := makeNetwork(c, c.Seed.Rand(streamNetwork))
	res := &Result{Config: c, Network: net}
	for w := 0; w < c.Worms; w++ {
		res.Worms = append(res.Worms, simulateWorm(c, net, w))
	}
	return res, nil
}

// Random streams: the network draws from one PCG stream of the seed and each
// worm from its own, so any worm can be simulated alone (SimulateWorms) and
// gives the same numbers as in a full run.
const streamNetwork = 0x6e6575726f746162 // "neurotab"

// SimulateWorms simulates n more worms, numbered first, first+1, …, on the
// network of an earlier result (same config and seed). Worm w is identical
// to the w-th worm of a Simulate run with Worms > w.
func SimulateWorms(res *Result, first, n int) ([]Worm, error) {
	if first < 0 || n < 0 {
		return nil, fmt.Errorf("synth: worm range %d+%d has a negative part: %w", first, n, neurotab.ErrParam)
	}
	out := make([]Worm, n)
	for k := range out {
		out[k] = simulateWorm(res.Config, res.Network, first+k)
	}
	return out, nil
}

func makeNetwork(c Config, rng *rand.Rand) Network {
	N, K := len(c.Neurons), c.States
	inh := make([]bool, N)
	silent := make([]bool, N) // no outgoing coupling
	for i := range inh {
		u := rng.Float64() // drawn even when Signs is set, so the rest of the network does not depend on it
		if c.Signs != nil {
			inh[i], silent[i] = c.Signs[i] < 0, c.Signs[i] == 0
		} else {
			inh[i] = u < c.InhibitoryFrac
		}
	}
	W := mat.NewDense(N, N, nil)
	scale := c.Gain / math.Sqrt(c.ConnectionProb*float64(N))
	for post := 0; post < N; post++ {
		for pre := 0; pre < N; pre++ {
			if pre == post || rng.Float64() >= c.ConnectionProb {
				continue
			}
			w := math.Abs(rng.NormFloat64()) * scale
			if silent[pre] {
				continue
			}
			if inh[pre] {
				w = -w
			}
			W.Set(post, pre, w)
		}
	}
	// Each state drives its own random third of the neurons.
	B := mat.NewDense(K, N, nil)
	for k := 0; k < K; k++ {
		for i := 0; i < N; i++ {
			if rng.IntN(3) == 0 {
				B.Set(k, i, c.Drive)
			}
		}
	}
	h := c.Dt / float64(c.Substep)
	A := mat.NewDense(K, K, nil)
	stay := 1 - h/c.Dwell
	for i := 0; i < K; i++ {
		for j := 0; j < K; j++ {
			if K == 1 {
				A.Set(i, j, 1)
			} else if i == j {
				A.Set(i, j, stay)
			} else {
				A.Set(i, j, (1-stay)/float64(K-1))
			}
		}
	}
	return Network{Neurons: append([]string(nil), c.Neurons...), W: W, Inhibitory: inh, Drive: B, Transition: A}
}

// nonNeg maps the "exactly zero" sentinel (a negative value) to 0.
func nonNeg(v float64) float64 { return math.Max(v, 0) }

func softplus(x float64) float64 {
	if x > 30 {
		return x
	}
	return math.Log1p(math.Exp(x))
}

func simulateWorm(c Config, net Network, w int) Worm {
	rng := c.Seed.Rand(streamNetwork + 1 + uint64(w))
	N, K, T := len(c.Neurons), c.States, c.Samples
	h := c.Dt / float64(c.Substep)
	x := make([]float64, N)
	phi := make([]float64, N)
	ca := make([]float64, N)
	for i := range x {
		x[i] = 0.1 * rng.NormFloat64()
		ca[i] = softplus(0) * c.TauCa
	}
	z := rng.IntN(K)
	burn := int(10 * math.Max(c.Tau, c.TauCa) / h) // let transients settle
	noise, obsNoise := nonNeg(c.Noise), nonNeg(c.ObsNoise)
	total := burn + T*c.Substep
	rawF := mat.NewDense(T, N, nil)
	states := make([]int, T)
	sqh := math.Sqrt(h)
	a := h / c.Tau
	phiV := mat.NewVecDense(N, phi)
	inV := mat.NewVecDense(N, nil)
	in := inV.RawVector().Data
	for step := 0; step < total; step++ {
		for i := range x {
			phi[i] = math.Tanh(x[i])
		}
		inV.MulVec(net.W, phiV)
		for i := 0; i < N; i++ {
			x[i] += a*(-x[i]+in[i]+net.Drive.At(z, i)) + noise*sqh*rng.NormFloat64()
		}
		for i := 0; i < N; i++ {
			ca[i] += h * (-ca[i]/c.TauCa + softplus(x[i]))
		}
		// next state
		if K > 1 {
			u, acc := rng.Float64(), 0.0
			for k := 0; k < K; k++ {
				acc += net.Transition.At(z, k)
				if u < acc {
					z = k
					break
				}
			}
		}
		if s := step - burn; s >= 0 && (s+1)%c.Substep == 0 {
			t := s / c.Substep
			states[t] = z
			for i := 0; i < N; i++ {
				rawF.Set(t, i, ca[i])
			}
		}
	}
	// Observed subset and labels.
	perm := rng.Perm(N)
	nObs := max(2, int(math.Round(c.ObservedFrac*float64(N))))
	obs := append([]int(nil), perm[:nObs]...)
	sort.Ints(obs)
	F := mat.NewDense(T, nObs, nil)
	labeled := make([]bool, nObs)
	for j, i := range obs {
		labeled[j] = rng.Float64() < c.LabeledFrac
		// ΔF/F against the recording's mean calcium level.
		mean := 0.0
		for t := 0; t < T; t++ {
			mean += rawF.At(t, i)
		}
		mean /= float64(T)
		for t := 0; t < T; t++ {
			F.Set(t, j, rawF.At(t, i)/mean-1+obsNoise*rng.NormFloat64())
		}
	}
	tm := make([]float64, T)
	for t := range tm {
		tm[t] = float64(t) * c.Dt
	}
	return Worm{ID: fmt.Sprintf("worm%d", w), Neurons: obs, Labeled: labeled, Time: tm, F: F, States: states}
}
