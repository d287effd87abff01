package spiking

// Population is a group of neurons advanced one time step at a time.
// Step adds in[i] (the summed weights of the spikes arriving at neuron i in
// this step; len(in) ≥ Len()) to the neurons' synaptic input, advances them
// by one step and appends the indices of the neurons that spiked to spikes,
// in increasing order.
type Population interface {
	Len() int
	Step(in []float64, spikes []int32) []int32
	Reset()
}
