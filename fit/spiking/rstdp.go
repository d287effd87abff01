package spiking

import (
	"fmt"
	"math"

	"github.com/neurotab/neurotab"
)

// RewardSTDP is reward-modulated (dopamine-gated) STDP, the three-factor
// rule that solves the distal reward problem (Izhikevich 2007, "Solving the
// distal reward problem through linkage of STDP and dopamine signaling",
// Cereb. Cortex 17:2443–2452, doi:10.1093/cercor/bhl152; Florian 2007,
// Neural Comput. 19:1468–1502): the pair-based STDP of STDP does not change
// a weight but the synapse's eligibility trace c, and a diffuse reward
// signal d (dopamine) turns eligibility into weight change:
//
//	x_i, y_j   pre- and postsynaptic traces, as in STDP
//	c_ij ← c_ij e^(−dt/τ_c)  (+A₊ x_i when j spikes, −A₋ y_j when i spikes)
//	d    ← d e^(−dt/τ_d)     (+r for each Reward(r))
//	w_ij ← clip(w_ij + dt · c_ij · d, 0, WMax)
//
// in that order within a step. Because c decays slowly (τ_c = 1 s), a reward
// that arrives seconds after a pre→post pairing still credits that synapse.
// Only excitatory synapses are plastic. Network calls Update after each step;
// the task calls Reward when the behaviour it wants happens.
type RewardSTDP struct {
	// APot, ADepress are the eligibility increments A₊, A₋ of a pairing.
	APot, ADepress float64
	// TauPre, TauPost are the STDP trace time constants τ₊, τ₋ (ms).
	TauPre, TauPost float64
	// TauElig is τ_c (ms; Izhikevich 2007: 1000), TauReward τ_d (ms; 200).
	TauElig, TauReward float64
	// WMax bounds the weights above (> 0).
	WMax float64
	// Dt is the step in ms (0 means 1).
	Dt float64

	x, y, c    []float64
	d          float64
	dx, dy, dc float64
	dd, dt     float64
	ready      bool
	pending    float64
}

// Check reports whether the parameters are valid (wrapping neurotab.ErrParam).
func (p *RewardSTDP) Check() error {
	for _, f := range []struct {
		name string
		v    float64
		pos  bool
	}{{"APot", p.APot, false}, {"ADepress", p.ADepress, false}, {"TauPre", p.TauPre, true}, {"TauPost", p.TauPost, true},
		{"TauElig", p.TauElig, true}, {"TauReward", p.TauReward, true}, {"WMax", p.WMax, true}, {"Dt", p.Dt, false}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 || (f.pos && f.v == 0) {
			return fmt.Errorf("spiking: RewardSTDP %s = %v: %w", f.name, f.v, neurotab.ErrParam)
		}
	}
	return nil
}

func (p *RewardSTDP) start(s *Synapses) {
	p.dt = p.Dt
	if p.dt == 0 {
		p.dt = 1
	}
	p.x, p.y, p.c = make([]float64, s.N), make([]float64, s.N), make([]float64, s.Len())
	p.dx, p.dy = math.Exp(-p.dt/p.TauPre), math.Exp(-p.dt/p.TauPost)
	p.dc, p.dd = math.Exp(-p.dt/p.TauElig), math.Exp(-p.dt/p.TauReward)
	s.index()
	p.ready = true
}

// Reward delivers reward r (dopamine; negative for punishment) at the next
// step.
func (p *RewardSTDP) Reward(r float64) { p.pending += r }

// Eligibility returns the eligibility trace of synapse k (0 before the
// first step).
func (p *RewardSTDP) Eligibility(k int) float64 {
	if !p.ready {
		return 0
	}
	return p.c[k]
}

// Dopamine returns the reward signal d.
func (p *RewardSTDP) Dopamine() float64 { return p.d }

// Update applies one step of the rule.
func (p *RewardSTDP) Update(s *Synapses, spikes []int32, _ int) {
	if !p.ready {
		p.start(s)
	}
	for i := range p.x {
		p.x[i] *= p.dx
		p.y[i] *= p.dy
	}
	for k := range p.c {
		p.c[k] *= p.dc
	}
	p.d = p.d*p.dd + p.pending
	p.pending = 0
	for _, i := range spikes {
		if int(i) < s.NE { // post before pre: i's out-synapses lose eligibility
			for k := s.Ptr[i]; k < s.Ptr[i+1]; k++ {
				p.c[k] -= p.ADepress * p.y[s.Post[k]]
			}
		}
		lo, hi := s.inPtr[i], s.inPtr[i+1] // pre before post: i's excitatory in-synapses gain
		for q, k := range s.inSyn[lo:hi] {
			if pre := s.inPre[lo+int32(q)]; int(pre) < s.NE {
				p.c[k] += p.APot * p.x[pre]
			}
		}
	}
	for _, i := range spikes {
		p.x[i]++
		p.y[i]++
	}
	if p.d != 0 {
		g := p.dt * p.d
		// Excitatory neurons come first, so their synapses are 0 … Ptr[NE).
		for k := range p.c[:s.Ptr[s.NE]] {
			s.W[k] = min(max(s.W[k]+g*p.c[k], 0), p.WMax)
		}
	}
}
