package hmm

import "gonum.org/v1/gonum/mat"

// initialPseudocount is added to each state's expected first-step count
// before normalizing, as ssm's InitialStateDistribution.m_step does, so no
// state's initial probability becomes exactly zero.
const initialPseudocount = 1e-8

// Initial is the initial state distribution π of an HMM.
type Initial struct {
	// Pi is p(z_1 = k), length K.
	Pi []float64
}

// MStep sets π to the expected first states of the sequences (ssm):
//
//	π_k ∝ Σ_s γ^{(s)}_1(k) + 1e-8
//
// gammas are the T_s × K posteriors of the sequences.
func (p *Initial) MStep(gammas []*mat.Dense) {
	K := len(p.Pi)
	for k := range K {
		p.Pi[k] = initialPseudocount
	}
	for _, g := range gammas {
		for k := range K {
			p.Pi[k] += g.At(0, k)
		}
	}
	normalize(p.Pi)
}

// normalize scales p to sum to one; a zero vector becomes uniform.
func normalize(p []float64) {
	s := 0.0
	for _, v := range p {
		s += v
	}
	if !(s > 0) {
		for i := range p {
			p[i] = 1 / float64(len(p))
		}
		return
	}
	for i := range p {
		p[i] /= s
	}
}
