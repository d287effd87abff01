package spectral

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/table"
)

// FitRecordings fits the measure with recs[e].Data as epoch e: trials of
// one experiment as table.Recording values — rows of the traces table, or
// binned spikes and events (eventdata.BinRates gives one recording per
// sample, rates in bins of a fixed width). Every recording must have the
// same neurons in the same order (neurotab.ErrShape naming the first that
// differs). SampleRate is not taken from the recordings: when it is set,
// each recording's Time step must match it within 1e-6 relative
// (neurotab.ErrParam), so that frequencies are in Hz of the data; for
// BinRates it is 1 / bin width. Other errors are Fit's, whose epoch e is
// recs[e].
func (c *Connectivity) FitRecordings(recs []*table.Recording) error {
	c.fitted, c.neurons, c.freqs, c.values = "", 0, nil, nil
	if err := c.Check(); err != nil {
		return err
	}
	epochs := make([]mat.Matrix, len(recs))
	for e, r := range recs {
		name := fmt.Sprintf("recording %d (%s/%s)", e, r.Dataset, r.Worm)
		if r.Data == nil {
			return fmt.Errorf("spectral: %s has no data: %w", name, neurotab.ErrShape)
		}
		if !slices.Equal(r.Neurons, recs[0].Neurons) {
			return fmt.Errorf("spectral: %s has neurons %v, recording 0 has %v: %w", name, r.Neurons, recs[0].Neurons, neurotab.ErrShape)
		}
		if c.SampleRate != 0 && len(r.Time) >= 2 {
			step := (r.Time[len(r.Time)-1] - r.Time[0]) / float64(len(r.Time)-1)
			if math.Abs(step*c.SampleRate-1) > 1e-6 {
				return fmt.Errorf("spectral: %s is sampled every %g s (%g Hz), SampleRate is %g Hz: %w", name, step, 1/step, c.SampleRate, neurotab.ErrParam)
			}
		}
		epochs[e] = r.Data
	}
	return c.Fit(epochs)
}
