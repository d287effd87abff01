package calcium

import (
	"path/filepath"
	"testing"

	"github.com/neurotab/neurotab/internal/fixtures"
)

// TestYemini2021 reads reference-made/mat_v5/yemini2021_like.mat and checks
// every sample against the manifest's per-trace values.
func TestYemini2021(t *testing.T) {
	path := fixtures.Path(t, "reference-made", "mat_v5", "yemini2021_like.mat")
	e := manifestEntry(t, "mat_v5/yemini2021_like.mat")
	vars := dig(t, e, "variables")
	fps := num(t, dig(t, vars, "fps", "data", "values", 0)) // manifest: fps = 4.0

	raws, err := ReadYemini2021(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// manifest: files = {"20190928_01", "20190929_07"}
	if len(raws) != 2 {
		t.Fatalf("%d recordings, want 2", len(raws))
	}
	// Expected columns from the manifest: neurons = AVA, ALA, RMD, AVB, RID,
	// URYV; is_L{k} = [1 1 0 0] (bilateral: entries 1..2 are the left traces
	// of worms 1..2, entries 3..4 the right ones) or [NaN NaN] (ALA, RID);
	// norm_traces{3}{4} (RMD, right, worm 2) and norm_traces{5}{1} (RID,
	// worm 1) are [] and left out. Each column is {class k, entry j}, 0-based.
	type col struct {
		label string
		k, j  int
	}
	want := []struct {
		worm    string
		cols    []col
		missing string
	}{
		{"yemini2021_like_20190928_01", []col{
			{"AVAL", 0, 0}, {"AVAR", 0, 2}, {"ALA", 1, 0}, {"RMDL", 2, 0}, {"RMDR", 2, 2},
			{"AVBL", 3, 0}, {"AVBR", 3, 2}, {"URYVL", 5, 0}, {"URYVR", 5, 2}}, "[RID]"},
		{"yemini2021_like_20190929_07", []col{
			{"AVAL", 0, 1}, {"AVAR", 0, 3}, {"ALA", 1, 1}, {"RMDL", 2, 1},
			{"AVBL", 3, 1}, {"AVBR", 3, 3}, {"RID", 4, 1}, {"URYVL", 5, 1}, {"URYVR", 5, 3}}, "[RMDR]"},
	}
	const T = 64 // manifest: every trace is 64×1
	for w, wr := range want {
		r := raws[w]
		if r.Worm != wr.worm || r.Dataset != "Yemini2021" || r.RawFile != path {
			t.Errorf("recording %d: %s %s %s", w, r.Dataset, r.Worm, r.RawFile)
		}
		labels := make([]string, len(wr.cols))
		for i, c := range wr.cols {
			labels[i] = c.label
		}
		wantLabels(t, r.Labels, labels)
		wantShape(t, r, T-YeminiDroppedFrames, len(wr.cols))
		for i := range r.Time {
			if want := float64(i+YeminiDroppedFrames) / fps; r.Time[i] != want {
				t.Fatalf("time[%d] = %v, want %v", i, r.Time[i], want)
			}
		}
		nans := 0
		for i, c := range wr.cols {
			vals := nums(t, dig(t, vars, "norm_traces", "elements", c.k, "elements", c.j, "data", "values"))
			got := column(r, i)
			for s := range got {
				if !same(got[s], vals[s+YeminiDroppedFrames]) {
					t.Fatalf("%s %s sample %d = %v, want %v", r.Worm, c.label, s, got[s], vals[s+YeminiDroppedFrames])
				}
				if got[s] != got[s] {
					nans++
				}
			}
		}
		if !hasNote(r, "left out: "+wr.missing) || !hasNote(r, "dropped the first 4 frames (of 64)") {
			t.Errorf("notes %q", r.Notes)
		}
		// gen.py nan_run: AVB entry 4 (right, worm 2) samples 10..12 are NaN:
		// rows 6..8 after dropping 4 frames; worm 1 has none.
		if wantNaN := 3 * w; nans != wantNaN {
			t.Errorf("%s: %d NaN, want %d", r.Worm, nans, wantNaN)
		}
	}
}

func TestYemini2021BadInput(t *testing.T) {
	cases := []struct {
		name string
		path func(t *testing.T) string
		want []string
	}{
		{"missing variable", ref("mat_v5", "lin2023_like.mat"),
			[]string{"lin2023_like.mat", `variable "norm_traces": missing`}},
		{"uneven traces", local("yemini_uneven.mat"), // gen.py: RID trace 7 samples, AVA traces 8
			[]string{"yemini_uneven.mat", `variable "norm_traces{2}{1}"`, `7 samples, other traces of recording "w1" have 8`}},
		// formats/mat reads v7.3 now: a Kato file is a readable MAT file without norm_traces.
		{"v7.3 file", ref("mat_v73", "kato2015_like_v73.mat"), []string{"kato2015_like_v73.mat", `variable "norm_traces": missing`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadYemini2021(c.path(t), Options{})
			wantErr(t, err, c.want...)
		})
	}
	_, err := ReadYemini2021(filepath.Join(t.TempDir(), "none.mat"), Options{})
	wantErr(t, err, "none.mat")
}
