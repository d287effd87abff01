package calcium

import (
	"math"
	"path/filepath"
	"testing"
)

// TestFlavell2023H5 reads the generated WormWideWeb .h5 (gen_hdf5.py:
// trace_array N=4 × T=6 with value n + t/10, [2][3] NaN; labeled 1 AVAL,
// 3 IL2?L; uid 2023-01-02-03).
func TestFlavell2023H5(t *testing.T) {
	r := readOne(t, ReadFlavell2023, filepath.Join("testdata", "wormwideweb_like.h5"), Options{})
	if r.Worm != "2023-01-02-03" || r.Dataset != "Flavell2023" {
		t.Errorf("worm %q dataset %q", r.Worm, r.Dataset)
	}
	wantShape(t, r, 6, 4)
	wantLabels(t, r.Labels, []string{"AVAL", "", "IL2?L", ""})
	for ti := range 6 {
		if want := []float64{0, 0.6, 1.2, 1.8, 2.4, 3.0}[ti]; r.Time[ti] != want {
			t.Errorf("time[%d] = %v, want %v", ti, r.Time[ti], want)
		}
		for n := range 4 {
			want := float64(n) + float64(ti)/10
			if n == 2 && ti == 3 {
				want = math.NaN()
			}
			if got := r.Traces.At(ti, n); !same(got, want) {
				t.Errorf("(%d,%d) = %v, want %v", ti, n, got, want)
			}
		}
	}
	if !hasNote(r, "N×T as stored, transposed") || !hasNote(r, "2 of 4 traces labeled") {
		t.Errorf("notes %q", r.Notes)
	}
}

func TestFlavell2023H5BadInput(t *testing.T) {
	_, err := ReadFlavell2023(filepath.Join("testdata", "bad", "www_bad_label.h5"), Options{})
	// gen_hdf5.py: labeled names trace 9 of 4.
	wantErr(t, err, "www_bad_label.h5", `group "/labeled/9"`, "labels name neuron 9 of 4 traces")
	// A Dag file has no root trace_array.
	_, err = ReadFlavell2023(filepath.Join("testdata", "2000-01-01-01-data.h5"), Options{})
	wantErr(t, err, "2000-01-01-01-data.h5", `dataset "/trace_array": missing`)
	// An HDF5 file without the .h5 extension is still read as HDF5.
	_, err = ReadFlavell2023(ref("nwb", "ophys_rate.nwb")(t), Options{})
	wantErr(t, err, "ophys_rate.nwb", `dataset "/trace_array": missing`)
}
