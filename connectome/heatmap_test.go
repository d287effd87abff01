package connectome

import (
	"bytes"
	"image"
	_ "image/png"
	"strings"
	"testing"

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
				if !strings.Contains(b.String(), "<svg") {
					t.Error("no <svg element")
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
	}{
		{"format", "gif", m, labels, HeatmapOptions{}},
		{"nil", "png", nil, labels, HeatmapOptions{}},
		{"labels", "png", m, labels[:2], HeatmapOptions{}},
		{"groups", "png", m, labels, HeatmapOptions{Groups: []string{"a"}}},
		{"nonsquare", "png", mat.NewDense(2, 3, nil), labels, HeatmapOptions{}},
	} {
		t.Run("error/"+c.name, func(t *testing.T) {
			if err := PlotHeatmap(&bytes.Buffer{}, c.format, c.m, c.labels, c.opt); err == nil {
				t.Error("no error")
			}
		})
	}
}
