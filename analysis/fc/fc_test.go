package fc

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/connectivity"
	"github.com/neurotab/neurotab/analysis/covariance"
	"github.com/neurotab/neurotab/analysis/directed"
	"github.com/neurotab/neurotab/analysis/significance"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest/calcium"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// slice is a Source over recordings in memory.
type slice struct {
	recs []*table.Recording
	i    int
}

func (s *slice) Next() (*table.Recording, error) {
	if s.i == len(s.recs) {
		return nil, io.EOF
	}
	s.i++
	return s.recs[s.i-1], nil
}

// synthetic returns a T × N recording of coupled AR(1) traces sampled
// every dt seconds: n0 is white noise and x_j(t) = 0.6 x_j(t−1) +
// 0.5 x_{j−1}(t−2) + noise for j > 0, so neuron j−1 leads neuron j by two
// samples (the cross-covariance of n0 with n1 is 0.5·0.6^(k−2) at lag
// k ≥ 2 and 0 below: its peak is at lag 2).
func synthetic(worm string, seed uint64, T, N int, dt float64) *table.Recording {
	rng := rand.New(rand.NewPCG(seed, 7))
	x := mat.NewDense(T, N, nil)
	for t := range T {
		for j := range N {
			v := rng.NormFloat64()
			if t > 0 && j > 0 {
				v += 0.6 * x.At(t-1, j)
			}
			if t > 1 && j > 0 {
				v += 0.5 * x.At(t-2, j-1)
			}
			x.Set(t, j, v)
		}
	}
	r := &table.Recording{Dataset: "Synth", Worm: worm, Data: x, Time: make([]float64, T)}
	for t := range T {
		r.Time[t] = 10 + float64(t)*dt
	}
	for j := range N {
		r.Neurons = append(r.Neurons, fmt.Sprintf("n%d", j))
	}
	return r
}

// direct computes the matrix of kind k with the estimators themselves.
func direct(t *testing.T, x mat.Matrix, k Kind, est string, lag int) (*mat.Dense, *mat.Dense) {
	t.Helper()
	switch k {
	case KindGranger:
		g := directed.Granger{Lag: lag}
		if err := g.Fit(x); err != nil {
			t.Fatal(err)
		}
		var f, p mat.Dense
		g.StatisticTo(&f)
		g.PValueTo(&p)
		return &f, &p
	case KindTE:
		e := directed.GaussianTE{Lag: lag}
		if err := e.Fit(x); err != nil {
			t.Fatal(err)
		}
		var te mat.Dense
		e.MatrixTo(&te)
		return &te, nil
	case KindLagged:
		l, err := connectivity.LaggedCorrelation(x, lag)
		if err != nil {
			t.Fatal(err)
		}
		return mat.DenseCopyOf(l.Peak), nil
	}
	kinds := map[Kind]covariance.Kind{KindCorrelation: covariance.KindCorrelation, KindPartial: covariance.KindPartialCorrelation,
		KindPrecision: covariance.KindPrecision, KindCovariance: covariance.KindCovariance}
	ests := map[string]covariance.Estimator{"": &covariance.Empirical{}, "empirical": &covariance.Empirical{}, "ledoit-wolf": &covariance.LedoitWolf{}, "oas": &covariance.OAS{}}
	m := covariance.Measure{Estimator: ests[est], Kind: kinds[k]}
	if err := m.Fit(x); err != nil {
		t.Fatal(err)
	}
	var s mat.SymDense
	m.MatrixTo(&s)
	return mat.DenseCopyOf(&s), nil
}

// writeRead runs cfg over recs, writes the rows to an fc Parquet file and
// reads them back.
func writeRead(t *testing.T, recs []*table.Recording, cfg Config) ([]*Result, []table.FCRow) {
	t.Helper()
	rb := table.NewRowBuilder(nil, table.FC)
	defer rb.Release()
	var results []*Result
	_, err := Run(&slice{recs: recs}, cfg, func(r *Result) error {
		results = append(results, r)
		_, err := r.AppendRows(rb)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := rb.NewRecord()
	defer rec.Release()
	path := filepath.Join(t.TempDir(), "fc.parquet")
	if err := table.WriteParquet(path, table.FC, table.Provenance{}, nil, nil, rec); err != nil {
		t.Fatal(err)
	}
	rows, err := table.ReadRows[table.FCRow](path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return results, rows
}

// The rows of every kind equal what the estimators give directly for the
// same traces, pair by pair, with the recording's key; lags in time are
// converted with the median sample interval (0.5 s here, so 1 s is 2
// samples).
func TestRowsEqualEstimators(t *testing.T) {
	recs := []*table.Recording{synthetic("a", 1, 300, 4, 0.5), synthetic("b", 2, 250, 4, 0.5)}
	cases := []struct {
		kind    Kind
		est     string
		lag     time.Duration
		samples int
		measure string
	}{
		{KindCorrelation, "", 0, 0, "correlation"},
		{KindCorrelation, "ledoit-wolf", 0, 0, "correlation_ledoit_wolf"},
		{KindPartial, "oas", 0, 0, "partial_correlation_oas"},
		{KindPrecision, "empirical", 0, 0, "precision"},
		{KindCovariance, "", 0, 0, "covariance"},
		{KindLagged, "", time.Second, 2, "lagged_pearson"},
		{KindGranger, "", time.Second, 2, "granger_f"},
		{KindTE, "", 0, 1, "transfer_entropy_nats"},
	}
	for _, c := range cases {
		t.Run(c.measure, func(t *testing.T) {
			_, rows := writeRead(t, recs, Config{Kind: c.kind, Estimator: c.est, MaxLag: c.lag})
			n := 4
			per := n * (n - 1)
			if c.kind == KindLagged {
				per *= 2
			}
			if len(rows) != per*len(recs) {
				t.Fatalf("%d rows, want %d", len(rows), per*len(recs))
			}
			at := 0
			for _, rec := range recs {
				want, p := direct(t, rec.Data, c.kind, c.est, c.samples)
				for i := range n {
					for j := range n {
						if i == j {
							continue
						}
						r := rows[at]
						at++
						if r.SourceDataset != "Synth" || r.Worm != rec.Worm || r.Window != 0 || r.TStart != rec.Time[0] || r.TEnd != rec.Time[len(rec.Time)-1] ||
							r.Pre != rec.Neurons[i] || r.Post != rec.Neurons[j] || r.Measure != c.measure {
							t.Fatalf("row %+v, want %s %s→%s %s", r, rec.Worm, rec.Neurons[i], rec.Neurons[j], c.measure)
						}
						if r.Value != want.At(i, j) {
							t.Errorf("%s %s→%s = %v, want %v", rec.Worm, r.Pre, r.Post, r.Value, want.At(i, j))
						}
						if p != nil && r.PValue != p.At(i, j) || p == nil && !math.IsNaN(r.PValue) {
							t.Errorf("%s %s→%s p = %v", rec.Worm, r.Pre, r.Post, r.PValue)
						}
					}
				}
				if c.kind == KindLagged {
					l, _ := connectivity.LaggedCorrelation(rec.Data, c.samples)
					for i := range n {
						for j := range n {
							if i == j {
								continue
							}
							r := rows[at]
							at++
							if r.Measure != string(connectivity.MeasurePeakLag) || r.Value != l.PeakLag.At(i, j) {
								t.Errorf("peak lag row %+v, want %v", r, l.PeakLag.At(i, j))
							}
						}
					}
				}
			}
		})
	}
}

// The simulated coupling n_{j−1} → n_j at two samples is what granger and
// the lagged correlation find: peak lag +2 for n0→n1 (n0 leads) and a
// granger F far larger forwards than backwards.
func TestFindsCoupling(t *testing.T) {
	rec := synthetic("a", 3, 2000, 3, 0.5)
	res, err := Fit(rec, Config{Kind: KindLagged, MaxLag: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Matrices[1].Value.At(0, 1); got != 2 {
		t.Errorf("peak lag n0→n1 = %v samples, want 2", got)
	}
	res, err = Fit(rec, Config{Kind: KindGranger, MaxLag: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	f := res.Matrices[0].Value
	if !(f.At(0, 1) > 100 && f.At(1, 0) < 10) {
		t.Errorf("granger F n0→n1 %v, n1→n0 %v", f.At(0, 1), f.At(1, 0))
	}
	if p := res.Matrices[0].P.At(0, 1); !(p < 1e-10) {
		t.Errorf("granger p n0→n1 = %v", p)
	}
}

// Surrogate p-values are significance.Test's on the same traces, and the
// q-values BenjaminiHochberg of the off-diagonal p-values in row-major
// order.
func TestSurrogatesAndQValues(t *testing.T) {
	rec := synthetic("a", 4, 1000, 3, 0.5)
	cfg := Config{Surrogates: 199, Seed: 11, FDR: 0.05}
	res, err := Fit(rec, cfg)
	if err != nil {
		t.Fatal(err)
	}
	test := significance.Test{Surrogates: 199, Seed: 11}
	corr := func(x mat.Matrix) (mat.Matrix, error) {
		m := covariance.Measure{Estimator: &covariance.Empirical{}, Kind: covariance.KindCorrelation}
		if err := m.Fit(x); err != nil {
			return nil, err
		}
		var s mat.SymDense
		err := m.MatrixTo(&s)
		return &s, err
	}
	if err := test.Fit(rec.Data, corr); err != nil {
		t.Fatal(err)
	}
	var p mat.Dense
	test.PValuesTo(&p)
	var ps []float64
	for i := range 3 {
		for j := range 3 {
			if i != j {
				ps = append(ps, p.At(i, j))
			}
		}
	}
	qs, _ := significance.BenjaminiHochberg(ps)
	m := res.Matrices[0]
	at, sig := 0, 0
	for i := range 3 {
		for j := range 3 {
			if i == j {
				continue
			}
			if m.P.At(i, j) != p.At(i, j) || math.Abs(m.Q.At(i, j)-qs[at]) > 0 {
				t.Errorf("%d→%d p %v q %v, want %v %v", i, j, m.P.At(i, j), m.Q.At(i, j), p.At(i, j), qs[at])
			}
			if qs[at] <= 0.05 {
				sig++
			}
			at++
		}
	}
	if res.Significant != sig || sig == 0 {
		t.Errorf("significant %d, want %d (> 0: neighbours are coupled)", res.Significant, sig)
	}
}

// A constant trace is left out: its rows and columns are NaN and have no
// fc rows; the other pairs equal Pearson of the other traces.
func TestConstantTrace(t *testing.T) {
	rec := synthetic("a", 5, 100, 4, 0.5)
	for i := range 100 {
		rec.Data.Set(i, 2, 3.5)
	}
	for _, k := range []Kind{KindCorrelation, KindPrecision, KindGranger} {
		t.Run(string(k), func(t *testing.T) {
			results, rows := writeRead(t, []*table.Recording{rec}, Config{Kind: k})
			if len(rows) != 3*2 {
				t.Fatalf("%d rows, want 6 (3 non-constant neurons)", len(rows))
			}
			for _, r := range rows {
				if r.Pre == "n2" || r.Post == "n2" {
					t.Errorf("row of the constant trace: %+v", r)
				}
			}
			if c := results[0].Constant; len(c) != 1 || c[0] != "n2" || results[0].Matrices[0].Pairs() != 6 {
				t.Errorf("constant %v", c)
			}
			if k == KindCorrelation {
				sub := columns(rec.Data, []int{0, 1, 3})
				r, _ := connectivity.Pearson(sub)
				if got := results[0].Matrices[0].Value.At(0, 3); math.Abs(got-r.At(0, 2)) > 1e-12 {
					t.Errorf("r n0,n3 = %v, want %v", got, r.At(0, 2))
				}
			}
		})
	}
}

// Bad input: one-line errors naming the recording, wrapping the shared
// sentinels.
func TestErrors(t *testing.T) {
	nan := synthetic("nan", 6, 50, 3, 0.5)
	nan.Data.Set(7, 1, math.NaN())
	short := synthetic("short", 7, 20, 3, 0.5)
	cases := []struct {
		name string
		rec  *table.Recording
		cfg  Config
		is   error
		want string
	}{
		{"unknown kind", short, Config{Kind: "mutual_information"}, neurotab.ErrParam, `fc: unknown kind "mutual_information" (want one of correlation, partial, precision, covariance, tangent, lagged, granger, te, coherence, imcoh, plv, pli, wpli, wpli2_debiased, ppc)`},
		{"tangent", short, Config{Kind: "tangent"}, neurotab.ErrParam, "fc: kind tangent needs every recording at once: use RunTangent"},
		{"unknown estimator", short, Config{Estimator: "glasso"}, neurotab.ErrParam, `fc: unknown estimator "glasso"`},
		{"estimator for granger", short, Config{Kind: KindGranger, Estimator: "oas"}, neurotab.ErrParam, "fc: estimator oas is for kinds"},
		{"lag for correlation", short, Config{MaxLag: time.Second}, neurotab.ErrParam, "fc: max lag is for kinds lagged, granger and te, not correlation"},
		{"lagged without lag", short, Config{Kind: KindLagged}, neurotab.ErrParam, "fc: kind lagged needs a max lag"},
		{"bad fdr", short, Config{FDR: 1}, neurotab.ErrParam, "fc: FDR level 1"},
		{"bad shard", short, Config{Shard: 2, Shards: 2}, neurotab.ErrParam, "fc: shard 2/2"},
		{"nan", nan, Config{}, neurotab.ErrNotFinite, "fc: recording Synth/nan: neuron n1 sample 7 (t = 13.5 s) is NaN"},
		{"too short lagged", short, Config{Kind: KindLagged, MaxLag: 10 * time.Second}, neurotab.ErrShape,
			"fc: recording Synth/short: recording of 20 samples is too short for a max lag of 20 samples (10s): lagged needs at least 22"},
		{"too short granger", short, Config{Kind: KindGranger, MaxLag: 4 * time.Second}, neurotab.ErrShape,
			"fc: recording Synth/short: recording of 20 samples is too short for a max lag of 8 samples (4s): granger needs at least 26"},
		{"lag below a sample", short, Config{Kind: KindTE, MaxLag: 100 * time.Millisecond}, neurotab.ErrParam,
			"fc: recording Synth/short: max lag 0.1 s is less than one sample (median interval 0.5 s)"},
		{"singular precision", synthetic("wide", 8, 3, 5, 0.5), Config{Kind: KindPrecision}, neurotab.ErrSingular, "fc: recording Synth/wide: "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Run(&slice{recs: []*table.Recording{c.rec}}, c.cfg, func(*Result) error { t.Fatal("sink called"); return nil })
			if !errors.Is(err, c.is) || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err %v, want %v starting %q", err, c.is, c.want)
			}
		})
	}
	_, err := Run(&slice{recs: []*table.Recording{short}}, Config{Worms: []string{"short", "absent"}}, func(*Result) error { return nil })
	if !errors.Is(err, neurotab.ErrNotFound) || err.Error() != `fc: worm "absent" is not in the input: not found` {
		t.Errorf("absent worm: %v", err)
	}
}

// Jobs changes nothing in the output; shards partition the recordings in
// input order; Worms selects.
func TestJobsShardsWorms(t *testing.T) {
	var recs []*table.Recording
	for i := range 7 {
		recs = append(recs, synthetic(fmt.Sprintf("w%d", i), uint64(10+i), 80, 3, 0.5))
	}
	worms := func(cfg Config) (string, Stats) {
		var got []string
		st, err := Run(&slice{recs: recs}, cfg, func(r *Result) error {
			want, _ := Fit(recs[int(r.Window.Worm[1]-'0')], Config{Kind: cfg.Kind})
			if !mat.EqualApprox(r.Matrices[0].Value, want.Matrices[0].Value, 0) && !sameNaN(r.Matrices[0].Value, want.Matrices[0].Value) {
				t.Errorf("%s: matrix differs from a one-job fit", r.Window.Worm)
			}
			got = append(got, r.Window.Worm)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(got, ","), st
	}
	for _, c := range []struct {
		cfg  Config
		want string
		st   Stats
	}{
		{Config{Jobs: 3, Kind: KindTE}, "w0,w1,w2,w3,w4,w5,w6", Stats{7, 0}},
		{Config{Jobs: 2, Shard: 0, Shards: 3}, "w0,w3,w6", Stats{3, 4}},
		{Config{Jobs: 4, Shard: 2, Shards: 3}, "w2,w5", Stats{2, 5}},
		{Config{Worms: []string{"w5", "w1", "w4"}, Shard: 1, Shards: 2}, "w4", Stats{1, 6}},
	} {
		if got, st := worms(c.cfg); got != c.want || st != c.st {
			t.Errorf("%+v: %s %+v, want %s %+v", c.cfg, got, st, c.want, c.st)
		}
	}
}

// The real Dag2023 recording (dag2023/SOURCE.md: 146 traces × 800 samples,
// median Δt 0.600 s, no NaN): correlation gives 146 × 145 rows (no trace
// is constant), equal to connectivity.Pearson of the raw traces; a 3 s
// max lag is 5 samples.
func TestDag2023(t *testing.T) {
	raws, err := calcium.ReadDag2023(fixtures.Path(t, "dag2023", "2022-07-26-31-data.h5"), calcium.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := raws[0]
	rec := &table.Recording{Dataset: r.Dataset, Worm: r.Worm, Time: r.Time, Data: r.Traces}
	for j := range r.Labels {
		rec.Neurons = append(rec.Neurons, fmt.Sprintf("roi%d", j))
	}
	results, rows := writeRead(t, []*table.Recording{rec}, Config{})
	if len(rows) != 146*145 || len(results[0].Constant) != 0 {
		t.Fatalf("%d rows, constant %v; want %d", len(rows), results[0].Constant, 146*145)
	}
	want, err := connectivity.Pearson(r.Traces)
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for _, row := range rows {
		var i, j int
		fmt.Sscanf(row.Pre, "roi%d", &i)
		fmt.Sscanf(row.Post, "roi%d", &j)
		worst = math.Max(worst, math.Abs(row.Value-want.At(i, j)))
	}
	if worst > 1e-12 {
		t.Errorf("max |r − Pearson| = %g", worst)
	}
	res, err := Fit(rec, Config{Kind: KindLagged, MaxLag: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if res.Lag != 5 {
		t.Errorf("3 s = %d samples, want 5", res.Lag)
	}
}

// sameNaN reports whether a and b are equal, NaN equal to NaN.
func sameNaN(a, b *mat.Dense) bool {
	ra, rb := a.RawMatrix().Data, b.RawMatrix().Data
	for i := range ra {
		if ra[i] != rb[i] && !(math.IsNaN(ra[i]) && math.IsNaN(rb[i])) {
			return false
		}
	}
	return len(ra) == len(rb)
}
