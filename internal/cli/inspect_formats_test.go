package cli

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/internal/fixtures"
)

// inspect on real lab files; expected shapes from each folder's SOURCE.md.
func TestInspectLabFiles(t *testing.T) {
	cases := []struct {
		name   string
		path   []string
		format string
		node   string
		shape  []uint64
	}{
		// dag2023/SOURCE.md: 146 traces × 800 frames, stored as (800, 146) by Julia's column-major writer.
		{"julia hdf5", []string{"dag2023", "2022-07-26-31-data.h5"}, "hdf5", "/gcamp/traces_array_F_F20", []uint64{800, 146}},
		// tonic/SOURCE.md: spiketrain is a 101 × 2346 double matrix.
		{"mat v5", []string{"tonic", "sample_stmnist.mat"}, "mat", "spiketrain", []uint64{101, 2346}},
		// pynapple/SOURCE.md: 3 units, 21,354 spike times.
		{"nwb", []string{"pynapple", "A8604-211122.nwb"}, "hdf5", "/units/spike_times", []uint64{21354}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, stderr := run("inspect", "--json", fixtures.Path(t, c.path...))
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var rep InspectReport
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(rep.Format, c.format) {
				t.Fatalf("format %q", rep.Format)
			}
			for _, n := range rep.Nodes {
				if n.Path == c.node {
					if len(n.Shape) != len(c.shape) || n.Shape[0] != c.shape[0] || n.Shape[len(n.Shape)-1] != c.shape[len(c.shape)-1] {
						t.Fatalf("%s shape %v want %v", c.node, n.Shape, c.shape)
					}
					return
				}
			}
			t.Fatalf("no node %s in %d nodes", c.node, len(rep.Nodes))
		})
	}
}

// --values prints a variable as loadmat would: yemini2021_like.mat's fps is
// the scalar 4 and neurons the cell of class names (reference-made manifest).
func TestInspectValues(t *testing.T) {
	p := fixtures.Path(t, "reference-made", "mat_v5", "yemini2021_like.mat")
	code, out, stderr := run("inspect", "--json", "--values", "fps", p)
	if code != ExitOK || strings.TrimSpace(out) != "4" {
		t.Fatalf("fps: %d %q %s", code, out, stderr)
	}
	code, out, _ = run("inspect", "--json", "--values", "neurons", p)
	// manifest.json files/mat_v5/yemini2021_like.mat/variables/neurons: a
	// 6×1 cell of 1×3 (1×4) char arrays.
	var names [][]string
	want := [][]string{{"AVA"}, {"ALA"}, {"RMD"}, {"AVB"}, {"RID"}, {"URYV"}}
	if code != ExitOK || json.Unmarshal([]byte(out), &names) != nil || !reflect.DeepEqual(names, want) {
		t.Fatalf("neurons: %q, want %v", out, want)
	}
	code, _, stderr = run("inspect", "--json", "--values", "nope", p)
	if code != ExitError || !strings.Contains(stderr, "nope") {
		t.Fatalf("missing variable: %d %s", code, stderr)
	}
	d := fixtures.Path(t, "dag2023", "2022-07-26-31-data.h5")
	code, out, _ = run("inspect", "--json", "--values", "/gcamp/idx_splits", d)
	// dag2023 idx_splits = [1, 800] (stored 2×1).
	if code != ExitOK || strings.Join(strings.Fields(out), "") != "[[1],[800]]" {
		t.Fatalf("idx_splits: %q", out)
	}
}
