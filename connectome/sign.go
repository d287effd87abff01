package connectome

// SignRule assigns an excitatory (+1) or inhibitory (−1) sign to a neuron
// from its neurotransmitter. The zero value is the default rule: GABA
// inhibitory, ACh and Glu excitatory, everything else (DA, 5HT,
// Octopamine, Unknown) 0. Glutamate can also inhibit through GluCl
// channels, so connectome-constrained models may move "Glu" to Inhibitory.
type SignRule struct {
	// Excitatory and Inhibitory list transmitter names as in the atlas
	// (see NormalizeTransmitter). When both are nil the default applies.
	Excitatory, Inhibitory []string
}

func (r SignRule) lists() (exc, inh []string) {
	if r.Excitatory == nil && r.Inhibitory == nil {
		return []string{"ACh", "Glu"}, []string{"GABA"}
	}
	return r.Excitatory, r.Inhibitory
}

// Sign returns +1, −1 or 0 for the neuron called label in atlas a (0 when
// the label is not in the atlas). Inhibitory wins when a transmitter is in
// both lists.
func Sign(a *Atlas, label string, rule SignRule) int {
	n, ok := a.Neuron(label)
	if !ok {
		return 0
	}
	exc, inh := rule.lists()
	t := NormalizeTransmitter(n.Neurotransmitter)
	for _, s := range inh {
		if NormalizeTransmitter(s) == t {
			return -1
		}
	}
	for _, s := range exc {
		if NormalizeTransmitter(s) == t {
			return 1
		}
	}
	return 0
}

// Signs returns Sign for each label, as float64: the presynaptic signs s
// that SignedAdjacency (diag(s)·A for A[pre][post]) and SignedWeights
// (W·diag(s) for W[post][pre]) apply, so no caller picks the side by hand
// (see "Matrix orientation" in [github.com/neurotab/neurotab]).
func Signs(a *Atlas, labels []string, rule SignRule) []float64 {
	out := make([]float64, len(labels))
	for i, l := range labels {
		out[i] = float64(Sign(a, l, rule))
	}
	return out
}
