package spiking

// Branching measures the branching factor of a liquid, the mean number of
// descendants per ancestor spike (Beggs & Plenz 2003, "Neuronal avalanches
// in neocortical circuits", J. Neurosci. 23:11167–11177,
// doi:10.1523/JNEUROSCI.23-35-11167.2003; Haldeman & Beggs 2005, Phys. Rev.
// Lett. 94:058101): an excitatory spike of neuron i at step t is an
// ancestor, and each postsynaptic neuron of i that spikes at step t + 1 is
// one of its descendants. σ < 1 is sub-critical (activity dies out), σ > 1
// super-critical, σ ≈ 1 the critical edge the NALSM astrocyte organizes the
// liquid towards. Counts accumulate until Take.
type Branching struct {
	syn             *Synapses
	prev            []int32
	mark            []bool
	ancestors, desc int64
}

func (b *Branching) init(s *Synapses) { b.syn, b.mark = s, make([]bool, s.N) }

func (b *Branching) step(spikes []int32) {
	s := b.syn
	if len(b.prev) > 0 && len(spikes) > 0 {
		for _, j := range spikes {
			b.mark[j] = true
		}
		for _, i := range b.prev {
			for _, j := range s.Post[s.Ptr[i]:s.Ptr[i+1]] {
				if b.mark[j] {
					b.desc++
				}
			}
		}
		for _, j := range spikes {
			b.mark[j] = false
		}
	}
	b.prev = b.prev[:0]
	for _, i := range spikes {
		if int(i) < s.NE {
			b.prev = append(b.prev, i)
			b.ancestors++
		}
	}
}

// Take returns the branching factor of the steps since the last Take
// (descendants / ancestors; NaN-free: 0 when there was no ancestor) and the
// number of ancestors, and starts a new count.
func (b *Branching) Take() (sigma float64, ancestors int64) {
	a, d := b.ancestors, b.desc
	b.ancestors, b.desc = 0, 0
	if a == 0 {
		return 0, 0
	}
	return float64(d) / float64(a), a
}
