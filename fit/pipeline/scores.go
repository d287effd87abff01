package pipeline

import (
	"math"

	"github.com/neurotab/neurotab/fit/readout"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// perNeuronMetrics are the metrics with a value per neuron, in the order
// of the metrics table.
var perNeuronMetrics = []string{MetricR2, MetricNRMSE, MetricNRMSERange, MetricPearson}

// scores computes R², NRMSE by σ and by range and Pearson's r of every
// column, and pVar of the whole matrix.
func scores(Y, Yhat *mat.Dense) (map[string][]float64, map[string]float64, error) {
	r2, err := readout.R2(Y, Yhat)
	if err != nil {
		return nil, nil, err
	}
	nrmse, err := readout.NRMSE(Y, Yhat)
	if err != nil {
		return nil, nil, err
	}
	T, N := Y.Dims()
	r := make([]float64, N)
	rng := make([]float64, N)
	var all, res []float64
	for j := range N {
		y, yh := mat.Col(nil, j, Y), mat.Col(nil, j, Yhat)
		r[j] = stat.Correlation(y, yh, nil)
		lo, hi, ss := math.Inf(1), math.Inf(-1), 0.0
		for i := range T {
			lo, hi = min(lo, y[i]), max(hi, y[i])
			ss += (y[i] - yh[i]) * (y[i] - yh[i])
		}
		rng[j] = math.Sqrt(ss/float64(T)) / (hi - lo)
		all = append(all, y...)
		res = append(res, ss)
	}
	// pVar = 1 − ‖A − R‖²_F / (N·T·σ²_A), σ_A the population standard
	// deviation of every entry of A.
	_, v := stat.PopMeanVariance(all, nil)
	ssr := 0.0
	for _, x := range res {
		ssr += x
	}
	pvar := 1 - ssr/(float64(N*T)*v)
	return map[string][]float64{MetricR2: r2, MetricNRMSE: nrmse, MetricNRMSERange: rng, MetricPearson: r},
		map[string]float64{MetricPVar: pvar}, nil
}
