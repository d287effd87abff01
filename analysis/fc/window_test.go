package fc

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/connectivity"
	"github.com/neurotab/neurotab/analysis/ntf"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// TestWindowsEqualPearsonOfSlice: window w of a windowed correlation run
// is connectivity.Pearson of samples [w·step, w·step + width) within
// 1e-12, keyed by w and the times of its first and last samples, and its
// rows reach the fc table.
func TestWindowsEqualPearsonOfSlice(t *testing.T) {
	rec := synthetic("w1", 3, 43, 4, 0.5)
	// 5 s = 10 samples, 2 s = 4 samples: starts 0, 4, …, 32 (9 windows; the
	// last sample is left out).
	cfg := Config{Window: 5 * time.Second, Step: 2 * time.Second}
	results, rows := writeRead(t, []*table.Recording{rec}, cfg)
	res := results[0]
	if len(res.Windows) != 9 || len(res.Matrices) != 0 {
		t.Fatalf("%d windows, %d matrices, want 9 and 0", len(res.Windows), len(res.Matrices))
	}
	if len(rows) != 9*12 {
		t.Fatalf("%d rows, want %d", len(rows), 9*12)
	}
	for w, r := range res.Windows {
		s := 4 * w
		want, err := connectivity.Pearson(rec.Data.Slice(s, s+10, 0, 4))
		if err != nil {
			t.Fatal(err)
		}
		if r.Window.Index != w || r.Window.Start != rec.Time[s] || r.Window.End != rec.Time[s+9] {
			t.Errorf("window %d key %+v, want index %d, %g–%g", w, r.Window, w, rec.Time[s], rec.Time[s+9])
		}
		for i := range 4 {
			for j := range 4 {
				if i != j && math.Abs(r.Matrices[0].Value.At(i, j)-want.At(i, j)) > 1e-12 {
					t.Errorf("window %d r[%d][%d] = %v, want %v", w, i, j, r.Matrices[0].Value.At(i, j), want.At(i, j))
				}
			}
		}
	}
	for _, row := range rows {
		var i, j int
		for k, n := range rec.Neurons {
			if n == row.Pre {
				i = k
			}
			if n == row.Post {
				j = k
			}
		}
		w := res.Windows[row.Window]
		if row.Value != w.Matrices[0].Value.At(i, j) || row.TStart != w.Window.Start || row.TEnd != w.Window.End {
			t.Errorf("row %+v does not match window %d", row, row.Window)
		}
	}
}

// TestSlidingWindowReference: windows of 10 samples every 5 of the T = 30
// reference signals equal numpy.corrcoef of each slice
// (sliding_window_pearson_w10_s5_T30 of analysis-reference, within 1e-9).
func TestSlidingWindowReference(t *testing.T) {
	raw, err := os.ReadFile(fixtures.Path(t, "analysis-reference", "fixtures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Windows []refWindow `json:"sliding_window_pearson_w10_s5_T30"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	worst := referenceWindows(t, TaperNone, ref.Windows)
	t.Logf("max |Δr| against numpy: %g", worst)
	if worst > 1e-9 {
		t.Errorf("max |Δr| = %g against numpy, want ≤ 1e-9", worst)
	}
}

// TestHannReference: Hann-tapered windows of 10 samples every 5 of the
// T = 30 reference signals equal numpy's weighted correlation (np.cov with
// aweights = np.hanning(10); testdata/hann_pearson.py) within 1e-9, and
// Hann(10) equals np.hanning(10) within 1e-15.
func TestHannReference(t *testing.T) {
	raw, err := os.ReadFile("testdata/hann_pearson.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Hann10  []float64   `json:"hann10"`
		Windows []refWindow `json:"windows"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	for i, v := range Hann(10) {
		if math.Abs(v-ref.Hann10[i]) > 1e-15 {
			t.Errorf("Hann(10)[%d] = %v, numpy %v", i, v, ref.Hann10[i])
		}
	}
	worst := referenceWindows(t, TaperHann, ref.Windows)
	t.Logf("max |Δr| against numpy (Hann): %g", worst)
	if worst > 1e-9 {
		t.Errorf("max |Δr| = %g against numpy, want ≤ 1e-9", worst)
	}
}

// refWindow is one window of a reference: its first sample and r.
type refWindow struct {
	Start int         `json:"start"`
	Corr  [][]float64 `json:"corr"`
}

// referenceWindows fits windows of 10 s every 5 s with taper to signals(30)
// sampled at 1 Hz, checks each window's times against ref, and returns the
// largest |Δr| off the diagonal.
func referenceWindows(t *testing.T, taper Taper, ref []refWindow) float64 {
	t.Helper()
	rec := &table.Recording{Dataset: "ref", Worm: "X", Data: signals(30), Neurons: []string{"x0", "x1", "x2", "x3"}}
	for i := range 30 {
		rec.Time = append(rec.Time, float64(i))
	}
	res, err := Fit(rec, Config{Window: 10 * time.Second, Step: 5 * time.Second, Taper: taper})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Windows) != len(ref) {
		t.Fatalf("%d windows, reference has %d", len(res.Windows), len(ref))
	}
	worst := 0.0
	for w, want := range ref {
		got := res.Windows[w]
		if got.Window.Start != float64(want.Start) || got.Window.End != float64(want.Start+9) {
			t.Errorf("window %d covers %g–%g s, want %d–%d", w, got.Window.Start, got.Window.End, want.Start, want.Start+9)
		}
		for i := range 4 {
			for j := range 4 {
				if i != j {
					worst = max(worst, math.Abs(got.Matrices[0].Value.At(i, j)-want.Corr[i][j]))
				}
			}
		}
	}
	return worst
}

// signals is signals(T) of analysis-reference/make_fixtures.py (offset 0,
// LCG seed 1).
func signals(T int) *mat.Dense { return fixtures.AnalysisSignals(T, 0, 1) }

// TestWeightedPearson: integer weights equal Pearson's r of the samples
// repeated that many times; the Hann window is numpy.hanning's; a Hann
// run's windows are WeightedPearson of their slices.
func TestWeightedPearson(t *testing.T) {
	x := signals(12)
	w := []float64{0, 1, 2, 3, 1, 1, 0, 2, 4, 1, 1, 3}
	var rep []float64
	for i, k := range w {
		for range int(k) {
			rep = append(rep, x.RawRowView(i)...)
		}
	}
	want, err := connectivity.Pearson(mat.NewDense(len(rep)/4, 4, rep))
	if err != nil {
		t.Fatal(err)
	}
	got, err := WeightedPearson(x, w)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.EqualApprox(got, want, 1e-12) {
		t.Errorf("weighted r = %v, want %v", mat.Formatted(got), mat.Formatted(want))
	}
	for i, v := range []float64{0, 0.5, 1, 0.5, 0} { // numpy.hanning(5)
		if h := Hann(5)[i]; math.Abs(h-v) > 1e-15 {
			t.Errorf("Hann(5)[%d] = %v, want %v", i, h, v)
		}
	}
	rec := synthetic("w1", 5, 30, 3, 1)
	res, err := Fit(rec, Config{Window: 12 * time.Second, Step: 6 * time.Second, Taper: TaperHann})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Windows) != 4 {
		t.Fatalf("%d windows, want 4", len(res.Windows))
	}
	for k, r := range res.Windows {
		want, _ := WeightedPearson(rec.Data.Slice(6*k, 6*k+12, 0, 3), Hann(12))
		for i := range 3 {
			for j := range 3 {
				if i != j && math.Abs(r.Matrices[0].Value.At(i, j)-want.At(i, j)) > 1e-12 {
					t.Errorf("hann window %d r[%d][%d] = %v, want %v", k, i, j, r.Matrices[0].Value.At(i, j), want.At(i, j))
				}
			}
		}
	}
	for _, c := range []struct {
		name string
		w    []float64
	}{{"length", []float64{1, 2}}, {"negative", make([]float64, 11)}, {"zero", make([]float64, 12)}} {
		if c.name == "negative" {
			c.w = append(c.w, -1)
		}
		if _, err := WeightedPearson(x, c.w); !errors.Is(err, neurotab.ErrParam) {
			t.Errorf("%s weights: %v, want ErrParam", c.name, err)
		}
	}
}

// TestWindowErrors: bad windows are one-line errors with the shared
// sentinels.
func TestWindowErrors(t *testing.T) {
	rec := synthetic("w1", 1, 20, 3, 0.5) // 10 s
	cases := []struct {
		name string
		cfg  Config
		want error
		text string
	}{
		{"longer than recording", Config{Window: 11 * time.Second}, neurotab.ErrShape, "window 11s (22 samples) is longer than the recording (20 samples)"},
		{"one sample", Config{Window: 500 * time.Millisecond}, neurotab.ErrParam, "want at least 2"},
		{"step below a sample", Config{Window: 2 * time.Second, Step: 100 * time.Millisecond}, neurotab.ErrParam, "less than one sample"},
		{"negative window", Config{Window: -time.Second}, neurotab.ErrParam, "window -1s < 0"},
		{"step alone", Config{Step: time.Second}, neurotab.ErrParam, "without a window"},
		{"unknown taper", Config{Window: time.Second, Taper: "hamming"}, neurotab.ErrParam, "unknown taper"},
		{"hann on granger", Config{Kind: KindGranger, Window: 5 * time.Second, Taper: TaperHann}, neurotab.ErrParam, "taper hann is for kind correlation"},
		{"hann static", Config{Taper: TaperHann}, neurotab.ErrParam, "needs a window"},
		{"too short for lag", Config{Kind: KindGranger, MaxLag: 2 * time.Second, Window: 3 * time.Second}, neurotab.ErrShape, "too short for a max lag"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Fit(rec, c.cfg)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.text) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v, want one line with %q wrapping %v", err, c.text, c.want)
			}
		})
	}
}

// TestWindowParameters: windowed runs record window_s, step_s (Step 0 is
// Window) and taper; static runs do not.
func TestWindowParameters(t *testing.T) {
	c := Config{Window: 10 * time.Second}
	p := c.Parameters()
	if p["window_s"] != 10.0 || p["step_s"] != 10.0 || p["taper"] != "none" {
		t.Errorf("parameters %v", p)
	}
	if _, ok := (&Config{}).Parameters()["window_s"]; ok {
		t.Error("static parameters have window_s")
	}
}

// TestAffinityTensor: element (w, r, p) is |r| of pair p in window w of
// recording r, pairs in upper-triangle order; mismatched recordings and a
// negative affinity are errors; the tensor factorizes.
func TestAffinityTensor(t *testing.T) {
	cfg := Config{Window: 10 * time.Second, Step: 5 * time.Second}
	var results []*Result
	for s := range 3 {
		res, err := Fit(synthetic("w", uint64(s+1), 60, 4, 1), cfg)
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, res)
	}
	x, pairs, err := AffinityTensor(results, nil)
	if err != nil {
		t.Fatal(err)
	}
	if x.Dims != [3]int{11, 3, 6} || strings.Join(pairs, " ") != "n0-n1 n0-n2 n0-n3 n1-n2 n1-n3 n2-n3" {
		t.Fatalf("dims %v pairs %v", x.Dims, pairs)
	}
	ij := [][2]int{{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}}
	for w := range 11 {
		for r := range 3 {
			for p, e := range ij {
				if got, want := x.At(w, r, p), math.Abs(results[r].Windows[w].Matrices[0].Value.At(e[0], e[1])); got != want {
					t.Errorf("x(%d, %d, %d) = %v, want %v", w, r, p, got, want)
				}
			}
		}
	}
	cp := ntf.CP{Rank: 2, Restarts: 2}
	if err := cp.Fit(x); err != nil {
		t.Fatal(err)
	}
	short, _ := Fit(synthetic("short", 9, 40, 4, 1), cfg)
	other, _ := Fit(synthetic("other", 9, 60, 5, 1), cfg)
	static, _ := Fit(synthetic("static", 9, 60, 4, 1), Config{})
	for _, c := range []struct {
		name string
		rs   []*Result
		aff  func(float64) float64
		want error
	}{
		{"none", nil, nil, neurotab.ErrShape},
		{"windows", []*Result{results[0], short}, nil, neurotab.ErrShape},
		{"neurons", []*Result{results[0], other}, nil, neurotab.ErrShape},
		{"static", []*Result{static}, nil, neurotab.ErrShape},
		{"negative", results, func(v float64) float64 { return v }, neurotab.ErrOutOfRange},
	} {
		if _, _, err := AffinityTensor(c.rs, c.aff); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}
