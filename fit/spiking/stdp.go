package spiking

import (
	"fmt"
	"math"

	"github.com/neurotab/neurotab"
)

// STDP is pair-based spike-timing-dependent plasticity with traces
// (Song, Miller & Abbott 2000, doi:10.1038/78829; Morrison, Diesmann &
// Gerstner 2008, "Phenomenological models of synaptic plasticity based on
// spike timing", Biol. Cybern. 98:459–478, doi:10.1007/s00422-008-0233-1)
// on the existing excitatory synapses of a liquid:
//
//	x_i ← x_i e^(−dt/τ₊) (+1 when i spikes)      presynaptic trace
//	y_j ← y_j e^(−dt/τ₋) (+1 when j spikes)      postsynaptic trace
//	j spikes:  w_ij ← w_ij + A₊ x_i              pre before post: potentiation
//	i spikes:  w_ij ← w_ij − A₋ y_j              post before pre: depression
//	0 ≤ w_ij ≤ WMax
//
// Traces are read before the spikes of the current step are added, so
// coincident spikes change nothing. Inhibitory synapses are left fixed.
// When Astrocyte is not nil, A₋ is the astrocyte's state at each step
// (NALSM); otherwise ADepress.
type STDP struct {
	// APot is the potentiation rate A₊ (NALSM: 0.15).
	APot float64
	// ADepress is the depression rate A₋ when there is no astrocyte.
	ADepress float64
	// TauPre and TauPost are the trace time constants τ₊, τ₋ in ms.
	TauPre, TauPost float64
	// WMax bounds the weights above (> 0).
	WMax float64
	// Dt is the step in ms (0 means 1).
	Dt float64
	// Astrocyte, when not nil, sets A₋.
	Astrocyte *Astrocyte

	x, y        []float64
	dpre, dpost float64
	ready       bool
}

// Check reports whether the rule's parameters are valid (wrapping
// neurotab.ErrParam).
func (p *STDP) Check() error {
	for _, f := range []struct {
		name string
		v    float64
		pos  bool
	}{{"APot", p.APot, false}, {"ADepress", p.ADepress, false}, {"TauPre", p.TauPre, true}, {"TauPost", p.TauPost, true}, {"WMax", p.WMax, true}, {"Dt", p.Dt, false}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 || (f.pos && f.v == 0) {
			return fmt.Errorf("spiking: STDP %s = %v: %w", f.name, f.v, neurotab.ErrParam)
		}
	}
	return nil
}

func (p *STDP) start(s *Synapses) {
	dt := p.Dt
	if dt == 0 {
		dt = 1
	}
	p.x, p.y = make([]float64, s.N), make([]float64, s.N)
	p.dpre, p.dpost = math.Exp(-dt/p.TauPre), math.Exp(-dt/p.TauPost)
	s.index()
	p.ready = true
}

// Update applies one step of the rule; Network calls it after each step.
func (p *STDP) Update(s *Synapses, spikes []int32, inputSpikes int) {
	if !p.ready {
		p.start(s)
	}
	aminus := p.ADepress
	if p.Astrocyte != nil {
		aminus = p.Astrocyte.Step(len(spikes), inputSpikes)
	}
	x, y := p.x, p.y
	for i := range x {
		x[i] *= p.dpre
		y[i] *= p.dpost
	}
	wmax := p.WMax
	for _, i := range spikes {
		if int(i) < s.NE && aminus != 0 { // depression of i's out-synapses
			for k := s.Ptr[i]; k < s.Ptr[i+1]; k++ {
				s.W[k] = min(max(s.W[k]-aminus*y[s.Post[k]], 0), wmax)
			}
		}
		// potentiation of i's excitatory in-synapses
		lo, hi := s.inPtr[i], s.inPtr[i+1]
		for q, k := range s.inSyn[lo:hi] {
			if pre := s.inPre[lo+int32(q)]; int(pre) < s.NE {
				s.W[k] = min(s.W[k]+p.APot*x[pre], wmax)
			}
		}
	}
	for _, i := range spikes {
		x[i]++
		y[i]++
	}
}

// Astrocyte is the astrocyte of the neuron-astrocyte liquid state machine
// (Ivanov & Michmizos 2021, NeurIPS 34, arXiv:2111.01760): it integrates
// the liquid's spikes minus the input layer's spikes and its state is the
// STDP depression rate,
//
//	τ_A dA/dt = −A + b + τ_A w_A (Σ liquid spikes − Σ input spikes)
//
// integrated exactly over a step, each spike counted as an impulse of w_A:
// A ← b + (A − b) e^(−dt/τ_A) + w_A (L_t − I_t). b is the potentiation
// rate A₊ (0.15), so with as many liquid as input spikes depression and
// potentiation balance; more liquid activity depresses, less potentiates.
// NALSM uses τ_A = 100 ms and w_A = 0.015 for 1,000 liquid neurons.
type Astrocyte struct {
	// Tau is τ_A in ms, W the weight w_A, B the resting value b.
	Tau, W, B float64
	// Dt is the step in ms (0 means 1).
	Dt float64
	// A is the current state (the depression rate); start it at B.
	A float64
}

// NALSMAstrocyte returns the astrocyte of NALSM for a liquid of n neurons
// (w_A scaled as 0.015·1000/n), at rest.
func NALSMAstrocyte(n int) *Astrocyte {
	return &Astrocyte{Tau: 100, W: 0.015 * 1000 / float64(n), B: 0.15, A: 0.15}
}

// Step advances the astrocyte by one step with the given spike counts and
// returns its new state.
func (a *Astrocyte) Step(liquid, input int) float64 {
	dt := a.Dt
	if dt == 0 {
		dt = 1
	}
	a.A = a.B + (a.A-a.B)*math.Exp(-dt/a.Tau) + a.W*float64(liquid-input)
	return a.A
}
