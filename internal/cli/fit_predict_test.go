package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/formats/table"
)

// 'fit predict' on the traces a model was trained on writes the same
// predictions and metrics rows as the training run, for every task and a
// per-neuron residual model; the model folder holds model.json and the
// weights, and figures are written.
func TestFitPredictRoundTrip(t *testing.T) {
	dir := t.TempDir()
	traces := writeForecastTraces(t, dir, "t.parquet", 300, false)
	cases := [][]string{
		{"--horizon", "3"},
		{"--horizon", "2", "--residual", "--per-neuron", "--no-intercept", "--readout", "rls"},
		{"--task", "heldout", "--heldout", "B", "--readout", "oja", "--oja-components", "5"},
		{"--task", "generate", "--readout", "lms", "--lms-rate", "0.0005", "--epochs", "2"},
		{"--readout", "eh", "--epochs", "2"},
	}
	for i, c := range cases {
		t.Run(strings.Join(c, " "), func(t *testing.T) {
			fit, pred := filepath.Join(dir, "fit", string(rune('a'+i))), filepath.Join(dir, "pred", string(rune('a'+i)))
			args := append([]string{"fit", "reservoir", "--traces", traces, "--units", "40", "--washout", "20", "-o", fit}, c...)
			if code, _, stderr := run(args...); code != ExitOK {
				t.Fatalf("fit: %s", stderr)
			}
			model := filepath.Join(fit, "models", "test", "w1")
			for _, f := range []string{"model.json", "esn_w_data.npy", "reservoir_weights.npy", "autoregressive_intercept.npy"} {
				if _, err := os.Stat(filepath.Join(model, f)); err != nil {
					t.Error(err)
				}
			}
			code, stdout, stderr := run("fit", "predict", "--model", model, "--traces", traces, "-o", pred)
			if code != ExitOK {
				t.Fatalf("predict: %s", stderr)
			}
			if !strings.Contains(stdout, "wrote "+filepath.Join(pred, "figures", "test_w1_neurons.png")) {
				t.Errorf("stdout %q", stdout)
			}
			for _, name := range []string{"predictions.parquet", "metrics.parquet"} {
				a, b := readRows(t, filepath.Join(fit, name)), readRows(t, filepath.Join(pred, name))
				if reflect.ValueOf(a).Len() == 0 || !reflect.DeepEqual(a, b) {
					t.Errorf("%s: %d rows from fit, %d from predict, or different values", name, reflect.ValueOf(a).Len(), reflect.ValueOf(b).Len())
				}
			}
		})
	}
}

func readRows(t *testing.T, path string) any {
	t.Helper()
	if strings.HasSuffix(path, "predictions.parquet") {
		r, err := table.ReadRows[table.PredictionRow](path, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r, err := table.ReadRows[table.MetricRow](path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Bad models and traces: one-line errors, nothing written.
func TestFitPredictErrors(t *testing.T) {
	dir := t.TempDir()
	traces := writeForecastTraces(t, dir, "t.parquet", 300, false)
	fit := filepath.Join(dir, "fit")
	if code, _, stderr := run("fit", "reservoir", "--traces", traces, "--units", "40", "-o", fit); code != ExitOK {
		t.Fatal(stderr)
	}
	model := filepath.Join(fit, "models", "test", "w1")
	// A model of another format version.
	v2 := filepath.Join(dir, "v2")
	os.MkdirAll(v2, 0o755)
	js, _ := os.ReadFile(filepath.Join(model, "model.json"))
	os.WriteFile(filepath.Join(v2, "model.json"), []byte(strings.Replace(string(js), `"version": 1`, `"version": 2`, 1)), 0o644)
	// Traces whose neurons are named differently.
	other := writeTracesNamed(t, dir, "other.parquet", []string{"A", "C"})
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"version", []string{"--model", v2, "--traces", traces}, ExitError,
			`neurotab: pipeline: ` + filepath.Join(v2, "model.json") + `: model format "neurotab.fit.model" version 2, this neurotab reads "neurotab.fit.model" version 1: unsupported`},
		{"no model", []string{"--model", dir, "--traces", traces}, ExitError,
			"neurotab: pipeline: " + filepath.Join(dir, "model.json") + ": no model here (want the -o folder of 'neurotab fit reservoir'): not found"},
		{"missing neuron", []string{"--model", model, "--traces", other}, ExitError,
			"neurotab: pipeline: test/w1: the traces lack 1 of the model's neurons ([B]): not found"},
		{"no model flag", []string{"--traces", traces}, ExitUsage, "neurotab: --model is required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, "out-"+strings.ReplaceAll(c.name, " ", "_"))
			code, _, stderr := run(append(append([]string{"fit", "predict"}, c.args...), "-o", out)...)
			if code != c.code || strings.SplitN(stderr, "\n", 2)[0] != c.msg {
				t.Fatalf("exit %d stderr %q, want %d %q", code, stderr, c.code, c.msg)
			}
			if entries, _ := os.ReadDir(out); len(entries) != 0 {
				t.Errorf("wrote %v", entries)
			}
		})
	}
}

// writeTracesNamed writes writeForecastTraces' recording with other
// neuron names.
func writeTracesNamed(t *testing.T, dir, name string, neurons []string) string {
	t.Helper()
	p := writeForecastTraces(t, dir, "tmp-"+name, 300, false)
	return rewriteTraces(t, p, filepath.Join(dir, name), func(r *table.Recording) { r.Neurons = neurons })
}
