package eventdata

import (
	"fmt"
	"time"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
)

// Filters are the streaming transforms applied to every batch, in this
// order: time window, refractory, denoise (all on the sensor's own
// coordinates), then spatial downsampling and polarity merge. The zero value
// applies none.
//
// Durations are applied at the events table's resolution, whole
// microseconds (a finer part is dropped).
type Filters struct {
	TimeStart, TimeEnd time.Duration // keep TimeStart ≤ t < TimeEnd (TimeEnd ≤ TimeStart: no upper bound)
	Refractory         time.Duration // per-pixel refractory period (0: off)
	Denoise            time.Duration // drop events with no 8-neighbour event within this time (0: off)
	Downsample         int           // integer spatial factor (0 or 1: off)
	MergePolarity      bool
}

// Active reports whether any filter is on.
func (f Filters) Active() bool {
	return f.TimeStart.Microseconds() != 0 || f.TimeEnd.Microseconds() != 0 || f.Refractory.Microseconds() > 0 ||
		f.Denoise.Microseconds() > 0 || f.Downsample > 1 || f.MergePolarity
}

// Parameters describes the filters for provenance, durations in whole µs.
func (f Filters) Parameters() map[string]any {
	return map[string]any{"time_start_us": f.TimeStart.Microseconds(), "time_end_us": f.TimeEnd.Microseconds(),
		"refractory_us": f.Refractory.Microseconds(), "denoise_us": f.Denoise.Microseconds(),
		"downsample": max(f.Downsample, 1), "merge_polarity": f.MergePolarity}
}

// chain builds the transforms for a sensor of geometry g and returns the
// geometry of the output.
func (f Filters) chain(g events.Geometry, name string) ([]events.Transform, events.Geometry, error) {
	var ts []events.Transform
	start, end := f.TimeStart.Microseconds(), f.TimeEnd.Microseconds()
	refractory, denoise := f.Refractory.Microseconds(), f.Denoise.Microseconds()
	if start != 0 || end != 0 {
		ts = append(ts, events.TimeWindow{Start: start, End: end})
	}
	if refractory > 0 || denoise > 0 {
		if g.Width <= 0 || g.Height <= 0 {
			return nil, g, fmt.Errorf("%s: the refractory and denoise filters need the sensor size; give --width and --height: %w", name, neurotab.ErrParam)
		}
	}
	if refractory > 0 {
		ts = append(ts, &events.Refractory{Period: refractory, Width: g.Width, Height: g.Height})
	}
	if denoise > 0 {
		ts = append(ts, &events.Denoise{Window: denoise, Width: g.Width, Height: g.Height})
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
