package pipeline

import (
	"fmt"
	"math"
	"slices"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/reservoir"
	"github.com/neurotab/neurotab/formats/table"
	"gonum.org/v1/gonum/mat"
)

// Fit runs the task on one recording with every method and returns the
// predictions, the scores and the trained Model. The errors wrap
// neurotab.ErrParam, ErrShape (a recording too short: horizon ≥ T, an
// empty split, or a target constant over the training samples),
// ErrNotFinite (a NaN or Inf sample, named by neuron and time, or a
// diverging readout) or ErrNotFound (a heldout neuron or a connectome the
// recording lacks), each naming the recording.
func (f Forecast) Fit(rec *table.Recording) (*Result, error) {
	if err := f.Check(); err != nil {
		return nil, err
	}
	in, out, err := f.roles(rec)
	if err != nil {
		return nil, err
	}
	return f.run(rec, in, out, nil)
}

// roles returns the column indices of the input and target neurons.
func (f Forecast) roles(rec *table.Recording) (in, out []int, err error) {
	N := len(rec.Neurons)
	all := make([]int, N)
	for j := range all {
		all[j] = j
	}
	if f.task() != TaskHeldout {
		return all, all, nil
	}
	if f.Heldout == nil {
		for j := 0; j < N; j += 5 {
			out = append(out, j)
		}
	} else {
		for _, n := range f.Heldout {
			j := slices.Index(rec.Neurons, n)
			if j < 0 {
				return nil, nil, fmt.Errorf("pipeline: %s/%s: heldout neuron %q is not in the recording: %w", rec.Dataset, rec.Worm, n, neurotab.ErrNotFound)
			}
			out = append(out, j)
		}
	}
	for _, j := range all {
		if !slices.Contains(out, j) {
			in = append(in, j)
		}
	}
	if len(in) == 0 {
		return nil, nil, fmt.Errorf("pipeline: %s/%s: every neuron is held out, none is left as input: %w", rec.Dataset, rec.Worm, neurotab.ErrShape)
	}
	return in, out, nil
}

// fitState is the working state of one run.
type fitState struct {
	f       Forecast
	name    string
	X       *mat.Dense
	in, out []int
	k, p    int
	S       *mat.Dense // reservoir activity, T×units
	groups  [][]int    // target positions (into out) of each readout
}

// run fits (m == nil) or applies (m != nil) the methods with the given
// input and target columns, with the time split.
func (f Forecast) run(rec *table.Recording, in, out []int, m *Model) (*Result, error) {
	s, res, err := f.prepare(rec, in, out, m, "")
	if err != nil {
		return nil, err
	}
	if res.Model != nil {
		if err := s.train(res.Model, res.TrainT); err != nil {
			return nil, err
		}
		m = res.Model
	}
	return s.finish(res, m)
}

// prepare checks the recording, splits it and runs the reservoir (drawn
// when m is nil: then res.Model is the new, untrained model). whole is ""
// for the time split, or Train or Test to put every sample after the
// washout into that split (the worm split).
func (f Forecast) prepare(rec *table.Recording, in, out []int, m *Model, whole string) (*fitState, *Result, error) {
	name := rec.Dataset + "/" + rec.Worm
	X := rec.Data
	T, N := X.Dims()
	k, w := f.horizon(), f.washout()
	if k >= T {
		return nil, nil, fmt.Errorf("pipeline: %s: horizon %d ≥ recording length %d samples: %w", name, k, T, neurotab.ErrShape)
	}
	if len(rec.Time) != T || len(rec.Neurons) != N {
		return nil, nil, fmt.Errorf("pipeline: %s: %d×%d traces with %d times and %d neuron names: %w", name, T, N, len(rec.Time), len(rec.Neurons), neurotab.ErrShape)
	}
	for t := range T {
		for j := range N {
			if v := X.At(t, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, nil, fmt.Errorf("pipeline: %s: neuron %s at sample %d (t = %g s) is %v: %w", name, rec.Neurons[j], t, rec.Time[t], v, neurotab.ErrNotFinite)
			}
		}
	}
	c := int(math.Round(f.fraction() * float64(T)))
	switch whole {
	case Train:
		c = T
	case Test:
		c = max(w, 1)
	}
	res := &Result{Dataset: rec.Dataset, Worm: rec.Worm, Task: f.task(), Horizon: k, Washout: w, Cut: c, Time: rec.Time,
		Neurons: pick(rec.Neurons, out), Inputs: pick(rec.Neurons, in)}
	first, last := c, T-k
	if f.task() == TaskGenerate {
		first, last = c-1, T-1
	}
	if whole != Test {
		for t := w; t+k < c && t < first; t++ {
			res.TrainT = append(res.TrainT, t)
		}
	}
	if whole != Train {
		for t := max(first, w); t < last; t++ {
			res.TestT = append(res.TestT, t)
		}
	}
	if (whole != Test && len(res.TrainT) == 0) || (whole != Train && len(res.TestT) == 0) {
		return nil, nil, fmt.Errorf("pipeline: %s: %d samples leave %d train and %d test pairs at horizon %d, washout %d, cut %d: %w",
			name, T, len(res.TrainT), len(res.TestT), k, w, c, neurotab.ErrShape)
	}
	s := &fitState{f: f, name: name, X: X, in: in, out: out, k: k, p: f.lags()}
	if whole != Test {
		if err := s.checkTargets(rec, res.TrainT); err != nil {
			return nil, nil, err
		}
	}
	if f.PerNeuron {
		for g := range out {
			s.groups = append(s.groups, []int{g})
		}
	} else {
		s.groups = [][]int{make([]int, len(out))}
		for g := range out {
			s.groups[0][g] = g
		}
	}
	if m == nil {
		m = &Model{Forecast: f, Inputs: res.Inputs, Targets: res.Neurons}
		if err := m.build(rec, in); err != nil {
			return nil, nil, fmt.Errorf("pipeline: %s: %w", name, err)
		}
		res.Model = m
	}
	s.S = &mat.Dense{}
	if err := reservoir.NewRunner(m.ESN).Run(s.S, columns(X, in)); err != nil {
		return nil, nil, fmt.Errorf("pipeline: %s: %w", name, err)
	}
	return s, res, nil
}

// finish predicts and scores both splits (those not empty) with the
// trained model m.
func (s *fitState) finish(res *Result, m *Model) (*Result, error) {
	f, name, c := s.f, s.name, res.Cut
	splits := [2][]int{res.TrainT, res.TestT}
	var target [2]*mat.Dense
	for sp, ts := range splits {
		if len(ts) > 0 {
			target[sp] = s.targets(ts)
		}
	}
	preds := map[string][2]*mat.Dense{}
	for _, meth := range []string{Reservoir, Persistence, Autoregressive} {
		var pr [2]*mat.Dense
		if len(res.TrainT) > 0 {
			pr[0] = s.openLoop(meth, m, res.TrainT, c)
		}
		switch {
		case len(res.TestT) == 0:
		case f.task() == TaskGenerate:
			pr[1] = s.closedLoop(meth, m, res.TestT)
		default:
			pr[1] = s.openLoop(meth, m, res.TestT, c)
		}
		for sp := range pr {
			if pr[sp] != nil && !scorable(pr[sp]) {
				return nil, fmt.Errorf("pipeline: %s: %s predictions are not finite (a readout with too large weights: lower its learning rate or raise the penalty): %w",
					name, meth, neurotab.ErrNotFinite)
			}
		}
		preds[meth] = pr
	}
	var sd []float64
	if f.task() == TaskGenerate {
		sd = trainSD(target[0])
	}
	for _, meth := range []string{Reservoir, Persistence, Autoregressive} {
		mr := MethodResult{Model: meth, Observed: target, Predicted: preds[meth]}
		for sp := range splits {
			if target[sp] == nil {
				continue
			}
			sc, ov, err := scores(target[sp], preds[meth][sp])
			if err != nil {
				return nil, fmt.Errorf("pipeline: %s: %s: %w", name, meth, err)
			}
			if f.task() == TaskGenerate && sp == 1 {
				ov[MetricValidSteps] = float64(validSteps(target[1], preds[meth][1], sd, f.tolerance()))
			}
			mr.Scores[sp], mr.Overall[sp] = sc, ov
		}
		res.Methods = append(res.Methods, mr)
	}
	return res, nil
}

// pick returns names[i] for i in idx.
func pick(names []string, idx []int) []string {
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = names[j]
	}
	return out
}

// columns returns the columns idx of X as a new T×len(idx) matrix.
func columns(X *mat.Dense, idx []int) *mat.Dense {
	T, _ := X.Dims()
	U := mat.NewDense(T, len(idx), nil)
	for t := range T {
		row, src := U.RawRowView(t), X.RawRowView(t)
		for i, j := range idx {
			row[i] = src[j]
		}
	}
	return U
}

// checkTargets rejects a target that is constant over the training
// targets: no readout can learn from it and its R² is undefined.
func (s *fitState) checkTargets(rec *table.Recording, train []int) error {
	for _, j := range s.out {
		v0 := s.X.At(train[0]+s.k, j)
		constant := true
		for _, t := range train {
			if s.X.At(t+s.k, j) != v0 {
				constant = false
				break
			}
		}
		if constant {
			return fmt.Errorf("pipeline: %s: target neuron %s is constant (%g) over the %d training samples: nothing to fit: %w",
				s.name, rec.Neurons[j], v0, len(train), neurotab.ErrShape)
		}
	}
	return nil
}

// targets returns x[t+k] of the target neurons for t in ts.
func (s *fitState) targets(ts []int) *mat.Dense {
	Y := mat.NewDense(len(ts), len(s.out), nil)
	for i, t := range ts {
		row, src := Y.RawRowView(i), s.X.RawRowView(t+s.k)
		for g, j := range s.out {
			row[g] = src[j]
		}
	}
	return Y
}

// features writes the features of method meth (Reservoir or
// Autoregressive) of readout group g at time t into dst and returns it:
// the history H gives the traces (the recording, or the free-running
// predictions), state the reservoir's activity at t.
func (s *fitState) features(dst []float64, meth string, g int, t int, H *mat.Dense, state []float64) []float64 {
	dst = dst[:0]
	if meth == Reservoir {
		dst = append(dst, state...)
		if !s.f.PerNeuron {
			row := H.RawRowView(t)
			for _, j := range s.in {
				dst = append(dst, row[j])
			}
			return dst
		}
	}
	if s.f.PerNeuron {
		j := s.out[s.groups[g][0]]
		for l := range s.p {
			dst = append(dst, H.At(t-l, j))
		}
		return dst
	}
	for l := range s.p {
		row := H.RawRowView(t - l)
		for _, j := range s.in {
			dst = append(dst, row[j])
		}
	}
	return dst
}

// featureMatrix stacks the features of ts from the recording.
func (s *fitState) featureMatrix(meth string, g int, ts []int) *mat.Dense {
	var F *mat.Dense
	var buf []float64
	for i, t := range ts {
		buf = s.features(buf, meth, g, t, s.X, s.S.RawRowView(t))
		if F == nil {
			F = mat.NewDense(len(ts), len(buf), nil)
		}
		copy(F.RawRowView(i), buf)
	}
	return F
}

// train fits the readouts of both fitted methods on the train split.
func (s *fitState) train(m *Model, ts []int) error {
	return trainParts(m, s.name, []part{{s, ts}})
}

// part is the train samples ts of one recording's state.
type part struct {
	s  *fitState
	ts []int
}

// trainParts fits the readouts of both fitted methods on the train
// samples of one or several recordings (stacked in order); name names
// them in errors.
func trainParts(m *Model, name string, parts []part) error {
	f := parts[0].s.f
	intercept := !f.NoIntercept
	stack := func(get func(p part) *mat.Dense) *mat.Dense {
		var out *mat.Dense
		for _, p := range parts {
			x := get(p)
			if out == nil {
				out = x
				continue
			}
			var st mat.Dense
			st.Stack(out, x)
			out = &st
		}
		return out
	}
	Y := stack(func(p part) *mat.Dense {
		Y := p.s.targets(p.ts)
		if f.Residual {
			for i, t := range p.ts {
				row := Y.RawRowView(i)
				for g, j := range p.s.out {
					row[g] -= p.s.X.At(t, j)
				}
			}
		}
		return Y
	})
	s0 := parts[0].s
	for _, g := range s0.groupIndices() {
		Yg := groupCols(Y, s0.groups[g])
		a, err := f.Readout.fit(f.Ridge, intercept, stack(func(p part) *mat.Dense { return p.s.featureMatrix(Reservoir, g, p.ts) }), Yg)
		if err != nil {
			return fmt.Errorf("pipeline: %s: reservoir readout: %w", name, err)
		}
		m.resMaps = append(m.resMaps, a)
		a, err = ridgeAffine(f.ARRidge, intercept, stack(func(p part) *mat.Dense { return p.s.featureMatrix(Autoregressive, g, p.ts) }), Yg)
		if err != nil {
			return fmt.Errorf("pipeline: %s: autoregression: %w", name, err)
		}
		m.arMaps = append(m.arMaps, a)
	}
	return nil
}

func (s *fitState) groupIndices() []int {
	idx := make([]int, len(s.groups))
	for i := range idx {
		idx[i] = i
	}
	return idx
}

func groupCols(Y *mat.Dense, cols []int) *mat.Dense {
	r, _ := Y.Dims()
	out := mat.NewDense(r, len(cols), nil)
	for i := range r {
		for c, j := range cols {
			out.Set(i, c, Y.At(i, j))
		}
	}
	return out
}

func (m *Model) maps(meth string) []affine {
	if meth == Reservoir {
		return m.resMaps
	}
	return m.arMaps
}

// openLoop predicts x[t+k] of the targets for t in ts from the recording.
// Persistence predicts x[t] (forecast, generate), or for the heldout task
// x[t−1] on the train split and the last training sample x[c−1] after the
// cut c.
func (s *fitState) openLoop(meth string, m *Model, ts []int, c int) *mat.Dense {
	P := mat.NewDense(len(ts), len(s.out), nil)
	if meth == Persistence {
		for i, t := range ts {
			src := t
			if s.f.task() == TaskHeldout {
				src = max(t-1, 0)
				if t >= c {
					src = c - 1
				}
			}
			for g, j := range s.out {
				P.Set(i, g, s.X.At(src, j))
			}
		}
		return P
	}
	for g, a := range m.maps(meth) {
		pg := a.predict(s.featureMatrix(meth, g, ts))
		for i := range ts {
			for c, col := range s.groups[g] {
				P.Set(i, col, pg.At(i, c))
			}
		}
	}
	s.addResidual(P, ts, s.X)
	return P
}

// addResidual adds x[t] back to predicted changes.
func (s *fitState) addResidual(P *mat.Dense, ts []int, H *mat.Dense) {
	if !s.f.Residual {
		return
	}
	for i, t := range ts {
		row := P.RawRowView(i)
		for g, j := range s.out {
			row[g] += H.At(t, j)
		}
	}
}

// closedLoop runs the generate task's test span: from the last observed
// sample x[c−1] (ts[0] = c−1) each prediction x̂[t+1] becomes the input of
// the next step, for the reservoir (driven by x̂) and the autoregression
// (its lags filled with x̂); persistence holds x[c−1].
func (s *fitState) closedLoop(meth string, m *Model, ts []int) *mat.Dense {
	P := mat.NewDense(len(ts), len(s.out), nil)
	start := ts[0]
	if meth == Persistence {
		for i := range ts {
			for g, j := range s.out {
				P.Set(i, g, s.X.At(start, j))
			}
		}
		return P
	}
	H := mat.DenseCopyOf(s.X)
	var runner *reservoir.Runner
	var state []float64
	u := make([]float64, len(s.in))
	if meth == Reservoir {
		runner = reservoir.NewRunner(m.ESN)
		var S mat.Dense
		_ = runner.Run(&S, columns(s.X, s.in).Slice(0, start+1, 0, len(s.in)))
		state = slices.Clone(S.RawRowView(start))
	}
	var buf []float64
	for i, t := range ts {
		row := P.RawRowView(i)
		for g, a := range m.maps(meth) {
			buf = s.features(buf, meth, g, t, H, state)
			pg := make([]float64, len(s.groups[g]))
			a.predictRow(pg, buf)
			for c, col := range s.groups[g] {
				row[col] = pg[c]
			}
		}
		if s.f.Residual {
			for g, j := range s.out {
				row[g] += H.At(t, j)
			}
		}
		next := H.RawRowView(t + 1)
		for g, j := range s.out {
			next[j] = row[g]
		}
		if runner != nil {
			for q, j := range s.in {
				u[q] = next[j]
			}
			state = runner.Step(state, u, nil)
		}
	}
	return P
}

// trainSD returns each column's standard deviation.
func trainSD(Y *mat.Dense) []float64 {
	n, K := Y.Dims()
	sd := make([]float64, K)
	for j := range K {
		mean, ss := 0.0, 0.0
		for i := range n {
			mean += Y.At(i, j) / float64(n)
		}
		for i := range n {
			d := Y.At(i, j) - mean
			ss += d * d
		}
		sd[j] = math.Sqrt(ss / float64(n))
	}
	return sd
}

// validSteps returns the number of leading rows h with
// √(mean_j ((P[h][j] − Y[h][j])/σ_j)²) ≤ tol.
func validSteps(Y, P *mat.Dense, sd []float64, tol float64) int {
	n, K := Y.Dims()
	for h := range n {
		e := 0.0
		for j := range K {
			d := (P.At(h, j) - Y.At(h, j)) / sd[j]
			e += d * d / float64(K)
		}
		if !(math.Sqrt(e) <= tol) {
			return h
		}
	}
	return n
}

// scorable reports whether every entry and its square are finite, so that
// the errors of the predictions can be scored.
func scorable(m *mat.Dense) bool {
	r, _ := m.Dims()
	for i := range r {
		for _, v := range m.RawRowView(i) {
			if math.IsNaN(v) || math.IsInf(v*v, 0) {
				return false
			}
		}
	}
	return true
}
