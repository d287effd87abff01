package structure

import (
	"fmt"
	"image/color"
	"io"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/neurotab/neurotab"
)

// ROCCurve is one curve of PlotROC: the observed ROC (Test.ROC) and the
// null band, the pointwise quantiles of the rewired curves (NullBand of
// Test.NullROC) at the false-positive rates NullFPR.
type ROCCurve struct {
	Label          string // e.g. "chemical"; the legend adds the AUC, its null mean and p
	NullMean       float64
	FPR, TPR       []float64
	AUC, P         float64
	NullFPR        []float64
	NullLo, NullHi []float64
}

// NullBand returns, at each false-positive rate, the q and 1 − q
// quantiles (empirical, gonum's stat.Empirical) of the true-positive
// rates of the rewirings (tpr[k][g] from Test.NullROC). q is in (0, 0.5).
func NullBand(tpr [][]float64, q float64) (lo, hi []float64) {
	if len(tpr) == 0 {
		return nil, nil
	}
	g := len(tpr[0])
	lo, hi = make([]float64, g), make([]float64, g)
	col := make([]float64, len(tpr))
	for j := range g {
		for k := range tpr {
			col[k] = tpr[k][j]
		}
		slices.Sort(col)
		lo[j] = stat.Quantile(q, stat.Empirical, col, nil)
		hi[j] = stat.Quantile(1-q, stat.Empirical, col, nil)
	}
	return lo, hi
}

// rocColours are the curve colours (Okabe–Ito: orange, blue, bluish
// green, vermillion), distinguishable with colour-vision deficiencies.
var rocColours = []color.NRGBA{{230, 159, 0, 255}, {0, 114, 178, 255}, {0, 158, 115, 255}, {213, 94, 0, 255}}

// PlotROC draws ROC curves with their null bands (shaded, the same colour
// as the curve; the title may hold a line break) and the chance diagonal on a square 5-inch figure, and
// writes it to w as "png" or "svg". Errors: another format
// (neurotab.ErrParam), a curve whose rates have different lengths
// (neurotab.ErrShape).
func PlotROC(w io.Writer, format, title string, curves []ROCCurve) error {
	format = strings.ToLower(format)
	if format != "png" && format != "svg" {
		return fmt.Errorf("structure: ROC figure format %q, want png or svg: %w", format, neurotab.ErrParam)
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text, p.Y.Label.Text = "false-positive rate (pairs without a synapse)", "true-positive rate (pairs with a synapse)"
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(8), vg.Points(8)
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	diag, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
	if err != nil {
		return err
	}
	diag.Color, diag.Dashes = color.Gray{Y: 140}, []vg.Length{vg.Points(3), vg.Points(3)}
	p.Add(diag)
	for i, c := range curves {
		if len(c.FPR) != len(c.TPR) || len(c.NullFPR) != len(c.NullLo) || len(c.NullFPR) != len(c.NullHi) {
			return fmt.Errorf("structure: ROC curve %q: rates of different lengths: %w", c.Label, neurotab.ErrShape)
		}
		col := rocColours[i%len(rocColours)]
		if len(c.NullFPR) > 0 {
			band := make(plotter.XYs, 0, 2*len(c.NullFPR))
			for g := range c.NullFPR {
				band = append(band, plotter.XY{X: c.NullFPR[g], Y: c.NullHi[g]})
			}
			for g := len(c.NullFPR) - 1; g >= 0; g-- {
				band = append(band, plotter.XY{X: c.NullFPR[g], Y: c.NullLo[g]})
			}
			poly, err := plotter.NewPolygon(band)
			if err != nil {
				return err
			}
			fill := col
			fill.A = 60
			poly.Color, poly.LineStyle.Width = fill, 0
			p.Add(poly)
		}
		xy := make(plotter.XYs, len(c.FPR))
		for k := range c.FPR {
			xy[k] = plotter.XY{X: c.FPR[k], Y: c.TPR[k]}
		}
		line, err := plotter.NewLine(xy)
		if err != nil {
			return err
		}
		// Later curves thinner, so that equal curves (any = chemical
		// without gap junctions) both show.
		line.Color, line.Width = col, vg.Points(3.5-float64(min(i, 2)))
		p.Add(line)
		p.Legend.Add(fmt.Sprintf("%s: AUC %.3f (null %.3f), p %.2g", c.Label, c.AUC, c.NullMean, c.P), line)
	}
	if len(curves) > 0 && len(curves[0].NullFPR) > 0 {
		swatch := &plotter.Polygon{XYs: []plotter.XYs{{}}, Color: color.NRGBA{150, 150, 150, 90}}
		p.Legend.Add("shaded: 95% of the rewired null", swatch)
	}
	side := 5 * vg.Inch
	cw, err := draw.NewFormattedCanvas(side, side, format)
	if err != nil {
		return fmt.Errorf("structure: ROC figure: %w", err)
	}
	p.Draw(draw.New(cw))
	_, err = cw.WriteTo(w)
	return err
}
