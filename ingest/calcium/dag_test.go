package calcium

import (
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/neurotab/neurotab/internal/fixtures"
)

func dagReal(t *testing.T) string { return fixtures.Path(t, "dag2023", "2022-07-26-31-data.h5") }

// TestDag2023Real reads the real Dag 2023 recording without labels.
func TestDag2023Real(t *testing.T) {
	r := readOne(t, ReadDag2023, dagReal(t), Options{})
	wantShape(t, r, 800, 146) // SOURCE.md: traces_array_F_F20 dims [800, 146] = (time, neurons)
	if r.Worm != "2022-07-26-31" || r.Dataset != "Dag2023" {
		t.Errorf("worm %q dataset %q", r.Worm, r.Dataset)
	}
	for i, l := range r.Labels {
		if l != "" {
			t.Fatalf("label %d = %q without a labels file", i, l)
		}
	}
	// SOURCE.md: timestamps start at 1,228,334.146 s (absolute, kept);
	// exact first and last values read once with h5py.
	if r.Time[0] != 1228334.1461311695 || r.Time[799] != 1228814.811223635 {
		t.Errorf("time %v … %v", r.Time[0], r.Time[799])
	}
	// SOURCE.md: median Δt 0.600 s (min 0.557, max 0.661).
	dts := make([]float64, 799)
	for i := range dts {
		dts[i] = r.Time[i+1] - r.Time[i]
	}
	sort.Float64s(dts)
	if med := (dts[398] + dts[399]) / 2; math.Abs(med-0.600) > 5e-4 || dts[0] < 0.556 || dts[798] > 0.662 {
		t.Errorf("Δt median %v min %v max %v", med, dts[0], dts[798])
	}
	// SOURCE.md: range 0.029–5.91, mean ≈ 1.0 (ΔF/F20). Exact values read
	// once with h5py: min 0.02902130822083282, max 5.911765990848847,
	// sum 116800 (= 800·146: each trace divided by a value whose mean is 1),
	// [0,0] 0.7796306689876986, [5,7] 0.574939129426273,
	// [799,145] 0.4406993133428423.
	s := summarize(r)
	if s.min != 0.02902130822083282 || s.max != 5.911765990848847 || s.nans != 0 || math.Abs(s.sum-116800) > 1e-6 {
		t.Errorf("summary %+v", s)
	}
	for _, c := range []struct {
		t, n int
		v    float64
	}{{0, 0, 0.7796306689876986}, {5, 7, 0.574939129426273}, {799, 145, 0.4406993133428423}} {
		if got := r.Traces.At(c.t, c.n); got != c.v {
			t.Errorf("trace (%d,%d) = %v, want %v", c.t, c.n, got, c.v)
		}
	}
	if !hasNote(r, "no NeuroPAL label dictionary") {
		t.Errorf("notes %q", r.Notes)
	}
}

// TestDag2023Labels reads the real recording with the generated label
// dictionary (gen_hdf5.py: entry 2022-07-26-31 labels traces 1 AVAL,
// 5 RMDDL, 146 IL2?L).
func TestDag2023Labels(t *testing.T) {
	r := readOne(t, ReadDag2023, dagReal(t), Options{LabelsFile: filepath.Join("testdata", "NeuroPAL_labels_dict.json")})
	want := make([]string, 146)
	want[0], want[4], want[145] = "AVAL", "RMDDL", "IL2?L"
	wantLabels(t, r.Labels, want)
	if !hasNote(r, `entry "2022-07-26-31": 3 of 146 traces labeled`) {
		t.Errorf("notes %q", r.Notes)
	}
	// The same dictionary without an entry for this file: unlabeled, noted.
	dir := t.TempDir()
	lf := filepath.Join(dir, "labels.json")
	if err := os.WriteFile(lf, []byte(`{"2099-01-01-01": [{"1": {"label": "AVAL"}}, {}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	r = readOne(t, ReadDag2023, dagReal(t), Options{LabelsFile: lf})
	if r.Labels[0] != "" || !hasNote(r, `has no entry "2022-07-26-31"`) {
		t.Errorf("labels[0] %q notes %q", r.Labels[0], r.Notes)
	}
}

// TestDag2023Local reads the generated Dag-layout file: the dictionary
// beside it is found, the two extra timestamps are dropped.
func TestDag2023Local(t *testing.T) {
	r := readOne(t, ReadDag2023, filepath.Join("testdata", "2000-01-01-01-data.h5"), Options{})
	wantShape(t, r, 5, 3)                                 // gen_hdf5.py: T=5, N=3
	wantLabels(t, r.Labels, []string{"ASEL", "", "AWCR"}) // entry 2000-01-01-01: 1 ASEL, 3 AWCR
	for ti := range 5 {
		if want := 500 + 0.6*float64(ti); !near(r.Time[ti], want, 1e-12) { // 500 + 0.6 t
			t.Errorf("time[%d] = %v, want %v", ti, r.Time[ti], want)
		}
		for n := range 3 {
			if want := 1 + float64(ti) + 10*float64(n); r.Traces.At(ti, n) != want { // 1 + t + 10 n
				t.Errorf("(%d,%d) = %v, want %v", ti, n, r.Traces.At(ti, n), want)
			}
		}
	}
	if !hasNote(r, "7 values for 5 samples; the first 5 kept") {
		t.Errorf("notes %q", r.Notes)
	}
}

func TestDag2023BadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name string
		path func(t *testing.T) string
		opt  Options
		want []string
	}{
		{"too few timestamps", local("bad", "2000-01-01-02-data.h5"), Options{}, // gen_hdf5.py: 4 for 5
			[]string{"2000-01-01-02-data.h5", `dataset "/timing/timestamp_confocal"`, "4 times for 5 samples"}},
		{"label beyond traces", dagReal, Options{LabelsFile: filepath.Join("testdata", "bad", "labels_too_many.json")},
			[]string{"labels_too_many.json", `key "2022-07-26-31": "147"`, "labels name neuron 147 of 146 traces"}},
		{"label not an index", dagReal, Options{LabelsFile: write("a.json", `{"2022-07-26-31": {"AVAL": {"label": "AVAL"}}}`)},
			[]string{"a.json", `"AVAL"`, "not a 1-based trace index"}},
		{"record without label", dagReal, Options{LabelsFile: write("b.json", `{"2022-07-26-31": [{"2": {"roi": 3}}]}`)},
			[]string{"b.json", `"2"`, "no label field"}},
		{"labels not JSON", dagReal, Options{LabelsFile: write("c.json", `{"2022`)},
			[]string{"c.json"}},
		{"labels file absent", dagReal, Options{LabelsFile: filepath.Join(dir, "none.json")},
			[]string{"none.json"}},
		{"not Dag layout", ref("hdf5", "generic_v108.h5"), Options{},
			[]string{"generic_v108.h5", `dataset "/gcamp/traces_array_F_F20": missing`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadDag2023(c.path(t), c.opt)
			wantErr(t, err, c.want...)
		})
	}
}
