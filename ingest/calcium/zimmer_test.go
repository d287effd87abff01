package calcium

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/neurotab/neurotab/ingest"
)

// checkWormCellsManifest compares recordings read from a reference-made MAT
// v7.3 file with the manifest's description of struct variable name: per
// worm the traces' MATLAB dims, finite sum (1e-6 relative, the manifest's
// rounding), min, max and every stated element (values or samples,
// column-major flat indexes), and the time vector's elements.
func checkWormCellsManifest(t *testing.T, raws []ingest.Raw, rel, name, trField, tvField string) {
	t.Helper()
	e := manifestEntry(t, rel)
	st := dig(t, e, "variables", name, "elements", 0)
	trs := dig(t, st, trField, "elements").([]any)
	tvs := dig(t, st, tvField, "elements").([]any)
	if len(raws) != len(trs) {
		t.Fatalf("%d recordings, manifest has %d worms", len(raws), len(trs))
	}
	for w, r := range raws {
		dims := nums(t, dig(t, trs[w], "dims"))
		T, N := int(dims[0]), int(dims[1])
		wantShape(t, r, T, N)
		d := dig(t, trs[w], "data").(map[string]any)
		s := summarize(r)
		if want := num(t, d["sum"]); math.Abs(s.sum-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Errorf("worm %d: sum %v, manifest %v", w+1, s.sum, want)
		}
		if s.min != num(t, d["min"]) || s.max != num(t, d["max"]) || s.nans != int(num(t, d["nan_count"])) {
			t.Errorf("worm %d: min %v max %v nans %d, manifest %v %v %v", w+1, s.min, s.max, s.nans, d["min"], d["max"], d["nan_count"])
		}
		at := func(i int) float64 { return r.Traces.At(i%T, i/T) } // column-major flat index
		checkElems(t, d, at)
		td := dig(t, tvs[w], "data").(map[string]any)
		if got := len(r.Time); got != int(num(t, td["count"])) {
			t.Fatalf("worm %d: %d times, manifest %v", w+1, got, td["count"])
		}
		checkElems(t, td, func(i int) float64 { return r.Time[i] })
	}
}

// checkElems compares the manifest's values (all elements) or samples
// ([flat index, value] pairs) exactly.
func checkElems(t *testing.T, d map[string]any, at func(int) float64) {
	t.Helper()
	if vs, ok := d["values"]; ok {
		for i, v := range nums(t, vs) {
			if got := at(i); !same(got, v) {
				t.Errorf("element %d = %v, manifest %v", i, got, v)
			}
		}
		return
	}
	for _, p := range dig(t, d, "samples").([]any) {
		pair := nums(t, p)
		if got := at(int(pair[0])); !same(got, pair[1]) {
			t.Errorf("element %d = %v, manifest %v", int(pair[0]), got, pair[1])
		}
	}
}

func TestKato2015Reference(t *testing.T) {
	a, _ := Lookup("Kato2015")
	raws, err := a.Read(ref("mat_v73", "kato2015_like_v73.mat")(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkWormCellsManifest(t, raws, "mat_v73/kato2015_like_v73.mat", "WT_Stim", "traces", "timeVectorSeconds")
	// Labels: manifest IDs, with [] read as "" and candidate lists resolved
	// to their first non-empty name ({RIML,RIMR} → RIML, {[],RMDDL} → RMDDL,
	// {AVAR} → AVAR).
	want := [][]string{
		{"AVAL", "", "RIML", "SMDVR", "DA01"},
		{"", "AVBL", "RMDDL", "ALA"},
		{"RIS", "AIBL", "", "AVAR", "VB03", "URYVL"},
	}
	for w, r := range raws {
		wantLabels(t, r.Labels, want[w])
		if r.Dataset != "Kato2015" || r.Worm != []string{"WT_Stim_worm1", "WT_Stim_worm2", "WT_Stim_worm3"}[w] {
			t.Errorf("worm %d: dataset %q worm %q", w, r.Dataset, r.Worm)
		}
	}
	if !hasNote(raws[0], `3:{RIML,RIMR}→"RIML"`) || !hasNote(raws[1], `3:{[],RMDDL}→"RMDDL"`) {
		t.Errorf("candidate lists not noted: %q / %q", raws[0].Notes, raws[1].Notes)
	}
	// timeVectorSeconds{1}(2) = 1/2.85 s (manifest fps 2.85).
	if got := raws[0].Time[1]; math.Abs(got-1/2.85) > 1e-15 {
		t.Errorf("time[1] = %v, want 1/2.85", got)
	}
}

func TestKaplan2020Reference(t *testing.T) {
	a, _ := Lookup("Kaplan2020")
	raws, err := a.Read(ref("mat_v73", "kaplan2020_like_v73.mat")(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkWormCellsManifest(t, raws, "mat_v73/kaplan2020_like_v73.mat", "RIShisCl_Neuron2019",
		"traces_bleach_corrected", "time_vector")
	// neuron_ID per worm, from the manifest.
	wantLabels(t, raws[0].Labels, []string{"AVAL", "RIS", "SMDVR", "RIBL", "RMDDL"})
	wantLabels(t, raws[1].Labels, []string{"AVAR", "RIS", "SMDDL", "AVER"})
	if raws[1].Worm != "RIShisCl_Neuron2019_worm2" {
		t.Errorf("worm %q", raws[1].Worm)
	}
}

// TestWormCellsGenerated reads the files gen_hdf5.py writes with
// hdf5storage; every expected value is the formula stated there.
func TestWormCellsGenerated(t *testing.T) {
	cases := []struct {
		adapter, file string
		worms         []string
		labels        [][]string
		trace         func(w, t, n int) float64
		time          func(w, t int) float64
		shape         [][2]int
	}{
		{"Nichols2017", "n2_let.mat", []string{"n2_let_worm1", "n2_let_worm2"},
			[][]string{{"AVAL", "", "SMDVR"}, {"RIS", "RIML"}},
			func(w, t, n int) float64 { return 10*float64(w) + float64(n) + 0.1*float64(t) },
			func(w, t int) float64 { return []float64{float64(t) / 2, 0.3 * float64(t)}[w] },
			[][2]int{{5, 3}, {4, 2}}},
		{"Skora2018", "WT_fasted.mat", []string{"WT_fasted_worm1"},
			[][]string{{"ALA", "RIS"}}, // {[],RIS} → RIS
			func(w, t, n int) float64 { return 100 + 10*float64(n) + float64(t) },
			func(w, t int) float64 { return 0.25 * float64(t) },
			[][2]int{{4, 2}}},
		{"Uzel2022", "Uzel_WT.mat", []string{"Uzel_WT_worm1"},
			[][]string{{"AVAL", "AVAR"}},
			func(w, t, n int) float64 { return -float64(n+1) * float64(t+1) },
			func(w, t int) float64 { return 1 + 0.5*float64(t) },
			[][2]int{{3, 2}}},
		{"Kato2015", "kato_alt_fields.mat", []string{"WT_NoStim_worm1"}, // deltaFOverF_bc, NeuronNames, tv
			[][]string{{"AVBL", ""}},
			func(w, t, n int) float64 { return float64(t) + 0.5*float64(n) },
			func(w, t int) float64 { return float64(t) },
			[][2]int{{3, 2}}},
	}
	for _, c := range cases {
		t.Run(c.adapter, func(t *testing.T) {
			a, _ := Lookup(c.adapter)
			raws, err := a.Read(filepath.Join("testdata", c.file), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(raws) != len(c.worms) {
				t.Fatalf("%d recordings, want %d", len(raws), len(c.worms))
			}
			for w, r := range raws {
				if r.Worm != c.worms[w] || r.Dataset != c.adapter {
					t.Errorf("worm %q dataset %q, want %q %q", r.Worm, r.Dataset, c.worms[w], c.adapter)
				}
				wantLabels(t, r.Labels, c.labels[w])
				wantShape(t, r, c.shape[w][0], c.shape[w][1])
				for ti := range c.shape[w][0] {
					if !near(r.Time[ti], c.time(w, ti), 1e-12) {
						t.Errorf("worm %d time[%d] = %v, want %v", w, ti, r.Time[ti], c.time(w, ti))
					}
					for n := range c.shape[w][1] {
						if got, want := r.Traces.At(ti, n), c.trace(w, ti, n); !near(got, want, 1e-12) {
							t.Errorf("worm %d trace (%d,%d) = %v, want %v", w, ti, n, got, want)
						}
					}
				}
			}
		})
	}
}

func TestWormCellsBadInput(t *testing.T) {
	cases := []struct {
		name, adapter string
		path          func(t *testing.T) string
		want          []string
	}{
		{"time length", "Kato2015", local("bad", "kato_bad_time.mat"), // gen_hdf5.py: worm 2 has 4 samples, 3 times
			[]string{"kato_bad_time.mat", `variable "WT_Stim.timeVectorSeconds{2}"`, "3 times for 4 samples"}},
		{"no traces field", "Kato2015", local("bad", "kato_no_traces.mat"),
			[]string{"kato_no_traces.mat", `variable "WT_Stim.traces|deltaFOverF_bc": missing`}},
		{"more labels than traces", "Kato2015", local("bad", "kato_extra_ids.mat"),
			[]string{"kato_extra_ids.mat", `variable "WT_Stim.IDs{1}"`, "3 labels for 2 traces"}},
		{"wrong struct", "Nichols2017", ref("mat_v73", "kato2015_like_v73.mat"),
			[]string{"kato2015_like_v73.mat", `variable "n2_let": missing (variables: WT_Stim)`}},
		{"MAT v5 file", "Uzel2022", ref("mat_v5", "lin2023_like.mat"),
			[]string{"lin2023_like.mat", `variable "Uzel_WT": missing`}},
		{"not a struct", "Kaplan2020", ref("mat_v73", "v73_types.mat"),
			[]string{"v73_types.mat", `variable "*_Neuron2019": missing`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, _ := Lookup(c.adapter)
			_, err := a.Read(c.path(t), Options{})
			wantErr(t, err, c.want...)
		})
	}
}
