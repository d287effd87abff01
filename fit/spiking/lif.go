package spiking

import (
	"fmt"
	"math"

	"github.com/neurotab/neurotab"
)

// LIF holds the parameters of a leaky integrate-and-fire neuron with an
// exponential current synapse:
//
//	τ_m dV/dt = −(V − V_rest) + R (I_ext + I_syn)
//	τ_s dI_syn/dt = −I_syn,   I_syn += w at each presynaptic spike
//	V ≥ V_th  →  spike, V ← V_reset, held there for t_ref
//
// The equations are linear between spikes, so a step of length dt is
// integrated exactly (Rotter & Diesmann 1999, "Exact digital simulation of
// time-invariant linear systems with applications to neuronal modeling",
// Biol. Cybern. 81:381–402, doi:10.1007/s004220050570) with the propagators
//
//	V ← V∞ + (V − V∞) e^(−dt/τ_m) + R τ_s/(τ_s − τ_m) (e^(−dt/τ_s) − e^(−dt/τ_m)) I_syn
//	I_syn ← I_syn e^(−dt/τ_s)
//
// where V∞ = V_rest + R I_ext (the middle term is R dt/τ_m e^(−dt/τ_m) I_syn
// when τ_s = τ_m). With TauSyn = 0 the synapse is a jump: a spike of weight
// w adds w to V directly. Spikes are detected at the end of a step, so
// under a constant current I (V_rest = V_reset = 0) the neuron fires every
//
//	T = t_ref + τ_m ln(R I / (R I − V_th))
//
// rounded up to the step grid.
type LIF struct {
	// TauM is the membrane time constant τ_m in ms (> 0).
	TauM float64
	// TauSyn is the synaptic time constant τ_s in ms; 0 makes jump synapses.
	TauSyn float64
	// R is the membrane resistance (voltage per unit current); 0 means 1.
	R float64
	// VRest, VReset and VThresh are the resting, reset and threshold
	// potentials (VThresh > VReset).
	VRest, VReset, VThresh float64
	// TRef is the refractory period in ms (≥ 0).
	TRef float64
}

// NALSMLIF returns the dimensionless LIF of the neuron-astrocyte liquid
// state machine (Ivanov & Michmizos 2021, "Increasing liquid state machine
// performance with edge-of-chaos dynamics organized by astrocyte-modulated
// plasticity", NeurIPS 34, arXiv:2111.01760): τ_v = 64, V_th = 20, reset
// and rest 0, t_ref = 2 (with dt = 1 ms), jump synapses.
func NALSMLIF() LIF { return LIF{TauM: 64, VThresh: 20, TRef: 2} }

func (p LIF) r() float64 {
	if p.R == 0 {
		return 1
	}
	return p.R
}

// Check reports whether the parameters are valid for a step dt (ms); the
// error wraps neurotab.ErrParam.
func (p LIF) Check(dt float64) error {
	bad := func(f string, v any) error { return fmt.Errorf("spiking: LIF %s = %v: %w", f, v, neurotab.ErrParam) }
	switch {
	case !(dt > 0) || math.IsInf(dt, 0):
		return bad("dt", dt)
	case !(p.TauM > 0) || math.IsInf(p.TauM, 0):
		return bad("TauM", p.TauM)
	case !(p.TauSyn >= 0) || math.IsInf(p.TauSyn, 0):
		return bad("TauSyn", p.TauSyn)
	case !(p.TRef >= 0) || math.IsInf(p.TRef, 0):
		return bad("TRef", p.TRef)
	case !(p.VThresh > p.VReset):
		return bad("VThresh", p.VThresh)
	case math.IsNaN(p.R) || math.IsInf(p.R, 0) || math.IsNaN(p.VRest) || math.IsInf(p.VRest, 0):
		return bad("R or VRest", [2]float64{p.R, p.VRest})
	}
	return nil
}

// LIFPop is a population of identical LIF neurons stepped together; it
// implements Population.
type LIFPop struct {
	p          LIF
	dt         float64
	nref       int32
	p22, p11   float64 // e^(−dt/τ_m), e^(−dt/τ_s)
	p21        float64 // I_syn → V propagator
	V, ISyn    []float64
	IExt       []float64 // constant external current per neuron (nil: 0)
	ref        []int32
	jump       bool
	resistance float64
}

// NewLIFPop returns n LIF neurons at rest with step dt (ms).
func NewLIFPop(p LIF, n int, dt float64) (*LIFPop, error) {
	if err := p.Check(dt); err != nil {
		return nil, err
	}
	if n <= 0 {
		return nil, fmt.Errorf("spiking: LIF population of %d neurons: %w", n, neurotab.ErrParam)
	}
	l := &LIFPop{p: p, dt: dt, nref: int32(math.Round(p.TRef / dt)), resistance: p.r()}
	l.p22 = math.Exp(-dt / p.TauM)
	if p.TauSyn == 0 {
		l.jump = true
	} else {
		l.p11 = math.Exp(-dt / p.TauSyn)
		if p.TauSyn == p.TauM {
			l.p21 = l.resistance * dt / p.TauM * l.p22
		} else {
			l.p21 = l.resistance * p.TauSyn / (p.TauSyn - p.TauM) * (l.p11 - l.p22)
		}
	}
	l.V, l.ISyn, l.ref = make([]float64, n), make([]float64, n), make([]int32, n)
	l.Reset()
	return l, nil
}

// Len returns the number of neurons.
func (l *LIFPop) Len() int { return len(l.V) }

// Reset puts every neuron at rest, out of refractoriness, with no synaptic
// current.
func (l *LIFPop) Reset() {
	for i := range l.V {
		l.V[i], l.ISyn[i], l.ref[i] = l.p.VRest, 0, 0
	}
}

// Step advances every neuron by dt: it integrates the membrane exactly over
// the step, then adds the synaptic input in (weights of the spikes that
// arrive at the end of this step, one per neuron) to I_syn — or to V for
// jump synapses — and appends the neurons whose V reached V_th to spikes.
func (l *LIFPop) Step(in []float64, spikes []int32) []int32 {
	vr, vreset, vth, R := l.p.VRest, l.p.VReset, l.p.VThresh, l.resistance
	p22, p11, p21 := l.p22, l.p11, l.p21
	V, I, ref := l.V, l.ISyn, l.ref
	in = in[:len(V)]
	for i := range V {
		vinf := vr
		if l.IExt != nil {
			vinf += R * l.IExt[i]
		}
		if ref[i] > 0 {
			ref[i]--
			V[i] = vreset
			if !l.jump {
				I[i] = I[i]*p11 + in[i]
			}
			continue
		}
		v := vinf + (V[i]-vinf)*p22
		if l.jump {
			v += in[i]
		} else {
			v += p21 * I[i]
			I[i] = I[i]*p11 + in[i]
		}
		if v >= vth {
			spikes = append(spikes, int32(i))
			v = vreset
			ref[i] = l.nref
		}
		V[i] = v
	}
	return spikes
}
