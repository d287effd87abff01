package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/formats/npy"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// ingest → events bin → numbers from tonic/SOURCE.md (4325 N-MNIST events,
// 2145 ON), and a failing input in a batch gives exit 1 with a summary while
// the good file is still written.
func TestIngestAndBin(t *testing.T) {
	nm := fixtures.Path(t, "tonic", "sample_nmnist.bin")
	dir := t.TempDir()
	bad := filepath.Join(dir, "notes.txt")
	os.WriteFile(bad, []byte("not events"), 0o644)
	out := filepath.Join(dir, "ev.parquet")

	code, stdout, stderr := run("ingest", "--source", "auto", nm, bad, "-o", out)
	if code != ExitError {
		t.Fatalf("exit %d, want 1 (one input failed); stderr %q", code, stderr)
	}
	if !strings.Contains(stdout, "4325 events") || !strings.Contains(stderr, "FAILED "+bad) || !strings.Contains(stderr, "1 of 2 inputs failed") {
		t.Fatalf("stdout %q stderr %q", stdout, stderr)
	}
	frames := filepath.Join(dir, "f.npy")
	code, _, stderr = run("events", "bin", out, "--frames", "--bin", "1s", "-o", frames)
	if code != ExitOK {
		t.Fatalf("bin: %d %s", code, stderr)
	}
	a, err := npy.Open(frames)
	if err != nil {
		t.Fatal(err)
	}
	v := a.Float64s()
	var on, all float64
	for i, x := range v {
		all += x
		if (i/(34*34))%2 == 1 {
			on += x
		}
	}
	if len(a.Shape) != 4 || a.Shape[0] != 1 || all != 4325 || on != 2145 {
		t.Fatalf("frames shape %v, %v events, %v ON", a.Shape, all, on)
	}
}

func TestIngestUsage(t *testing.T) {
	for name, args := range map[string][]string{
		"no source":      {"ingest", "x", "-o", "y.parquet"},
		"no output":      {"ingest", "--source", "evt2", "x"},
		"unknown source": {"ingest", "--source", "nope", "x", "-o", "y.parquet"},
		"bad shard":      {"ingest", "--source", "evt2", "--shard", "3/2", "x", "-o", "y.parquet"},
		"bin both":       {"events", "bin", "x", "--frames", "--rates", "-o", "y"},
	} {
		if code, _, stderr := run(args...); code != ExitUsage {
			t.Errorf("%s: exit %d (%s)", name, code, stderr)
		}
	}
}

// Calcium ingest end to end on reference files (reference-made manifest):
// Lin2023-like and WormWideWeb-like recordings are written; the
// Venkatachalam-like zip holds an all-NaN trace, which is a reported
// failure by default and a dropped trace with --drop-all-nan.
func TestIngestCalcium(t *testing.T) {
	lin := fixtures.Path(t, "reference-made", "mat_v5", "lin2023_like.mat")
	www := fixtures.Path(t, "reference-made", "text", "wormwideweb_like.json")
	zip := fixtures.Path(t, "reference-made", "text", "venkatachalam2024_like.zip")
	out := filepath.Join(t.TempDir(), "traces.parquet")
	code, stdout, stderr := run("ingest", "--source", "auto", "--min-samples", "-1", lin, www, zip, "-o", out)
	if code != ExitError || !strings.Contains(stderr, "all-NaN trace") || !strings.Contains(stdout, "ok  Lin2023/") || !strings.Contains(stdout, "ok  Flavell2023/") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	code, stdout, stderr = run("ingest", "--source", "auto", "--min-samples", "-1", "--drop-all-nan", lin, www, zip, "-o", out)
	if code != ExitOK || !strings.Contains(stdout, "ok  Venkatachalam2024/") {
		t.Fatalf("with --drop-all-nan: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	code, stdout, _ = run("inspect", "--json", out)
	if code != ExitOK || !strings.Contains(stdout, `"table": "traces"`) {
		t.Fatalf("inspect: %s", stdout)
	}
	// The published 600-sample minimum skips every short reference recording, and says so.
	code, _, stderr = run("ingest", "--source", "Lin2023", lin, "-o", out)
	if code != ExitError || !strings.Contains(stderr, "SKIPPED") {
		t.Fatalf("default minimum: exit %d, stderr %s", code, stderr)
	}
}

// NWB units → spikes table → rates; counts from pynapple/SOURCE.md.
func TestIngestNWBUnits(t *testing.T) {
	in := fixtures.Path(t, "pynapple", "A8604-211122.nwb")
	dir := t.TempDir()
	sp := filepath.Join(dir, "spikes.parquet")
	code, out, stderr := run("ingest", "--source", "nwb-units", in, "-o", sp)
	if code != ExitOK || !strings.Contains(out, "3 units, 21354 spikes") {
		t.Fatalf("exit %d %q %s", code, out, stderr)
	}
	rates := filepath.Join(dir, "rates.parquet")
	if code, _, stderr = run("events", "bin", sp, "--rates", "--bin", "1s", "-o", rates); code != ExitOK {
		t.Fatalf("bin: %s", stderr)
	}
}
