// Package spiking simulates spiking reservoirs — liquid state machines —
// on a fixed time grid: leaky integrate-and-fire neurons with exact
// exponential integration (LIF), Izhikevich (2003) neurons, sparse random
// and distance-dependent 3-D-grid connectivity obeying Dale's law, an input
// layer mapping event pixels or channels onto liquid neurons, pair-based
// STDP with traces, the astrocyte-modulated STDP of the neuron-astrocyte
// liquid state machine (NALSM) and the branching factor that measures how
// close the liquid is to criticality.
//
// # Units and notation
//
// Time is in milliseconds and the step is dt (1 ms unless set). N is the
// number of liquid neurons, neurons 0…NE−1 excitatory and NE…N−1
// inhibitory. Synapses are stored by presynaptic neuron (CSR over pre, the
// adjacency orientation A[pre][post] of package neurotab), because a spike
// is propagated by walking the out-synapses of the neuron that fired: the
// cost of a step is N neuron updates plus one addition per synaptic event
// (a spike crossing one synapse), not N² work. Dale's law puts the sign on
// the presynaptic side: every out-synapse of an excitatory neuron is ≥ 0,
// of an inhibitory one ≤ 0.
//
// Every random choice (connectivity, weights, heterogeneous parameters,
// input fan-out) comes from a neurotab.Seed stream: the same seed gives the
// same spikes.
package spiking
