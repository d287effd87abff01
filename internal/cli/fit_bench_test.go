package cli

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// The flags reach the options with their names and defaults.
func TestFitBenchFlags(t *testing.T) {
	g, _, _ := testGlobals()
	var got *fitBenchOptions
	cmd := newFitBenchCmd(g, func(o *fitBenchOptions) error { got = o; return nil })
	if err := execute(cmd, "narma10", "--units", "50", "--spectral-radius", "0.5", "--input-scaling", "0.3", "--leak", "0.2",
		"--density", "0.2", "--ridge", "1e-6", "--train", "100", "--test", "50", "--seed", "9"); err != nil {
		t.Fatal(err)
	}
	want := fitBenchOptions{g: g, Task: "narma10", Units: 50, SpectralRadius: 0.5, InputScaling: 0.3, Leak: 0.2, Density: 0.2,
		Ridge: 1e-6, Train: 100, Test: 50, Seed: 9}
	if got == nil || !reflect.DeepEqual(*got, want) {
		t.Errorf("options %+v, want %+v", got, want)
	}
	b, err := got.bench()
	if err != nil {
		t.Fatal(err)
	}
	c := b.Reservoir
	if c.Units != 50 || c.SpectralRadius != 0.5 || c.InputScaling != 0.3 || c.Leak != 0.2 || c.Density != 0.2 ||
		b.Ridge != 1e-6 || b.Train != 100 || b.Test != 50 || b.Seed != 9 || c.Seed != 9 {
		t.Errorf("bench %+v does not carry the flags", b)
	}
}

// benchScore runs 'fit bench' in process and returns the metric of its
// last stdout line.
func benchScore(t *testing.T, args ...string) (string, float64) {
	t.Helper()
	g, out, _ := testGlobals()
	if err := execute(newFitBenchCmd(g, nil), args...); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	f := strings.Fields(lines[len(lines)-1])
	if len(f) != 2 {
		t.Fatalf("last line %q, want 'metric value'", lines[len(lines)-1])
	}
	v, err := strconv.ParseFloat(f[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return f[0], v
}

// TestFitBench runs each benchmark through the command and checks its
// score against the band fit/tasks and fit/reservoir test (the published
// figures of issue 11; Lorenz: a tenth of persistence's NRMSE, 0.074).
func TestFitBench(t *testing.T) {
	if testing.Short() {
		t.Skip("reservoir runs")
	}
	for _, tc := range []struct {
		args   []string
		metric string
		lo, hi float64
	}{
		{[]string{"memory-capacity"}, "mc", 20, 28},
		{[]string{"mackey-glass", "--train", "3000"}, "nrmse_range", 0, 0.02},
		{[]string{"lorenz", "--units", "100"}, "nrmse_sigma", 0, 0.0074},
	} {
		t.Run(tc.args[0], func(t *testing.T) {
			m, v := benchScore(t, tc.args...)
			t.Logf("%s %g", m, v)
			if m != tc.metric || v < tc.lo || v > tc.hi {
				t.Errorf("%s %g, want %s in [%g, %g]", m, v, tc.metric, tc.lo, tc.hi)
			}
		})
	}
	t.Run("narma10", func(t *testing.T) {
		var sum float64
		for _, seed := range []string{"1", "2", "3"} {
			_, v := benchScore(t, "narma10", "--seed", seed)
			sum += v / 3
		}
		if sum < 0.33 || sum > 0.43 {
			t.Errorf("mean NRMSE of seeds 1–3 %.4f, want in [0.33, 0.43]", sum)
		}
	})
}

func TestFitBenchErrors(t *testing.T) {
	for _, args := range [][]string{
		{"narma20"},
		{},
		{"narma10", "--leak", "2"},
		{"narma10", "--units", "-3"},
		{"mackey-glass", "--density", "1.5"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			g, out, _ := testGlobals()
			err := execute(newFitBenchCmd(g, nil), args...)
			var ue *UsageError
			if !errors.As(err, &ue) {
				t.Errorf("error %v, want a usage error", err)
			}
			if out.Len() != 0 {
				t.Errorf("stdout %q after an error", out)
			}
		})
	}
}
