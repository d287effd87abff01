package spiking

import (
	"fmt"
	"math/rand/v2"

	"github.com/neurotab/neurotab"
)

// Input is the input layer of a liquid: each of its Channels (event
// pixels × polarities, or recorded channels) projects to Fanout distinct
// liquid neurons drawn at random, with weight W. A spike on channel c adds
// W to the synaptic input of the neurons Target[Ptr[c]:Ptr[c+1]] in the
// same step.
type Input struct {
	Channels int
	Ptr      []int32
	Target   []int32
	W        float64
}

// NewInput returns an input layer of the given channels onto n liquid
// neurons, each channel reaching fanout of them with weight w.
func NewInput(rng *rand.Rand, channels, n, fanout int, w float64) (*Input, error) {
	if channels <= 0 || n <= 0 || fanout <= 0 || fanout > n {
		return nil, fmt.Errorf("spiking: input layer of %d channels onto %d neurons with fan-out %d: %w", channels, n, fanout, neurotab.ErrParam)
	}
	in := &Input{Channels: channels, Ptr: make([]int32, channels+1), Target: make([]int32, 0, channels*fanout), W: w}
	seen := make(map[int32]bool, fanout)
	for c := range channels {
		clear(seen)
		for len(seen) < fanout {
			j := int32(rng.IntN(n))
			if !seen[j] {
				seen[j] = true
				in.Target = append(in.Target, j)
			}
		}
		in.Ptr[c+1] = int32(len(in.Target))
	}
	return in, nil
}

// SensorChannels returns the number of input channels a width×height
// sensor with the given polarities needs, and an error wrapping
// neurotab.ErrShape when that exceeds the layer's Channels.
func (in *Input) SensorChannels(width, height, polarities int) (int, error) {
	c := width * height * polarities
	if width <= 0 || height <= 0 || polarities <= 0 || c > in.Channels {
		return c, fmt.Errorf("spiking: sensor %d×%d×%d polarities has %d channels, the input layer %d: %w", width, height, polarities, c, in.Channels, neurotab.ErrShape)
	}
	return c, nil
}

// Channel returns the input channel of an event at pixel (x, y) with
// polarity p (0 or 1) on a sensor of the given width: (y·width + x)·2 + p.
func Channel(x, y, p, width int) int { return (y*width+x)*2 + p }

// Add adds the drive of one spike on channel c to dst (length N).
func (in *Input) Add(dst []float64, c int) {
	for _, j := range in.Target[in.Ptr[c]:in.Ptr[c+1]] {
		dst[j] += in.W
	}
}
