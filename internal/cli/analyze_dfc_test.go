package cli

import (
	"bytes"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/internal/demo"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// demoTraces runs the demo into a temporary folder and returns it.
func demoTraces(t *testing.T, cfg demo.Config) string {
	t.Helper()
	cfg.Out = t.TempDir()
	if _, err := demo.Run(cfg); err != nil {
		t.Fatal(err)
	}
	return cfg.Out
}

// sharedNeurons returns the neurons every recording of a traces table has,
// in the first recording's order, read here with OpenRecordings.
func sharedNeurons(t *testing.T, traces string) []string {
	t.Helper()
	rr, err := table.OpenRecordings(traces, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Close()
	var shared []string
	first := true
	for {
		rec, err := rr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if first {
			shared, first = slices.Clone(rec.Neurons), false
			continue
		}
		shared = slices.DeleteFunc(shared, func(l string) bool { return !slices.Contains(rec.Neurons, l) })
	}
	return shared
}

// analyze dfc on the demo traces, end to end: the factor table rebuilds a
// tensor whose distance to the tensor of |r| read back from fc.parquet is
// the relative error of ntf_diagnostics; the pair mode is over the neurons
// every worm has; the communities cover each worm's neurons of
// fc_static.parquet; the figures are PNG files; the same seed gives the
// same bytes.
func TestAnalyzeDFCDemo(t *testing.T) {
	dir := demoTraces(t, demo.Config{Seed: 5, Worms: 3, Neurons: 20, Samples: 600})
	traces := filepath.Join(dir, "traces.parquet")
	out := filepath.Join(dir, "dfc")
	const R = 2
	args := []string{"analyze", "dfc", "--traces", traces, "--window", "60s", "--step", "20s", "--rank", "2", "--restarts", "3", "--seed", "9", "-o", out}
	code, stdout, stderr := run(args...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "dfc: NTF rank 2 of 2") {
		t.Errorf("no progress on stderr: %q", stderr)
	}
	shared := sharedNeurons(t, traces)
	n := len(shared)
	K := n * (n - 1) / 2

	// The windowed fc table, as |r| per window, recording and pair.
	fcRows, err := table.ReadRows[table.FCRow](filepath.Join(out, "fc.parquet"), nil)
	if err != nil {
		t.Fatal(err)
	}
	windows := map[string]int{}
	var worms []string
	val := map[[4]string]float64{}
	for _, r := range fcRows {
		if !slices.Contains(worms, r.Worm) {
			worms = append(worms, r.Worm)
		}
		windows[r.Worm] = max(windows[r.Worm], r.Window+1)
		val[[4]string{r.Worm, string(rune('0' + r.Window)), r.Pre, r.Post}] = r.Value
	}
	W := math.MaxInt
	for _, w := range windows {
		W = min(W, w)
	}
	if W < 5 || len(worms) != 3 {
		t.Fatalf("%d windows, worms %v", W, worms)
	}

	factors, err := table.ReadRows[table.NTFFactorRow](filepath.Join(out, "ntf_factors.parquet"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(factors) != R*(W+len(worms)+K) {
		t.Fatalf("%d factor rows, want R·(W+J+K) = %d·(%d+%d+%d)", len(factors), R, W, len(worms), K)
	}
	A, B, C := make([][]float64, R), make([][]float64, R), make([][]float64, R)
	lambda := make([]float64, R)
	var pairs [][2]string
	for c := range R {
		A[c], B[c], C[c] = make([]float64, W), make([]float64, len(worms)), make([]float64, K)
	}
	for _, f := range factors {
		lambda[f.Component] = f.Weight
		switch f.Mode {
		case "window":
			A[f.Component][f.Index] = f.Loading
		case "recording":
			if f.Worm != worms[f.Index] {
				t.Fatalf("recording %d is %s, want %s", f.Index, f.Worm, worms[f.Index])
			}
			B[f.Component][f.Index] = f.Loading
		case "pair":
			C[f.Component][f.Index] = f.Loading
			if f.Component == 0 {
				pairs = append(pairs, [2]string{f.Pre, f.Post})
			}
		}
	}
	for _, p := range pairs {
		if !slices.Contains(shared, p[0]) || !slices.Contains(shared, p[1]) || slices.Index(shared, p[0]) >= slices.Index(shared, p[1]) {
			t.Fatalf("pair %v is not an ordered pair of the shared neurons %v", p, shared)
		}
	}
	var num, den float64
	for w := range W {
		for j, worm := range worms {
			for k, p := range pairs {
				x := math.Abs(val[[4]string{worm, string(rune('0' + w)), p[0], p[1]}])
				xh := 0.0
				for c := range R {
					xh += lambda[c] * A[c][w] * B[c][j] * C[c][k]
				}
				num += (x - xh) * (x - xh)
				den += x * x
			}
		}
	}
	diag, err := table.ReadRows[table.NTFDiagnosticRow](filepath.Join(out, "ntf_diagnostics.parquet"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(diag) != R || diag[0].Rank != 1 || diag[1].Rank != 2 || diag[1].Restarts != 3 {
		t.Fatalf("diagnostics %+v", diag)
	}
	rel := math.Sqrt(num / den)
	t.Logf("relative error from the tables %.6f, ntf_diagnostics %.6f; similarity %.3f", rel, diag[1].RelativeError, diag[1].Similarity)
	if math.Abs(rel-diag[1].RelativeError) > 1e-9 {
		t.Errorf("tables give relative error %v, diagnostics %v", rel, diag[1].RelativeError)
	}
	for _, d := range diag {
		if !(d.RelativeError > 0 && d.RelativeError < 1) || !(d.Similarity >= 0 && d.Similarity <= 1+1e-12) {
			t.Errorf("diagnostic %+v out of range", d)
		}
	}

	// Communities: every neuron of each worm's static FC, window 0.
	static, err := table.ReadRows[table.FCRow](filepath.Join(out, "fc_static.parquet"), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{}
	for _, r := range static {
		if r.Window != 0 {
			t.Fatalf("static row in window %d", r.Window)
		}
		if !slices.Contains(want[r.Worm], r.Pre) {
			want[r.Worm] = append(want[r.Worm], r.Pre)
		}
	}
	comms, err := table.ReadRows[table.CommunityRow](filepath.Join(out, "communities.parquet"), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, c := range comms {
		got[c.Worm] = append(got[c.Worm], c.Neuron)
		if c.Window != 0 || c.Community < 0 {
			t.Fatalf("community row %+v", c)
		}
	}
	for w, l := range want {
		if !slices.Equal(got[w], l) {
			t.Errorf("worm %s: communities of %v, static FC neurons %v", w, got[w], l)
		}
	}
	prov, _, rec := readTable(t, filepath.Join(out, "ntf_factors.parquet"))
	rec.Release()
	if prov.Seed == nil || *prov.Seed != 9 || prov.Parameters["rank"] != float64(2) || prov.Parameters["affinity"] != "abs" {
		t.Errorf("provenance %+v", prov)
	}
	wantSources(t, prov, traces)

	figs := []string{"ntf_components.png", "ntf_pairs_c1.png", "ntf_pairs_c2.png"}
	for _, w := range worms {
		figs = append(figs, "fc_communities_"+demo.Dataset+"_"+w+".png", "graph_"+demo.Dataset+"_"+w+".png")
	}
	for _, f := range figs {
		b, err := os.ReadFile(filepath.Join(out, "figures", f))
		if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Errorf("figure %s: %v", f, err)
		}
		if !strings.Contains(stdout, filepath.Join(out, "figures", f)) {
			t.Errorf("summary does not list %s", f)
		}
	}

	// The same seed gives the same bytes.
	first, err := os.ReadFile(filepath.Join(out, "ntf_factors.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(out, out+".1"); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(args...); code != ExitOK {
		t.Fatalf("second run: exit %d: %s", code, stderr)
	}
	again, err := os.ReadFile(filepath.Join(out, "ntf_factors.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, again) {
		t.Error("same seed, different ntf_factors.parquet")
	}
	if a, b := sha256File(t, filepath.Join(out+".1", "figures", "graph_"+demo.Dataset+"_"+worms[0]+".png")), sha256File(t, filepath.Join(out, "figures", "graph_"+demo.Dataset+"_"+worms[0]+".png")); a != b {
		t.Error("same seed, different graph figure")
	}
}

// onlyEntries lists the names in dir.
func onlyEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// Bad input: one-line errors naming the flag, exit code 1 (2 for usage),
// and nothing written — no output folder, no hidden leftover.
func TestAnalyzeDFCAndSFBadInput(t *testing.T) {
	dir := demoTraces(t, demo.Config{Seed: 5, Worms: 2, Neurons: 8, Samples: 600})
	traces := filepath.Join(dir, "traces.parquet")
	fcPath := filepath.Join(dir, "fc.parquet")
	if code, _, stderr := run("analyze", "fc", "--traces", traces, "--no-figures", "-o", fcPath); code != ExitOK {
		t.Fatalf("analyze fc: %s", stderr)
	}
	// A connectome of labels no recording has.
	strangers := filepath.Join(dir, "strangers.parquet")
	if err := connectome.WriteEdges(strangers, []connectome.Edge{{Dataset: "x", Pre: "ZZ1", Post: "ZZ2", Type: connectome.Chemical, Weight: 1}}, table.Provenance{}); err != nil {
		t.Fatal(err)
	}
	before := onlyEntries(t, dir)
	out := filepath.Join(dir, "out")
	for _, c := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"window longer than the recording", []string{"analyze", "dfc", "--traces", traces, "--window", "2h", "-o", out}, ExitError,
			[]string{"--window 2h0m0s", "longer than the recording", traces}},
		{"rank larger than the tensor allows", []string{"analyze", "dfc", "--traces", traces, "--window", "60s", "--rank", "500", "-o", out}, ExitError,
			[]string{"--rank 500", "larger than", "tensor allows"}},
		{"no window", []string{"analyze", "dfc", "--traces", traces, "-o", out}, ExitUsage, []string{"--window is required"}},
		{"no shared neurons", []string{"analyze", "structure-function", "--fc", fcPath, "--connectome", strangers, "-o", out}, ExitError,
			[]string{"no neuron shared", "--fc and --connectome share no neuron label"}},
		{"unknown type", []string{"analyze", "structure-function", "--fc", fcPath, "--connectome", strangers, "--type", "gap", "-o", out}, ExitUsage,
			[]string{`--type "gap"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := run(c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d: %s", code, c.code, stderr)
			}
			// The error is the one line starting "neurotab:" (progress and
			// skip notes come before it, a usage hint after it).
			var last string
			for _, l := range strings.Split(stderr, "\n") {
				if strings.HasPrefix(l, "neurotab: ") {
					if last != "" {
						t.Errorf("two error lines:\n%s", stderr)
					}
					last = l
				}
			}
			for _, w := range c.want {
				if !strings.Contains(last, w) {
					t.Errorf("error %q lacks %q", last, w)
				}
			}
			if got := onlyEntries(t, dir); !slices.Equal(got, before) {
				t.Errorf("folder holds %v after the error, want %v", got, before)
			}
		})
	}
}

// analyze structure-function on the demo, whose traces come from a known
// coupling (edges.parquet): partial correlation predicts the true synapses
// above the degree-preserving null (every worm's AUC above its null mean,
// one at p < 0.01, mean z > 2); the counts and the null table agree with
// the inputs read independently.
func TestAnalyzeSFDemo(t *testing.T) {
	dir := demoTraces(t, demo.Config{Seed: 1})
	traces, edgesPath := filepath.Join(dir, "traces.parquet"), filepath.Join(dir, "edges.parquet")
	fcPath := filepath.Join(dir, "partial.parquet")
	if code, _, stderr := run("analyze", "fc", "--traces", traces, "--kind", "partial", "--no-figures", "-o", fcPath); code != ExitOK {
		t.Fatalf("analyze fc: %s", stderr)
	}
	out := filepath.Join(dir, "sf")
	code, stdout, stderr := run("analyze", "structure-function", "--fc", fcPath, "--connectome", edgesPath, "--type", "chemical", "--rewirings", "1000", "--seed", "3", "-o", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	t.Log(stdout)
	rows, err := table.ReadRows[table.StructureFunctionRow](filepath.Join(out, "structure_function.parquet"), nil)
	if err != nil {
		t.Fatal(err)
	}
	null, err := table.ReadRows[table.StructureNullRow](filepath.Join(out, "structure_null.parquet"), nil)
	if err != nil {
		t.Fatal(err)
	}
	edges, err := connectome.ReadEdges(edgesPath)
	if err != nil {
		t.Fatal(err)
	}
	fcRows, err := table.ReadRows[table.FCRow](fcPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || len(null) != 4*1000 {
		t.Fatalf("%d metric rows, %d null rows", len(rows), len(null))
	}
	minP, z := 1.0, 0.0
	for i, r := range rows {
		// Shared neurons: the worm's labelled neurons found in the ground
		// truth (its unidentified ROIs are not); positives: their pairs
		// with a synapse either way.
		inConnectome := map[string]bool{}
		for _, e := range edges {
			inConnectome[e.Pre], inConnectome[e.Post] = true, true
		}
		var neurons []string
		for _, f := range fcRows {
			if f.Worm == r.Worm && inConnectome[f.Pre] && !slices.Contains(neurons, f.Pre) {
				neurons = append(neurons, f.Pre)
			}
		}
		syn := map[[2]string]bool{}
		for _, e := range edges {
			if slices.Contains(neurons, e.Pre) && slices.Contains(neurons, e.Post) && e.Pre != e.Post {
				a, b := min(e.Pre, e.Post), max(e.Pre, e.Post)
				syn[[2]string{a, b}] = true
			}
		}
		if r.Neurons != len(neurons) || r.Pairs != len(neurons)*(len(neurons)-1)/2 || r.Positives != len(syn) || r.Rewirings != 1000 {
			t.Errorf("%s: %d neurons, %d pairs, %d positives; want %d, %d, %d", r.Worm, r.Neurons, r.Pairs, r.Positives, len(neurons), len(neurons)*(len(neurons)-1)/2, len(syn))
		}
		mean := 0.0
		for _, n := range null[i*1000 : (i+1)*1000] {
			if n.Worm != r.Worm {
				t.Fatalf("null row of %s among %s's", n.Worm, r.Worm)
			}
			mean += n.AUC / 1000
		}
		if math.Abs(mean-r.AUCNullMean) > 1e-12 {
			t.Errorf("%s: null mean %v, from the null table %v", r.Worm, r.AUCNullMean, mean)
		}
		if !(r.AUC > r.AUCNullMean) {
			t.Errorf("%s: AUC %.3f not above its null %.3f", r.Worm, r.AUC, r.AUCNullMean)
		}
		minP = math.Min(minP, r.AUCP)
		z += (r.AUC - r.AUCNullMean) / r.AUCNullSD / float64(len(rows))
	}
	t.Logf("smallest p %.4f, mean z %.2f", minP, z)
	if minP >= 0.01 || z <= 2 {
		t.Errorf("smallest p %v, mean z %v: want p < 0.01 and z > 2", minP, z)
	}
	for _, w := range []string{"worm0", "worm3"} {
		p := filepath.Join(out, "figures", "roc_"+demo.Dataset+"_"+w+"_partial_correlation_"+demo.Dataset+"_ground_truth.png")
		if b, err := os.ReadFile(p); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Errorf("figure %s: %v", p, err)
		}
	}
}

// The real Dag2023 recording with the labels of the ingest tests shares
// two neurons with White 1986 and Cook 2019 (AVAL, RMDDL; IL2?L is
// ambiguous): one pair, which neither connectome's file lists a synapse
// for, so every type is skipped and the command stops with that reason.
func TestAnalyzeSFDag2023(t *testing.T) {
	dag := fixtures.Path(t, "dag2023", "2022-07-26-31-data.h5")
	labels := filepath.Join("..", "..", "ingest", "calcium", "testdata", "NeuroPAL_labels_dict.json")
	dir := t.TempDir()
	traces, fcPath := filepath.Join(dir, "traces.parquet"), filepath.Join(dir, "fc.parquet")
	if code, _, stderr := run("ingest", "--source", "dag2023", "--labels-file", labels, dag, "-o", traces); code != ExitOK {
		t.Fatalf("ingest: %s", stderr)
	}
	if code, _, stderr := run("analyze", "fc", "--traces", traces, "--no-figures", "-o", fcPath); code != ExitOK {
		t.Fatalf("analyze fc: %s", stderr)
	}
	for _, c := range []struct{ source, file string }{
		{"white1986_whole", "aconnectome_white_1986_whole.csv"},
		{"cook2019_herm", "SI 5 Connectome adjacency matrices.xlsx"},
	} {
		t.Run(c.source, func(t *testing.T) {
			edges := filepath.Join(dir, c.source+".parquet")
			if code, _, stderr := run("connectome", "import", "--source", c.source, fixtures.Path(t, "c302", c.file), "-o", edges); code != ExitOK {
				t.Fatalf("import: %s", stderr)
			}
			out := filepath.Join(dir, "sf-"+c.source)
			code, _, stderr := run("analyze", "structure-function", "--fc", fcPath, "--connectome", edges, "--rewirings", "10", "-o", out)
			if code != ExitError {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, ty := range []string{"chemical", "electrical", "chemical|electrical"} {
				if !strings.Contains(stderr, "0 of 1 pairs have a synapse of type "+ty) {
					t.Errorf("no skip of type %s:\n%s", ty, stderr)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("output folder after the error: %v", err)
			}
		})
	}
}

// --glm: GLM weights equal to the demo's true coupling (every ordered
// pair written, 0 where there is no synapse) predict the synapses
// perfectly, AUC 1, above every rewiring.
func TestAnalyzeSFGLM(t *testing.T) {
	dir := demoTraces(t, demo.Config{Seed: 5, Worms: 1, Neurons: 20, Samples: 600})
	edgesPath := filepath.Join(dir, "edges.parquet")
	edges, err := connectome.ReadEdges(edgesPath)
	if err != nil {
		t.Fatal(err)
	}
	w := map[[2]string]float64{}
	var labels []string
	for _, e := range edges {
		w[[2]string{e.Pre, e.Post}] += e.Weight
		for _, l := range []string{e.Pre, e.Post} {
			if !slices.Contains(labels, l) {
				labels = append(labels, l)
			}
		}
	}
	var rows []table.GLMWeightRow
	for _, a := range labels {
		for _, b := range labels {
			if a != b {
				rows = append(rows, table.GLMWeightRow{Model: "truth", State: 0, Pre: a, Post: b, Lag: 1, Weight: -w[[2]string{a, b}]})
			}
		}
	}
	glm := filepath.Join(dir, "glm.parquet")
	if err := table.WriteRows(glm, table.Provenance{}, nil, rows); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "sf")
	code, _, stderr := run("analyze", "structure-function", "--glm", glm, "--connectome", edgesPath, "--type", "chemical", "--rewirings", "200", "-o", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	res, err := table.ReadRows[table.StructureFunctionRow](filepath.Join(out, "structure_function.parquet"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].SourceDataset != "truth" || res[0].Measure != "glm_weight" || res[0].AUC != 1 || res[0].AUCP != 1.0/201 {
		t.Errorf("rows %+v", res)
	}
	if code, _, stderr := run("analyze", "structure-function", "--glm", glm, "--fc", glm, "--connectome", edgesPath, "-o", out+"2"); code != ExitUsage || !strings.Contains(stderr, "give one of them") {
		t.Errorf("--fc with --glm: exit %d: %s", code, stderr)
	}
}
