package homogenize

import (
	"reflect"
	"strconv"
	"testing"

	"github.com/neurotab/neurotab/formats/hdf5"
	"github.com/neurotab/neurotab/ingest"
	"github.com/neurotab/neurotab/internal/fixtures"
	"gonum.org/v1/gonum/mat"
)

// dagRaw reads the real Dag et al. 2023 recording (../shared/data/dag2023,
// see its SOURCE.md): gcamp/traces_array_F_F20 (800 × 146) on
// timing/timestamp_confocal. The file carries no labels; labels maps raw
// columns to the labels a test assigns.
func dagRaw(t *testing.T, labels map[int]string) *ingest.Raw {
	t.Helper()
	p := fixtures.Path(t, "dag2023", "2022-07-26-31-data.h5")
	f, err := hdf5.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	read := func(name string) ([]float64, []uint64) {
		o, err := f.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		d := o.(*hdf5.Dataset)
		v, err := d.ReadFloat64()
		if err != nil {
			t.Fatal(err)
		}
		return v, d.Shape()
	}
	x, shape := read("/gcamp/traces_array_F_F20")
	tm, _ := read("/timing/timestamp_confocal")
	if len(shape) != 2 || shape[0] != 800 || shape[1] != 146 || len(tm) != 800 {
		t.Fatalf("shape %v, %d times; SOURCE.md says 800 × 146", shape, len(tm))
	}
	l := make([]string, 146)
	for j, s := range labels {
		l[j] = s
	}
	return &ingest.Raw{Dataset: "Dag2023", Worm: "2022-07-26-31", RawFile: p, Labels: l, Time: tm, Traces: mat.NewDense(800, 146, x)}
}

func TestDag2023(t *testing.T) {
	ref := loadReference(t)
	if ref.Dag2023 == nil {
		t.Fatal("reference.json has no dag2023 entry: run make_reference.py with the shared data present")
	}
	d := ref.Dag2023
	labels := map[int]string{}
	for k, v := range d.Labels {
		j, _ := strconv.Atoi(k)
		labels[j] = v
	}

	t.Run("no labels is skipped", func(t *testing.T) {
		_, skip, err := Homogenize(dagRaw(t, nil), Options{})
		if err != nil || skip == nil || skip.Reason != SkipNoLabeled || skip.Samples != 800 || skip.Traces != 146 || skip.Labeled != 0 {
			t.Fatalf("skip %+v err %v", skip, err)
		}
		if want := "none of 146 traces has a canonical neuron label (all labels empty)"; skip.Detail != want {
			t.Errorf("skip detail %q, want %q", skip.Detail, want)
		}
	})

	t.Run("defaults vs numpy", func(t *testing.T) {
		res, skip, err := Homogenize(dagRaw(t, labels), Options{})
		if err != nil || skip != nil {
			t.Fatalf("skip %v err %v", skip, err)
		}
		rec := res.Recording
		// 3 labeled (AVAL, DA1 from "DA01", RIML in atlas order) + 143 unlabeled
		T, N := rec.Data.Dims()
		if T != d.Rows || N != 146 {
			t.Fatalf("data %d × %d, want %d × 146", T, N, d.Rows)
		}
		if !reflect.DeepEqual(res.Columns[:4], d.RawColumns) || !reflect.DeepEqual(rec.Neurons[:4], []string{"AVAL", "DA1", "RIML", "0"}) {
			t.Errorf("first columns %v %v, want %v", res.Columns[:4], rec.Neurons[:4], d.RawColumns)
		}
		// median dt 0.6 s > 0.333 s: upsampled by linear interpolation
		if rec.InterpolateMethod != "linear" {
			t.Errorf("interpolate method %q", rec.InterpolateMethod)
		}
		var tm, got []float64
		for i := 0; i < T; i += d.Every {
			tm = append(tm, rec.Time[i])
			for c := 0; c < 4; c++ {
				got = append(got, rec.Data.At(i, c))
			}
		}
		// expected: the numpy chain (np.interp fill, scipy zscore, pandas
		// rolling(8), np.interp onto np.arange(0, t_max, 0.333)) in make_reference.py
		checkClose(t, "time vs np.arange", tm, d.TimeEvery)
		checkClose(t, "data vs numpy chain", got, d.DataEvery)
		checkClose(t, "original row 100 vs numpy chain", mat.Row(nil, 100, rec.Original)[:4], d.OriginalRow100)
	})
}
