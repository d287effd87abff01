package cli

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/analysis/covariance"
	"github.com/neurotab/neurotab/analysis/spectral"
	"github.com/neurotab/neurotab/formats/table"
)

// --kind tangent: two recordings, the second with an extra neuron and a
// constant one, give tangent rows on the two neurons both hold and vary,
// equal (1e-10) to covariance.Tangent fitted to the stored traces of those
// neurons with the empirical estimator.
func TestAnalyzeFCTangent(t *testing.T) {
	dir := t.TempDir()
	traces := filepath.Join(dir, "t.parquet")
	w1 := noise("w1", 200)
	w2 := noise("w2", 300)
	extra := mat.NewDense(300, 4, nil)
	for i := range 300 {
		extra.Set(i, 0, w2.Data.At(i, 0)+0.5*w2.Data.At(i, 1))
		extra.Set(i, 1, w2.Data.At(i, 1))
		extra.Set(i, 2, 1) // ASEL constant: left out everywhere
		extra.Set(i, 3, w2.Data.At(i, 2))
	}
	w2.Data, w2.Neurons = extra, []string{"AVAL", "AVAR", "ASEL", "RIML"}
	writeTraces(t, traces, w1, w2)
	out := filepath.Join(dir, "tangent.parquet")
	code, stdout, stderr := run("analyze", "fc", "--traces", traces, "--kind", "tangent", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "ok  Test/w1  2 neurons  2 rows (1 neurons left out, not in every recording or constant in one: ASEL)") ||
		!strings.Contains(stdout, "ok  Test/w2  2 neurons  2 rows (2 neurons left out, not in every recording or constant in one: ASEL RIML)") {
		t.Errorf("stdout %q", stdout)
	}
	_, recs := pearsonOf(t, traces)
	xs := make([]mat.Matrix, 2)
	for k, w := range []string{"w1", "w2"} {
		xs[k] = mat.DenseCopyOf(recs[w].Data.Slice(0, len(recs[w].Time), 0, 2))
	}
	want := covariance.Tangent{Estimator: &covariance.Empirical{}}
	if err := want.Fit(xs); err != nil {
		t.Fatal(err)
	}
	rows, err := table.ReadRows[table.FCRow](out, nil)
	if err != nil || len(rows) != 4 {
		t.Fatalf("rows %+v %v", rows, err)
	}
	for _, r := range rows {
		var tv mat.SymDense
		if err := want.TangentTo(&tv, map[string]int{"w1": 0, "w2": 1}[r.Worm]); err != nil {
			t.Fatal(err)
		}
		if r.Measure != "tangent" || r.Pre == r.Post || math.Abs(r.Value-tv.At(0, 1)) > 1e-10 {
			t.Errorf("row %+v, want tangent %v", r, tv.At(0, 1))
		}
	}
	checkPNG(t, filepath.Join(dir, "tangent_figures", "Test_w2.png"))
}

// Spectral kinds: the rows of --kind imcoh and wpli with --segment and a
// band equal spectral.Connectivity fitted to the stored traces cut into
// the same half-overlapping segments, averaged over the same band; the
// measure names the band.
func TestAnalyzeFCSpectral(t *testing.T) {
	dir := t.TempDir()
	traces := filepath.Join(dir, "t.parquet")
	rec := noise("w1", 400) // 2 Hz samples
	for i := range 400 {    // AVAR lags AVAL by a quarter cycle at 0.25 Hz
		tt := rec.Time[i]
		rec.Data.Set(i, 0, rec.Data.At(i, 0)+2*math.Sin(2*math.Pi*0.25*tt))
		rec.Data.Set(i, 1, rec.Data.At(i, 1)+2*math.Sin(2*math.Pi*0.25*tt-math.Pi/2))
	}
	writeTraces(t, traces, rec)
	_, recs := pearsonOf(t, traces)
	stored := recs["w1"]
	for _, c := range []struct {
		kind   string
		method spectral.Method
	}{{"imcoh", spectral.MethodImagCoherence}, {"wpli", spectral.MethodWPLI}, {"coherence", spectral.MethodCoherence}} {
		t.Run(c.kind, func(t *testing.T) {
			out := filepath.Join(dir, c.kind+".parquet")
			code, _, stderr := run("analyze", "fc", "--traces", traces, "--kind", c.kind, "--segment", "32s", "--fmin", "0.2", "--fmax", "0.3", "--no-figures", "-o", out)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			sc := spectral.Connectivity{Method: c.method, SegmentLength: 64, Overlap: 32, FMin: 0.2, FMax: 0.3, SampleRate: 2}
			if err := sc.FitContinuous(stored.Data); err != nil {
				t.Fatal(err)
			}
			var want mat.Dense
			if err := sc.MatrixTo(&want, spectral.Band{}); err != nil {
				t.Fatal(err)
			}
			rows, err := table.ReadRows[table.FCRow](out, nil)
			if err != nil || len(rows) != 6 {
				t.Fatalf("rows %+v %v", rows, err)
			}
			for _, r := range rows {
				i, j := index(stored.Neurons, r.Pre), index(stored.Neurons, r.Post)
				if r.Measure != string(c.method)+"_0.2-0.3Hz" || math.Abs(r.Value-want.At(i, j)) > 1e-12 {
					t.Errorf("row %+v, want %v", r, want.At(i, j))
				}
			}
			if c.kind == "imcoh" { // AVAL leads: imcoh[AVAL][AVAR] > 0
				for _, r := range rows {
					if r.Pre == "AVAL" && r.Post == "AVAR" && !(r.Value > 0.5) {
						t.Errorf("imcoh AVAL→AVAR %v, want clearly positive", r.Value)
					}
				}
			}
		})
	}
}
