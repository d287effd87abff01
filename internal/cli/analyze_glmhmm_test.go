package cli

import (
	"github.com/neurotab/neurotab/analysis/glmhmm"
	"github.com/neurotab/neurotab/connectome"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/analysis/hmm"
	"github.com/neurotab/neurotab/formats/table"
	"gonum.org/v1/gonum/mat"
)

// switching is a T × N recording at 0.5 s whose neurons shift their mean
// by ±1.5 between two states that alternate in blocks of 30 to 70 bins
// (seeded), with unit Gaussian noise; it returns the recording and its
// states.
func switching(worm string, T, N int) (*table.Recording, []int) {
	rng := rand.New(rand.NewPCG(7, uint64(T)))
	names := []string{"AVAL", "AVAR", "ASEL"}
	for len(names) < N {
		names = append(names, "roi"+string(rune('a'+len(names))))
	}
	r := &table.Recording{Dataset: "Test", Worm: worm, Neurons: names[:N], Data: mat.NewDense(T, N, nil)}
	z := make([]int, T)
	state, left := 0, 50
	for i := range T {
		if left == 0 {
			state, left = 1-state, 30+rng.IntN(41)
		}
		left--
		z[i] = state
		r.Time = append(r.Time, float64(i)/2)
		for j := range N {
			m := 1.5 * float64(1-2*(j%2))
			if state == 1 {
				m = -m
			}
			r.Data.Set(i, j, m+rng.NormFloat64())
		}
	}
	return r, z
}

// End to end on switching traces with the true states as a behavior
// "reversal": the tables, their row counts, provenance, the recovered
// states, the agreement with the behavior, and the figures.
func TestAnalyzeGLMHMM(t *testing.T) {
	dir := t.TempDir()
	rec, z := switching("w1", 400, 3)
	traces := filepath.Join(dir, "traces.parquet")
	writeTraces(t, traces, rec)
	var beh []table.BehaviorRow
	for i, s := range z {
		beh = append(beh, table.BehaviorRow{SourceDataset: "Test", Worm: "w1", Grid: table.GridHomogenized, T: rec.Time[i], Variable: "reversal", Value: float64(s)})
	}
	behavior := filepath.Join(dir, "behavior.parquet")
	if err := table.WriteRows(behavior, table.Provenance{}, nil, beh); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "glmhmm")
	code, stdout, stderr := run("analyze", "glmhmm", "--traces", traces, "--behavior", behavior, "--states", "2..3", "--restarts", "2", "--shifts", "99", "-o", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	t.Log(stdout)
	for _, w := range []string{"ok  Test/w1  3 neurons × 400 bins  chosen K=2", "reversals (homogenized grid): balanced accuracy 1.000",
		"wrote " + filepath.Join(out, "states.parquet") + "  1200 rows",    // 400 bins × (K posteriors + Viterbi)
		"wrote " + filepath.Join(out, "glm_weights.parquet") + "  30 rows", // K × (N² weights + N biases + N variances)
		"wrote " + filepath.Join(out, "figures", "Test_w1_states.png")} {
		if !strings.Contains(stdout, w) {
			t.Errorf("stdout lacks %q", w)
		}
	}
	if !strings.Contains(stderr, "glmhmm 1/1: Test/w1, 3 neurons × 400 bins, K 2..3") {
		t.Errorf("no progress on stderr: %q", stderr)
	}
	path := viterbiPath(t, filepath.Join(out, "states.parquet"))
	if _, acc, err := hmm.Align(z, path, 2); err != nil || acc < 0.97 {
		t.Errorf("Viterbi accuracy %v (%v), want ≥ 0.97 on ±1.5σ switches", acc, err)
	}
	metrics, err := table.ReadRows[table.MetricRow](filepath.Join(out, "metrics.parquet"), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, m := range metrics {
		if m.Model == "glmhmm-gaussian-K2@Test/w1" {
			got[m.Split+" "+m.Metric] = m.Value
		}
	}
	// Blocks of 30 to 70 bins: the diagonal of the transitions is about
	// 1 − 1/50 = 0.98; the shifted labels never match the states as well.
	if math.Abs(got["all transition[0][0]"]-0.98) > 0.015 || got["all chosen_k"] != 2 || got["all reversal_balanced_accuracy"] < 0.97 || got["all reversal_p_value"] != 0.01 {
		t.Errorf("metrics %v", got)
	}
	prov, _, r := readTable(t, filepath.Join(out, "metrics.parquet"))
	r.Release()
	wantSources(t, prov, traces, behavior)
	if prov.Seed == nil || *prov.Seed != 1 || prov.Parameters["states"] != "2..3" {
		t.Errorf("provenance %+v", prov)
	}
	for _, f := range []string{"states", "weights", "transitions", "loglik"} {
		if st, err := os.Stat(filepath.Join(out, "figures", "Test_w1_"+f+".png")); err != nil || st.Size() < 1000 {
			t.Errorf("figure %s: %v", f, err)
		}
	}
}

// Poisson emission on a binned spikes table: two units whose rates swap
// every 100 bins; the fit beats the mean-rate null (bits/spike > 0).
func TestAnalyzeGLMHMMSpikes(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(3, 4))
	var rows []table.SpikeRow
	for b := range 1000 { // 20 ms bins
		hi := b/100%2 == 0
		for u := range int64(2) {
			rate := 0.2
			if hi == (u == 0) {
				rate = 2
			}
			n := poisson(rng, rate)
			for range n {
				rows = append(rows, table.SpikeRow{Recording: "r1", Unit: u, T: (float64(b) + rng.Float64()) * 0.02, Amplitude: math.NaN()})
			}
		}
	}
	sortSpikes(rows)
	spikes := filepath.Join(dir, "spikes.parquet")
	if err := table.WriteRows(spikes, table.Provenance{}, nil, rows); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "glmhmm")
	code, stdout, stderr := run("analyze", "glmhmm", "--spikes", spikes, "--bin", "20ms", "--states", "2", "--restarts", "1", "--no-figures", "-o", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	metrics, err := table.ReadRows[table.MetricRow](filepath.Join(out, "metrics.parquet"), nil)
	if err != nil {
		t.Fatal(err)
	}
	bps := math.NaN()
	for _, m := range metrics {
		if m.Metric == "bits_per_spike" {
			bps = m.Value
		}
	}
	if !(bps > 0.2) {
		t.Errorf("held-out bits/spike %v, want > 0.2 for rates 0.2 vs 2 per bin; stdout %s", bps, stdout)
	}
}

// poisson draws a Poisson count by inversion.
func poisson(rng *rand.Rand, lam float64) int {
	u, p, k := rng.Float64(), math.Exp(-lam), 0
	for c := p; u > c; c += p {
		k++
		p *= lam / float64(k)
	}
	return k
}

// sortSpikes orders rows by time (a spikes table is in time order).
func sortSpikes(rows []table.SpikeRow) {
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && rows[j].T < rows[j-1].T; j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
}

// Bad input: one-line errors (usage errors exit 2), and nothing written.
func TestAnalyzeGLMHMMBadInput(t *testing.T) {
	dir := t.TempDir()
	good, _ := switching("w1", 400, 3)
	traces := filepath.Join(dir, "traces.parquet")
	writeTraces(t, traces, good)
	nan, _ := switching("w2", 400, 3)
	nan.Data.Set(40, 1, math.NaN())
	withNaN := filepath.Join(dir, "nan.parquet")
	writeTraces(t, withNaN, nan)
	wide, _ := switching("w3", 100, 20)
	short := filepath.Join(dir, "wide.parquet")
	writeTraces(t, short, wide)
	one := filepath.Join(dir, "one.parquet")
	if err := table.WriteRows(one, table.Provenance{}, nil, []table.SpikeRow{{Recording: "r1", Unit: 3, T: 0.1, Amplitude: math.NaN()}, {Recording: "r1", Unit: 3, T: 0.5, Amplitude: math.NaN()}}); err != nil {
		t.Fatal(err)
	}
	parent := filepath.Join(dir, "out")
	out := filepath.Join(parent, "glmhmm")
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"both inputs", []string{"--traces", traces, "--spikes", one, "--bin", "1s"}, ExitUsage, "give one of --traces and --spikes"},
		{"spikes without bin", []string{"--spikes", one}, ExitUsage, "--spikes needs --bin"},
		{"bad states", []string{"--traces", traces, "--states", "4..2"}, ExitUsage, `--states: glmhmm: states "4..2"`},
		{"connectome without onehot", []string{"--traces", traces, "--connectome", "edges.parquet"}, ExitUsage, "--connectome informs --prior onehot only"},
		{"unknown prior", []string{"--traces", traces, "--prior", "laplace"}, ExitUsage, `glmhmm: prior "laplace"`},
		{"nan", []string{"--traces", withNaN}, ExitError, "glmhmm: recording Test/w2: neuron AVAR, bin 40 (t = 20 s): sample NaN: not finite"},
		{"poisson on calcium", []string{"--traces", traces, "--emission", "poisson"}, ExitError,
			"is not a spike count; Poisson emission needs non-negative integers (bin a spikes table, or use Gaussian emission): value out of range"},
		{"K too large", []string{"--traces", short, "--states", "2..5"}, ExitError,
			"glmhmm: recording Test/w3: K = 5 states of 21 coefficients each need at least 105 training bins, the recording has 80 (of 100): lower the largest K: shape mismatch"},
		{"one unit", []string{"--spikes", one, "--bin", "100ms"}, ExitError, "recording r1 has 1 unit: an HMM-GLM of interactions needs at least 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := run(append(append([]string{"analyze", "glmhmm"}, c.args...), "-o", out)...)
			first, _, _ := strings.Cut(stderr, "\n")
			if c.code == ExitError {
				// progress lines come first; the error is the last line
				lines := strings.Split(strings.TrimSpace(stderr), "\n")
				first = lines[len(lines)-1]
			}
			if code != c.code || !strings.Contains(first, c.want) {
				t.Fatalf("exit %d stderr %q; want %d with %q", code, stderr, c.code, c.want)
			}
			if _, err := os.Stat(parent); !os.IsNotExist(err) {
				entries, _ := os.ReadDir(parent)
				t.Errorf("left %s with %v", parent, entries)
			}
		})
	}
}

// The priors on the demo worms, whose edges.parquet is the true coupling:
// each prior recovers the hidden states, its learned prior is written as
// model M/prior (state −1), and with --fix-prior the one-hot prior's types
// are exactly the connectome's signs (ConnectomeSigns: the atlas
// transmitter of each true edge's presynaptic neuron).
func TestAnalyzeGLMHMMPriors(t *testing.T) {
	dir := t.TempDir()
	demoOut := filepath.Join(dir, "demo")
	if code, _, stderr := run("demo", "--out", demoOut, "--worms", "1"); code != ExitOK {
		t.Fatal(stderr)
	}
	traces, edgesPath := filepath.Join(demoOut, "traces.parquet"), filepath.Join(demoOut, "edges.parquet")
	truth, err := table.ReadRows[table.StateRow](filepath.Join(demoOut, "states.parquet"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var z []int
	for _, s := range truth {
		z = append(z, s.State)
	}
	edges, err := connectome.ReadEdges(edgesPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
	}{
		{"gaussian", []string{"--prior", "gaussian"}},
		{"onehot", []string{"--prior", "onehot"}},
		{"onehot from the connectome, fixed", []string{"--prior", "onehot", "--connectome", edgesPath, "--fix-prior"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_"))
			args := append([]string{"analyze", "glmhmm", "--traces", traces, "--states", "2", "--restarts", "1", "--max-iter", "30", "-o", out}, c.args...)
			if code, _, stderr := run(args...); code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			path := viterbiPath(t, filepath.Join(out, "states.parquet"))
			// The states are the network's input state, which calcium follows
			// with a lag (see TestAnalyzeGLMHMMDemo); 0.8 at lag 0 is far above
			// chance for two states.
			if _, acc, err := hmm.Align(z, path, 2); err != nil || acc < 0.8 {
				t.Errorf("state accuracy %v (%v)", acc, err)
			}
			w, err := table.ReadRows[table.GLMWeightRow](filepath.Join(out, "glm_weights.parquet"), nil)
			if err != nil {
				t.Fatal(err)
			}
			prior := map[[2]string]float64{}
			var neurons []string
			seen := map[string]bool{}
			for _, r := range w {
				if strings.HasSuffix(r.Model, "/prior") && r.State == -1 {
					prior[[2]string{r.Pre, r.Post}] = r.Weight
					if !seen[r.Pre] {
						seen[r.Pre] = true
						neurons = append(neurons, r.Pre)
					}
				}
			}
			if len(prior) == 0 || len(prior) != len(neurons)*len(neurons) {
				t.Fatalf("%d prior rows over %d neurons", len(prior), len(neurons))
			}
			if !strings.Contains(c.name, "fixed") {
				return
			}
			S := glmhmm.ConnectomeSigns(edges, neurons)
			var compared, synapses int
			for post, np := range neurons {
				for pre, nq := range neurons {
					want := S.At(post, pre)
					if math.IsNaN(want) {
						continue
					}
					compared++
					if want != 0 {
						synapses++
					}
					if got := prior[[2]string{nq, np}]; got != want {
						t.Fatalf("prior type %s → %s = %v, connectome %v", nq, np, got, want)
					}
				}
			}
			// Every true edge between two recorded neurons is a synapse of
			// the prior; pairs with a neuron that has no edge at all keep the
			// uniform prior and are not compared.
			in, named := map[string]bool{}, map[string]bool{}
			for _, n := range neurons {
				in[n] = true
			}
			var within int
			for _, e := range edges {
				named[e.Pre], named[e.Post] = true, true
				if in[e.Pre] && in[e.Post] {
					within++
				}
			}
			var nNamed int
			for _, n := range neurons {
				if named[n] {
					nNamed++
				}
			}
			if synapses != within || compared != nNamed*nNamed || within == 0 {
				t.Errorf("%d synapses compared of %d edges among the recorded neurons, %d of %d pairs", synapses, within, compared, nNamed*nNamed)
			}
		})
	}
}

// viterbiPath reads the Viterbi states (model M/viterbi) of a states table.
func viterbiPath(t *testing.T, path string) []int {
	t.Helper()
	states, err := table.ReadRows[table.StateRow](path, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []int
	for _, s := range states {
		if strings.HasSuffix(s.Model, "/viterbi") {
			out = append(out, s.State)
		}
	}
	return out
}
