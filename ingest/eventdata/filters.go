package eventdata

import (
	"fmt"

	"github.com/neurotab/neurotab/formats/events"
)

// Filters are the streaming transforms applied to every batch, in this
// order: time window, refractory, denoise (all on the sensor's own
// coordinates), then spatial downsampling and polarity merge. The zero value
// applies none.
type Filters struct {
	TimeStart, TimeEnd int64 // µs; keep TimeStart ≤ t < TimeEnd (TimeEnd ≤ TimeStart: no upper bound)
	RefractoryUS       int64 // per-pixel refractory period, µs (0: off)
	DenoiseUS          int64 // drop events with no 8-neighbour event within this many µs (0: off)
	Downsample         int   // integer spatial factor (0 or 1: off)
	MergePolarity      bool
}

// Active reports whether any filter is on.
func (f Filters) Active() bool {
	return f.TimeStart != 0 || f.TimeEnd != 0 || f.RefractoryUS > 0 || f.DenoiseUS > 0 || f.Downsample > 1 || f.MergePolarity
}

// Parameters describes the filters for provenance.
func (f Filters) Parameters() map[string]any {
	return map[string]any{"time_start_us": f.TimeStart, "time_end_us": f.TimeEnd, "refractory_us": f.RefractoryUS,
		"denoise_us": f.DenoiseUS, "downsample": max(f.Downsample, 1), "merge_polarity": f.MergePolarity}
}

// chain builds the transforms for a sensor of geometry g and returns the
// geometry of the output.
func (f Filters) chain(g events.Geometry, name string) ([]events.Transform, events.Geometry, error) {
	var ts []events.Transform
	if f.TimeStart != 0 || f.TimeEnd != 0 {
		ts = append(ts, events.TimeWindow{Start: f.TimeStart, End: f.TimeEnd})
	}
	if f.RefractoryUS > 0 || f.DenoiseUS > 0 {
		if g.Width <= 0 || g.Height <= 0 {
			return nil, g, fmt.Errorf("%s: the refractory and denoise filters need the sensor size; give --width and --height", name)
		}
	}
	if f.RefractoryUS > 0 {
		ts = append(ts, &events.Refractory{Period: f.RefractoryUS, Width: g.Width, Height: g.Height})
	}
	if f.DenoiseUS > 0 {
		ts = append(ts, &events.Denoise{Window: f.DenoiseUS, Width: g.Width, Height: g.Height})
	}
	if f.Downsample > 1 {
		ts = append(ts, events.Downsample{Factor: f.Downsample})
		g.Width = (g.Width + f.Downsample - 1) / f.Downsample
		g.Height = (g.Height + f.Downsample - 1) / f.Downsample
	}
	if f.MergePolarity {
		ts = append(ts, events.MergePolarity{})
	}
	return ts, g, nil
}
