package cli

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/formats/npy"
	"github.com/neurotab/neurotab/formats/table"
)

// TestExport: the demo's traces exported as NPY matrices (checked value by
// value against the table, and with numpy by hand: np.load gives (1350, 42)
// float32 for worm0) and as CSV whose list cells parse as JSON arrays with
// the same values; usage errors for the wrong output form.
func TestExport(t *testing.T) {
	dir := t.TempDir()
	demoOut := filepath.Join(dir, "demo")
	if code, _, stderr := run("demo", "--out", demoOut, "--worms", "2"); code != ExitOK {
		t.Fatalf("demo: %s", stderr)
	}
	traces := filepath.Join(demoOut, "traces.parquet")
	var recs []*table.Recording
	rr, err := table.OpenRecordings(traces, nil)
	if err != nil {
		t.Fatal(err)
	}
	for {
		r, err := rr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	rr.Close()

	out := filepath.Join(dir, "npy")
	if code, _, stderr := run("export", traces, "--format", "npy", "-o", out); code != ExitOK || !strings.Contains(stderr, "2 recordings") {
		t.Fatalf("export npy: %d %s", code, stderr)
	}
	for _, rec := range recs {
		stem := table.RecordingFileStem(rec.Dataset, rec.Worm)
		a, err := npy.Open(filepath.Join(out, stem+".npy"))
		if err != nil {
			t.Fatal(err)
		}
		T, N := rec.Data.Dims()
		if len(a.Shape) != 2 || a.Shape[0] != T || a.Shape[1] != N || a.Dtype != "<f4" {
			t.Fatalf("%s: shape %v descr %s, want [%d %d] <f4", stem, a.Shape, a.Dtype, T, N)
		}
		v := a.Float32s()
		for i := 0; i < T; i++ {
			for j := 0; j < N; j++ {
				if v[i*N+j] != float32(rec.Data.At(i, j)) {
					t.Fatalf("%s[%d,%d] = %v, table %v", stem, i, j, v[i*N+j], rec.Data.At(i, j))
				}
			}
		}
		var meta table.NPYMeta
		b, _ := os.ReadFile(filepath.Join(out, stem+".json"))
		if err := json.Unmarshal(b, &meta); err != nil || strings.Join(meta.Neurons, ",") != strings.Join(rec.Neurons, ",") ||
			len(meta.Time) != T || meta.Time[1] != rec.Time[1] || meta.Rows != "time" {
			t.Fatalf("%s.json: %s (%v)", stem, b, err)
		}
	}

	csvOut := filepath.Join(dir, "traces.csv")
	if code, _, stderr := run("export", traces, "--format", "csv", "-o", csvOut); code != ExitOK {
		t.Fatalf("export csv: %d %s", code, stderr)
	}
	f, _ := os.Open(csvOut)
	defer f.Close()
	cr := csv.NewReader(f)
	head, _ := cr.Read()
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	row, err := cr.Read()
	if err != nil {
		t.Fatal(err)
	}
	var vals []float64
	if err := json.Unmarshal([]byte(row[col["calcium_data"]]), &vals); err != nil {
		t.Fatal(err)
	}
	rec := recs[0]
	j := -1
	for k, n := range rec.Neurons {
		if n == row[col["neuron"]] {
			j = k
		}
	}
	if row[col["worm"]] != rec.Worm || j < 0 || len(vals) != len(rec.Time) || float32(vals[7]) != float32(rec.Data.At(7, j)) {
		t.Fatalf("csv row %v… does not match the table", row[:5])
	}

	for name, args := range map[string][]string{
		"csv to a folder": {"export", traces, "--format", "csv", "-o", filepath.Join(dir, "x")},
		"npy to a file":   {"export", traces, "--format", "npy", "-o", filepath.Join(dir, "x.npy")},
		"no format":       {"export", traces, "-o", filepath.Join(dir, "x.csv")},
		"unknown format":  {"export", traces, "--format", "xlsx", "-o", filepath.Join(dir, "x.xlsx")},
	} {
		if code, _, stderr := run(args...); code != ExitUsage {
			t.Errorf("%s: exit %d (%s)", name, code, stderr)
		}
	}
	// npy of a table that is not traces: an error, and no folder.
	if code, _, _ := run("export", filepath.Join(demoOut, "edges.parquet"), "--format", "npy", "-o", filepath.Join(dir, "bad")); code != ExitError {
		t.Errorf("npy of an edges table: exit %d", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "bad")); !os.IsNotExist(err) {
		t.Error("a failed npy export left its folder")
	}
}
