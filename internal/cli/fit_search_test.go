package cli

import (
	"cmp"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/formats/table"
	"gonum.org/v1/gonum/mat"
)

// writeWorms writes a traces table of n recordings w1…wn of two neurons
// (phase-shifted sines, 250 samples at 0.5 s).
func writeWorms(t *testing.T, path string, n int) string {
	t.Helper()
	var recs []*table.Recording
	for w := range n {
		const T = 250
		X := mat.NewDense(T, 2, nil)
		tm := make([]float64, T)
		for i := range T {
			X.Set(i, 0, math.Sin(float64(i)/5+float64(w)))
			X.Set(i, 1, math.Cos(float64(i)/7+0.5*float64(w)))
			tm[i] = 0.5 * float64(i)
		}
		recs = append(recs, &table.Recording{Dataset: "test", Worm: "w" + string(rune('1'+w)), Neurons: []string{"A", "B"}, Slots: []int{-1, -1}, Labeled: []bool{false, false},
			Time: tm, Data: X, SmoothMethod: "none", InterpolateMethod: "none", NormalizationMethod: "none"})
	}
	return writeRecordings(t, path, recs...)
}

func sortedMetrics(t *testing.T, paths ...string) []table.MetricRow {
	t.Helper()
	var all []table.MetricRow
	for _, p := range paths {
		r, err := table.ReadRows[table.MetricRow](p, nil)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, r...)
	}
	slices.SortFunc(all, func(a, b table.MetricRow) int {
		return cmp.Or(cmp.Compare(a.Worm, b.Worm), cmp.Compare(a.Model, b.Model), cmp.Compare(a.Split, b.Split), cmp.Compare(a.Metric, b.Metric), cmp.Compare(a.Neuron, b.Neuron))
	})
	return all
}

// The shards 1/2 and 2/2 of a three-worm fit, and of a grid search,
// together hold exactly the rows of the unsharded run; the search's trials
// are fitted two at a time and are the same as one at a time.
func TestFitShardUnion(t *testing.T) {
	dir := t.TempDir()
	traces := writeWorms(t, filepath.Join(dir, "t.parquet"), 3)
	common := []string{"fit", "reservoir", "--traces", traces, "--units", "30", "--washout", "10"}
	search := []string{"--search", "grid", "--search-spectral-radius", "0.5,0.9", "--search-leak", "1", "--search-input-scaling", "0.1", "--search-ridge", "0.01,1,100"}
	for _, c := range []struct {
		name  string
		extra []string
		file  string
	}{{"fit", nil, "metrics.parquet"}, {"search", search, "search.parquet"}} {
		t.Run(c.name, func(t *testing.T) {
			var outs []string
			for i, shard := range []string{"", "1/2", "2/2"} {
				out := filepath.Join(dir, c.name+string(rune('a'+i)))
				args := append(append(slices.Clone(common), c.extra...), "-o", out, "--jobs", "2")
				if shard != "" {
					args = append(args, "--shard", shard)
				}
				code, stdout, stderr := run(args...)
				if code != ExitOK {
					t.Fatalf("%v: %s", args, stderr)
				}
				if c.name == "search" && shard == "" && !strings.Contains(stdout, "6 trials; best validation R²") {
					t.Errorf("stdout %q", stdout)
				}
				outs = append(outs, filepath.Join(out, c.file))
			}
			whole, union := sortedMetrics(t, outs[0]), sortedMetrics(t, outs[1], outs[2])
			if len(whole) == 0 || !reflect.DeepEqual(whole, union) {
				t.Errorf("%d rows in one run, %d in the union of the shards, or different values", len(whole), len(union))
			}
			if a, b := sortedMetrics(t, outs[1]), sortedMetrics(t, outs[2]); len(a) == 0 || len(b) == 0 {
				t.Errorf("a shard is empty: %d and %d rows", len(a), len(b))
			}
		})
	}
}

// --test-worms splits by worm: the train worms have only train rows, the
// test worm only test rows; one model is saved, and 'fit predict' with it
// writes the same rows.
func TestFitWormSplit(t *testing.T) {
	dir := t.TempDir()
	traces := writeWorms(t, filepath.Join(dir, "t.parquet"), 3)
	out, pred := filepath.Join(dir, "fit"), filepath.Join(dir, "pred")
	code, stdout, stderr := run("fit", "reservoir", "--traces", traces, "--units", "30", "--washout", "10", "--horizon", "2", "--test-worms", "w3", "-o", out)
	if code != ExitOK {
		t.Fatal(stderr)
	}
	if !strings.Contains(stdout, "ok  test/w1  2 neurons  238 train, 0 test samples  train worm") || !strings.Contains(stdout, "ok  test/w3  2 neurons  0 train, 238 test samples  test R²") {
		t.Errorf("stdout %q", stdout)
	}
	rows, err := table.ReadRows[table.PredictionRow](filepath.Join(out, "predictions.parquet"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if (r.Worm == "w3") != (r.Split == "test") {
			t.Fatalf("%+v: worm and split disagree", r)
		}
	}
	// 3 worms × 238 samples (t ∈ [10, 248)) × 2 neurons × 3 methods.
	if len(rows) != 3*238*2*3 {
		t.Errorf("%d prediction rows", len(rows))
	}
	if code, _, stderr := run("fit", "predict", "--model", filepath.Join(out, "models", "worm-split"), "--traces", traces, "-o", pred); code != ExitOK {
		t.Fatal(stderr)
	}
	for _, name := range []string{"predictions.parquet", "metrics.parquet"} {
		a, b := readRows(t, filepath.Join(out, name)), readRows(t, filepath.Join(pred, name))
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s differs between fit and predict", name)
		}
	}
	code, _, stderr = run("fit", "reservoir", "--traces", traces, "--test-worms", "w9", "-o", filepath.Join(dir, "bad"))
	if want := "neurotab: --test-worms w9: no such recording in " + traces + ": not found\n"; code != ExitError || stderr != want {
		t.Errorf("exit %d %q, want %q", code, stderr, want)
	}
}
