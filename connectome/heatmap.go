package connectome

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/figure"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// typeOrder is the display order of neuron types in figures.
var typeOrder = map[string]int{Sensory: 0, Inter: 1, Motor: 2, Pharyngeal: 3}

// OrderByTypeClass returns labels reordered by neuron type (sensory, inter,
// motor, pharyngeal, then labels not in atlas a), then class, then label,
// and the type of each reordered label ("other" outside the atlas) for
// HeatmapOptions.Groups.
func OrderByTypeClass(a *Atlas, labels []string) (ordered, groups []string) {
	type item struct {
		label, class, typ string
		rank              int
	}
	items := make([]item, len(labels))
	for i, l := range labels {
		it := item{label: l, class: l, typ: "other", rank: len(typeOrder)}
		if n, ok := a.Neuron(l); ok {
			it.class, it.typ = n.Class, n.Type
			if r, ok := typeOrder[n.Type]; ok {
				it.rank = r
			}
		}
		items[i] = it
	}
	sort.SliceStable(items, func(i, j int) bool {
		x, y := items[i], items[j]
		if x.rank != y.rank {
			return x.rank < y.rank
		}
		if x.class != y.class {
			return x.class < y.class
		}
		return x.label < y.label
	})
	ordered = make([]string, len(items))
	groups = make([]string, len(items))
	for i, it := range items {
		ordered[i], groups[i] = it.label, it.typ
	}
	return ordered, groups
}

// HeatmapOptions configure PlotHeatmap. The zero value draws a 7-inch
// square figure of the raw weights.
type HeatmapOptions struct {
	Title string
	// Log colours log(1 + w) instead of w, which shows small counts next to
	// large ones.
	Log bool
	// Groups, when set, has one name per label; runs of equal names are
	// marked on the axes (e.g. the types from OrderByTypeClass). Without
	// Groups every label is a tick when there are at most 60, else none.
	Groups []string
	// Size is the width and height in inches (7 when 0).
	Size float64
	// XLabel and YLabel name the axes ("postsynaptic" and "presynaptic"
	// when empty); an FC matrix C[source][target] would say "target" and
	// "source".
	XLabel, YLabel string
	// Colorbar draws the colour scale, with its values, in a strip at the
	// right of the figure.
	Colorbar bool
	// Symmetric colours signed matrices (correlations) on a diverging
	// blue–white–red scale over [−max|w|, +max|w|], so 0 is white.
	Symmetric bool
}

// grid adapts a matrix to plotter.GridXYZ: column c is x = c, row r is
// drawn at y = n−1−r so that row 0 is at the top.
type grid struct {
	m   *mat.Dense
	log bool
}

func (g grid) Dims() (c, r int) { r, c = g.m.Dims(); return c, r }
func (g grid) X(c int) float64  { return float64(c) }
func (g grid) Y(r int) float64  { n, _ := g.m.Dims(); return float64(n - 1 - r) }
func (g grid) Z(c, r int) float64 {
	v := g.m.At(r, c)
	if g.log {
		return math.Log1p(math.Max(v, 0))
	}
	return v
}

// PlotHeatmap draws the square adjacency m (rows presynaptic, columns
// postsynaptic, in the order of labels) as a heat map and writes it to w in
// any figure.Formats format ("png", "svg", "pdf", …). Rows run top to bottom, columns left to right.
// Another format is an error wrapping neurotab.ErrParam; a matrix that is
// not square over labels (or Groups of another length), neurotab.ErrShape;
// a NaN or infinite entry (after Log), neurotab.ErrNotFinite.
func PlotHeatmap(w io.Writer, format string, m *mat.Dense, labels []string, opt HeatmapOptions) error {
	format = strings.ToLower(format)
	if !slices.Contains(figure.Formats, format) {
		return fmt.Errorf("connectome: heatmap format %q, want one of %s: %w", format, strings.Join(figure.Formats, ", "), neurotab.ErrParam)
	}
	if m == nil {
		return fmt.Errorf("connectome: heatmap of a nil matrix: %w", neurotab.ErrShape)
	}
	r, c := m.Dims()
	if r != c || r != len(labels) {
		return fmt.Errorf("connectome: heatmap of a %d×%d matrix with %d labels: %w", r, c, len(labels), neurotab.ErrShape)
	}
	if opt.Groups != nil && len(opt.Groups) != len(labels) {
		return fmt.Errorf("connectome: %d heatmap groups for %d labels: %w", len(opt.Groups), len(labels), neurotab.ErrShape)
	}
	g := grid{m: m, log: opt.Log}
	lo, hi, err := colourRange(g, opt.Symmetric)
	if err != nil {
		return err
	}
	p := plot.New()
	p.Title.Text = opt.Title
	p.X.Label.Text, p.Y.Label.Text = "postsynaptic", "presynaptic"
	if opt.XLabel != "" {
		p.X.Label.Text = opt.XLabel
	}
	if opt.YLabel != "" {
		p.Y.Label.Text = opt.YLabel
	}
	var cm palette.ColorMap = moreland.Kindlmann()
	if opt.Symmetric {
		cm = moreland.SmoothBlueRed()
	}
	cm.SetMin(lo)
	cm.SetMax(hi)
	h := plotter.NewHeatMap(g, cm.Palette(255))
	h.Min, h.Max = lo, hi
	// A raster image is scaled with interpolation, which blurs cells into
	// blobs: raster formats draw cells as rectangles unless there are very
	// many; vector formats (SVG, PDF) embed an image above 50 × 50 cells, as
	// a 300 × 300 matrix of vector cells is a multi-megabyte file.
	switch format {
	case "svg", "pdf":
		h.Rasterized = r*c > 50*50
	default:
		h.Rasterized = r*c > 300*300
	}
	p.Add(h)
	p.X.Tick.Marker, p.Y.Tick.Marker = ticks(labels, opt.Groups, false, r), ticks(labels, opt.Groups, true, r)
	p.X.Min, p.X.Max = -0.5, float64(c)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(r)-0.5
	size := opt.Size
	if size <= 0 {
		size = 7
	}
	side := vg.Length(size) * vg.Inch
	cw, err := draw.NewFormattedCanvas(side, side, format)
	if err != nil {
		return fmt.Errorf("connectome: heatmap: %w", err)
	}
	dc := draw.New(cw)
	if opt.Colorbar {
		bar := plot.New()
		bar.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})
		bar.HideX()
		bar.Title.Text = " " // the heatmap's title height, so the scales line up
		strip := dc
		strip.Min.X = dc.Max.X - side/8
		dc.Max.X = strip.Min.X
		bar.Draw(strip)
	}
	p.Draw(dc)
	_, err = cw.WriteTo(w)
	return err
}

// colourRange is the range of the colour scale of g: its smallest and
// largest entries (an interval of width 1 when they are equal), or
// ±max|entry| when symmetric (±1 for a zero matrix). A NaN or infinite
// entry wraps neurotab.ErrNotFinite.
func colourRange(g grid, symmetric bool) (lo, hi float64, err error) {
	c, r := g.Dims()
	lo, hi = math.Inf(1), math.Inf(-1)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			z := g.Z(j, i)
			if math.IsNaN(z) || math.IsInf(z, 0) {
				return 0, 0, fmt.Errorf("connectome: heatmap entry (%d, %d) is %v: %w", i, j, g.m.At(i, j), neurotab.ErrNotFinite)
			}
			lo, hi = math.Min(lo, z), math.Max(hi, z)
		}
	}
	if symmetric {
		a := math.Max(math.Abs(lo), math.Abs(hi))
		if a == 0 {
			a = 1
		}
		return -a, a, nil
	}
	if hi <= lo {
		hi = lo + 1
	}
	return lo, hi, nil
}

// ticks marks group blocks (at their centres) or single labels.
func ticks(labels, groups []string, flip bool, n int) plot.Ticker {
	pos := func(i float64) float64 {
		if flip {
			return float64(n-1) - i
		}
		return i
	}
	var t []plot.Tick
	switch {
	case groups != nil:
		start := 0
		for i := 1; i <= len(groups); i++ {
			if i == len(groups) || groups[i] != groups[start] {
				t = append(t, plot.Tick{Value: pos(float64(start+i-1) / 2), Label: groups[start]})
				start = i
			}
		}
	case len(labels) <= 60:
		for i, l := range labels {
			t = append(t, plot.Tick{Value: pos(float64(i)), Label: l})
		}
	}
	return plot.ConstantTicks(t)
}
