// Package quickstart runs the walk-through in README.md: every command in
// it, in order, with the checks a reader would make by eye.
package quickstart

import (
	"bytes"
	"encoding/json"
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
	if b, err := os.ReadFile(s.path("white.png")); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Fatalf("white.png: %v", err)
	}

	// 4. events (tonic/SOURCE.md: 4,325 N-MNIST events, t from 654 to 311175 µs)
	out = s.run("ingest", "--source", "auto", nm, "-o", s.path("nmnist.parquet"))
	if !strings.Contains(out, "4325 events") {
		t.Fatalf("ingest nmnist: %s", out)
	}
	s.run("events", "bin", s.path("nmnist.parquet"), "--frames", "--bin", "100ms", "-o", s.path("frames.npy"))
	a, err := npy.Open(s.path("frames.npy"))
	if err != nil {
		t.Fatal(err)
	}
	var total float64
	for _, v := range a.Float64s() {
		total += v
	}
	if a.Shape[0] != 4 || total != 4325 {
		t.Fatalf("frames %v hold %v events", a.Shape, total)
	}

	// The provenance of the demo traces is JSON a script can read.
	out = s.run("inspect", "--json", s.path("demo-out/traces.parquet"))
	var rep struct{ Metadata map[string]string }
	if err := json.Unmarshal([]byte(out), &rep); err != nil || !strings.HasPrefix(rep.Metadata["neurotab.parameters"], "{") {
		t.Fatalf("json metadata: %v %v", err, rep.Metadata)
	}
}
