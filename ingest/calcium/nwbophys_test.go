package calcium

import (
	"testing"
)

// TestNWBReference reads both reference-made NWB files with the generic
// adapter and checks them against the manifest.
func TestNWBReference(t *testing.T) {
	cases := []struct {
		file, series, table string
		labels              []string
		rate                float64 // 0: timestamps
	}{
		// ophys_rate: starting_time 0 with rate 3.0; labels from the
		// PlaneSegmentation neuron_label column.
		{"ophys_rate.nwb", "/processing/ophys/Fluorescence/RoiResponseSeries",
			"/processing/ophys/ImageSegmentation/PlaneSegmentation", nil, 3},
		{"ophys_timestamps.nwb", "/processing/CalciumActivity/SignalRawFluor/SignalCalciumImResponseSeries",
			"/processing/CalciumActivity/ImageSegmentation/PlaneSegmentation", nil, 0},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			e := manifestEntry(t, "nwb/"+c.file)
			objs := dig(t, e, "objects").(map[string]any)
			r := readOne(t, ReadNWB, ref("nwb", c.file)(t), Options{})
			if r.Dataset != "nwb" || r.Worm != c.file[:len(c.file)-4] {
				t.Errorf("dataset %q worm %q", r.Dataset, r.Worm)
			}
			data := dig(t, objs, c.series+"/data")
			sh := nums(t, dig(t, data, "shape"))
			T, N := int(sh[0]), int(sh[1])
			wantShape(t, r, T, N)
			checkElems(t, dig(t, data, "data").(map[string]any), func(i int) float64 { return r.Traces.At(i/N, i%N) })
			// rois select rows 0…N-1 in order (manifest rois values), so
			// the labels are the neuron_label column as stored.
			rois := nums(t, dig(t, objs, c.series+"/rois", "data", "values"))
			var labels []string
			for _, x := range dig(t, objs, c.table+"/neuron_label", "strings").([]any) {
				labels = append(labels, x.(string))
			}
			want := make([]string, N)
			for i, row := range rois {
				want[i] = labels[int(row)]
			}
			wantLabels(t, r.Labels, want)
			if c.rate > 0 {
				for ti := range T {
					if w := float64(ti) / c.rate; !near(r.Time[ti], w, 1e-12) { // starting_time 0 + t/rate
						t.Fatalf("time[%d] = %v, want %v", ti, r.Time[ti], w)
					}
				}
			} else {
				checkElems(t, dig(t, objs, c.series+"/timestamps", "data").(map[string]any), func(i int) float64 { return r.Time[i] })
			}
			if !hasNote(r, "labels from column neuron_label") {
				t.Errorf("notes %q", r.Notes)
			}
		})
	}
}

func TestNWBBadInput(t *testing.T) {
	// An NWB file without any RoiResponseSeries typed object (gen_hdf5.py
	// writes one, but an HDF5 file that is not NWB has none).
	_, err := ReadNWB(ref("hdf5", "generic_latest.h5")(t), Options{})
	wantErr(t, err, "generic_latest.h5")
	_, err = ReadNWB(local("n2_let.mat")(t), Options{})
	wantErr(t, err, "n2_let.mat")
}
