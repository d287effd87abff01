package cli

import (
	"bytes"
	"os"
	"path/filepath"

	"github.com/neurotab/neurotab/fit/pipeline"
)

// maxFitFigures bounds the recordings that get figures in one run.
const maxFitFigures = 20

// writeFitFigures writes, for each of the first maxFitFigures results,
// WORM_neurons.png (observed vs predicted, best and worst neuron of the
// reservoir) and WORM_r2.png (test R² per method) into dir, and returns
// the paths written. A recording without a neuron of finite test R² (every
// target constant over the test span) gets no figure.
func writeFitFigures(dir string, results []*pipeline.Result) ([]string, error) {
	var paths []string
	for i, res := range results {
		if i == maxFitFigures {
			break
		}
		if best, _ := res.BestWorst(pipeline.Reservoir); best < 0 {
			continue
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		base := filepath.Join(dir, res.Dataset+"_"+res.Worm)
		for _, fig := range []struct {
			path string
			draw func(*bytes.Buffer) error
		}{
			{base + "_neurons.png", func(b *bytes.Buffer) error { return res.PlotNeurons(b, "png", pipeline.Reservoir) }},
			{base + "_r2.png", func(b *bytes.Buffer) error { return res.PlotScores(b, "png", pipeline.MetricR2) }},
		} {
			var b bytes.Buffer
			if err := fig.draw(&b); err != nil {
				return nil, err
			}
			if err := os.WriteFile(fig.path, b.Bytes(), 0o644); err != nil {
				return nil, err
			}
			paths = append(paths, fig.path)
		}
	}
	return paths, nil
}
