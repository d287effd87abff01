package cli

import (
	"fmt"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/analysis/connectivity"
	"github.com/neurotab/neurotab/analysis/directed"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/internal/demo"
	"github.com/neurotab/neurotab/internal/duckdbcheck"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// fcOptions are analyze fc's options with the flag defaults.
func fcOptions(g *Globals, traces, out string) *analyzeFCOptions {
	return &analyzeFCOptions{g: g, Traces: traces, Out: out, Kind: "correlation", Estimator: "empirical", Seed: 1, Jobs: 1}
}

// pearsonOf reads every recording of a traces table and computes its
// Pearson matrix with connectivity.Pearson, keyed by worm.
func pearsonOf(t *testing.T, traces string) (map[string]*mat.SymDense, map[string]*table.Recording) {
	t.Helper()
	rr, err := table.OpenRecordings(traces, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Close()
	rs, recs := map[string]*mat.SymDense{}, map[string]*table.Recording{}
	for {
		rec, err := rr.Next()
		if err == io.EOF {
			return rs, recs
		}
		if err != nil {
			t.Fatal(err)
		}
		r, err := connectivity.Pearson(rec.Data)
		if err != nil {
			t.Fatal(err)
		}
		rs[rec.Worm], recs[rec.Worm] = r, rec
	}
}

// checkFC compares every fc row with connectivity.Pearson of the traces
// (independently of analysis/fc's path through covariance.Measure) and
// returns the sum of the values. Every off-diagonal pair of a non-constant
// trace has a row.
func checkFC(t *testing.T, fcPath, traces string) (rows int, sum float64) {
	t.Helper()
	rs, recs := pearsonOf(t, traces)
	got, err := table.ReadRows[table.FCRow](fcPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, r := range rs {
		n := r.SymmetricDim()
		for i := range n {
			for j := range n {
				if i != j && !math.IsNaN(r.At(i, j)) {
					want++
				}
			}
		}
	}
	if len(got) != want {
		t.Fatalf("%d rows, want %d", len(got), want)
	}
	worst := 0.0
	for _, row := range got {
		rec := recs[row.Worm]
		i, j := index(rec.Neurons, row.Pre), index(rec.Neurons, row.Post)
		if rec == nil || i < 0 || j < 0 || row.Measure != "correlation" || row.TStart != rec.Time[0] || row.TEnd != rec.Time[len(rec.Time)-1] ||
			!math.IsNaN(row.PValue) || !math.IsNaN(row.QValue) {
			t.Fatalf("row %+v", row)
		}
		worst = math.Max(worst, math.Abs(row.Value-rs[row.Worm].At(i, j)))
		sum += row.Value
	}
	if worst > 1e-12 {
		t.Errorf("max |value − Pearson| = %g", worst)
	}
	return len(got), sum
}

func index(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// duckCount checks that DuckDB reads the fc table with the same row count
// and value sum.
func duckCount(t *testing.T, path string, rows int, sum float64) {
	t.Helper()
	duckdbcheck.Require(t)
	res, err := duckdbcheck.Query(fmt.Sprintf("SELECT count(*)::DOUBLE AS n, sum(value) AS s, count(DISTINCT worm)::DOUBLE AS w FROM '%s'", path))
	if err != nil {
		t.Fatal(err)
	}
	r := res[0][0]
	if r["n"] != float64(rows) || math.Abs(r["s"].(float64)-sum) > 1e-6 {
		t.Errorf("DuckDB reads %v rows summing to %v, want %d / %v", r["n"], r["s"], rows, sum)
	}
}

// checkPNG decodes a heatmap.
func checkPNG(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if c, err := png.DecodeConfig(f); err != nil || c.Width < 300 || c.Height < 300 {
		t.Errorf("%s: %+v %v", path, c, err)
	}
}

// On the demo's traces table (3 worms, each recording part of a 20-neuron network): every pair of every
// worm equals connectivity.Pearson, one heatmap per worm, the provenance
// lists the traces table and the parameters, stdout lists exactly what was
// written, DuckDB reads the same rows. --jobs 2 writes the same bytes as 1.
func TestAnalyzeFCDemo(t *testing.T) {
	dir := t.TempDir()
	if _, err := demo.Run(demo.Config{Out: dir, Seed: 5, Worms: 3, Neurons: 20, Samples: 600}); err != nil {
		t.Fatal(err)
	}
	traces := filepath.Join(dir, "traces.parquet")
	out := filepath.Join(dir, "fc.parquet")
	g, stdout, _ := testGlobals()
	o := fcOptions(g, traces, out)
	o.Jobs = 2
	if err := runAnalyzeFC(o); err != nil {
		t.Fatal(err)
	}
	rows, sum := checkFC(t, out, traces)
	prov, kind, rec := readTable(t, out)
	rec.Release()
	wantSources(t, prov, traces)
	if kind != table.FC || prov.Parameters["kind"] != "correlation" || prov.Parameters["estimator"] != "empirical" || prov.Seed != nil {
		t.Errorf("kind %v provenance %+v", kind, prov)
	}
	_, recs := pearsonOf(t, traces)
	// The progress bar's total is the traces (worm × neuron rows).
	traceCount := 0
	for _, r := range recs {
		traceCount += len(r.Neurons)
	}
	if got := traceRows(traces); got != int64(traceCount) {
		t.Errorf("progress total %d, want %d traces", got, traceCount)
	}
	var want []string
	for _, w := range []string{"worm0", "worm1", "worm2"} {
		r := recs[w]
		if r == nil {
			t.Fatalf("demo worms %v", recs)
		}
		n := len(r.Neurons) // the demo records a subset of the network in each worm
		want = append(want, fmt.Sprintf("ok  %s/%s  %d neurons  %d rows", demo.Dataset, w, n, n*(n-1)))
	}
	want = append(want, fmt.Sprintf("wrote %s  3 recordings, %d rows", out, rows))
	for _, w := range []string{"worm0", "worm1", "worm2"} {
		p := filepath.Join(dir, "fc_figures", demo.Dataset+"_"+w+".png")
		checkPNG(t, p)
		want = append(want, "wrote "+p)
	}
	if got := strings.TrimSpace(stdout.String()); got != strings.Join(want, "\n") {
		t.Errorf("stdout\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left behind %s", e.Name())
		}
	}
	// One job writes the same bytes.
	g1, _, _ := testGlobals()
	o1 := fcOptions(g1, traces, filepath.Join(dir, "fc1.parquet"))
	o1.NoFigures = true
	if err := runAnalyzeFC(o1); err != nil {
		t.Fatal(err)
	}
	if sha256File(t, o1.Out) != sha256File(t, out) {
		t.Error("--jobs 2 and --jobs 1 differ")
	}
	if _, err := os.Stat(filepath.Join(dir, "fc1_figures")); !os.IsNotExist(err) {
		t.Errorf("--no-figures wrote figures: %v", err)
	}
	duckCount(t, out, rows, sum)
}

// The real Dag2023 recording, ingested here: 146 traces, none constant,
// give 146 × 145 correlation rows equal to connectivity.Pearson of the
// ingested traces, and a heatmap; DuckDB reads the table. Lagged with a
// surrogate test writes p- and q-values for every pair.
func TestAnalyzeFCDag2023(t *testing.T) {
	dag := fixtures.Path(t, "dag2023", "2022-07-26-31-data.h5")
	dir := t.TempDir()
	traces := filepath.Join(dir, "traces.parquet")
	if code, _, stderr := run("ingest", "--source", "dag2023", "--allow-unlabeled", dag, "-o", traces); code != ExitOK {
		t.Fatalf("ingest: %s", stderr)
	}
	out := filepath.Join(dir, "fc.parquet")
	g, stdout, _ := testGlobals()
	if err := runAnalyzeFC(fcOptions(g, traces, out)); err != nil {
		t.Fatal(err)
	}
	rows, sum := checkFC(t, out, traces)
	if rows != 146*145 {
		t.Errorf("%d rows, want %d", rows, 146*145)
	}
	fig := filepath.Join(dir, "fc_figures", "Dag2023_2022-07-26-31.png")
	checkPNG(t, fig)
	if !strings.Contains(stdout.String(), "ok  Dag2023/2022-07-26-31  146 neurons  21170 rows\n") || !strings.Contains(stdout.String(), "wrote "+fig) {
		t.Errorf("stdout %s", stdout)
	}
	duckCount(t, out, rows, sum)

	g, _, _ = testGlobals()
	o := fcOptions(g, traces, filepath.Join(dir, "lagged.parquet"))
	o.Kind, o.MaxLag, o.Surrogates, o.FDR, o.NoFigures = "lagged", 2*time.Second, 19, 0.05, true
	if err := runAnalyzeFC(o); err != nil {
		t.Fatal(err)
	}
	got, err := table.ReadRows[table.FCRow](o.Out, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2*146*145 {
		t.Fatalf("%d lagged rows", len(got))
	}
	for _, r := range got {
		tested := r.Measure == "lagged_pearson"
		// p = (1 + k)/20 for k exceeding surrogates, so at least 0.05.
		if tested && !(r.PValue >= 0.05 && r.PValue <= 1 && r.QValue >= r.PValue) || !tested && !math.IsNaN(r.PValue) {
			t.Fatalf("row %+v", r)
		}
	}
	prov, _, rec := readTable(t, o.Out)
	rec.Release()
	if prov.Seed == nil || *prov.Seed != 1 || prov.Parameters["surrogates"] != float64(19) || prov.Parameters["max_lag_s"] != float64(2) {
		t.Errorf("provenance %+v seed %v", prov.Parameters, prov.Seed)
	}
}

// writeTraces writes recordings as a traces table.
func writeTraces(t *testing.T, path string, recs ...*table.Recording) {
	t.Helper()
	tb := table.NewTracesBuilder(nil)
	defer tb.Release()
	for _, r := range recs {
		if err := tb.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	rec := tb.NewRecord()
	defer rec.Release()
	if err := table.WriteParquet(path, table.Traces, table.Provenance{}, nil, nil, rec); err != nil {
		t.Fatal(err)
	}
}

// noise is a T × 3 recording of independent Gaussian traces at 0.5 s.
func noise(worm string, T int) *table.Recording {
	rng := rand.New(rand.NewPCG(uint64(T), 1))
	r := &table.Recording{Dataset: "Test", Worm: worm, Neurons: []string{"AVAL", "AVAR", "ASEL"}, Data: mat.NewDense(T, 3, nil)}
	for i := range T {
		r.Time = append(r.Time, float64(i)/2)
		for j := range 3 {
			r.Data.Set(i, j, rng.NormFloat64())
		}
	}
	return r
}

// Bad input: one-line errors, usage errors (exit 2) for flags, and nothing
// written — no fc table, no figures, no temporary files — even when an
// earlier recording succeeded.
func TestAnalyzeFCBadInput(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.parquet")
	writeTraces(t, good, noise("w1", 100))
	nan := noise("w2", 100)
	nan.Data.Set(40, 1, math.NaN())
	withNaN := filepath.Join(dir, "nan.parquet")
	writeTraces(t, withNaN, noise("w1", 100), nan)
	constant := noise("w3", 100)
	for i := range 100 {
		constant.Data.Set(i, 2, 0)
	}
	withConst := filepath.Join(dir, "const.parquet")
	writeTraces(t, withConst, constant)

	out := filepath.Join(dir, "out", "fc.parquet")
	os.Mkdir(filepath.Dir(out), 0o755)
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown kind", []string{"--traces", good, "--kind", "mi"}, ExitUsage,
			`fc: unknown kind "mi" (want one of correlation, partial, precision, covariance, tangent, lagged, granger, te, coherence, imcoh, plv, pli, wpli, wpli2_debiased, ppc)`},
		{"unknown estimator", []string{"--traces", good, "--estimator", "glasso"}, ExitUsage, `fc: unknown estimator "glasso" (want one of empirical, ledoit-wolf, oas)`},
		{"lagged without lag", []string{"--traces", good, "--kind", "lagged"}, ExitUsage, "fc: kind lagged needs a max lag"},
		{"bad shard", []string{"--traces", good, "--shard", "2/2"}, ExitUsage, `shard "2/2"`},
		{"no traces", []string{}, ExitUsage, "--traces is required"},
		{"nan", []string{"--traces", withNaN}, ExitError,
			"fc: recording Test/w2: neuron AVAR sample 40 (t = 20 s) is NaN; fill or drop NaN samples before FC: not finite"},
		{"too short for the lag", []string{"--traces", good, "--kind", "lagged", "--max-lag", "1m"}, ExitError,
			"fc: recording Test/w1: recording of 100 samples is too short for a max lag of 120 samples (1m0s): lagged needs at least 122: shape mismatch"},
		{"too short for granger", []string{"--traces", good, "--kind", "granger", "--max-lag", "20s"}, ExitError,
			"fc: recording Test/w1: recording of 100 samples is too short for a max lag of 40 samples (20s): granger needs at least 122: shape mismatch"},
		{"too short for a segment", []string{"--traces", good, "--kind", "coherence", "--segment", "1m"}, ExitError,
			"fc: recording Test/w1: recording of 100 samples is too short for segments of 120 samples: coherence needs at least 120 (shorten --segment): shape mismatch"},
		{"nan in granger", []string{"--traces", withNaN, "--kind", "granger"}, ExitError,
			"fc: recording Test/w2: neuron AVAR sample 40 (t = 20 s) is NaN"},
		{"tangent of one recording", []string{"--traces", good, "--kind", "tangent"}, ExitError,
			"fc: kind tangent compares recordings and needs at least 2, the input has 1 selected (check --worm): shape mismatch"},
		{"tangent with nan", []string{"--traces", withNaN, "--kind", "tangent"}, ExitError,
			"fc: recording Test/w2: neuron AVAR sample 40 (t = 20 s) is NaN"},
		{"tangent sharded", []string{"--traces", good, "--kind", "tangent", "--shard", "0/2"}, ExitUsage,
			"fc: kind tangent is fitted to every selected recording at once, without shards, windows or surrogates"},
		{"band on correlation", []string{"--traces", good, "--fmax", "0.2"}, ExitUsage,
			"fc: segment, fmin, fmax and spectrum are for the spectral kinds, not correlation"},
		{"inverted band", []string{"--traces", good, "--kind", "plv", "--fmin", "0.3", "--fmax", "0.2"}, ExitUsage, "fc: fmax 0.2 Hz < fmin 0.3 Hz"},
		{"window longer than recording", []string{"--traces", good, "--window", "2m"}, ExitError,
			"fc: recording Test/w1: window 2m0s (240 samples) is longer than the recording (100 samples): shape mismatch"},
		{"hann on granger", []string{"--traces", good, "--kind", "granger", "--window", "10s", "--taper", "hann"}, ExitUsage, "fc: taper hann is for kind correlation"},
		{"absent worm", []string{"--traces", good, "--worm", "w9"}, ExitError, `fc: worm "w9" is not in the input: not found`},
		{"absent table", []string{"--traces", filepath.Join(dir, "absent.parquet")}, ExitError, "absent.parquet"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := run(append(append([]string{"analyze", "fc"}, c.args...), "-o", out)...)
			first, _, _ := strings.Cut(stderr, "\n")
			if code != c.code || !strings.Contains(first, c.want) {
				t.Fatalf("exit %d stderr %q; want %d with %q", code, stderr, c.code, c.want)
			}
			if c.code == ExitError && strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("not one line: %q", stderr)
			}
			if c.code == ExitUsage && !strings.Contains(stderr, "Run 'neurotab analyze fc --help' for usage.") {
				t.Errorf("usage hint missing: %q", stderr)
			}
			if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 0 {
				t.Errorf("left %v", entries)
			}
		})
	}
	// A constant trace is not an error: its pairs have no rows, the
	// summary names it.
	g, stdout, _ := testGlobals()
	if err := runAnalyzeFC(fcOptions(g, withConst, out)); err != nil {
		t.Fatal(err)
	}
	if want := "ok  Test/w3  3 neurons  2 rows (1 constant traces without rows: ASEL)\n"; !strings.HasPrefix(stdout.String(), want) {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	got, err := table.ReadRows[table.FCRow](out, nil)
	if err != nil || len(got) != 2 || got[0].Pre != "AVAL" || got[0].Post != "AVAR" || got[1].Pre != "AVAR" || got[1].Post != "AVAL" {
		t.Errorf("rows %+v %v", got, err)
	}
}

// The flags reach the options.
func TestAnalyzeFCFlags(t *testing.T) {
	g, _, _ := testGlobals()
	var got *analyzeFCOptions
	cmd := newAnalyzeFCCmd(g, func(o *analyzeFCOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--traces", "t.parquet", "--worm", "a", "--worm", "b", "--kind", "granger", "--estimator", "empirical",
		"--max-lag", "10s", "--window", "1m", "--step", "5s", "--taper", "hann", "--surrogates", "200", "--fdr", "0.05", "--seed", "9", "--jobs", "4", "--shard", "1/3", "-o", "f.parquet", "--no-figures"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	want := analyzeFCOptions{g: g, Traces: "t.parquet", Worms: []string{"a", "b"}, Kind: "granger", Estimator: "empirical", MaxLag: 10 * time.Second,
		Window: time.Minute, Step: 5 * time.Second, Taper: "hann", Surrogates: 200, FDR: 0.05, Seed: 9, Jobs: 4, Shard: "1/3", Out: "f.parquet", NoFigures: true}
	if fmt.Sprint(*got) != fmt.Sprint(want) {
		t.Errorf("options %+v, want %+v", *got, want)
	}
}

// analyze fc reads the rates table of 'events bin --rates' as it is: the
// N-MNIST sample binned at 10 ms (x = channel) gives one recording whose
// granger rows equal directed.Granger of its rates at lag 2 (20 ms), with
// its p-values, for every ordered pair of channels.
func TestAnalyzeFCRates(t *testing.T) {
	dir := t.TempDir()
	ev := filepath.Join(dir, "ev.parquet")
	rates := filepath.Join(dir, "rates.parquet")
	if code, _, stderr := run("ingest", "--source", "nmnist", fixtures.Path(t, "tonic", "sample_nmnist.bin"), "-o", ev); code != ExitOK {
		t.Fatalf("ingest: %s", stderr)
	}
	if code, _, stderr := run("events", "bin", ev, "--rates", "--bin", "10ms", "-o", rates); code != ExitOK {
		t.Fatalf("bin: %s", stderr)
	}
	g, _, _ := testGlobals()
	o := fcOptions(g, rates, filepath.Join(dir, "g.parquet"))
	o.Kind, o.MaxLag = "granger", 20*time.Millisecond
	if err := runAnalyzeFC(o); err != nil {
		t.Fatal(err)
	}
	_, recs := pearsonOf(t, rates)
	if len(recs) != 1 {
		t.Fatalf("%d recordings", len(recs))
	}
	var rec *table.Recording
	for _, r := range recs {
		rec = r
	}
	gr := directed.Granger{Lag: 2}
	if err := gr.Fit(rec.Data); err != nil {
		t.Fatal(err)
	}
	rows, err := table.ReadRows[table.FCRow](o.Out, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := len(rec.Neurons)
	if len(rows) != n*(n-1) {
		t.Fatalf("%d rows for %d channels", len(rows), n)
	}
	for _, r := range rows {
		res := gr.At(index(rec.Neurons, r.Pre), index(rec.Neurons, r.Post))
		if r.Measure != "granger_f" || r.Value != res.F || r.PValue != res.FPValue {
			t.Fatalf("row %+v, want F %v p %v", r, res.F, res.FPValue)
		}
	}
}

// --window and --step: the rows of window w are connectivity.Pearson of
// that window's samples (within 1e-12), keyed by w and the window's first
// and last sample times; the provenance records the window.
func TestAnalyzeFCWindows(t *testing.T) {
	dir := t.TempDir()
	traces := filepath.Join(dir, "t.parquet")
	writeTraces(t, traces, noise("w1", 100)) // 0.5 s samples: 10 s = 20 samples, 5 s = 10
	_, recs := pearsonOf(t, traces)          // the traces as stored (float32)
	rec := recs["w1"]
	out := filepath.Join(dir, "dfc.parquet")
	code, stdout, stderr := run("analyze", "fc", "--traces", traces, "--window", "10s", "--step", "5s", "-o", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "ok  Test/w1  3 neurons  54 rows in 9 windows\n"; !strings.HasPrefix(stdout, want) {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	rows, err := table.ReadRows[table.FCRow](out, nil)
	if err != nil || len(rows) != 54 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	for _, r := range rows {
		s := 10 * r.Window
		want, err := connectivity.Pearson(rec.Data.Slice(s, s+20, 0, 3))
		if err != nil {
			t.Fatal(err)
		}
		i, j := index(rec.Neurons, r.Pre), index(rec.Neurons, r.Post)
		if math.Abs(r.Value-want.At(i, j)) > 1e-12 || r.TStart != rec.Time[s] || r.TEnd != rec.Time[s+19] {
			t.Errorf("row %+v, want r %v over %g–%g s", r, want.At(i, j), rec.Time[s], rec.Time[s+19])
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "dfc_figures")); err == nil {
		t.Error("a windowed run drew heatmaps")
	}
}
