package fc

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/connectivity"
	"github.com/neurotab/neurotab/analysis/covariance"
	"github.com/neurotab/neurotab/analysis/directed"
	"github.com/neurotab/neurotab/analysis/significance"
	"github.com/neurotab/neurotab/formats/table"
)

// Source yields recordings one at a time, io.EOF after the last;
// *table.RecordingReader is one.
type Source interface {
	Next() (*table.Recording, error)
}

// Sink receives the result of each recording, in input order. An error
// stops Run.
type Sink func(*Result) error

// Stats sums up a Run.
type Stats struct {
	Recordings int // recordings fitted (after Worms and the shard)
	Skipped    int // recordings of the input left out by Worms or the shard
}

// Run fits cfg's measure to every selected recording of src and calls sink
// with each Result in input order. It holds at most max(Jobs, 1) recordings
// at once. Errors: an invalid configuration (neurotab.ErrParam, before
// reading), src's errors, a recording's (naming it: NaN samples wrap
// neurotab.ErrNotFinite, a recording too short for the lag
// neurotab.ErrShape, a singular covariance neurotab.ErrSingular), sink's,
// and a worm of Worms not in src (neurotab.ErrNotFound). On an error the
// sink has seen only complete results of the recordings before it.
func Run(src Source, cfg Config, sink Sink) (Stats, error) {
	var st Stats
	if err := cfg.Check(); err != nil {
		return st, err
	}
	if k, _ := cfg.kind(); k == KindTangent {
		return st, fmt.Errorf("fc: kind tangent needs every recording at once: use RunTangent: %w", neurotab.ErrParam)
	}
	jobs := max(cfg.Jobs, 1)
	shards := max(cfg.Shards, 1)
	seen := map[string]bool{}
	kept := 0
	for done := false; !done; {
		var batch []*table.Recording
		for len(batch) < jobs {
			rec, err := src.Next()
			if err == io.EOF {
				done = true
				break
			}
			if err != nil {
				return st, err
			}
			if len(cfg.Worms) > 0 && !slices.Contains(cfg.Worms, rec.Worm) {
				st.Skipped++
				continue
			}
			seen[rec.Worm] = true
			if kept%shards != cfg.Shard {
				kept++
				st.Skipped++
				continue
			}
			kept++
			batch = append(batch, rec)
		}
		results := make([]*Result, len(batch))
		errs := make([]error, len(batch))
		var wg sync.WaitGroup
		for i, rec := range batch {
			wg.Go(func() { results[i], errs[i] = Fit(rec, cfg) })
		}
		wg.Wait()
		for i := range batch {
			if errs[i] != nil {
				return st, errs[i]
			}
			if err := sink(results[i]); err != nil {
				return st, err
			}
			st.Recordings++
		}
	}
	for _, w := range cfg.Worms {
		if !seen[w] {
			return st, fmt.Errorf("fc: worm %q is not in the input: %w", w, neurotab.ErrNotFound)
		}
	}
	return st, nil
}

// Fit computes the Result of one recording (see Run and Config). Errors
// start with "fc: recording DATASET/WORM".
func Fit(rec *table.Recording, cfg Config) (*Result, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, fmt.Errorf("fc: nil recording: %w", neurotab.ErrShape)
	}
	res, err := fit(rec, cfg)
	if err != nil {
		return nil, fmt.Errorf("fc: recording %s/%s: %w", rec.Dataset, rec.Worm, err)
	}
	return res, nil
}

func fit(rec *table.Recording, cfg Config) (*Result, error) {
	if err := rec.Validate(); err != nil {
		if !errors.Is(err, neurotab.ErrShape) {
			err = fmt.Errorf("%w: %w", err, neurotab.ErrShape)
		}
		return nil, err
	}
	k, _ := cfg.kind()
	T, n := rec.Data.Dims()
	if err := checkFinite(rec); err != nil {
		return nil, err
	}
	p, err := samplesOf(rec, k, cfg)
	if err != nil {
		return nil, err
	}
	lag := p.lag
	if cfg.Window == 0 {
		if err := p.tooShort(T, k, cfg, "recording"); err != nil {
			return nil, err
		}
		return fitWindow(rec, connectivity.RecordingWindow(rec), k, p, cfg, nil)
	}
	width, step, err := windowSamples(rec, cfg)
	if err != nil {
		return nil, err
	}
	if err := p.tooShort(width, k, cfg, "window"); err != nil {
		return nil, err
	}
	var taper []float64
	if cfg.Taper == TaperHann {
		taper = Hann(width)
	}
	res := &Result{Window: connectivity.RecordingWindow(rec), Neurons: rec.Neurons, Lag: lag}
	for w, s := 0, 0; s+width <= T; w, s = w+1, s+step {
		sub := &table.Recording{Dataset: rec.Dataset, Worm: rec.Worm, Neurons: rec.Neurons,
			Data: rec.Data.Slice(s, s+width, 0, n).(*mat.Dense), Time: rec.Time[s : s+width]}
		key := connectivity.Window{Dataset: rec.Dataset, Worm: rec.Worm, Index: w, Start: sub.Time[0], End: sub.Time[width-1]}
		r, err := fitWindow(sub, key, k, p, cfg, taper)
		if err != nil {
			return nil, fmt.Errorf("window %d (t = %g–%g s): %w", w, key.Start, key.End, err)
		}
		res.Windows = append(res.Windows, r)
		res.Significant += r.Significant
	}
	return res, nil
}

// windowSamples converts Config.Window and Config.Step to samples of rec
// with its median sample interval.
func windowSamples(rec *table.Recording, cfg Config) (width, step int, err error) {
	T := len(rec.Time)
	dt := table.MedianDt(rec.Time)
	if !(dt > 0) {
		return 0, 0, fmt.Errorf("%d sample times give no sample interval to convert the window: %w", T, neurotab.ErrShape)
	}
	width = int(math.Round(cfg.Window.Seconds() / dt))
	step = width
	if cfg.Step > 0 {
		step = int(math.Round(cfg.Step.Seconds() / dt))
	}
	switch {
	case width < 2:
		return 0, 0, fmt.Errorf("window %v is %d samples (median interval %.4g s), want at least 2: %w", cfg.Window, width, dt, neurotab.ErrParam)
	case step < 1:
		return 0, 0, fmt.Errorf("step %v is less than one sample (median interval %.4g s): %w", cfg.Step, dt, neurotab.ErrParam)
	case width > T:
		return 0, 0, fmt.Errorf("window %v (%d samples) is longer than the recording (%d samples): %w", cfg.Window, width, T, neurotab.ErrShape)
	}
	return width, step, nil
}

// fitWindow computes the Result of the samples of rec under the key win;
// taper, when not nil, weights the samples (kind correlation only).
func fitWindow(rec *table.Recording, win connectivity.Window, k Kind, p params, cfg Config, taper []float64) (*Result, error) {
	T, n := rec.Data.Dims()
	var keep []int
	res := &Result{Window: win, Neurons: rec.Neurons, Lag: p.lag}
	col := make([]float64, T)
	for j := range n {
		mat.Col(col, j, rec.Data)
		if constant(col) {
			res.Constant = append(res.Constant, rec.Neurons[j])
		} else {
			keep = append(keep, j)
		}
	}
	names := []string{measureName(k, cfg)}
	if k == KindLagged {
		names = append(names, string(connectivity.MeasurePeakLag))
	}
	full := make([]*mat.Dense, len(names))
	for i := range full {
		full[i] = nanMatrix(n)
	}
	var fullP *mat.Dense
	if len(keep) >= 2 {
		x := columns(rec.Data, keep)
		var ms []mat.Matrix
		var pv *mat.Dense
		var err error
		if taper != nil {
			var r *mat.SymDense
			r, err = WeightedPearson(x, taper)
			ms = []mat.Matrix{r}
		} else {
			ms, pv, err = compute(x, k, p, cfg)
		}
		if err != nil {
			return nil, err
		}
		for i := range ms {
			scatter(full[i], ms[i], keep)
		}
		if pv != nil {
			fullP = nanMatrix(n)
			scatter(fullP, pv, keep)
		}
	}
	for i, name := range names {
		res.Matrices = append(res.Matrices, Matrix{Measure: name, Value: full[i]})
	}
	if fullP != nil {
		q, err := qValues(fullP)
		if err != nil {
			return nil, err
		}
		res.Matrices[0].P, res.Matrices[0].Q = fullP, q
		if cfg.FDR > 0 {
			for _, v := range q.RawMatrix().Data {
				if v <= cfg.FDR {
					res.Significant++
				}
			}
		}
	}
	return res, nil
}

// checkFinite reports the first NaN or ±Inf sample of rec.
func checkFinite(rec *table.Recording) error {
	T, n := rec.Data.Dims()
	for t := range T {
		for j := range n {
			if v := rec.Data.At(t, j); math.IsNaN(v) || math.IsInf(v, 0) {
				at := ""
				if t < len(rec.Time) {
					at = fmt.Sprintf(" (t = %g s)", rec.Time[t])
				}
				return fmt.Errorf("neuron %s sample %d%s is %v; fill or drop NaN samples before FC: %w", rec.Neurons[j], t, at, v, neurotab.ErrNotFinite)
			}
		}
	}
	return nil
}

// params are the sample counts of a kind on one recording: the max lag of
// the lagged kinds, and the segment length and sample rate (Hz, from the
// median sample interval) of the spectral kinds.
type params struct {
	lag, seg int
	fs       float64
}

// samplesOf converts the durations of cfg to samples of rec for kind k.
func samplesOf(rec *table.Recording, k Kind, cfg Config) (params, error) {
	var p params
	var err error
	if p.lag, err = lagSamples(rec, k, cfg.MaxLag); err != nil {
		return p, err
	}
	if k.spectralKind() {
		if p.seg, err = segmentSamples(rec, cfg); err != nil {
			return p, err
		}
		if dt := table.MedianDt(rec.Time); dt > 0 {
			p.fs = 1 / dt
		} else {
			return p, fmt.Errorf("%d sample times give no sample rate for the spectra: %w", len(rec.Time), neurotab.ErrShape)
		}
	}
	return p, nil
}

// lagSamples converts the max lag to samples of rec.
func lagSamples(rec *table.Recording, k Kind, maxLag time.Duration) (int, error) {
	if !k.lagged() {
		return 0, nil
	}
	s := maxLag.Seconds()
	if s == 0 {
		return 1, nil
	}
	dt := table.MedianDt(rec.Time)
	if !(dt > 0) {
		return 0, fmt.Errorf("%d sample times give no sample interval to convert the max lag: %w", len(rec.Time), neurotab.ErrShape)
	}
	lag := int(math.Round(s / dt))
	if lag < 1 {
		return 0, fmt.Errorf("max lag %g s is less than one sample (median interval %.4g s): %w", s, dt, neurotab.ErrParam)
	}
	return lag, nil
}

// tooShort reports T samples (of what: recording or window) too few for
// kind k: two overlapping samples at the largest lag for lagged; for
// granger and te, T − p regression rows above the 2p + 1 coefficients of
// the unrestricted model, i.e. T ≥ 3p + 2; one segment for the spectral
// kinds (two, at half overlap, for ppc and wpli2_debiased, which need two
// epochs); two samples otherwise. Errors wrap neurotab.ErrShape.
func (p params) tooShort(T int, k Kind, cfg Config, what string) error {
	need := 2
	switch k {
	case KindLagged:
		need = p.lag + 2
	case KindGranger, KindTE:
		need = 3*p.lag + 2
	case KindPPC, KindWPLI2Debiased:
		need = p.seg + p.seg/2
	}
	if k.spectralKind() {
		need = max(need, p.seg)
		if T < need {
			return fmt.Errorf("%s of %d samples is too short for segments of %d samples: %s needs at least %d (shorten --segment): %w", what, T, p.seg, k, need, neurotab.ErrShape)
		}
		return nil
	}
	if T < need {
		return fmt.Errorf("%s of %d samples is too short for a max lag of %d samples (%v): %s needs at least %d: %w", what, T, p.lag, cfg.MaxLag, k, need, neurotab.ErrShape)
	}
	return nil
}

// constant reports whether every value of v equals the first.
func constant(v []float64) bool {
	for _, x := range v {
		if x != v[0] {
			return false
		}
	}
	return true
}

// columns copies the columns keep of x.
func columns(x *mat.Dense, keep []int) *mat.Dense {
	T, _ := x.Dims()
	out := mat.NewDense(T, len(keep), nil)
	for t := range T {
		for c, j := range keep {
			out.Set(t, c, x.At(t, j))
		}
	}
	return out
}

func nanMatrix(n int) *mat.Dense {
	m := mat.NewDense(n, n, nil)
	for i := range m.RawMatrix().Data {
		m.RawMatrix().Data[i] = math.NaN()
	}
	return m
}

// scatter writes the len(keep) × len(keep) matrix m into dst at rows and
// columns keep.
func scatter(dst *mat.Dense, m mat.Matrix, keep []int) {
	for a, i := range keep {
		for b, j := range keep {
			dst.Set(i, j, m.At(a, b))
		}
	}
}

// compute fits kind k to x (no constant columns): the value matrices (two
// for lagged) and the p-values of the first (nil when there are none).
func compute(x *mat.Dense, k Kind, p params, cfg Config) ([]mat.Matrix, *mat.Dense, error) {
	stat := func(X mat.Matrix) (mat.Matrix, error) {
		ms, _, err := statistic(X, k, p, cfg, false)
		if err != nil {
			return nil, err
		}
		return ms[0], nil
	}
	if cfg.Surrogates > 0 {
		ms, _, err := statistic(x, k, p, cfg, false)
		if err != nil {
			return nil, nil, err
		}
		t := significance.Test{Surrogates: cfg.Surrogates, Seed: cfg.Seed}
		if err := t.Fit(x, stat); err != nil {
			return nil, nil, err
		}
		var pv mat.Dense
		if err := t.PValuesTo(&pv); err != nil {
			return nil, nil, err
		}
		return ms, &pv, nil
	}
	return statistic(x, k, p, cfg, true)
}

// statistic fits kind k to X and returns its matrices and, when withP and
// the kind has them (granger), its analytic p-values.
func statistic(X mat.Matrix, k Kind, p params, cfg Config, withP bool) ([]mat.Matrix, *mat.Dense, error) {
	lag, est := p.lag, cfg.Estimator
	switch {
	case k.spectralKind():
		m, err := spectralMatrix(X, k, p, cfg)
		if err != nil {
			return nil, nil, err
		}
		return []mat.Matrix{m}, nil, nil
	case k.covariance():
		m := covariance.Measure{Estimator: covEstimator(est), Kind: covKinds[k]}
		if err := m.Fit(X); err != nil {
			return nil, nil, err
		}
		var s mat.SymDense
		if err := m.MatrixTo(&s); err != nil {
			return nil, nil, err
		}
		return []mat.Matrix{mat.DenseCopyOf(&s)}, nil, nil
	case k == KindLagged:
		e := connectivity.Estimator{Measure: connectivity.MeasureLagged, MaxLag: lag}
		if err := e.Fit(X); err != nil {
			return nil, nil, err
		}
		var s mat.SymDense
		var pl mat.Dense
		if err := e.MatrixTo(&s); err != nil {
			return nil, nil, err
		}
		if err := e.PeakLagTo(&pl); err != nil {
			return nil, nil, err
		}
		return []mat.Matrix{mat.DenseCopyOf(&s), &pl}, nil, nil
	case k == KindGranger:
		g := directed.Granger{Lag: lag}
		if err := g.Fit(X); err != nil {
			return nil, nil, err
		}
		var f mat.Dense
		if err := g.StatisticTo(&f); err != nil {
			return nil, nil, err
		}
		if !withP {
			return []mat.Matrix{&f}, nil, nil
		}
		var pv mat.Dense
		if err := g.PValueTo(&pv); err != nil {
			return nil, nil, err
		}
		return []mat.Matrix{&f}, &pv, nil
	default: // KindTE
		e := directed.GaussianTE{Lag: lag}
		if err := e.Fit(X); err != nil {
			return nil, nil, err
		}
		var te mat.Dense
		if err := e.MatrixTo(&te); err != nil {
			return nil, nil, err
		}
		return []mat.Matrix{&te}, nil, nil
	}
}

// covEstimator is the covariance estimator named est.
func covEstimator(est string) covariance.Estimator {
	switch est {
	case "ledoit-wolf":
		return &covariance.LedoitWolf{}
	case "oas":
		return &covariance.OAS{}
	}
	return &covariance.Empirical{}
}

// qValues returns the Benjamini–Hochberg q-values of the off-diagonal,
// non-NaN entries of p (NaN elsewhere).
func qValues(p *mat.Dense) (*mat.Dense, error) {
	n, _ := p.Dims()
	var ps []float64
	offDiagonal(p, func(_, _ int, v float64) { ps = append(ps, v) })
	qs, err := significance.BenjaminiHochberg(ps)
	if err != nil {
		return nil, err
	}
	q := nanMatrix(n)
	c := 0
	offDiagonal(p, func(i, j int, _ float64) { q.Set(i, j, qs[c]); c++ })
	return q, nil
}

// offDiagonal calls f with every off-diagonal entry of the square m that
// is not NaN, row-major.
func offDiagonal(m *mat.Dense, f func(i, j int, v float64)) {
	n, _ := m.Dims()
	for i := range n {
		for j := range n {
			if v := m.At(i, j); i != j && !math.IsNaN(v) {
				f(i, j, v)
			}
		}
	}
}
