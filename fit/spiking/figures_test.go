package spiking

import (
	"image/color"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// curve is one named series of a test figure.
type curve struct {
	name string
	y    []float64
}

// writeCurves draws the curves of a test into $NEUROTAB_FIGURES/name.png
// when that variable names a folder (the figures of the note);
// otherwise it does nothing.
func writeCurves(t *testing.T, name, title, xlabel, ylabel string, curves []curve, ref float64) {
	dir := os.Getenv("NEUROTAB_FIGURES")
	if dir == "" {
		return
	}
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = title, xlabel, ylabel
	palette := []color.Color{color.RGBA{B: 200, A: 255}, color.RGBA{R: 200, A: 255}, color.RGBA{G: 140, A: 255}, color.Gray{Y: 60}}
	n, top := 0, ref
	for i, c := range curves {
		xy := make(plotter.XYs, len(c.y))
		for j, v := range c.y {
			xy[j] = plotter.XY{X: float64(j + 1), Y: v}
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			t.Fatal(err)
		}
		l.Color = palette[i%len(palette)]
		l.Width = vg.Points(1.2)
		p.Add(l)
		p.Legend.Add(c.name, l)
		n = max(n, len(c.y))
		for _, v := range c.y {
			top = max(top, v)
		}
	}
	if ref != 0 {
		r, _ := plotter.NewLine(plotter.XYs{{X: 1, Y: ref}, {X: float64(n), Y: ref}})
		r.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		r.Color = color.Gray{Y: 120}
		p.Add(r)
	}
	p.Y.Min, p.Y.Max = 0, 1.7*top // room for the legend above the data
	p.X.Tick.Marker = integerTicks{}
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	if err := p.Save(8*vg.Inch, 4.5*vg.Inch, filepath.Join(dir, name+".png")); err != nil {
		t.Fatal(err)
	}
}
