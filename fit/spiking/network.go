package spiking

import (
	"fmt"

	"github.com/neurotab/neurotab"
)

// Network is a liquid: a population of neurons, its synapses and the
// in-flight spikes. Spikes propagate event-driven: when neuron i fires at
// step t, each of its out-synapses s adds W[s] to a ring buffer slot that
// its target reads at step t + Delay[s]; the cost is one addition per
// synaptic event.
type Network struct {
	Pop Population
	Syn *Synapses
	// Plasticity, when not nil, is called after every step with the
	// liquid's spikes and the number of input spikes of the step.
	Plasticity Plasticity

	ring     [][]float64
	t        int
	spikes   []int32
	events   int64
	updates  int64
	branch   Branching
	branchOn bool
}

// NewNetwork returns a liquid of the population and synapses (of the same
// size).
func NewNetwork(pop Population, syn *Synapses) (*Network, error) {
	if err := syn.Check(); err != nil {
		return nil, err
	}
	if pop.Len() != syn.N {
		return nil, fmt.Errorf("spiking: %d neurons with synapses over %d: %w", pop.Len(), syn.N, neurotab.ErrShape)
	}
	d := 1
	for _, x := range syn.Delay {
		d = max(d, int(x))
	}
	n := &Network{Pop: pop, Syn: syn, ring: make([][]float64, d+1)}
	for k := range n.ring {
		n.ring[k] = make([]float64, syn.N)
	}
	n.branch.init(syn)
	return n, nil
}

// Reset puts the neurons at rest and drops the spikes in flight; the
// weights (which plasticity may have changed) and the counters stay.
func (n *Network) Reset() {
	n.Pop.Reset()
	for _, r := range n.ring {
		clear(r)
	}
	n.spikes = n.spikes[:0]
	n.branch.prev = n.branch.prev[:0]
}

// Input returns the input buffer of the coming step (length N), to which
// external drive is added before Step (Input.Add does it for event
// channels).
func (n *Network) Input() []float64 { return n.ring[n.t%len(n.ring)] }

// Step advances the liquid by one step, reading the input buffer, and
// returns the neurons that spiked (valid until the next Step). inputSpikes
// is the number of input-layer spikes of the step, for plasticity.
func (n *Network) Step(inputSpikes int) []int32 {
	slot := n.ring[n.t%len(n.ring)]
	n.spikes = n.Pop.Step(slot, n.spikes[:0])
	clear(slot)
	s, D := n.Syn, len(n.ring)
	for _, i := range n.spikes {
		lo, hi := s.Ptr[i], s.Ptr[i+1]
		if s.Delay == nil {
			next := n.ring[(n.t+1)%D]
			post, w := s.Post[lo:hi], s.W[lo:hi]
			for k, j := range post {
				next[j] += w[k]
			}
		} else {
			for k := lo; k < hi; k++ {
				n.ring[(n.t+int(s.Delay[k]))%D][s.Post[k]] += s.W[k]
			}
		}
		n.events += int64(hi - lo)
	}
	if n.branchOn {
		n.branch.step(n.spikes)
	}
	if n.Plasticity != nil {
		n.Plasticity.Update(n.Syn, n.spikes, inputSpikes)
	}
	n.t++
	n.updates += int64(s.N)
	return n.spikes
}

// Counts returns the neuron updates and synaptic events simulated so far.
func (n *Network) Counts() (updates, events int64) { return n.updates, n.events }

// Branching returns the branching counter of the liquid and starts it
// (it costs one more pass over the out-synapses of each excitatory spike).
func (n *Network) Branching() *Branching {
	n.branchOn = true
	return &n.branch
}

// Plasticity changes synaptic weights from the spikes of each step.
type Plasticity interface {
	Update(s *Synapses, spikes []int32, inputSpikes int)
}
