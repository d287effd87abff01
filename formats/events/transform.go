package events

import (
	"fmt"

	"github.com/neurotab/neurotab"
)

// Transform is a streaming filter or map over batches. Apply writes the
// result for src into dst (replacing dst's content); dst may be src, which
// filters in place. State (last event per pixel, …) carries over from one
// call to the next, so a stream split into batches gives the result of the
// whole stream.
type Transform interface {
	Apply(dst, src *Batch) error
}

// begin sizes dst to hold src's events; it is a no-op when dst == src.
func begin(dst, src *Batch) {
	if dst == src {
		return
	}
	n := src.Len()
	dst.Reset()
	dst.Grow(n)
	dst.T, dst.X, dst.Y, dst.P = dst.T[:n], dst.X[:n], dst.Y[:n], dst.P[:n]
}

// end truncates dst to the k events written.
func end(dst *Batch, k int) {
	dst.T, dst.X, dst.Y, dst.P = dst.T[:k], dst.X[:k], dst.Y[:k], dst.P[:k]
}

// Downsample divides the coordinates by an integer Factor (x' = ⌊x/Factor⌋,
// y' = ⌊y/Factor⌋), mapping a W x H sensor onto ⌈W/Factor⌉ x ⌈H/Factor⌉;
// tonic's Downsample with spatial_factor = 1/Factor. Events are kept, not
// merged.
type Downsample struct {
	Factor int // ≥ 1
}

// Apply writes src with downsampled coordinates into dst.
func (d Downsample) Apply(dst, src *Batch) error {
	if d.Factor < 1 || d.Factor > 1<<16 {
		return fmt.Errorf("events: Downsample factor %d, want 1..65536: %w", d.Factor, neurotab.ErrParam)
	}
	begin(dst, src)
	f := uint32(d.Factor)
	for i := range src.T {
		dst.T[i], dst.P[i] = src.T[i], src.P[i]
		dst.X[i] = uint16(uint32(src.X[i]) / f)
		dst.Y[i] = uint16(uint32(src.Y[i]) / f)
	}
	return nil
}

// MergePolarity sets every polarity to 0, so ON and OFF events count in one
// channel (tonic's MergePolarities).
type MergePolarity struct{}

// Apply writes src with p = 0 into dst.
func (MergePolarity) Apply(dst, src *Batch) error {
	begin(dst, src)
	copy(dst.T, src.T)
	copy(dst.X, src.X)
	copy(dst.Y, src.Y)
	clear(dst.P)
	return nil
}

// pixelIndex checks (x, y) against the sensor and returns y*W + x.
func pixelIndex(name string, w, h int, x, y uint16) (int, error) {
	if int(x) >= w || int(y) >= h {
		return 0, fmt.Errorf("events: %s: event at (%d, %d) outside the %dx%d sensor: %w", name, x, y, w, h, neurotab.ErrOutOfRange)
	}
	return int(y)*w + int(x), nil
}

func checkSensor(name string, w, h int) error {
	if w <= 0 || h <= 0 || w > 1<<16 || h > 1<<16 {
		return fmt.Errorf("events: %s: sensor %dx%d, want 1..65536 on each side: %w", name, w, h, neurotab.ErrParam)
	}
	return nil
}

// never marks a pixel that has had no event.
const never = -(int64(1) << 62)

// Refractory drops, at each pixel (x, y) regardless of polarity, every event
// that comes less than Period µs after the last event kept at that pixel:
//
//	keep e  ⇔  no event kept yet at (x, y), or t_e − t_kept(x, y) ≥ Period
//
// (tonic's RefractoryPeriod with delta in µs). Width and Height give the
// sensor; an event outside it is an error.
type Refractory struct {
	Period        int64 // µs
	Width, Height int
	last          []int64
}

// Apply writes the kept events of src into dst.
func (r *Refractory) Apply(dst, src *Batch) error {
	if err := checkSensor("Refractory", r.Width, r.Height); err != nil {
		return err
	}
	if r.last == nil {
		r.last = make([]int64, r.Width*r.Height)
		for i := range r.last {
			r.last[i] = never
		}
	}
	begin(dst, src)
	k := 0
	var err error
	for i := range src.T {
		var pix int
		if pix, err = pixelIndex("Refractory", r.Width, r.Height, src.X[i], src.Y[i]); err != nil {
			break
		}
		t := src.T[i]
		if r.last[pix] != never && t-r.last[pix] < r.Period {
			continue
		}
		r.last[pix] = t
		dst.T[k], dst.X[k], dst.Y[k], dst.P[k] = t, src.X[i], src.Y[i], src.P[i]
		k++
	}
	end(dst, k)
	return err
}

// Denoise keeps an event only if a neighbouring pixel had an event less than
// Window µs before it (tonic's Denoise / filter_time):
//
//	keep e  ⇔  ∃ n ∈ N(x, y): t_e − t_last(n) < Window
//
// where N is the 8-neighbourhood (the 4-neighbourhood — left, right, up,
// down, which is what tonic's implementation checks — with FourNeighbors) and
// t_last(n) the time of the last event at n, kept or not. Every event, kept
// or dropped, updates t_last at its pixel. Unlike tonic, a pixel that has had
// no event never counts as a recent neighbour (tonic initializes its memory
// to filter_time, which lets early events through).
type Denoise struct {
	Window        int64 // µs
	Width, Height int
	FourNeighbors bool
	last          []int64
}

// Apply writes the kept events of src into dst.
func (d *Denoise) Apply(dst, src *Batch) error {
	if err := checkSensor("Denoise", d.Width, d.Height); err != nil {
		return err
	}
	w, h := d.Width, d.Height
	if d.last == nil {
		d.last = make([]int64, w*h)
		for i := range d.last {
			d.last[i] = never
		}
	}
	begin(dst, src)
	k := 0
	var err error
	for i := range src.T {
		var pix int
		if pix, err = pixelIndex("Denoise", w, h, src.X[i], src.Y[i]); err != nil {
			break
		}
		t := src.T[i]
		x, y := int(src.X[i]), int(src.Y[i])
		keep := false
		for dy := -1; dy <= 1 && !keep; dy++ {
			yy := y + dy
			if yy < 0 || yy >= h {
				continue
			}
			for dx := -1; dx <= 1; dx++ {
				if dx == 0 && dy == 0 || d.FourNeighbors && dx != 0 && dy != 0 {
					continue
				}
				xx := x + dx
				if xx < 0 || xx >= w {
					continue
				}
				if l := d.last[yy*w+xx]; l != never && t-l < d.Window {
					keep = true
					break
				}
			}
		}
		d.last[pix] = t
		if keep {
			dst.T[k], dst.X[k], dst.Y[k], dst.P[k] = t, src.X[i], src.Y[i], src.P[i]
			k++
		}
	}
	end(dst, k)
	return err
}

// TimeWindow keeps the events with Start ≤ t < End (µs); End ≤ Start keeps
// every event from Start on (tonic's CropTime).
type TimeWindow struct {
	Start, End int64
}

// Apply writes the events of src inside the window into dst.
func (w TimeWindow) Apply(dst, src *Batch) error {
	begin(dst, src)
	k := 0
	for i, t := range src.T {
		if t < w.Start || (w.End > w.Start && t >= w.End) {
			continue
		}
		dst.T[k], dst.X[k], dst.Y[k], dst.P[k] = t, src.X[i], src.Y[i], src.P[i]
		k++
	}
	end(dst, k)
	return nil
}
