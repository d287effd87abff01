package calcium

import (
	"archive/zip"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/neurotab/neurotab"
)

// TestVenkatachalam2024 checks the zip-of-CSV export against its manifest
// entry: neurons, frame columns, blank leading frames, samples and summary.
func TestVenkatachalam2024(t *testing.T) {
	path := ref("text", "venkatachalam2024_like.zip")(t)
	e := manifestEntry(t, "text/venkatachalam2024_like.zip")
	c := dig(t, e, "csv")
	r := readOne(t, ReadVenkatachalam2024, path, Options{})
	if r.Worm != "venkatachalam2024_like" || r.Dataset != "Venkatachalam2024" {
		t.Errorf("worm %q dataset %q", r.Worm, r.Dataset)
	}
	var neurons []string
	for _, n := range dig(t, c, "neurons").([]any) {
		neurons = append(neurons, n.(string))
	}
	wantLabels(t, r.Labels, neurons)                              // AWCL AWCR ASHL AIYL AVAL RIAR AWAL
	frames := int(num(t, dig(t, c, "frame_columns", "count")))    // 162 frames 0…161
	blank := int(num(t, dig(t, c, "blank_leading_frames")))       // 98
	dt := num(t, dig(t, c, "frame_columns", "seconds_per_frame")) // 0.375
	T, N := frames-blank, len(neurons)
	wantShape(t, r, T, N)
	for i := range T {
		if want := float64(blank+i) * dt; r.Time[i] != want {
			t.Fatalf("time[%d] = %v, want %v", i, r.Time[i], want)
		}
	}
	// frame_values samples: flat index over neurons × 162 frames.
	fv := dig(t, c, "frame_values", "data")
	checked := 0
	for _, s := range dig(t, fv, "samples").([]any) {
		i, v := int(num(t, dig(t, s, 0))), num(t, dig(t, s, 1))
		n, f := i/frames, i%frames
		if f < blank {
			continue // a dropped blank frame (NaN in the manifest)
		}
		if got := r.Traces.At(f-blank, n); !same(got, v) {
			t.Errorf("row %d frame %d = %v, want %v", n, f, got, v)
		}
		checked++
	}
	if checked < 3 { // samples 756, 1132, 1133 lie after the blank frames
		t.Errorf("checked %d samples", checked)
	}
	s := summarize(r)
	if want := num(t, dig(t, fv, "sum")); !near(s.sum, want, 1e-6*want) { // 134.470404
		t.Errorf("sum %v, want %v", s.sum, want)
	}
	if s.min != num(t, dig(t, fv, "min")) || s.max != num(t, dig(t, fv, "max")) {
		t.Errorf("min %v max %v", s.min, s.max)
	}
	// manifest nan_count 750 = 98 blank frames × 7 rows + the all-NaN row 5 over the 64 kept frames.
	if want := int(num(t, dig(t, fv, "nan_count"))) - blank*N; s.nans != want {
		t.Errorf("%d NaN, want %d", s.nans, want)
	}
	if !hasNote(r, "dropped 98 leading frames") || !hasNote(r, "(0-based rows): [5]") { // all_nan_rows [5]
		t.Errorf("notes %q", r.Notes)
	}
}

// writeZip writes a zip holding the given members.
func writeZip(t *testing.T, path string, members map[string]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, body := range members {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestVenkatachalam2024BadInput(t *testing.T) {
	cases := []struct {
		name    string
		members map[string]string
		want    []string
		is      error
	}{
		{"empty zip", map[string]string{}, []string{"empty zip"}, neurotab.ErrMalformed},
		{"no csv", map[string]string{"a.txt": "x"}, []string{"no .csv member"}, neurotab.ErrMalformed},
		{"two csv", map[string]string{"a.csv": "neuron,0\n", "b.csv": "neuron,0\n"}, []string{"2 .csv members"}, neurotab.ErrMalformed},
		{"empty csv", map[string]string{"a.csv": ""}, []string{"v.zip: a.csv:1: ", "no header row"}, neurotab.ErrMalformed},
		{"no neuron column", map[string]string{"a.csv": "worm,0,1\nw,1,2\n"}, []string{"v.zip: a.csv:1: ", `has no "neuron" column`}, neurotab.ErrNotFound},
		{"no frames", map[string]string{"a.csv": "worm,neuron\nw,AVAL\n"}, []string{"no frame columns"}, neurotab.ErrMalformed},
		{"frames out of order", map[string]string{"a.csv": "neuron,1,0\nAVAL,1,2\n"}, []string{`column "0"`, "frame 0 after frame 1"}, neurotab.ErrMalformed},
		// line 3 (after a blank line), field 3 is the cell of frame column "1".
		{"not a number", map[string]string{"a.csv": "neuron,0,1\n\nAVAL,1,x\n"}, []string{"v.zip: a.csv:3:3: ", `column "1": "x" is not a number`}, neurotab.ErrMalformed},
		{"short row", map[string]string{"a.csv": "neuron,0,1\nAVAL,1\n"}, []string{"v.zip: a.csv:2:3: ", "row has 2 fields, header 3"}, neurotab.ErrMalformed},
		{"bad quote", map[string]string{"a.csv": "neuron,0\n\"AVAL,1\n"}, []string{"v.zip: a.csv:2: "}, neurotab.ErrMalformed},
		{"all blank", map[string]string{"a.csv": "neuron,0,1\nAVAL,,\n"}, []string{"every frame is empty"}, neurotab.ErrMalformed},
		{"no rows", map[string]string{"a.csv": "neuron,0,1\n"}, []string{"no neuron rows"}, neurotab.ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "v.zip")
			writeZip(t, path, c.members)
			_, err := ReadVenkatachalam2024(path, Options{})
			wantErr(t, err, append([]string{"v.zip"}, c.want...)...)
			if !errors.Is(err, c.is) {
				t.Errorf("%v does not wrap %v", err, c.is)
			}
		})
	}
}

func TestVenkatachalam2024GroupsWorms(t *testing.T) {
	path := filepath.Join(t.TempDir(), "two.zip")
	writeZip(t, path, map[string]string{"two.csv": "worm,neuron,0,1,2,notes\n" +
		"w1,AVAL,,1,2,\nw2,AVAR,,,3,\nw1,AVAR,,1.5,2.5,ok\n"})
	raws, err := ReadVenkatachalam2024(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(raws) != 2 || raws[0].Worm != "two_w1" || raws[1].Worm != "two_w2" {
		t.Fatalf("%d recordings", len(raws))
	}
	// w1: frame 0 blank in both rows → frames 1, 2 at 0.375 s and 0.75 s.
	wantLabels(t, raws[0].Labels, []string{"AVAL", "AVAR"})
	wantShape(t, raws[0], 2, 2)
	if raws[0].Time[0] != 0.375 || raws[0].Traces.At(1, 1) != 2.5 {
		t.Errorf("w1 time %v traces %v", raws[0].Time, raws[0].Traces)
	}
	// w2: frames 0 and 1 blank → one sample at 0.75 s.
	wantShape(t, raws[1], 1, 1)
	if raws[1].Time[0] != 0.75 || raws[1].Traces.At(0, 0) != 3 {
		t.Errorf("w2 time %v traces %v", raws[1].Time, raws[1].Traces)
	}
}
