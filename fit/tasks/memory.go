package tasks

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/readout"
)

// Memory is the short-term memory-capacity task of Jaeger (2002, "Short
// term memory in echo state networks", GMD Report 152): the reservoir is
// driven by i.i.d. u[t] ~ U[−0.8, 0.8], and for each delay k = 1 … KMax a
// ridge readout is trained to recall u[t−k] from the state x[t]. The
// capacity is the sum over delays of the squared correlation between the
// recall and the delayed input on held-out data:
//
//	MC = Σ_{k=1}^{KMax} r²(ŷ_k[t], u[t−k])
//
// Each term is at most 1, and MC ≤ N for N units with i.i.d. input
// (Jaeger 2002); linear reservoirs come closest to the bound.
//
// The input has Washout + Train + Test rows: states of the first Washout
// steps are discarded, the next Train fit the readouts and the last Test
// score them. The zero value is usable. The defaults are longer than
// reservoirpy's memory_capacity (a series of 10·KMax, 20% held out, KMax
// of warm-up): with those lengths a finite training set lowers the
// held-out capacity (an orthogonal linear reservoir of 100 units measures
// 85–91 instead of 92–96).
type Memory struct {
	// KMax is the largest delay (0: 2N, N taken from the states).
	KMax int
	// Washout is the number of initial steps discarded (0: 200, and never
	// fewer than KMax, so every target u[t−k] exists).
	Washout int
	// Train is the number of training steps (0: 5000).
	Train int
	// Test is the number of held-out steps (0: 2000).
	Test int
	// Alpha is the ridge penalty of the readouts (0: 1e-8); they fit an
	// intercept.
	Alpha float64
	// Seed seeds the input (stream 0).
	Seed neurotab.Seed
}

// resolved returns m with the defaults for n units filled in.
func (m Memory) resolved(n int) Memory {
	if m.KMax == 0 {
		m.KMax = 2 * n
	}
	if m.Washout == 0 {
		m.Washout = 200
	}
	m.Washout = max(m.Washout, m.KMax)
	if m.Train == 0 {
		m.Train = 5000
	}
	if m.Test == 0 {
		m.Test = 2000
	}
	if m.Alpha == 0 {
		m.Alpha = 1e-8
	}
	return m
}

// Len returns the number of input rows for a reservoir of n units:
// Washout + Train + Test.
func (m Memory) Len(n int) int {
	r := m.resolved(n)
	return r.Washout + r.Train + r.Test
}

// Input returns the input U (Len(n)×1) for a reservoir of n units, u[t]
// i.i.d. uniform on [−0.8, 0.8] from stream 0 of Seed.
func (m Memory) Input(n int) *mat.Dense {
	t := m.Len(n)
	rng := m.Seed.Rand(0)
	u := make([]float64, t)
	for i := range u {
		u[i] = 1.6*rng.Float64() - 0.8
	}
	return mat.NewDense(t, 1, u)
}

// Capacity scores the states X (Len(N)×N, row t after input U[t]) driven
// by U = Input(N) and returns MC and its terms r²_k (KMax values, delay k
// at index k−1). The errors wrap neurotab.ErrParam (negative settings),
// neurotab.ErrShape (X or U of the wrong size), neurotab.ErrNotFinite (NaN
// in X) or neurotab.ErrSingular (a readout could not be solved).
func (m Memory) Capacity(X, U mat.Matrix) (mc float64, terms []float64, err error) {
	t, n := X.Dims()
	if m.KMax < 0 || m.Washout < 0 || m.Train < 0 || m.Test < 0 || m.Alpha < 0 {
		return 0, nil, fmt.Errorf("tasks: Memory %+v has a negative setting: %w", m, neurotab.ErrParam)
	}
	r := m.resolved(n)
	tu, du := U.Dims()
	if want := r.Washout + r.Train + r.Test; t != want || tu != want || du != 1 {
		return 0, nil, fmt.Errorf("tasks: Memory: X is %d×%d and U %d×%d, want %d rows and U of one column: %w",
			t, n, tu, du, want, neurotab.ErrShape)
	}
	if err := checkFinite("X", X); err != nil {
		return 0, nil, err
	}
	lo, mid := r.Washout, r.Washout+r.Train
	xs, ok := X.(*mat.Dense)
	if !ok {
		xs = mat.DenseCopyOf(X)
	}
	xTrain := xs.Slice(lo, mid, 0, n)
	xTest := xs.Slice(mid, t, 0, n)
	// One ridge with KMax targets: column k−1 of Y is u delayed by k.
	delayed := func(from, to int) *mat.Dense {
		y := mat.NewDense(to-from, r.KMax, nil)
		for i := from; i < to; i++ {
			for k := 1; k <= r.KMax; k++ {
				y.Set(i-from, k-1, U.At(i-k, 0))
			}
		}
		return y
	}
	ridge := readout.Ridge{Alpha: r.Alpha, FitIntercept: true}
	if err := ridge.Fit(xTrain, delayed(lo, mid)); err != nil {
		return 0, nil, fmt.Errorf("tasks: Memory readout: %w", err)
	}
	var yhat mat.Dense
	if err := ridge.PredictTo(&yhat, xTest); err != nil {
		return 0, nil, fmt.Errorf("tasks: Memory readout: %w", err)
	}
	yTest := delayed(mid, t)
	terms = make([]float64, r.KMax)
	a, b := make([]float64, t-mid), make([]float64, t-mid)
	for k := range terms {
		mat.Col(a, k, &yhat)
		mat.Col(b, k, yTest)
		terms[k] = squaredCorrelation(a, b)
		mc += terms[k]
	}
	return mc, terms, nil
}
