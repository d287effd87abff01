package calcium

import (
	"path/filepath"
	"testing"
)

// TestNejatbakhsh2020Reference checks the NWB file in the Nejatbakhsh
// layout against the manifest (nwb/ophys_timestamps.nwb).
func TestNejatbakhsh2020Reference(t *testing.T) {
	rel := "nwb/ophys_timestamps.nwb"
	e := manifestEntry(t, rel)
	r := readOne(t, ReadNejatbakhsh2020, ref("nwb", "ophys_timestamps.nwb")(t), Options{})
	objs := dig(t, e, "objects").(map[string]any)
	data := dig(t, objs, nejData)
	sh := nums(t, dig(t, data, "shape")) // [80, 5]
	T, N := int(sh[0]), int(sh[1])
	wantShape(t, r, T, N)
	d := dig(t, data, "data").(map[string]any)
	checkElems(t, d, func(i int) float64 { return r.Traces.At(i/N, i%N) }) // row-major T×N
	s := summarize(r)
	if want := num(t, d["sum"]); !near(s.sum, want, 1e-6*want) || s.nans != int(num(t, d["nan_count"])) {
		t.Errorf("sum %v nans %d, manifest %v %v", s.sum, s.nans, want, d["nan_count"])
	}
	// labels: the manifest's strings of NeuronIDs/labels.
	var want []string
	for _, x := range dig(t, objs, nejLabels, "strings").([]any) {
		want = append(want, x.(string))
	}
	wantLabels(t, r.Labels, want)
	ts := dig(t, objs, nejSeries+"/timestamps", "data").(map[string]any)
	checkElems(t, ts, func(i int) float64 { return r.Time[i] })
	if !hasNote(r, "timestamps (s)") {
		t.Errorf("notes %q", r.Notes)
	}
}

// TestNejatbakhsh2020FourHz reads the generated file without a time base
// (gen_hdf5.py: data 4×2 = 7 + t + 0.5 n, labels AVAL, RMDVR).
func TestNejatbakhsh2020FourHz(t *testing.T) {
	r := readOne(t, ReadNejatbakhsh2020, filepath.Join("testdata", "nejatbakhsh_4hz.nwb"), Options{})
	wantShape(t, r, 4, 2)
	wantLabels(t, r.Labels, []string{"AVAL", "RMDVR"})
	for ti := range 4 {
		if want := float64(ti) / 4; r.Time[ti] != want { // the published 4 Hz
			t.Errorf("time[%d] = %v, want %v", ti, r.Time[ti], want)
		}
		for n := range 2 {
			if want := 7 + float64(ti) + 0.5*float64(n); r.Traces.At(ti, n) != want { // exact in float32
				t.Errorf("(%d,%d) = %v, want %v", ti, n, r.Traces.At(ti, n), want)
			}
		}
	}
	if !hasNote(r, "4 Hz") {
		t.Errorf("notes %q", r.Notes)
	}
}

func TestNejatbakhsh2020BadInput(t *testing.T) {
	_, err := ReadNejatbakhsh2020(filepath.Join("testdata", "bad", "nejatbakhsh_extra_labels.nwb"), Options{})
	// gen_hdf5.py: 3 labels for 2 traces.
	wantErr(t, err, "nejatbakhsh_extra_labels.nwb", `dataset "/processing/CalciumActivity/NeuronIDs/labels"`, "3 labels for 2 traces")
	_, err = ReadNejatbakhsh2020(ref("nwb", "ophys_rate.nwb")(t), Options{})
	wantErr(t, err, "ophys_rate.nwb", `SignalCalciumImResponseSeries/data": missing`)
}
