package pipeline

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"github.com/neurotab/neurotab"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// methodColors are the line colours of the methods in figures.
var methodColors = map[string]color.Color{
	"observed":     color.Black,
	Reservoir:      color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	Persistence:    color.RGBA{R: 0x7f, G: 0x7f, B: 0x7f, A: 0xff},
	Autoregressive: color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
}

// BestWorst returns the target neurons (column indices) with the highest
// and lowest finite test R² of method; -1 when none is finite.
func (r *Result) BestWorst(method string) (best, worst int) {
	best, worst = -1, -1
	m := r.Method(method)
	if m == nil {
		return
	}
	for j, v := range m.Scores[1][MetricR2] {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if best < 0 || v > m.Scores[1][MetricR2][best] {
			best = j
		}
		if worst < 0 || v < m.Scores[1][MetricR2][worst] {
			worst = j
		}
	}
	return
}

// PlotNeurons draws, in two panels, the observed test trace of the best and
// of the worst neuron of method (by test R²) against every method's
// prediction, time in s on x; format is "png" or "svg". The error wraps
// neurotab.ErrShape when no neuron has a finite R².
func (r *Result) PlotNeurons(w io.Writer, format, method string) error {
	best, worst := r.BestWorst(method)
	if best < 0 {
		return fmt.Errorf("pipeline: %s/%s: no neuron with a finite test R² to plot: %w", r.Dataset, r.Worm, neurotab.ErrShape)
	}
	width, height := 9*vg.Inch, 6*vg.Inch
	c, err := draw.NewFormattedCanvas(width, height, format)
	if err != nil {
		return err
	}
	if img, ok := c.(interface{ SetDPI(float64) }); ok {
		img.SetDPI(110)
	}
	dc := draw.New(c)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadY: vg.Points(8), PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8)}
	for i, j := range []int{best, worst} {
		kind := "best"
		if i == 1 {
			kind = "worst"
		}
		p, err := r.neuronPlot(j, method, kind)
		if err != nil {
			return err
		}
		p.Draw(tiles.At(dc, 0, i))
	}
	_, err = c.WriteTo(w)
	return err
}

// neuronPlot is one panel of PlotNeurons.
func (r *Result) neuronPlot(j int, method, kind string) (*plot.Plot, error) {
	p := plot.New()
	m := r.Method(method)
	p.Title.Text = fmt.Sprintf("%s/%s, %s neuron %s: test R² %s %.3f", r.Dataset, r.Worm, kind, r.Neurons[j], method, m.Scores[1][MetricR2][j])
	p.X.Label.Text, p.Y.Label.Text = "time of the target (s)", "trace"
	p.Legend.Top = true
	xy := func(pred bool, mr *MethodResult) plotter.XYs {
		out := make(plotter.XYs, len(r.TestT))
		for i, t := range r.TestT {
			out[i].X = r.Time[t+r.Horizon]
			if pred {
				out[i].Y = mr.Predicted[1].At(i, j)
			} else {
				out[i].Y = mr.Observed[1].At(i, j)
			}
		}
		return out
	}
	p.Add(plotter.NewGrid())
	add := func(name string, pts plotter.XYs, width vg.Length) error {
		l, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		l.Color, l.Width = methodColors[name], width
		p.Add(l)
		p.Legend.Add(name, l)
		return nil
	}
	if err := add("observed", xy(false, m), vg.Points(1.5)); err != nil {
		return nil, err
	}
	for i := range r.Methods {
		mr := &r.Methods[i]
		if err := add(mr.Model, xy(true, mr), vg.Points(1)); err != nil {
			return nil, err
		}
	}
	// Headroom above the traces for the legend, which sits top right.
	ylo, yhi := p.Y.Min, p.Y.Max
	p.Y.Max = yhi + 0.45*(yhi-ylo)
	return p, nil
}

// PlotScores draws a bar chart of the recording's test figure of metric
// for every method, with the value printed above each bar.
func (r *Result) PlotScores(w io.Writer, format, metric string) error {
	p := plot.New()
	label := metric
	if metric == MetricR2 {
		label = "R²"
	}
	what := fmt.Sprintf("%s, horizon %d", r.Task, r.Horizon)
	if r.Task == TaskHeldout {
		what = fmt.Sprintf("%d held-out neurons", len(r.Neurons))
	}
	p.Title.Text = fmt.Sprintf("%s/%s: test %s (%s)", r.Dataset, r.Worm, label, what)
	p.Y.Label.Text = "test " + label
	vals := make(plotter.Values, len(r.Methods))
	names := make([]string, len(r.Methods))
	for i := range r.Methods {
		vals[i] = r.Methods[i].Score(Test, metric)
		if math.IsNaN(vals[i]) {
			vals[i] = 0
		}
		names[i] = r.Methods[i].Model
	}
	p.Add(plotter.NewGrid())
	for i := range vals {
		single := make(plotter.Values, len(vals))
		single[i] = vals[i]
		b, err := plotter.NewBarChart(single, vg.Points(50))
		if err != nil {
			return err
		}
		b.Color = methodColors[names[i]]
		b.LineStyle.Width = 0
		p.Add(b)
	}
	labels := make([]string, len(vals))
	pts := make(plotter.XYs, len(vals))
	for i, v := range vals {
		labels[i] = fmt.Sprintf("%.3f", v)
		pts[i] = plotter.XY{X: float64(i), Y: v}
	}
	lab, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: labels})
	if err != nil {
		return err
	}
	for i := range lab.TextStyle {
		lab.TextStyle[i].XAlign = draw.XCenter
		if vals[i] < 0 {
			lab.TextStyle[i].YAlign = draw.YTop
		}
	}
	p.Add(lab)
	p.NominalX(names...)
	lo, hi := 0.0, 0.0
	for _, v := range vals {
		lo, hi = min(lo, v), max(hi, v)
	}
	pad := 0.12 * max(hi-lo, 0.1)
	p.Y.Min, p.Y.Max = lo-pad*boolf(lo < 0), hi+pad
	wt, err := p.WriterTo(6*vg.Inch, 4*vg.Inch, format)
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
