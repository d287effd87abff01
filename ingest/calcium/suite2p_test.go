package calcium

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/neurotab/neurotab/internal/fixtures"
)

// TestSuite2pPynapple reads pynapple's real suite2p plane0 outputs. Every
// expected number is quoted from ../shared/data/pynapple/SOURCE.md.
func TestSuite2pPynapple(t *testing.T) {
	dir := fixtures.Path(t, "pynapple")
	// SOURCE.md: 20 cells, ROI indices:
	cells := []int{75, 90, 96, 97, 110, 116, 117, 129, 135, 143, 145, 152, 154, 180, 181, 185, 196, 197, 203, 210}
	// SOURCE.md, for cell ROI 75 (the first cell):
	F75 := []float32{150.8924102783203, 150.53810119628906, 149.82888793945312, 149.93104553222656, 149.9178924560547}
	Fneu75 := []float32{148.64698791503906, 148.48841857910156, 147.95138549804688, 148.40509033203125, 147.8148193359375}
	spks75 := []float32{0.0, 0.10807792842388153, 0.0, 0.08109187334775925, 0.6431303024291992}
	corrected := make([]float64, 5)
	for i := range corrected {
		corrected[i] = float64(F75[i]) - 0.7*float64(Fneu75[i])
	}
	toF64 := func(x []float32) []float64 {
		out := make([]float64, len(x))
		for i, v := range x {
			out[i] = float64(v)
		}
		return out
	}
	cases := []struct {
		signal string
		first  []float64
		note   string
	}{
		{"", corrected, "trace = F − 0.7·Fneu"},
		{"F", toF64(F75), "trace = F (raw"},
		{"spks", toF64(spks75), "trace = spks"},
	}
	const rate = 10.0 // SOURCE.md: the frame rate is not stored; tests supply it
	for _, c := range cases {
		t.Run("signal="+c.signal, func(t *testing.T) {
			r := readOne(t, ReadSuite2p, dir, Options{SampleRate: rate, Signal: c.signal})
			if r.Worm != "pynapple" || r.Dataset != "suite2p" || filepath.Base(r.RawFile) != "F.npy" {
				t.Errorf("%s %s %s", r.Dataset, r.Worm, r.RawFile)
			}
			wantShape(t, r, 2000, len(cells)) // SOURCE.md: F.npy (219, 2000)
			wantLabels(t, r.Labels, make([]string, len(cells)))
			for i, want := range c.first {
				if got := r.Traces.At(i, 0); !near(got, want, 1e-12) {
					t.Errorf("ROI 75 frame %d = %v, want %v", i, got, want)
				}
			}
			if r.Time[0] != 0 || r.Time[1999] != 1999/rate {
				t.Errorf("time %v … %v", r.Time[0], r.Time[1999])
			}
			if !hasNote(r, "20 of 219 ROIs; 0-based ROI ids [75 90 96 97 110 116 117 129 135 143 145 152 154 180 181 185 196 197 203 210]") ||
				!hasNote(r, c.note) || !hasNote(r, "frame rate 10 Hz from Options.SampleRate (ops.npy absent)") {
				t.Errorf("notes %q", r.Notes)
			}
		})
	}
	t.Run("F.npy path", func(t *testing.T) {
		r := readOne(t, ReadSuite2p, filepath.Join(dir, "F.npy"), Options{SampleRate: rate})
		if r.Worm != "pynapple" {
			t.Errorf("worm %q", r.Worm)
		}
	})
	t.Run("no frame rate", func(t *testing.T) {
		_, err := ReadSuite2p(dir, Options{})
		wantErr(t, err, "ops.npy", `key "fs"`, "frame rate unknown (ops.npy absent)")
	})
}

// TestSuite2pOps reads testdata/session1/suite2p (written by gen.py): two
// planes whose ops.npy hold fs as a NumPy float64 (15.5) and a Python float
// (30.0).
func TestSuite2pOps(t *testing.T) {
	raws, err := ReadSuite2p(filepath.Join("testdata", "session1", "suite2p"), Options{SampleRate: 99})
	if err != nil {
		t.Fatal(err)
	}
	if len(raws) != 2 || raws[0].Worm != "session1_plane0" || raws[1].Worm != "session1_plane1" {
		t.Fatalf("%d recordings", len(raws))
	}
	// plane0 (gen.py): ROIs 0 and 2 are cells; F − 0.7·Fneu by hand:
	// ROI 0: 100−7, 101−7, 102−14, 103−14, 104−21; ROI 2: 200−28, 190−28, … 160−28.
	want0 := [][]float64{{93, 94, 88, 89, 83}, {172, 162, 152, 142, 132}}
	r := raws[0]
	wantShape(t, r, 5, 2)
	for c, w := range want0 {
		for i, v := range w {
			if got := r.Traces.At(i, c); !near(got, v, 1e-12) {
				t.Errorf("plane0 cell %d frame %d = %v, want %v", c, i, got, v)
			}
		}
	}
	if r.Time[1] != 1/15.5 || !hasNote(r, "frame rate 15.5 Hz from ops.npy fs (Options.SampleRate 99 Hz not used)") {
		t.Errorf("time %v notes %q", r.Time, r.Notes)
	}
	// plane1: ROI 1 is the cell: 8−0.7, 6−0.7, 4−0.7, 2−0.7; fs 30.
	r = raws[1]
	wantShape(t, r, 4, 1)
	for i, v := range []float64{7.3, 5.3, 3.3, 1.3} {
		if got := r.Traces.At(i, 0); !near(got, v, 1e-12) {
			t.Errorf("plane1 frame %d = %v, want %v", i, got, v)
		}
	}
	if r.Time[3] != 3/30.0 {
		t.Errorf("time %v", r.Time)
	}
	// The neuropil coefficient is an option.
	r = readOne(t, ReadSuite2p, filepath.Join("testdata", "session1", "suite2p", "plane1"), Options{NeuropilCoef: 1})
	if r.Traces.At(0, 0) != 7 || r.Worm != "session1_plane1" {
		t.Errorf("coef 1: %v (%s)", r.Traces.At(0, 0), r.Worm)
	}
}

func TestOpsFrameRate(t *testing.T) {
	cases := []struct {
		name string
		path string
		want float64
		err  string
	}{
		{"numpy float64", filepath.Join("testdata", "session1", "suite2p", "plane0", "ops.npy"), 15.5, ""},
		{"python float", filepath.Join("testdata", "session1", "suite2p", "plane1", "ops.npy"), 30, ""},
		{"numeric npy", filepath.Join("testdata", "traces.npy"), 0, "not a pickled object array"},
		{"not npy", filepath.Join("testdata", "traces.csv"), 0, "not an .npy file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := opsFrameRate(c.path)
			if c.err != "" {
				wantErr(t, err, c.err)
				return
			}
			if err != nil || got != c.want {
				t.Errorf("fs = %v, %v; want %v", got, err, c.want)
			}
		})
	}
}

func TestSuite2pBadInput(t *testing.T) {
	plane := filepath.Join("testdata", "session1", "suite2p", "plane1")
	copyPlane := func(t *testing.T, skip string) string {
		dir := t.TempDir()
		for _, f := range []string{"F.npy", "Fneu.npy", "spks.npy", "iscell.npy", "ops.npy"} {
			if f == skip {
				continue
			}
			b, err := os.ReadFile(filepath.Join(plane, f))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	t.Run("no Fneu", func(t *testing.T) {
		_, err := ReadSuite2p(copyPlane(t, "Fneu.npy"), Options{})
		wantErr(t, err, "Fneu.npy")
	})
	t.Run("Fneu of another plane", func(t *testing.T) {
		dir := copyPlane(t, "")
		b, _ := os.ReadFile(filepath.Join("testdata", "session1", "suite2p", "plane0", "Fneu.npy"))
		os.WriteFile(filepath.Join(dir, "Fneu.npy"), b, 0o644)
		_, err := ReadSuite2p(dir, Options{})
		wantErr(t, err, "Fneu.npy", "shape", "3 ROIs, iscell.npy has 2")
	})
	t.Run("unknown signal", func(t *testing.T) {
		_, err := ReadSuite2p(plane, Options{Signal: "dff"})
		wantErr(t, err, "F.npy", `unknown suite2p signal "dff"`)
	})
	t.Run("not suite2p", func(t *testing.T) {
		_, err := ReadSuite2p(t.TempDir(), Options{})
		wantErr(t, err, "no F.npy and iscell.npy")
	})
}
