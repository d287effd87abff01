package spiking

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// WriteRaster draws a spike raster (time in ms on x, neuron on y; the
// excitatory neurons 0…ne−1 in black, inhibitory ones in red) as PNG or
// SVG (format "png" or "svg") to w.
func WriteRaster(w io.Writer, format, title string, t, neuron []int32, n, ne int) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "time (ms)"
	p.Y.Label.Text = "neuron"
	var exc, inh plotter.XYs
	for i := range t {
		pt := plotter.XY{X: float64(t[i]), Y: float64(neuron[i])}
		if int(neuron[i]) < ne {
			exc = append(exc, pt)
		} else {
			inh = append(inh, pt)
		}
	}
	for _, g := range []struct {
		xy plotter.XYs
		c  color.Color
	}{{exc, color.Black}, {inh, color.RGBA{R: 200, A: 255}}} {
		if len(g.xy) == 0 {
			continue
		}
		s, err := plotter.NewScatter(g.xy)
		if err != nil {
			return fmt.Errorf("spiking: raster: %w", err)
		}
		s.GlyphStyle = draw.GlyphStyle{Color: g.c, Radius: vg.Points(0.6), Shape: draw.BoxGlyph{}}
		p.Add(s)
	}
	p.Title.Text += " — black: excitatory, red: inhibitory"
	p.X.Min = 0
	p.Y.Min, p.Y.Max = 0, float64(n)
	return save(w, p, format, 8, 5)
}

// WriteBranching draws the branching factor per sample during STDP
// training (and after, frozen, when given) with the critical value σ = 1.
func WriteBranching(w io.Writer, format string, training, frozen []float64) error {
	p := plot.New()
	p.Title.Text = "Branching factor of the liquid"
	p.X.Label.Text = "sample"
	p.Y.Label.Text = "σ (descendants per ancestor spike)"
	line := func(ys []float64, off int) plotter.XYs {
		xy := make(plotter.XYs, len(ys))
		for i, y := range ys {
			xy[i] = plotter.XY{X: float64(off + i + 1), Y: y}
		}
		return xy
	}
	add := func(xy plotter.XYs, c color.Color, lbl string) error {
		if len(xy) == 0 {
			return nil
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return fmt.Errorf("spiking: branching figure: %w", err)
		}
		l.Color = c
		p.Add(l)
		p.Legend.Add(lbl, l)
		return nil
	}
	if err := add(line(training, 0), color.RGBA{B: 200, A: 255}, "STDP training"); err != nil {
		return err
	}
	if err := add(line(frozen, len(training)), color.RGBA{G: 130, A: 255}, "frozen liquid (all samples)"); err != nil {
		return err
	}
	total := len(training) + len(frozen)
	if total > 0 {
		crit, _ := plotter.NewLine(plotter.XYs{{X: 1, Y: 1}, {X: float64(total), Y: 1}})
		crit.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		crit.Color = color.Gray{Y: 100}
		p.Add(crit)
		p.Legend.Add("σ = 1", crit)
	}
	top := 1.2
	for _, v := range append(append([]float64(nil), training...), frozen...) {
		top = max(top, 1.1*v)
	}
	p.Y.Min, p.Y.Max = 0, top
	p.X.Min = 1
	p.X.Tick.Marker = integerTicks{}
	p.Legend.Top, p.Legend.Left = false, false
	p.Add(plotter.NewGrid())
	return save(w, p, format, 8, 4.5)
}

func save(w io.Writer, p *plot.Plot, format string, wIn, hIn float64) error {
	wt, err := p.WriterTo(vg.Length(wIn)*vg.Inch, vg.Length(hIn)*vg.Inch, format)
	if err != nil {
		return fmt.Errorf("spiking: figure: %w", err)
	}
	_, err = wt.WriteTo(w)
	return err
}

// integerTicks labels the default ticks without decimals (sample numbers).
type integerTicks struct{}

// Ticks implements plot.Ticker.
func (integerTicks) Ticks(lo, hi float64) []plot.Tick {
	t := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range t {
		if t[i].Label != "" {
			t[i].Label = fmt.Sprintf("%.0f", t[i].Value)
		}
	}
	return t
}
