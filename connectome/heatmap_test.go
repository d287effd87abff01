package connectome

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/png"
	"math"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/fixtures"
	"gonum.org/v1/gonum/mat"
)

func TestPlotHeatmap(t *testing.T) {
	labels := []string{"AVAL", "ADAL", "DA1"}
	m := mat.NewDense(3, 3, []float64{0, 1, 2, 3, 0, 5, 0, 0, 9})
	ordered, groups := OrderByTypeClass(DefaultAtlas(), labels)
	// ADAL and AVAL are interneurons (ADA < AVA), DA1 a motor neuron.
	if strings.Join(ordered, ",") != "ADAL,AVAL,DA1" || strings.Join(groups, ",") != "inter,inter,motor" {
		t.Fatalf("order %v groups %v", ordered, groups)
	}
	for _, c := range []struct {
		format string
		opt    HeatmapOptions
	}{
		{"png", HeatmapOptions{Title: "test"}},
		{"png", HeatmapOptions{Log: true, Groups: groups, Size: 3}},
		{"svg", HeatmapOptions{}},
	} {
		t.Run(c.format, func(t *testing.T) {
			var b bytes.Buffer
			if err := PlotHeatmap(&b, c.format, m, labels, c.opt); err != nil {
				t.Fatal(err)
			}
			if c.format == "svg" {
				// 7 in at 72 pt per inch = 504 pt; the labels are the tick marks
				svg := b.String()
				for _, want := range []string{`<svg width="504pt" height="504pt"`, ">AVAL<", ">ADAL<", ">DA1<"} {
					if !strings.Contains(svg, want) {
						t.Errorf("svg has no %s", want)
					}
				}
				return
			}
			cfg, kind, err := image.DecodeConfig(&b)
			if err != nil || kind != "png" {
				t.Fatalf("decode: %v %s", err, kind)
			}
			size := c.opt.Size
			if size == 0 {
				size = 7
			}
			// vgimg draws at 96 dots per inch.
			if want := int(size * 96); cfg.Width != want || cfg.Height != want {
				t.Errorf("%d×%d pixels, want %d", cfg.Width, cfg.Height, want)
			}
		})
	}
	for _, c := range []struct {
		name   string
		format string
		m      *mat.Dense
		labels []string
		opt    HeatmapOptions
		is     error
		msg    string
	}{
		{"format", "gif", m, labels, HeatmapOptions{}, neurotab.ErrParam, `connectome: heatmap format "gif", want one of png, svg, pdf, jpg, jpeg, tif, tiff: invalid parameter`},
		{"nil", "png", nil, labels, HeatmapOptions{}, neurotab.ErrShape, "connectome: heatmap of a nil matrix: shape mismatch"},
		{"labels", "png", m, labels[:2], HeatmapOptions{}, neurotab.ErrShape, "connectome: heatmap of a 3×3 matrix with 2 labels: shape mismatch"},
		{"groups", "png", m, labels, HeatmapOptions{Groups: []string{"a"}}, neurotab.ErrShape, "connectome: 1 heatmap groups for 3 labels: shape mismatch"},
		{"nonsquare", "png", mat.NewDense(2, 3, nil), labels, HeatmapOptions{}, neurotab.ErrShape, "connectome: heatmap of a 2×3 matrix with 3 labels: shape mismatch"},
		{"NaN entry", "png", mat.NewDense(3, 3, []float64{0, 1, 2, 3, math.NaN(), 5, 0, 0, 9}), labels, HeatmapOptions{}, neurotab.ErrNotFinite,
			"connectome: heatmap entry (1, 1) is NaN: not finite"},
	} {
		t.Run("error/"+c.name, func(t *testing.T) {
			err := PlotHeatmap(&bytes.Buffer{}, c.format, c.m, c.labels, c.opt)
			if !errors.Is(err, c.is) || err.Error() != c.msg {
				t.Errorf("error %v, want %q", err, c.msg)
			}
		})
	}
}

// TestHeatmapWhole draws the White 1986 whole connectome over the 300
// slots ordered by type and class. The type blocks must have the sizes of
// worm-graph/SOURCE.md: sensory 85, inter 79, motor 116, pharyngeal 20.
func TestHeatmapWhole(t *testing.T) {
	p := fixtures.Path(t, "c302", "aconnectome_white_1986_whole.csv")
	edges, err := ImportNemaNode(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ordered, groups := OrderByTypeClass(DefaultAtlas(), DefaultAtlas().Labels())
	var blocks []string
	size := map[string]int{}
	for i, g := range groups {
		if i == 0 || g != groups[i-1] {
			blocks = append(blocks, g)
		}
		size[g]++
	}
	if strings.Join(blocks, ",") != "sensory,inter,motor,pharyngeal" {
		t.Errorf("blocks %v", blocks)
	}
	for g, n := range map[string]int{Sensory: 85, Inter: 79, Motor: 116, Pharyngeal: 20} {
		if size[g] != n {
			t.Errorf("%s block has %d neurons, want %d", g, size[g], n)
		}
	}
	a, err := Adjacency(edges, ordered, Chemical|Electrical)
	if err != nil {
		t.Fatal(err)
	}
	// Total weight is order independent: 6,509 + 1,916 from
	// testdata/reference_counts.csv.
	if s := mat.Sum(a); s != 6509+1916 {
		t.Errorf("sum %g, want %d", s, 6509+1916)
	}
	for _, format := range []string{"png", "svg"} {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			if err := PlotHeatmap(&b, format, a, ordered, HeatmapOptions{Title: "White 1986", Log: true, Groups: groups}); err != nil {
				t.Fatal(err)
			}
			if b.Len() < 1000 {
				t.Errorf("%s of %d bytes", format, b.Len())
			}
		})
	}
}

func BenchmarkAdjacency(b *testing.B) {
	labels := DefaultAtlas().Labels()
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			edges := make([]Edge, n)
			for i := range edges {
				edges[i] = Edge{Pre: labels[i%300], Post: labels[(i*7+3)%300], Type: Chemical, Weight: 1}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := Adjacency(edges, labels, Chemical); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "edges/s")
		})
	}
}

// TestHeatmapGridOrientation: the cell drawn at (x, y) holds m[n−1−y][x],
// so row 0 is at the top and column 0 at the left.
func TestHeatmapGridOrientation(t *testing.T) {
	m := mat.NewDense(3, 3, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9})
	g := grid{m: m}
	c, r := g.Dims()
	if c != 3 || r != 3 {
		t.Fatalf("dims %d, %d", c, r)
	}
	for ri := 0; ri < r; ri++ {
		for ci := 0; ci < c; ci++ {
			x, y := int(g.X(ci)), int(g.Y(ri))
			if want := m.At(2-y, x); g.Z(ci, ri) != want {
				t.Errorf("cell at (x=%d, y=%d) = %g, want %g", x, y, g.Z(ci, ri), want)
			}
		}
	}
	// Top-left cell (x = 0, y = 2) is m[0][0] = 1; log colouring maps it to log 2.
	if got := (grid{m: m, log: true}).Z(0, 0); got != math.Log1p(1) || g.Y(0) != 2 {
		t.Errorf("log Z(0,0) = %g at y %g", got, g.Y(0))
	}
}

// The colour scale spans the entries, or ±max|entry| when Symmetric, so
// that 0 is the diverging scale's middle.
func TestHeatmapColourRange(t *testing.T) {
	for _, c := range []struct {
		name      string
		data      []float64
		symmetric bool
		lo, hi    float64
	}{
		{"plain", []float64{-0.5, 0.2, 0.2, 1}, false, -0.5, 1},
		{"symmetric", []float64{-0.5, 0.2, 0.2, 1}, true, -1, 1},
		{"symmetric negative", []float64{-3, 0.2, 0.2, 1}, true, -3, 3},
		{"constant", []float64{2, 2, 2, 2}, false, 2, 3},
		{"zero symmetric", []float64{0, 0, 0, 0}, true, -1, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			lo, hi, err := colourRange(grid{m: mat.NewDense(2, 2, c.data)}, c.symmetric)
			if err != nil || lo != c.lo || hi != c.hi {
				t.Errorf("range %v … %v (%v), want %v … %v", lo, hi, err, c.lo, c.hi)
			}
		})
	}
}

// A colour bar adds the value scale (numeric tick labels, which the
// neuron axes never have) at the right, and the axis labels are settable.
func TestHeatmapColorbar(t *testing.T) {
	labels := []string{"AVAL", "ADAL", "DA1"}
	m := mat.NewDense(3, 3, []float64{1, -0.5, 0.25, -0.5, 1, 0, 0.25, 0, 1})
	for _, c := range []struct {
		opt  HeatmapOptions
		has  []string
		lack []string
	}{
		{HeatmapOptions{}, []string{">postsynaptic<", ">presynaptic<"}, []string{">-1<", ">0<"}},
		{HeatmapOptions{Colorbar: true, Symmetric: true, XLabel: "target", YLabel: "source"},
			// Symmetric: the scale runs over ±max|m| = ±1.
			[]string{">target<", ">source<", ">-1<", ">0<", ">1<"}, []string{">postsynaptic<"}},
	} {
		var b bytes.Buffer
		if err := PlotHeatmap(&b, "svg", m, labels, c.opt); err != nil {
			t.Fatal(err)
		}
		svg := b.String()
		for _, s := range c.has {
			if !strings.Contains(svg, s) {
				t.Errorf("%+v: svg lacks %s", c.opt, s)
			}
		}
		for _, s := range c.lack {
			if strings.Contains(svg, s) {
				t.Errorf("%+v: svg has %s", c.opt, s)
			}
		}
	}
}
