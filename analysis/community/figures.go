package community

import (
	"cmp"
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/neurotab/neurotab"
)

// Colours are the community colours of the figures, community c drawn in
// Colours[c % len(Colours)]: the Okabe–Ito palette (orange, sky blue,
// bluish green, yellow, blue, vermillion, reddish purple) then four
// Tableau tones, told apart with colour-vision deficiencies for the first
// seven.
var Colours = []color.NRGBA{{230, 159, 0, 255}, {86, 180, 233, 255}, {0, 158, 115, 255}, {240, 228, 66, 255},
	{0, 114, 178, 255}, {213, 94, 0, 255}, {204, 121, 167, 255}, {140, 86, 75, 255}, {127, 127, 127, 255},
	{188, 189, 34, 255}, {23, 190, 207, 255}}

// Order returns the nodes grouped by community — communities by
// decreasing size (ties by label), nodes within one by decreasing
// strength Σ_j |m_ij| (ties by index) — and the start of each community's
// block in that order, with a last entry N.
func Order(m mat.Matrix, partition []int) (order, starts []int) {
	n := len(partition)
	size := map[int]int{}
	for _, c := range partition {
		size[c]++
	}
	strength := make([]float64, n)
	for i := range n {
		for j := range n {
			if i != j {
				if v := m.At(i, j); !math.IsNaN(v) {
					strength[i] += math.Abs(v)
				}
			}
		}
	}
	order = make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ca, cb := partition[a], partition[b]
		if c := cmp.Compare(size[cb], size[ca]); c != 0 {
			return c
		}
		if c := cmp.Compare(ca, cb); c != 0 {
			return c
		}
		return cmp.Compare(strength[b], strength[a])
	})
	for k, i := range order {
		if k == 0 || partition[i] != partition[order[k-1]] {
			starts = append(starts, k)
		}
	}
	return order, append(starts, n)
}

// HeatmapOptions configure PlotOrderedHeatmap.
type HeatmapOptions struct {
	Title string
	// Signed colours the matrix on a diverging blue–white–red scale over
	// ±max|m| (correlations); else on a sequential yellow–green–blue scale
	// from its minimum to its maximum.
	Signed bool
	// ColourBarLabel names the colour scale (e.g. "Pearson r").
	ColourBarLabel string
}

// PlotOrderedHeatmap draws the N × N matrix m (labelled by labels) with
// its rows and columns ordered by community (Order) and a black line at
// every boundary between two communities, a colour bar at the right, and
// the neuron labels as ticks when N ≤ 80 (each in its community's
// colour), else one tick per community. NaN entries (constant traces) are
// drawn as 0 and the diagonal in grey. It writes a 7.5 × 6.5-inch figure to w as
// "png" or "svg". Errors: another format (neurotab.ErrParam), sizes that
// disagree (neurotab.ErrShape).
func PlotOrderedHeatmap(w io.Writer, format string, m mat.Matrix, labels []string, partition []int, opt HeatmapOptions) error {
	if err := checkFigure(format, m, labels, partition); err != nil {
		return err
	}
	n := len(labels)
	order, starts := Order(m, partition)
	z := mat.NewDense(n, n, nil)
	lo, hi := math.Inf(1), math.Inf(-1)
	for a, i := range order {
		for b, j := range order {
			v := m.At(i, j)
			switch {
			case i == j:
				v = math.NaN() // drawn grey: no self-coupling
			case math.IsNaN(v) || math.IsInf(v, 0):
				v = 0
			default:
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
			z.Set(a, b, v)
		}
	}
	if opt.Signed {
		a := math.Max(math.Abs(lo), math.Abs(hi))
		if a == 0 || math.IsInf(a, 0) {
			a = 1
		}
		lo, hi = -a, a
	} else if !(hi > lo) {
		lo, hi = 0, 1
	}
	var cm palette.ColorMap
	if opt.Signed {
		cm = moreland.SmoothBlueRed()
	} else {
		// ColorBrewer YlGnBu, light to dark: no white or grey at either
		// end, so the grey diagonal stands apart.
		yl, err := brewer.GetPalette(brewer.TypeSequential, "YlGnBu", 9)
		if err != nil {
			return err
		}
		c := slices.Clone(yl.Colors())
		slices.Reverse(c) // NewLuminance wants luminance rising
		lum, err := moreland.NewLuminance(c)
		if err != nil {
			return err
		}
		cm = palette.Reverse(lum)
	}
	cm.SetMin(lo)
	cm.SetMax(hi)
	p := plot.New()
	p.Title.Text = opt.Title
	p.X.Label.Text, p.Y.Label.Text = "neuron (by community)", "neuron (by community)"
	h := plotter.NewHeatMap(gridOf{z}, filled(cm.Palette(255)))
	h.Min, h.Max = lo, hi
	h.NaN = color.Gray{Y: 200}
	// Small matrices as rectangles: a raster image would be smoothed
	// when scaled up.
	h.Rasterized = format == "png" && n > 300
	p.Add(h)
	for _, s := range starts[1 : len(starts)-1] {
		x := float64(s) - 0.5
		for _, seg := range []plotter.XYs{{{X: x, Y: -0.5}, {X: x, Y: float64(n) - 0.5}}, {{X: -0.5, Y: float64(n) - 1 - x}, {X: float64(n) - 0.5, Y: float64(n) - 1 - x}}} {
			l, err := plotter.NewLine(seg)
			if err != nil {
				return err
			}
			l.Color, l.Width = color.Black, vg.Points(1.2)
			p.Add(l)
		}
	}
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	var xt, yt []plot.Tick
	if n <= 80 {
		for a, i := range order {
			xt = append(xt, plot.Tick{Value: float64(a), Label: labels[i]})
			yt = append(yt, plot.Tick{Value: float64(n - 1 - a), Label: labels[i]})
		}
		p.X.Tick.Label.Rotation = math.Pi / 2
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
		size := vg.Points(math.Max(4, math.Min(8, 400/float64(n))))
		p.X.Tick.Label.Font.Size, p.Y.Tick.Label.Font.Size = size, size
	} else {
		for k := 0; k+1 < len(starts); k++ {
			c := float64(starts[k]+starts[k+1]-1) / 2
			name := fmt.Sprintf("c%d", partition[order[starts[k]]])
			xt = append(xt, plot.Tick{Value: c, Label: name})
			yt = append(yt, plot.Tick{Value: float64(n-1) - c, Label: name})
		}
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.ConstantTicks(xt), plot.ConstantTicks(yt)
	width, height := 7.5*vg.Inch, 6.5*vg.Inch
	cw, err := draw.NewFormattedCanvas(width, height, format)
	if err != nil {
		return fmt.Errorf("community: heatmap: %w", err)
	}
	dc := draw.New(cw)
	bar := plot.New()
	bar.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})
	bar.HideX()
	bar.Y.Label.Text = opt.ColourBarLabel
	strip := dc
	strip.Min.X = dc.Max.X - width/7
	dc.Max.X = strip.Min.X
	p.Draw(dc)
	da := p.DataCanvas(dc) // the bar spans the matrix's height
	strip.Min.Y, strip.Max.Y = da.Min.Y, da.Max.Y
	bar.Draw(strip)
	_, err = cw.WriteTo(w)
	return err
}

// filled is p with every missing colour (a colour map's rounding at its
// ends) replaced by its nearest neighbour.
func filled(p palette.Palette) palette.Palette {
	c := slices.Clone(p.Colors())
	for i := range c {
		if c[i] == nil && i > 0 {
			c[i] = c[i-1]
		}
	}
	for i := len(c) - 2; i >= 0; i-- {
		if c[i] == nil {
			c[i] = c[i+1]
		}
	}
	return colours(c)
}

// colours is a palette.Palette of fixed colours.
type colours []color.Color

func (c colours) Colors() []color.Color { return c }

// gridOf adapts a matrix to plotter.GridXYZ with row 0 at the top.
type gridOf struct{ m *mat.Dense }

func (g gridOf) Dims() (c, r int) { r, c = g.m.Dims(); return c, r }
func (g gridOf) X(c int) float64  { return float64(c) }
func (g gridOf) Y(r int) float64  { n, _ := g.m.Dims(); return float64(n - 1 - r) }
func (g gridOf) Z(c, r int) float64 {
	return g.m.At(r, c)
}

func checkFigure(format string, m mat.Matrix, labels []string, partition []int) error {
	if f := strings.ToLower(format); f != "png" && f != "svg" {
		return fmt.Errorf("community: figure format %q, want png or svg: %w", format, neurotab.ErrParam)
	}
	r, c := m.Dims()
	if r != c || r != len(labels) || r != len(partition) {
		return fmt.Errorf("community: figure of a %d × %d matrix with %d labels and %d communities: %w", r, c, len(labels), len(partition), neurotab.ErrShape)
	}
	return nil
}

// Layout places the nodes of the weighted graph of the symmetric N × N
// matrix |m| in the unit square by the force-directed algorithm of
// Fruchterman & Reingold (1991, Softw Pract Exper 21:1129,
// doi:10.1002/spe.4380211102): every pair repels with k²/d, every kept edge
// attracts with w·d²/k (w its weight over the largest), k = √(1/N), and
// a gravity of 4·d pulls every node to the centre (so that weakly linked
// nodes stay in the frame), for 300 steps of a displacement capped by a temperature cooling linearly
// from 0.1 to 0. Only the edges of the graph of PlotGraph (the strongest
// Edges) attract. Starting positions come from seed: the same seed gives
// the same layout.
func Layout(m mat.Matrix, edges []Edge, seed neurotab.Seed) [][2]float64 {
	n, _ := m.Dims()
	rng := seed.Rand(0)
	pos := make([][2]float64, n)
	for i := range pos {
		pos[i] = [2]float64{rng.Float64(), rng.Float64()}
	}
	if n < 2 {
		return pos
	}
	wmax := 0.0
	for _, e := range edges {
		wmax = math.Max(wmax, e.W)
	}
	k := math.Sqrt(1 / float64(n))
	disp := make([][2]float64, n)
	const steps = 300
	for s := range steps {
		temp := 0.1 * (1 - float64(s)/steps)
		for i := range disp {
			disp[i] = [2]float64{}
		}
		for i := range n {
			for j := i + 1; j < n; j++ {
				dx, dy := pos[i][0]-pos[j][0], pos[i][1]-pos[j][1]
				d := math.Max(math.Hypot(dx, dy), 1e-4)
				f := k * k / d / d
				disp[i][0] += dx * f
				disp[i][1] += dy * f
				disp[j][0] -= dx * f
				disp[j][1] -= dy * f
			}
		}
		for _, e := range edges {
			i, j := e.U, e.V
			dx, dy := pos[i][0]-pos[j][0], pos[i][1]-pos[j][1]
			d := math.Hypot(dx, dy)
			f := e.W / wmax * d / k
			disp[i][0] -= dx * f
			disp[i][1] -= dy * f
			disp[j][0] += dx * f
			disp[j][1] += dy * f
		}
		for i := range pos {
			disp[i][0] -= 4 * (pos[i][0] - 0.5)
			disp[i][1] -= 4 * (pos[i][1] - 0.5)
			d := math.Hypot(disp[i][0], disp[i][1])
			if d > 0 {
				step := math.Min(d, temp) / d
				pos[i][0] += disp[i][0] * step
				pos[i][1] += disp[i][1] * step
			}
		}
	}
	return pos
}

// StrongestEdges returns the (at most) k pairs i < j of largest positive
// m_ij (not NaN), strongest first, as edges of weight m_ij.
func StrongestEdges(m mat.Matrix, k int) []Edge {
	n, _ := m.Dims()
	var all []Edge
	for i := range n {
		for j := i + 1; j < n; j++ {
			if v := m.At(i, j); v > 0 && !math.IsInf(v, 0) {
				all = append(all, Edge{U: i, V: j, W: v})
			}
		}
	}
	slices.SortStableFunc(all, func(a, b Edge) int { return cmp.Compare(b.W, a.W) })
	return all[:min(k, len(all))]
}

// graphEdges are the 3N strongest positive edges of m and the 2 strongest
// of every node, strongest first.
func graphEdges(m mat.Matrix, n int) []Edge {
	all := StrongestEdges(m, n*(n-1)/2)
	deg := make([]int, n)
	var out []Edge
	for k, e := range all {
		if k < 3*n || deg[e.U] < 2 || deg[e.V] < 2 {
			out = append(out, e)
			deg[e.U]++
			deg[e.V]++
		}
	}
	return out
}

// PlotGraph draws the graph of the strongest positive entries of m (the
// 3N strongest, and the 2 strongest of every node: negative entries,
// anti-correlations, are no edge, as in the graph dfc finds communities
// on) with the force-directed Layout (seeded) and the nodes
// coloured by community (Colours), edges grey with their opacity
// proportional to the weight, labels beside the nodes when N ≤ 80, and a
// legend of the communities with their sizes. It writes a 7-inch square
// figure to w as "png" or "svg". Errors as PlotOrderedHeatmap.
func PlotGraph(w io.Writer, format, title string, m mat.Matrix, labels []string, partition []int, seed neurotab.Seed) error {
	if err := checkFigure(format, m, labels, partition); err != nil {
		return err
	}
	n := len(labels)
	edges := graphEdges(m, n)
	pos := Layout(m, edges, seed)
	p := plot.New()
	p.Title.Text = title
	p.HideAxes()
	wmax := 0.0
	for _, e := range edges {
		wmax = math.Max(wmax, e.W)
	}
	for k := len(edges) - 1; k >= 0; k-- { // weakest first, strongest on top
		e := edges[k]
		l, err := plotter.NewLine(plotter.XYs{{X: pos[e.U][0], Y: pos[e.U][1]}, {X: pos[e.V][0], Y: pos[e.V][1]}})
		if err != nil {
			return err
		}
		l.Color = color.NRGBA{60, 60, 60, uint8(40 + 180*e.W/wmax)}
		l.Width = vg.Points(0.5 + 1.5*e.W/wmax)
		p.Add(l)
	}
	size := map[int]int{}
	var comms []int
	for _, c := range partition {
		if size[c] == 0 {
			comms = append(comms, c)
		}
		size[c]++
	}
	slices.Sort(comms)
	for _, c := range comms {
		var xy plotter.XYs
		for i, ci := range partition {
			if ci == c {
				xy = append(xy, plotter.XY{X: pos[i][0], Y: pos[i][1]})
			}
		}
		sc, err := plotter.NewScatter(xy)
		if err != nil {
			return err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: Colours[c%len(Colours)], Radius: vg.Points(5), Shape: draw.CircleGlyph{}}
		p.Add(sc)
		if c < 12 {
			p.Legend.Add(fmt.Sprintf("community %d (%d)", c, size[c]), sc)
		}
	}
	if n <= 80 {
		xy := make(plotter.XYs, n)
		for i := range pos {
			xy[i] = plotter.XY{X: pos[i][0], Y: pos[i][1]}
		}
		lb, err := plotter.NewLabels(plotter.XYLabels{XYs: xy, Labels: labels})
		if err != nil {
			return err
		}
		for i := range lb.TextStyle {
			lb.TextStyle[i].Font.Size = vg.Points(6)
			lb.TextStyle[i].XAlign = draw.XCenter
		}
		lb.Offset = vg.Point{Y: vg.Points(5)}
		p.Add(lb)
	}
	p.Legend.Top = true
	p.Legend.TextStyle.Font.Size = vg.Points(8)
	// Room above the nodes for the legend.
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, q := range pos {
		p.X.Min, p.X.Max = math.Min(p.X.Min, q[0]), math.Max(p.X.Max, q[0])
		p.Y.Min, p.Y.Max = math.Min(p.Y.Min, q[1]), math.Max(p.Y.Max, q[1])
	}
	dy := p.Y.Max - p.Y.Min
	p.X.Min, p.X.Max = p.X.Min-0.04*dy, p.X.Max+0.04*dy
	p.Y.Min, p.Y.Max = p.Y.Min-0.04*dy, p.Y.Max+0.04*dy+0.03*dy*float64(min(len(comms), 12))
	cw, err := draw.NewFormattedCanvas(7*vg.Inch, 7*vg.Inch, format)
	if err != nil {
		return fmt.Errorf("community: graph: %w", err)
	}
	p.Draw(draw.New(cw))
	_, err = cw.WriteTo(w)
	return err
}
