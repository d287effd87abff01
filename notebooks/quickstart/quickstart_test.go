// Package quickstart runs the walk-through in README.md: every command in
// it, in order, with the checks a reader would make by eye.
package quickstart

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/formats/npy"
	"github.com/neurotab/neurotab/internal/cli"
	"github.com/neurotab/neurotab/internal/fixtures"
)

type session struct {
	t   *testing.T
	dir string
}

// run executes one neurotab command line (as written in README.md, with
// paths under the shared data folder and the session's folder).
func (s *session) run(args ...string) string {
	s.t.Helper()
	var out, errb bytes.Buffer
	if code := cli.Main(append([]string{"neurotab"}, args...), &out, &errb); code != 0 {
		s.t.Fatalf("neurotab %s: exit %d\n%s", strings.Join(args, " "), code, errb.String())
	}
	return out.String()
}

func (s *session) path(name string) string { return filepath.Join(s.dir, name) }

func TestQuickstart(t *testing.T) {
	s := &session{t: t, dir: t.TempDir()}
	dag := fixtures.Path(t, "dag2023", "2022-07-26-31-data.h5")
	white := fixtures.Path(t, "c302", "aconnectome_white_1986_whole.csv")
	nm := fixtures.Path(t, "tonic", "sample_nmnist.bin")

	// 1. demo, inspect
	s.run("-q", "demo", "--out", s.path("demo-out"))
	out := s.run("inspect", s.path("demo-out/traces.parquet"))
	for _, want := range []string{"table:   traces", "neurotab.sources", "raw/worm0.csv", "neurotab.seed = 1"} {
		if !strings.Contains(out, want) {
			t.Fatalf("inspect traces: no %q in\n%s", want, out)
		}
	}

	// 2. a real recording (dag2023/SOURCE.md: 146 traces × 800 frames)
	out = s.run("inspect", dag)
	if !strings.Contains(out, "/gcamp/traces_array_F_F20  float64  [800 146]") {
		t.Fatalf("inspect dag:\n%s", out)
	}
	out = s.run("inspect", "--json", "--values", "/gcamp/idx_splits", dag)
	if strings.Join(strings.Fields(out), "") != "[[1],[800]]" {
		t.Fatalf("idx_splits %q", out)
	}
	out = s.run("ingest", "--source", "Dag2023", "--allow-unlabeled", dag, "-o", s.path("dag.parquet"))
	if !strings.Contains(out, "146 neurons (0 labeled)") {
		t.Fatalf("ingest dag: %s", out)
	}

	// 3. connectome (counts from the independently computed table)
	out = s.run("connectome", "import", "--source", "white1986_whole", white, "-o", s.path("white.parquet"))
	if !strings.Contains(out, "299 neurons with an edge; chemical 2266 edges / Σ 6509; electrical 1132 / Σ 1916") {
		t.Fatalf("import: %s", out)
	}
	s.run("-q", "connectome", "plot", "--edges", s.path("white.parquet"), "-o", s.path("white.png"))
	// the default figure: 7 in square at gonum/plot's 96 dpi = 672 × 672 px
	f, err := os.Open(s.path("white.png"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(f)
	f.Close()
	if err != nil || cfg.Width != 672 || cfg.Height != 672 {
		t.Fatalf("white.png: %d × %d px (%v), want 672 × 672", cfg.Width, cfg.Height, err)
	}

	// 4. events (tonic/SOURCE.md: 4,325 N-MNIST events, t from 654 to 311175 µs)
	out = s.run("inspect", nm)
	for _, want := range []string{"events:  4325\n", "sensor:  34 × 34\n", "t:       654 … 311175 µs"} {
		if !strings.Contains(out, want) {
			t.Fatalf("inspect nmnist: no %q in\n%s", want, out)
		}
	}
	out = s.run("ingest", "--source", "auto", nm, "-o", s.path("nmnist.parquet"))
	if !strings.Contains(out, "4325 events") {
		t.Fatalf("ingest nmnist: %s", out)
	}
	s.run("events", "bin", s.path("nmnist.parquet"), "--frames", "--bin", "100ms", "-o", s.path("frames.npy"))
	if out := s.run("inspect", s.path("frames.npy")); !strings.Contains(out, "shape:   [4 2 34 34]") {
		t.Fatalf("inspect frames.npy:\n%s", out)
	}
	a, err := npy.Open(s.path("frames.npy"))
	if err != nil {
		t.Fatal(err)
	}
	// [bins][polarity][height][width]: 311175 µs in 100 ms bins is 4 bins
	// on the 34 × 34 sensor; per polarity the counts sum to SOURCE.md's
	// OFF 2180 and ON 2145.
	if fmt.Sprint(a.Shape) != "[4 2 34 34]" {
		t.Fatalf("frames shape %v, want [4 2 34 34]", a.Shape)
	}
	var perPol [2]float64
	for i, v := range a.Float64s() {
		perPol[i/(34*34)%2] += v
	}
	if perPol != [2]float64{2180, 2145} {
		t.Fatalf("frames hold OFF %v, ON %v events, want 2180, 2145", perPol[0], perPol[1])
	}

	// 5. export for readers without pyarrow
	s.run("-q", "export", s.path("dag.parquet"), "--format", "npy", "-o", s.path("dag-npy"))
	m, err := npy.Open(s.path("dag-npy/Dag2023__2022-07-26-31.npy"))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(m.Shape) != "[1444 146]" || m.Dtype != "<f4" {
		t.Fatalf("dag npy: shape %v dtype %s, want [1444 146] <f4 (SOURCE.md: 480.7 s on the 0.333 s grid, 0 … 480.5 s)", m.Shape, m.Dtype)
	}
	s.run("-q", "export", s.path("white.parquet"), "--format", "csv", "-o", s.path("white.csv"))
	b, err := os.ReadFile(s.path("white.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// A header and one line per edge: 2266 chemical + 1132 electrical.
	if lines := strings.Count(string(b), "\n"); lines != 1+2266+1132 || !strings.HasPrefix(string(b), "dataset,pre,post,type,weight,q_value\n") {
		t.Fatalf("white.csv: %d lines, starts %q", lines, string(b[:60]))
	}

	// The provenance of the demo traces is JSON a script can read.
	out = s.run("inspect", "--json", s.path("demo-out/traces.parquet"))
	// Its parameters are the published pipeline's (Simeon et al. 2024; see
	// ingest/homogenize's package doc) and its seed the demo's default.
	var rep struct{ Metadata map[string]string }
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var par map[string]any
	if err := json.Unmarshal([]byte(rep.Metadata["neurotab.parameters"]), &par); err != nil {
		t.Fatalf("neurotab.parameters %q: %v", rep.Metadata["neurotab.parameters"], err)
	}
	for k, want := range map[string]any{"dt": 0.333, "min_samples": 600.0, "smooth_method": "moving_average(15)", "normalize": "zscore", "block_size": 6.0} {
		if par[k] != want {
			t.Errorf("parameter %s = %v, want %v", k, par[k], want)
		}
	}
	if rep.Metadata["neurotab.seed"] != "1" {
		t.Errorf("neurotab.seed %q, want 1", rep.Metadata["neurotab.seed"])
	}
}
