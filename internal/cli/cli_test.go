package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

func run(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = Main(append([]string{"neurotab"}, args...), &o, &e)
	return code, o.String(), e.String()
}

func TestExitCodes(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
	}{
		{"help", []string{"--help"}, ExitOK},
		{"version", []string{"version"}, ExitOK},
		{"unknown command", []string{"frobnicate"}, ExitUsage},
		{"unknown flag", []string{"inspect", "--nope", "x"}, ExitUsage},
		{"missing argument", []string{"inspect"}, ExitUsage},
		{"too many arguments", []string{"version", "extra"}, ExitUsage},
		{"values without json", []string{"inspect", "--values", "/a", "x"}, ExitUsage},
		{"missing file", []string{"inspect", "/nonexistent/file.parquet"}, ExitError},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := run(c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d (stderr %q)", code, c.code, stderr)
			}
			if c.code != ExitOK && !strings.HasPrefix(stderr, "neurotab: ") {
				t.Fatalf("stderr %q does not start with the error line", stderr)
			}
		})
	}
}

// Every command answers --help with exit 0 and its usage line.
func TestHelpOnEveryCommand(t *testing.T) {
	root := NewRoot(&Globals{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}})
	for _, c := range root.Commands() {
		args := []string{c.Name(), "--help"}
		code, out, _ := run(args...)
		if code != ExitOK || !strings.Contains(out, "Usage:") {
			t.Errorf("%v: exit %d, output %q", args, code, out)
		}
		for _, sub := range c.Commands() {
			args := []string{c.Name(), sub.Name(), "--help"}
			code, out, _ := run(args...)
			if code != ExitOK || !strings.Contains(out, "Usage:") {
				t.Errorf("%v: exit %d", args, code)
			}
		}
	}
}

func TestInspectBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o644)
		return p
	}
	cases := map[string]string{
		"empty":     write("empty.parquet", nil),
		"text":      write("notes.md", []byte("hello\n")), // .txt is a table now (inspect_text.go)
		"truncated": write("t.parquet", []byte("PAR1\x15\x04\x15\x80")),
		"folder":    dir,
		"random":    write("r.bin.x", bytes.Repeat([]byte{0xde, 0xad}, 500)),
	}
	for name, path := range cases {
		t.Run(name, func(t *testing.T) {
			code, out, stderr := run("inspect", path)
			if code != ExitError {
				t.Fatalf("exit %d, want 1; stdout %q stderr %q", code, out, stderr)
			}
			first := strings.SplitN(stderr, "\n", 2)[0]
			if !strings.Contains(first, path) {
				t.Fatalf("error line %q does not name %s", first, path)
			}
			if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
				t.Fatalf("panicked: %s", stderr)
			}
		})
	}
}

func TestDemoThenInspect(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := run("-q", "demo", "--out", dir, "--worms", "2", "--neurons", "20", "--samples", "600")
	if code != ExitOK {
		t.Fatalf("demo exit %d: %s", code, stderr)
	}
	if stderr != "" {
		t.Fatalf("--quiet demo wrote to stderr: %q", stderr)
	}
	if out != "" {
		t.Fatalf("--quiet demo printed status lines: %q", out)
	}
	for _, f := range []string{"traces.parquet", "traces_long.parquet", "states.parquet", "neurons.parquet", "edges.parquet"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatalf("demo: %v", err)
		}
	}
	code, out, stderr = run("inspect", "--json", filepath.Join(dir, "traces.parquet"))
	if code != ExitOK {
		t.Fatalf("inspect exit %d: %s", code, stderr)
	}
	var rep InspectReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	// 2 worms × round(0.7 × 20) = 14 recorded neurons each (synth's ObservedFrac default).
	if rep.Table != "traces" || rep.Rows == nil || *rep.Rows != 28 || len(rep.Columns) != 17 || rep.Metadata["neurotab.seed"] != "1" {
		t.Fatalf("report %+v", rep)
	}
	code, out, _ = run("inspect", filepath.Join(dir, "edges.parquet"))
	if code != ExitOK || !strings.Contains(out, "table:   edges") {
		t.Fatalf("text inspect: %d %q", code, out)
	}
}

// The run functions work without cobra and without a terminal: inspect of
// the tiny events table (3 rows, written in events_test.go) and version.
func TestRunWithoutCobra(t *testing.T) {
	in := writeTinyEvents(t, t.TempDir())
	g, stdout, _ := testGlobals()
	if err := runInspect(&inspectOptions{g: g, Path: in, JSON: true}); err != nil {
		t.Fatal(err)
	}
	var rep InspectReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Table != "events" || rep.Rows == nil || *rep.Rows != 3 || rep.Metadata["events.width"] != "2" {
		t.Errorf("report %+v", rep)
	}
	var ue *UsageError
	if err := runInspect(&inspectOptions{g: g, Path: in, Values: "/x"}); !errors.As(err, &ue) {
		t.Errorf("--values without --json: %v", err)
	}
	g, stdout, _ = testGlobals()
	if err := runVersion(&versionOptions{g: g}); err != nil || !strings.HasPrefix(stdout.String(), "neurotab "+versionString()) {
		t.Errorf("version %q %v", stdout, err)
	}
}

// Flags and arguments reach each command's options; runF receives them in
// place of the run function.
func TestFlagWiring(t *testing.T) {
	g, _, _ := testGlobals()
	t.Run("connectome import", func(t *testing.T) {
		var got *connImportOptions
		cmd := newConnectomeImportCmd(g, func(o *connImportOptions) error { got = o; return nil })
		if err := execute(cmd, "--source", "edgelist", "a.csv", "b.csv", "-o", "e.parquet", "--gap", "sum", "--pre", "from", "--qmax", "-1", "--default-type", "electrical"); err != nil {
			t.Fatal(err)
		}
		if got == nil || !reflect.DeepEqual(got.Files, []string{"a.csv", "b.csv"}) || got.Source != "edgelist" || got.Out != "e.parquet" ||
			got.Gap != "sum" || got.Opt.Pre != "from" || got.Opt.QMax != -1 || got.DefaultType != "electrical" {
			t.Errorf("options %+v", got)
		}
	})
	t.Run("connectome matrix", func(t *testing.T) {
		var got *matrixOptions
		cmd := newConnectomeMatrixCmd(g, func(o *matrixOptions) error { got = o; return nil })
		if err := execute(cmd, "--edges", "e.parquet", "--edges", "f.parquet", "-o", "m.csv", "--consensus", "--types", "chemical", "--neurons", "AVAL,AVAR", "--dataset", "d"); err != nil {
			t.Fatal(err)
		}
		want := viewOptions{Edges: []string{"e.parquet", "f.parquet"}, Out: "m.csv", Types: "chemical", Dataset: "d", Consensus: true, Neurons: "AVAL,AVAR"}
		if got == nil || !reflect.DeepEqual(got.viewOptions, want) {
			t.Errorf("options %+v, want %+v", got, want)
		}
	})
	t.Run("connectome plot", func(t *testing.T) {
		var got *plotOptions
		cmd := newConnectomePlotCmd(g, func(o *plotOptions) error { got = o; return nil })
		if err := execute(cmd, "--edges", "e.parquet", "-o", "h.svg", "--log=false", "--title", "T"); err != nil {
			t.Fatal(err)
		}
		if got == nil || len(got.Edges) != 1 || got.Edges[0] != "e.parquet" || got.Out != "h.svg" || got.Log || got.Title != "T" || got.Types != "chemical,electrical" {
			t.Errorf("options %+v", got)
		}
	})
	t.Run("inspect", func(t *testing.T) {
		var got *inspectOptions
		cmd := newInspectCmd(g, func(o *inspectOptions) error { got = o; return nil })
		if err := execute(cmd, "--json", "--values", "/a", "f.h5"); err != nil {
			t.Fatal(err)
		}
		if got == nil || *got != (inspectOptions{g: g, Path: "f.h5", JSON: true, Values: "/a"}) {
			t.Errorf("options %+v", got)
		}
	})
	t.Run("demo", func(t *testing.T) {
		var got *demoOptions
		cmd := newDemoCmd(g, func(o *demoOptions) error { got = o; return nil })
		if err := execute(cmd, "--out", "d", "--seed", "7", "--worms", "2"); err != nil {
			t.Fatal(err)
		}
		if got == nil || got.Cfg.Out != "d" || got.Cfg.Seed != 7 || got.Cfg.Worms != 2 || got.Cfg.Neurons != 60 || got.Cfg.Samples != 900 || got.Cfg.States != 2 {
			t.Errorf("options %+v", got)
		}
	})
	t.Run("ingest", func(t *testing.T) {
		var got *ingestOptions
		cmd := newIngestCmd(g, func(o *ingestOptions) error { got = o; return nil })
		if err := execute(cmd, "--source", "dag2023", "d1", "f.h5", "-o", "out/", "--jobs", "3", "--dataset", "D", "--dt", "0.5",
			"--refractory", "2ms", "--normalize", "none", "--min-samples", "-1"); err != nil {
			t.Fatal(err)
		}
		if got == nil || !reflect.DeepEqual(got.paths, []string{"d1", "f.h5"}) || got.source != "dag2023" || got.out != "out/" || got.jobs != 3 ||
			got.dataset != "D" || got.hom.Dt != 0.5 || got.refractory != 2*time.Millisecond || got.norm != "none" || got.hom.MinSamples != -1 ||
			got.hom.Window != 15 || got.smooth != "moving_average" {
			t.Errorf("options %+v", got)
		}
	})
}

// Every leaf command's --help has an Examples section.
func TestHelpExamples(t *testing.T) {
	root := NewRoot(&Globals{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		path := c.CommandPath()
		if (!c.HasSubCommands() || path == "neurotab ingest") && c.Name() != "help" && c.Name() != "completion" {
			if c.Example == "" {
				t.Errorf("%s has no Example", path)
			}
			code, out, _ := run(append(strings.Fields(path)[1:], "--help")...)
			if code != ExitOK || !strings.Contains(out, "Examples:") {
				t.Errorf("%s --help: exit %d, no Examples section", path, code)
			}
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
}
