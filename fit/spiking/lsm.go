package spiking

import (
	"fmt"

	"github.com/neurotab/neurotab"
)

// LSM configures a NALSM-style liquid state machine: NALSM LIF neurons on
// a 3-D grid with distance-dependent connectivity (Grid3D), an input layer
// of event channels, and optionally astrocyte-modulated STDP on the
// excitatory synapses. The zero value gives the defaults noted on each
// field; Seed seeds everything (streams 1: connectivity, 2: input layer).
type LSM struct {
	// Grid is the liquid's grid (default 10×10×10: 1,000 neurons).
	Grid [3]int
	// Excitatory is the excitatory fraction (default 0.8).
	Excitatory float64
	// Lambda is λ of the connection probability (default 2).
	Lambda float64
	// Weights are the initial magnitudes (default EE = EI = 6, IE = II = 12).
	Weights Weights
	// Fanout and InputWeight define the input layer: each channel reaches
	// Fanout liquid neurons with weight InputWeight (defaults 5 and 3).
	Fanout      int
	InputWeight float64
	// Plastic turns STDP on (A₊ = 0.15, τ₊ = τ₋ = 10 ms, WMax = 30);
	// Astrocyte makes its depression rate NALSM's astrocyte, else A₋ = A₊.
	Plastic, Astrocyte bool
	// Seed seeds the connectivity and the input layer.
	Seed neurotab.Seed
}

func (c LSM) withDefaults() LSM {
	if c.Grid == ([3]int{}) {
		c.Grid = [3]int{10, 10, 10}
	}
	if c.Excitatory == 0 {
		c.Excitatory = 0.8
	}
	if c.Lambda == 0 {
		c.Lambda = 2
	}
	if c.Weights == (Weights{}) {
		c.Weights = Weights{EE: 6, EI: 6, IE: 12, II: 12}
	}
	if c.Fanout == 0 {
		c.Fanout = 5
	}
	if c.InputWeight == 0 {
		c.InputWeight = 3
	}
	return c
}

// Parameters returns the configuration with defaults filled in, for
// provenance.
func (c LSM) Parameters() map[string]any {
	c = c.withDefaults()
	return map[string]any{"grid": c.Grid, "excitatory": c.Excitatory, "lambda": c.Lambda, "weights": c.Weights,
		"fanout": c.Fanout, "input_weight": c.InputWeight, "plastic": c.Plastic, "astrocyte": c.Astrocyte, "seed": c.Seed.String()}
}

// Liquid is a built LSM: the network, its input layer and its plasticity
// rule (nil when not plastic).
type Liquid struct {
	Net  *Network
	In   *Input
	STDP *STDP
}

// New builds the liquid for an input of the given number of channels.
func (c LSM) New(channels int) (*Liquid, error) {
	c = c.withDefaults()
	n := c.Grid[0] * c.Grid[1] * c.Grid[2]
	if !(c.Excitatory >= 0 && c.Excitatory <= 1) {
		return nil, fmt.Errorf("spiking: LSM excitatory fraction %v: %w", c.Excitatory, neurotab.ErrParam)
	}
	syn, err := Grid3D(c.Seed.Rand(1), c.Grid[0], c.Grid[1], c.Grid[2], int(c.Excitatory*float64(n)+0.5), c.Lambda, c.Weights)
	if err != nil {
		return nil, err
	}
	pop, err := NewLIFPop(NALSMLIF(), n, 1)
	if err != nil {
		return nil, err
	}
	net, err := NewNetwork(pop, syn)
	if err != nil {
		return nil, err
	}
	in, err := NewInput(c.Seed.Rand(2), channels, n, min(c.Fanout, n), c.InputWeight)
	if err != nil {
		return nil, err
	}
	l := &Liquid{Net: net, In: in}
	if c.Plastic {
		l.STDP = &STDP{APot: 0.15, ADepress: 0.15, TauPre: 10, TauPost: 10, WMax: 30}
		if c.Astrocyte {
			l.STDP.Astrocyte = NALSMAstrocyte(n)
		}
		net.Plasticity = l.STDP
	}
	return l, nil
}

// Step drives the liquid for one step with the input spikes on the given
// channels and returns the liquid's spikes (valid until the next Step).
func (l *Liquid) Step(channels []int32) []int32 {
	buf := l.Net.Input()
	for _, c := range channels {
		l.In.Add(buf, int(c))
	}
	return l.Net.Step(len(channels))
}
