package dfc

import (
	"fmt"
	"image/color"
	"io"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/community"
)

// PlotComponents draws the factors of the model: one row per component,
// its window loadings against the window's centre time (the first
// recording's windows) on the left and its recording loadings as bars on
// the right, and writes the figure to w as "png" or "svg". Loadings are
// the unit-norm factor columns; the row title gives the weight λ. Errors:
// another format (neurotab.ErrParam), a Result without a model.
func (res *Result) PlotComponents(w io.Writer, format, title string) error {
	format = strings.ToLower(format)
	if format != "png" && format != "svg" {
		return fmt.Errorf("dfc: figure format %q, want png or svg: %w", format, neurotab.ErrParam)
	}
	m := res.Model
	if m == nil {
		return errNoModel
	}
	R := m.Rank()
	width, rowH := 9*vg.Inch, 2.1*vg.Inch
	head := 0.4 * vg.Inch
	cw, err := draw.NewFormattedCanvas(width, rowH*vg.Length(R)+head, format)
	if err != nil {
		return fmt.Errorf("dfc: figure: %w", err)
	}
	dc := draw.New(cw)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	if title != "" {
		dc.FillText(draw.TextStyle{Color: color.Black, Font: font.From(plot.DefaultFont, 13), Handler: plot.DefaultTextHandler,
			XAlign: draw.XCenter, YAlign: draw.YTop}, vg.Point{X: width / 2, Y: dc.Max.Y - vg.Points(4)}, title)
	}
	first := res.Windowed[0]
	var names []string
	for _, r := range res.Windowed {
		names = append(names, r.Window.Worm)
	}
	for c := range R {
		col := community.Colours[c%len(community.Colours)]
		top := dc.Max.Y - head - rowH*vg.Length(c)
		cell := func(x0, x1 vg.Length) draw.Canvas {
			return draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{Min: vg.Point{X: x0, Y: top - rowH + vg.Points(4)}, Max: vg.Point{X: x1, Y: top - vg.Points(6)}}}
		}
		lp := plot.New()
		lp.Title.Text = fmt.Sprintf("component %d  (λ = %.3g)", c+1, m.Weights[c])
		lp.Title.TextStyle.Font.Size = vg.Points(10)
		lp.Y.Label.Text = "window loading"
		if c == R-1 {
			lp.X.Label.Text = "window centre (s, " + first.Window.Worm + ")"
		}
		xy := make(plotter.XYs, res.Tensor.Dims[0])
		for k := range xy {
			key := first.Windows[k].Window
			xy[k] = plotter.XY{X: (key.Start + key.End) / 2, Y: m.Factors[0].At(k, c)}
		}
		l, sc, err := plotter.NewLinePoints(xy)
		if err != nil {
			return err
		}
		l.Color, l.Width = col, vg.Points(1.5)
		sc.Color, sc.Radius = col, vg.Points(1.5)
		lp.Add(l, sc, plotter.NewGrid())
		lp.Y.Min = 0
		lp.Draw(cell(0, width*0.7))

		bp := plot.New()
		bp.Title.Text = "recording loading"
		bp.Title.TextStyle.Font.Size = vg.Points(10)
		vals := make(plotter.Values, len(res.Windowed))
		for k := range vals {
			vals[k] = m.Factors[1].At(k, c)
		}
		bars, err := plotter.NewBarChart(vals, vg.Points(12))
		if err != nil {
			return err
		}
		bars.Color, bars.LineStyle.Width = col, 0
		bp.Add(bars)
		bp.Y.Min, bp.Y.Max = 0, 1
		if len(names) <= 12 {
			bp.NominalX(names...)
			bp.X.Tick.Label.Font.Size = vg.Points(8)
			if len(names) > 4 {
				bp.X.Tick.Label.Rotation = 0.6
				bp.X.Tick.Label.XAlign, bp.X.Tick.Label.YAlign = draw.XRight, draw.YTop
			}
		}
		bp.Draw(cell(width*0.72, width-vg.Points(12)))
	}
	_, err = cw.WriteTo(w)
	return err
}
