package cli

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/neurotab/neurotab/analysis/glm"
	"github.com/neurotab/neurotab/analysis/glmhmm"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// behaviorPanel is one behavior variable on the bins of a fit.
type behaviorPanel struct {
	name   string
	values []float64
}

// drawGLMHMM draws the four figures of one fit into dir and returns their
// file names.
func drawGLMHMM(dir string, res *glmhmm.Result, panels []behaviorPanel) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	base := safeName(res.Dataset + "_" + res.Worm)
	var names []string
	for _, f := range []struct {
		suffix string
		draw   func() (vg.Length, vg.Length, func(draw.Canvas) error)
	}{
		{"states", func() (vg.Length, vg.Length, func(draw.Canvas) error) { return statesFigure(res, panels) }},
		{"weights", func() (vg.Length, vg.Length, func(draw.Canvas) error) { return weightsFigure(res) }},
		{"transitions", func() (vg.Length, vg.Length, func(draw.Canvas) error) { return transitionsFigure(res) }},
		{"loglik", func() (vg.Length, vg.Length, func(draw.Canvas) error) { return loglikFigure(res) }},
	} {
		w, h, paint := f.draw()
		c := vgimg.New(w, h)
		dc := draw.New(c)
		dc.SetColor(color.White)
		dc.Fill(dc.Rectangle.Path())
		if err := paint(dc); err != nil {
			return nil, fmt.Errorf("%s figure of %s/%s: %w", f.suffix, res.Dataset, res.Worm, err)
		}
		name := base + "_" + f.suffix + ".png"
		fh, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(fh); err != nil {
			fh.Close()
			return nil, err
		}
		if err := fh.Close(); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	return names, nil
}

// safeName replaces every character other than a letter, digit, '.', '-'
// or '_' (path separators, ':') by '_'.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' || r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, s)
}

// matGrid adapts a rows × cols matrix to plotter.GridXYZ: column c at
// x = xs[c] (or c), row r at y = rows−1−r (row 0 on top), or at y = r
// (row 0 at the bottom) when up is set.
type matGrid struct {
	m  mat.Matrix
	xs []float64
	up bool
}

func (g matGrid) Dims() (c, r int) { r, c = g.m.Dims(); return c, r }
func (g matGrid) Z(c, r int) float64 {
	if g.up {
		return g.m.At(r, c)
	}
	rows, _ := g.m.Dims()
	return g.m.At(rows-1-r, c)
}
func (g matGrid) X(c int) float64 {
	if g.xs != nil {
		return g.xs[c]
	}
	return float64(c)
}
func (g matGrid) Y(r int) float64 { return float64(r) }

// stateColor is the colour of state k in every figure.
func stateColor(k int) color.Color { return plotutil.Color(k) }

// statesFigure: the z-scored traces (neurons × time), the posterior of every
// state stacked, and the behavior panels, on one time axis.
func statesFigure(res *glmhmm.Result, panels []behaviorPanel) (vg.Length, vg.Length, func(draw.Canvas) error) {
	rows := 2 + len(panels)
	w, h := 12*vg.Inch, vg.Length(2.2*float64(rows)+0.4)*vg.Inch
	return w, h, func(dc draw.Canvas) error {
		T, N := res.Data.Dims()
		t0, t1 := res.Time[0], res.Time[T-1]
		clip := mat.NewDense(N, T, nil)
		for t := range T {
			for n := range N {
				clip.Set(n, t, math.Max(-3, math.Min(3, res.Data.At(t, n))))
			}
		}
		var plots []*plot.Plot
		pt := plot.New()
		prior := ""
		if res.Prior != "" && res.Prior != glmhmm.PriorNone {
			prior = ", " + res.Prior + " prior"
		}
		pt.Title.Text = fmt.Sprintf("%s/%s: %s HMM-GLM%s, K = %d (chosen by held-out likelihood)", res.Dataset, res.Worm, res.Emission, prior, res.K())
		cm := moreland.SmoothBlueRed()
		cm.SetMin(-3)
		cm.SetMax(3)
		hm := plotter.NewHeatMap(matGrid{m: clip, xs: res.Time, up: true}, cm.Palette(255))
		hm.Min, hm.Max, hm.Rasterized = -3, 3, true
		pt.Add(hm)
		pt.Y.Label.Text = "neuron (colour: z, ±3)"
		if res.Emission == glmhmm.Poisson {
			pt.Y.Label.Text = "neuron (colour: counts)"
		}
		pt.Y.Min, pt.Y.Max = -0.5, float64(N)-0.5
		plots = append(plots, pt)

		pp := plot.New()
		K := res.K()
		below := make([]float64, T)
		for k := range K {
			ring := make(plotter.XYs, 0, 2*T)
			for t := range T {
				ring = append(ring, plotter.XY{X: res.Time[t], Y: below[t] + res.Gamma.At(t, k)})
			}
			for t := T - 1; t >= 0; t-- {
				ring = append(ring, plotter.XY{X: res.Time[t], Y: below[t]})
			}
			for t := range T {
				below[t] += res.Gamma.At(t, k)
			}
			poly, err := plotter.NewPolygon(ring)
			if err != nil {
				return err
			}
			poly.Color = stateColor(k)
			poly.LineStyle.Width = 0
			pp.Add(poly)
			pp.Legend.Add(fmt.Sprintf("state %d", k), poly)
		}
		pp.Legend.Top, pp.Legend.Left = true, false
		pp.Legend.XOffs = 0.95 * vg.Inch // in the right margin, off the stacked areas
		pp.Y.Label.Text = "posterior p(z_t = k)"
		pp.Y.Min, pp.Y.Max = 0, 1
		plots = append(plots, pp)

		for _, b := range panels {
			pb := plot.New()
			xy := make(plotter.XYs, T)
			for t := range T {
				xy[t] = plotter.XY{X: res.Time[t], Y: b.values[t]}
			}
			l, err := plotter.NewLine(xy)
			if err != nil {
				return err
			}
			l.Color = color.Black
			if b.name == "reversal" {
				l.FillColor = color.Gray{Y: 150}
				pb.Y.Min, pb.Y.Max = 0, 1
			}
			pb.Add(l)
			pb.Y.Label.Text = b.name
			plots = append(plots, pb)
		}
		for i, p := range plots {
			p.X.Min, p.X.Max = t0, t1
			if i < len(plots)-1 {
				p.X.Tick.Label.Font.Size = 0
				p.X.Tick.Marker = plot.ConstantTicks(nil)
			} else {
				p.X.Label.Text = "time (s)"
			}
		}
		grid := make([][]*plot.Plot, len(plots))
		for i, p := range plots {
			grid[i] = []*plot.Plot{p}
		}
		tiles := draw.Tiles{Rows: len(plots), Cols: 1, PadY: vg.Points(4), PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Inch}
		for i, c := range plot.Align(grid, tiles, dc) {
			plots[i].Draw(c[0])
		}
		return nil
	}
}

// weightsFigure: W_k[post][pre] of every state side by side on one
// symmetric colour scale; the diagonal (a neuron's own history, much larger
// for calcium) is left blank so the interactions stay visible.
func weightsFigure(res *glmhmm.Result) (vg.Length, vg.Length, func(draw.Canvas) error) {
	K := res.K()
	side := 3.6
	w, h := vg.Length(side*float64(K)+1.2)*vg.Inch, vg.Length(side+0.7)*vg.Inch
	return w, h, func(dc draw.Canvas) error {
		g, ok := res.Fitted().Observations.(*glm.GLMObservations)
		if !ok {
			return fmt.Errorf("observations %T have no GLM weights", res.Fitted().Observations)
		}
		N := len(res.Neurons)
		// The scale ends at the 99th percentile of |W| off the diagonal, so
		// a few large weights do not wash out the rest; larger ones are
		// drawn at the end of the scale (the colour bar says so).
		var abs []float64
		for _, W := range g.Weights {
			for i := range N {
				for j := range N {
					if i != j {
						abs = append(abs, math.Abs(W.At(i, j)))
					}
				}
			}
		}
		sort.Float64s(abs)
		lim := abs[min(len(abs)-1, int(0.99*float64(len(abs))))]
		if !(lim > 0) {
			lim = 1
		}
		cm := moreland.SmoothBlueRed()
		cm.SetMin(-lim)
		cm.SetMax(lim)
		pal := cm.Palette(255)
		bar := dc
		bar.Min.X = dc.Max.X - 1.1*vg.Inch
		dc.Max.X = bar.Min.X
		var row []*plot.Plot
		for k, W := range g.Weights {
			off := mat.DenseCopyOf(W)
			for i := range N {
				off.Set(i, i, math.NaN())
			}
			p := plot.New()
			p.Title.Text = fmt.Sprintf("state %d", k)
			hm := plotter.NewHeatMap(matGrid{m: off, up: true}, pal) // post 0 at the bottom, as the axis counts
			hm.Min, hm.Max = -lim, lim
			hm.Underflow, hm.Overflow = pal.Colors()[0], pal.Colors()[len(pal.Colors())-1]
			hm.Rasterized = N > 60 // vector cells alias into a grid pattern when small
			hm.NaN = color.Gray{Y: 230}
			p.Add(hm)
			p.X.Label.Text = "pre"
			if k == 0 {
				p.Y.Label.Text = "post"
			}
			labelTicks(p, res.Neurons)
			p.X.Min, p.X.Max = -0.5, float64(N)-0.5
			p.Y.Min, p.Y.Max = -0.5, float64(N)-0.5
			row = append(row, p)
		}
		tiles := draw.Tiles{Rows: 1, Cols: K, PadX: vg.Points(10), PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4)}
		for i, c := range plot.Align([][]*plot.Plot{row}, tiles, dc)[0] {
			row[i].Draw(c)
		}
		pb := plot.New()
		pb.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})
		pb.HideX()
		pb.Title.Text = "W (diag. blank;\nclipped at the\n99th pct of |W|)"
		pb.Title.TextStyle.Font.Size = vg.Points(9)
		bar.Max.Y -= vg.Points(4)
		bar.Min.Y += vg.Points(30)
		pb.Draw(bar)
		return nil
	}
}

// labelTicks names the neurons on both axes (neuron i at x = i and y = i)
// when there are at most 40.
func labelTicks(p *plot.Plot, labels []string) {
	N := len(labels)
	if N > 40 {
		return
	}
	var xt, yt []plot.Tick
	for i, l := range labels {
		xt = append(xt, plot.Tick{Value: float64(i), Label: l})
		yt = append(yt, plot.Tick{Value: float64(i), Label: l})
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.ConstantTicks(xt), plot.ConstantTicks(yt)
	p.X.Tick.Label.Rotation = math.Pi / 2
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.X.Tick.Label.Font.Size, p.Y.Tick.Label.Font.Size = vg.Points(6), vg.Points(6)
}

// transitionsFigure: the K × K transition matrix with its values.
func transitionsFigure(res *glmhmm.Result) (vg.Length, vg.Length, func(draw.Canvas) error) {
	return 4.5 * vg.Inch, 4 * vg.Inch, func(dc draw.Canvas) error {
		P := res.Fitted().Transitions.P
		K := res.K()
		var cm palette.ColorMap = moreland.Kindlmann()
		cm.SetMin(0)
		cm.SetMax(1)
		p := plot.New()
		p.Title.Text = "transition matrix P[from][to]"
		hm := plotter.NewHeatMap(matGrid{m: P}, cm.Palette(255))
		hm.Min, hm.Max = 0, 1
		p.Add(hm)
		var xys plotter.XYLabels
		var styles []color.Color
		for i := range K {
			for j := range K {
				v := P.At(i, j)
				xys.XYs = append(xys.XYs, plotter.XY{X: float64(j), Y: float64(K - 1 - i)})
				xys.Labels = append(xys.Labels, fmt.Sprintf("%.3f", v))
				if v > 0.6 {
					styles = append(styles, color.Black)
				} else {
					styles = append(styles, color.White)
				}
			}
		}
		lb, err := plotter.NewLabels(xys)
		if err != nil {
			return err
		}
		for i := range lb.TextStyle {
			lb.TextStyle[i].Color = styles[i]
			lb.TextStyle[i].XAlign, lb.TextStyle[i].YAlign = draw.XCenter, draw.YCenter
		}
		p.Add(lb)
		var xt, yt []plot.Tick
		for k := range K {
			xt = append(xt, plot.Tick{Value: float64(k), Label: fmt.Sprint(k)})
			yt = append(yt, plot.Tick{Value: float64(K - 1 - k), Label: fmt.Sprint(k)})
		}
		p.X.Tick.Marker, p.Y.Tick.Marker = plot.ConstantTicks(xt), plot.ConstantTicks(yt)
		p.X.Label.Text, p.Y.Label.Text = "to state", "from state"
		p.X.Padding, p.Y.Padding = 0, 0
		p.X.Min, p.X.Max = -0.5, float64(K)-0.5
		p.Y.Min, p.Y.Max = -0.5, float64(K)-0.5
		p.Draw(dc)
		return nil
	}
}

// loglikFigure: train and held-out log-likelihood per bin against K, the
// chosen K marked.
func loglikFigure(res *glmhmm.Result) (vg.Length, vg.Length, func(draw.Canvas) error) {
	return 5.5 * vg.Inch, 4 * vg.Inch, func(dc draw.Canvas) error {
		p := plot.New()
		p.Title.Text = fmt.Sprintf("%s/%s: choosing K", res.Dataset, res.Worm)
		p.X.Label.Text = "states K"
		p.Y.Label.Text = "log-likelihood per bin (nats)"
		var tr, he plotter.XYs
		var xt []plot.Tick
		for _, c := range res.Candidates {
			tr = append(tr, plotter.XY{X: float64(c.K), Y: c.TrainLL})
			he = append(he, plotter.XY{X: float64(c.K), Y: c.HeldOutLL})
			xt = append(xt, plot.Tick{Value: float64(c.K), Label: fmt.Sprint(c.K)})
		}
		for i, s := range []struct {
			name string
			xy   plotter.XYs
		}{{"train", tr}, {"held-out", he}} {
			l, pts, err := plotter.NewLinePoints(s.xy)
			if err != nil {
				return err
			}
			l.Color, pts.Color = plotutil.Color(i), plotutil.Color(i)
			pts.Shape = plotutil.Shape(i)
			p.Add(l, pts)
			p.Legend.Add(s.name, l, pts)
		}
		best := res.Candidates[res.Chosen]
		mark, err := plotter.NewScatter(plotter.XYs{{X: float64(best.K), Y: best.HeldOutLL}})
		if err != nil {
			return err
		}
		mark.Shape = draw.RingGlyph{}
		mark.Radius = vg.Points(7)
		mark.GlyphStyle.Color = color.Black
		mark.Color = color.Black
		p.Add(mark)
		p.Legend.Add(fmt.Sprintf("chosen K = %d", best.K), mark)
		// Between the train curve (above) and the held-out one (below).
		p.Legend.Left, p.Legend.Top = false, false
		p.Legend.YOffs = 1.3 * vg.Inch
		p.X.Tick.Marker = plot.ConstantTicks(xt)
		p.X.Min, p.X.Max = float64(res.Candidates[0].K)-0.3, float64(res.Candidates[len(res.Candidates)-1].K)+0.3
		p.Draw(dc)
		return nil
	}
}
