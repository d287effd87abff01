package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
		"text":      write("notes.txt", []byte("hello\n")),
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
	if strings.Count(out, "wrote ") != 5 {
		t.Fatalf("demo output: %q", out)
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
