package spiking

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/neurotab/neurotab"
)

// Izhikevich holds the parameters a, b, c, d of the Izhikevich (2003)
// neuron ("Simple model of spiking neurons", IEEE Trans. Neural Netw.
// 14:1569–1572, doi:10.1109/TNN.2003.820440), in mV and ms:
//
//	dv/dt = 0.04 v² + 5 v + 140 − u + I
//	du/dt = a (b v − u)
//	v ≥ 30 mV  →  spike, v ← c, u ← u + d
//
// integrated as in the paper's reference code with dt = 1 ms: spikes are
// detected and reset first, then v takes two 0.5 ms Euler half-steps (for
// numerical stability) and u one 1 ms step.
type Izhikevich struct{ A, B, C, D float64 }

// The presets of Izhikevich (2003), Fig. 2.
var (
	// RegularSpiking is the typical excitatory cortical neuron.
	RegularSpiking = Izhikevich{A: 0.02, B: 0.2, C: -65, D: 8}
	// FastSpiking is the typical inhibitory interneuron.
	FastSpiking = Izhikevich{A: 0.1, B: 0.2, C: -65, D: 2}
)

// IzhikevichHetero draws the heterogeneous parameters of Izhikevich's
// reference network (2003, the MATLAB listing): with r uniform in [0, 1)
// per neuron, excitatory neurons get a = 0.02, b = 0.2, c = −65 + 15 r²,
// d = 8 − 6 r² (regular spiking to chattering) and inhibitory ones
// a = 0.02 + 0.08 r, b = 0.25 − 0.05 r, c = −65, d = 2 (fast spiking to
// low-threshold spiking). Neurons 0…ne−1 are excitatory.
func IzhikevichHetero(rng *rand.Rand, ne, ni int) []Izhikevich {
	p := make([]Izhikevich, ne+ni)
	for i := range ne {
		r := rng.Float64()
		p[i] = Izhikevich{A: 0.02, B: 0.2, C: -65 + 15*r*r, D: 8 - 6*r*r}
	}
	for i := ne; i < ne+ni; i++ {
		r := rng.Float64()
		p[i] = Izhikevich{A: 0.02 + 0.08*r, B: 0.25 - 0.05*r, C: -65, D: 2}
	}
	return p
}

// IzhikevichPop is a population of Izhikevich neurons with dt = 1 ms; it
// implements Population. Synaptic input is a jump current: in[i] adds to
// the neuron's I for the next step only, as in the reference network.
type IzhikevichPop struct {
	P    []Izhikevich
	V, U []float64
	// IExt is a constant external current per neuron (nil: 0).
	IExt []float64
}

// NewIzhikevichPop returns neurons with the given parameters at v = −65,
// u = b v.
func NewIzhikevichPop(p []Izhikevich) (*IzhikevichPop, error) {
	if len(p) == 0 {
		return nil, fmt.Errorf("spiking: Izhikevich population of 0 neurons: %w", neurotab.ErrParam)
	}
	for i, q := range p {
		for _, v := range [4]float64{q.A, q.B, q.C, q.D} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("spiking: Izhikevich neuron %d parameters %v: %w", i, q, neurotab.ErrNotFinite)
			}
		}
	}
	z := &IzhikevichPop{P: p, V: make([]float64, len(p)), U: make([]float64, len(p))}
	z.Reset()
	return z, nil
}

// Len returns the number of neurons.
func (z *IzhikevichPop) Len() int { return len(z.P) }

// Reset puts every neuron at v = −65, u = b v.
func (z *IzhikevichPop) Reset() {
	for i, q := range z.P {
		z.V[i], z.U[i] = -65, q.B*-65
	}
}

// Step advances every neuron by 1 ms. The spikes reported are those whose
// v reached 30 mV at the start of the step (the reference code's order),
// so a neuron's spike and its reset belong to the same step. in is added to
// the current of this step.
func (z *IzhikevichPop) Step(in []float64, spikes []int32) []int32 {
	V, U := z.V, z.U
	in = in[:len(V)]
	for i, q := range z.P {
		v, u := V[i], U[i]
		if v >= 30 {
			spikes = append(spikes, int32(i))
			v = q.C
			u += q.D
		}
		I := in[i]
		if z.IExt != nil {
			I += z.IExt[i]
		}
		v = v + 0.5*(0.04*v*v+5*v+140-u+I)
		v = v + 0.5*(0.04*v*v+5*v+140-u+I)
		u = u + q.A*(q.B*v-u)
		V[i], U[i] = v, u
	}
	return spikes
}
