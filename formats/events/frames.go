package events

import (
	"fmt"

	"github.com/neurotab/neurotab"
)

// binClock assigns events to fixed time bins [origin + k·width, origin + (k+1)·width).
type binClock struct {
	started bool
	bin     int64 // current bin index
	origin  int64
}

// advance returns how many bins must be closed before t's bin, starting the
// clock at the first event.
func (c *binClock) advance(name string, t, width, origin int64, fixed bool) (int64, error) {
	if !c.started {
		c.started = true
		c.origin = t
		if fixed {
			if t < origin {
				return 0, fmt.Errorf("events: %s: event at %d µs before origin %d µs: %w", name, t, origin, neurotab.ErrOutOfRange)
			}
			c.origin = origin
		}
		c.bin = (t - c.origin) / width
	}
	if t < c.origin+c.bin*width {
		return 0, fmt.Errorf("events: %s: %w: event at %d µs in bin starting %d µs", name, neurotab.ErrTimeOrder, t, c.origin+c.bin*width)
	}
	return (t-c.origin)/width - c.bin, nil
}

// FrameBinner counts events per pixel in fixed time bins of BinWidth µs:
//
//	frame[k][c][y][x] = #{ e : origin + k·BinWidth ≤ t_e < origin + (k+1)·BinWidth,
//	                         x_e = x, y_e = y, c = p_e (or 0 when MergePolarity) }
//
// with origin the first event's time, or Origin when FixedOrigin (tonic's
// ToFrame with time_window). Each frame is C x H x W (C = 2 polarity channels,
// OFF then ON, or 1 with MergePolarity), row-major. Frames of empty bins
// between events are emitted as zeros. Events must arrive in time order.
type FrameBinner struct {
	Width, Height int
	BinWidth      int64 // µs, > 0
	MergePolarity bool
	Origin        int64
	FixedOrigin   bool

	clock binClock
	frame []uint32
	any   bool
}

// Channels returns C: 1 with MergePolarity, else 2.
func (f *FrameBinner) Channels() int {
	if f.MergePolarity {
		return 1
	}
	return 2
}

// Push adds b's events, calling emit(k, frame) for each bin k that is
// complete. frame is owned by the binner and valid only during the call.
func (f *FrameBinner) Push(b *Batch, emit func(bin int64, frame []uint32) error) error {
	if err := checkSensor("FrameBinner", f.Width, f.Height); err != nil {
		return err
	}
	if f.BinWidth <= 0 {
		return fmt.Errorf("events: FrameBinner bin width %d µs, want > 0: %w", f.BinWidth, neurotab.ErrParam)
	}
	plane := f.Width * f.Height
	if f.frame == nil {
		f.frame = make([]uint32, f.Channels()*plane)
	}
	for i := range b.T {
		n, err := f.clock.advance("FrameBinner", b.T[i], f.BinWidth, f.Origin, f.FixedOrigin)
		if err != nil {
			return err
		}
		for ; n > 0; n-- {
			if err := f.emit(emit); err != nil {
				return err
			}
		}
		pix, err := pixelIndex("FrameBinner", f.Width, f.Height, b.X[i], b.Y[i])
		if err != nil {
			return err
		}
		c := 0
		if !f.MergePolarity {
			if b.P[i] > 1 || b.P[i] < 0 {
				return fmt.Errorf("events: FrameBinner: polarity %d, want 0 or 1: %w", b.P[i], neurotab.ErrOutOfRange)
			}
			c = int(b.P[i])
		}
		f.frame[c*plane+pix]++
		f.any = true
	}
	return nil
}

func (f *FrameBinner) emit(emit func(int64, []uint32) error) error {
	err := emit(f.clock.bin, f.frame)
	clear(f.frame)
	f.clock.bin++
	return err
}

// Flush emits the last bin, if any event arrived, and resets the binner.
func (f *FrameBinner) Flush(emit func(bin int64, frame []uint32) error) error {
	var err error
	if f.any {
		err = f.emit(emit)
	}
	f.clock = binClock{}
	f.any = false
	return err
}

// ToFrames bins a whole recording at once and returns the dense counts with
// their shape [B][C][H][W] (B = number of bins from the first to the last
// event). The counts are flat, row-major in that shape.
func (f *FrameBinner) ToFrames(b *Batch) (data []uint32, shape [4]int, err error) {
	collect := func(_ int64, fr []uint32) error {
		data = append(data, fr...)
		return nil
	}
	if err = f.Push(b, collect); err != nil {
		return nil, shape, err
	}
	if err = f.Flush(collect); err != nil {
		return nil, shape, err
	}
	c := f.Channels()
	shape = [4]int{len(data) / (c * f.Width * f.Height), c, f.Height, f.Width}
	return data, shape, nil
}

// RateBinner turns 1-D event or spike data (x = channel / neuron / unit,
// y ignored) into firing rates in fixed time bins:
//
//	rate[k][c] = #{ e : x_e = c, t_e in bin k } / (BinWidth · 1e-6 s)   (Hz)
//
// with bins laid out as for FrameBinner. Events must arrive in time order.
type RateBinner struct {
	Channels    int
	BinWidth    int64 // µs, > 0
	Origin      int64
	FixedOrigin bool

	clock binClock
	count []uint32
	rate  []float64
	any   bool
}

// Push adds b's events, calling emit(k, rates) for each complete bin k;
// rates (Hz, one per channel) is owned by the binner and valid during the call.
func (r *RateBinner) Push(b *Batch, emit func(bin int64, rates []float64) error) error {
	if r.Channels <= 0 || r.BinWidth <= 0 {
		return fmt.Errorf("events: RateBinner channels %d, bin width %d µs: both must be > 0: %w", r.Channels, r.BinWidth, neurotab.ErrParam)
	}
	if r.count == nil {
		r.count = make([]uint32, r.Channels)
		r.rate = make([]float64, r.Channels)
	}
	for i := range b.T {
		n, err := r.clock.advance("RateBinner", b.T[i], r.BinWidth, r.Origin, r.FixedOrigin)
		if err != nil {
			return err
		}
		for ; n > 0; n-- {
			if err := r.emit(emit); err != nil {
				return err
			}
		}
		if int(b.X[i]) >= r.Channels {
			return fmt.Errorf("events: RateBinner: channel %d, want < %d: %w", b.X[i], r.Channels, neurotab.ErrOutOfRange)
		}
		r.count[b.X[i]]++
		r.any = true
	}
	return nil
}

func (r *RateBinner) emit(emit func(int64, []float64) error) error {
	sec := float64(r.BinWidth) * 1e-6
	for c, n := range r.count {
		r.rate[c] = float64(n) / sec
	}
	err := emit(r.clock.bin, r.rate)
	clear(r.count)
	r.clock.bin++
	return err
}

// Flush emits the last bin, if any event arrived, and resets the binner.
func (r *RateBinner) Flush(emit func(bin int64, rates []float64) error) error {
	var err error
	if r.any {
		err = r.emit(emit)
	}
	r.clock = binClock{}
	r.any = false
	return err
}

// ToRates bins a whole recording at once: rates in Hz, flat row-major with
// shape [B][Channels] (rows are time).
func (r *RateBinner) ToRates(b *Batch) (data []float64, shape [2]int, err error) {
	collect := func(_ int64, rt []float64) error {
		data = append(data, rt...)
		return nil
	}
	if err = r.Push(b, collect); err != nil {
		return nil, shape, err
	}
	if err = r.Flush(collect); err != nil {
		return nil, shape, err
	}
	return data, [2]int{len(data) / r.Channels, r.Channels}, nil
}
