package spiking

import (
	"math"
	"math/rand/v2"
)

// MovingDot renders a bright dot moving over a Width×Height sensor as the
// events a DVS camera would report: at each millisecond, every pixel the
// dot newly covers emits an ON event (p = 1) and every pixel it leaves an
// OFF event (p = 0), at a random time within that millisecond; background
// noise adds Noise events per ms at random pixels and polarities. The four
// classes are the direction of motion: 0 left→right, 1 top→bottom,
// 2 diagonal, 3 a circle about the centre; the start point is random.
type MovingDot struct {
	Width, Height int
	// Radius of the dot in pixels (default 2), Duration in ms (default
	// 300), Speed in pixels per ms (default 0.08), Noise events per ms.
	Radius, Speed, Noise float64
	Duration             int
}

// Sample returns the events of one sample of the class: times in µs and
// pixel coordinates and polarities.
func (m MovingDot) Sample(rng *rand.Rand, class int) (t []int64, x, y []uint16, p []int8) {
	r, dur, v := m.Radius, m.Duration, m.Speed
	if r == 0 {
		r = 2
	}
	if dur == 0 {
		dur = 300
	}
	if v == 0 {
		v = 0.08
	}
	W, H := float64(m.Width), float64(m.Height)
	cx0, cy0 := r+rng.Float64()*(W-2*r), r+rng.Float64()*(H-2*r)
	phase := rng.Float64() * 2 * math.Pi
	pos := func(ms int) (float64, float64) {
		d := v * float64(ms)
		switch class % 4 {
		case 0:
			return math.Mod(cx0+d, W), cy0
		case 1:
			return cx0, math.Mod(cy0+d, H)
		case 2:
			return math.Mod(cx0+d*0.7071, W), math.Mod(cy0+d*0.7071, H)
		}
		rad := 0.3 * math.Min(W, H)
		a := phase + d/rad
		return W/2 + rad*math.Cos(a), H/2 + rad*math.Sin(a)
	}
	covered := make([]bool, m.Width*m.Height)
	next := make([]bool, len(covered))
	for ms := range dur {
		cx, cy := pos(ms)
		clear(next)
		for yy := max(0, int(cy-r-1)); yy <= min(m.Height-1, int(cy+r+1)); yy++ {
			for xx := max(0, int(cx-r-1)); xx <= min(m.Width-1, int(cx+r+1)); xx++ {
				dx, dy := float64(xx)+0.5-cx, float64(yy)+0.5-cy
				next[yy*m.Width+xx] = dx*dx+dy*dy <= r*r
			}
		}
		emit := func(i int, pol int8) {
			t = append(t, int64(ms)*1000+rng.Int64N(1000))
			x, y, p = append(x, uint16(i%m.Width)), append(y, uint16(i/m.Width)), append(p, pol)
		}
		for i := range covered {
			if next[i] != covered[i] {
				emit(i, int8(b2i(next[i])))
			}
		}
		covered, next = next, covered
		for nz := m.Noise; nz > 0; nz-- {
			if nz >= 1 || rng.Float64() < nz {
				emit(rng.IntN(len(covered)), int8(rng.IntN(2)))
			}
		}
	}
	return t, x, y, p
}
