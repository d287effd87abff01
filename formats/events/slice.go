package events

import (
	"fmt"

	"github.com/neurotab/neurotab"
)

// Window is one slice of the stream handed to a slicer's callback. Events is
// owned by the slicer and valid only during the call; Retain a copy if needed.
type Window struct {
	Index  int64  // 0, 1, 2, … in stream order
	Start  int64  // µs, inclusive
	End    int64  // µs, exclusive
	Events *Batch // the events with Start ≤ t < End
}

// TimeSlicer cuts the stream into consecutive windows of Duration µs:
//
//	window k = [origin + k·Duration, origin + (k+1)·Duration)
//
// with origin the first event's time, or Origin when FixedOrigin is set
// (tonic's SliceByTime without overlap). Windows with no event between the
// first and the last event are emitted too, empty, so Index k always starts
// at origin + k·Duration. Events must arrive in non-decreasing time order.
type TimeSlicer struct {
	Duration    int64 // µs, > 0
	Origin      int64 // µs; used when FixedOrigin
	FixedOrigin bool

	started bool
	index   int64
	start   int64
	cur     Batch
}

// Push adds the events of b, calling emit for every window that is complete
// (the first event at or after its end has arrived).
func (s *TimeSlicer) Push(b *Batch, emit func(Window) error) error {
	if s.Duration <= 0 {
		return fmt.Errorf("events: TimeSlicer duration %d µs, want > 0: %w", s.Duration, neurotab.ErrParam)
	}
	for i := range b.T {
		t := b.T[i]
		if !s.started {
			s.started = true
			s.start = t
			if s.FixedOrigin {
				if t < s.Origin {
					return fmt.Errorf("events: TimeSlicer: event at %d µs before origin %d µs: %w", t, s.Origin, neurotab.ErrOutOfRange)
				}
				s.index = (t - s.Origin) / s.Duration
				s.start = s.Origin + s.index*s.Duration
			}
		}
		if t < s.start {
			return fmt.Errorf("events: TimeSlicer: %w: event at %d µs in window starting %d µs", neurotab.ErrTimeOrder, t, s.start)
		}
		for t >= s.start+s.Duration {
			if err := s.emit(emit); err != nil {
				return err
			}
		}
		s.cur.Append(t, b.X[i], b.Y[i], b.P[i])
	}
	return nil
}

func (s *TimeSlicer) emit(emit func(Window) error) error {
	err := emit(Window{Index: s.index, Start: s.start, End: s.start + s.Duration, Events: &s.cur})
	s.cur.Reset()
	s.index++
	s.start += s.Duration
	return err
}

// Flush emits the last, possibly partial, window (if any event arrived) and
// resets the slicer for a new stream.
func (s *TimeSlicer) Flush(emit func(Window) error) error {
	var err error
	if s.started {
		err = s.emit(emit)
	}
	s.started, s.index = false, 0
	s.cur.Reset()
	return err
}

// CountSlicer cuts the stream into windows of Count consecutive events
// (tonic's SliceByEventCount without overlap); Flush emits the remainder.
// A window's Start is its first event's time and End its last event's time + 1.
type CountSlicer struct {
	Count int // events per window, > 0

	index int64
	cur   Batch
}

// Push adds the events of b, calling emit for every full window.
func (s *CountSlicer) Push(b *Batch, emit func(Window) error) error {
	if s.Count <= 0 {
		return fmt.Errorf("events: CountSlicer count %d, want > 0: %w", s.Count, neurotab.ErrParam)
	}
	for i := range b.T {
		s.cur.Append(b.T[i], b.X[i], b.Y[i], b.P[i])
		if s.cur.Len() == s.Count {
			if err := s.emit(emit); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *CountSlicer) emit(emit func(Window) error) error {
	n := s.cur.Len()
	err := emit(Window{Index: s.index, Start: s.cur.T[0], End: s.cur.T[n-1] + 1, Events: &s.cur})
	s.cur.Reset()
	s.index++
	return err
}

// Flush emits the last partial window, if any, and resets the slicer.
func (s *CountSlicer) Flush(emit func(Window) error) error {
	var err error
	if s.cur.Len() > 0 {
		err = s.emit(emit)
	}
	s.index = 0
	s.cur.Reset()
	return err
}
