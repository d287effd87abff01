package spiking

import (
	"errors"
	"testing"

	"github.com/neurotab/neurotab"
)

// dotSamples renders n samples per class of the four moving-dot classes
// on a 34×34 sensor.
func dotSamples(n int, seed neurotab.Seed) ([]EventSample, []int) {
	rng := seed.Rand(1)
	m := MovingDot{Width: 34, Height: 34, Radius: 3, Speed: 0.2, Noise: 0.5, Duration: 200}
	var s []EventSample
	var l []int
	for c := range 4 {
		for range n {
			t, x, y, p := m.Sample(rng, c)
			e := EventSample{T: t, Ch: make([]int32, len(t))}
			for i := range t {
				e.Ch[i] = int32(Channel(int(x[i]), int(y[i]), int(p[i]), 34))
			}
			s = append(s, e)
			l = append(l, c)
		}
	}
	return s, l
}

// TestClassifyDots checks the pipeline end to end on moving dots, whose
// direction a liquid separates: both the LSM readout and the binned-event
// baseline must beat chance (25%) by far.
func TestClassifyDots(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 120 samples")
	}
	s, l := dotSamples(30, 1)
	c := Classify{LSM: LSM{Plastic: true, Astrocyte: true, InputWeight: 8, Seed: 2}, Seed: 3}
	res, err := c.Run(s, l, 34*34*2, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("LSM accuracy %.3f (%d features, %.1f Hz), binned events %.3f (%d features); σ first/last training sample %.2f/%.2f",
		res.Accuracy, res.Features, res.Rate, res.Baseline, res.BaselineFeatures, res.Branching[0], res.Branching[len(res.Branching)-1])
	if res.Accuracy < 0.6 || res.Baseline < 0.4 {
		t.Errorf("accuracy LSM %.3f, baseline %.3f: near chance (0.25)", res.Accuracy, res.Baseline)
	}
	total := 0
	for _, r := range res.Confusion {
		for _, v := range r {
			total += v
		}
	}
	if total != len(res.Test) || len(res.RasterT) == 0 {
		t.Errorf("confusion holds %d samples of %d test; raster %d spikes", total, len(res.Test), len(res.RasterT))
	}
}

func TestClassifyBadInput(t *testing.T) {
	s, l := dotSamples(2, 1)
	for _, tc := range []struct {
		name   string
		s      []EventSample
		l      []int
		ch     int
		target error
	}{
		{"labels short", s, l[:3], 34 * 34 * 2, neurotab.ErrShape},
		{"empty sample", append([]EventSample{{}}, s[1:]...), l, 34 * 34 * 2, neurotab.ErrShape},
		{"channel beyond input", s, l, 100, neurotab.ErrOutOfRange},
		{"single-sample class", s[:3], l[:3], 34 * 34 * 2, neurotab.ErrShape},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Classify{LSM: LSM{Grid: [3]int{4, 4, 4}}}.Run(tc.s, tc.l, tc.ch, nil)
			if !errors.Is(err, tc.target) {
				t.Errorf("error %v, want %v", err, tc.target)
			}
		})
	}
}
