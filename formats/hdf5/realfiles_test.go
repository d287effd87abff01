package hdf5_test

import (
	"math"
	"sort"
	"testing"

	"github.com/neurotab/neurotab/formats/hdf5"
	"github.com/neurotab/neurotab/internal/fixtures"
)

func openFixture(t *testing.T, elem ...string) *hdf5.File {
	t.Helper()
	f, err := hdf5.Open(fixtures.Path(t, elem...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func getDataset(t *testing.T, f *hdf5.File, p string) *hdf5.Dataset {
	t.Helper()
	o, err := f.Get(p)
	if err != nil {
		t.Fatal(err)
	}
	d, ok := o.(*hdf5.Dataset)
	if !ok {
		t.Fatalf("%s is %T", p, o)
	}
	return d
}

// TestDag2023 checks the Julia-written (HDF5.jl) file against
// ../shared/data/dag2023/SOURCE.md (verified there with h5py).
func TestDag2023(t *testing.T) {
	f := openFixture(t, "dag2023", "2022-07-26-31-data.h5")
	if f.SuperblockVersion() != 0 { // SOURCE.md: superblock v0
		t.Errorf("superblock %d, want 0", f.SuperblockVersion())
	}
	shapes := []struct {
		path  string
		shape []uint64
		dtype string
	}{
		// shapes from SOURCE.md "Groups/datasets"
		{"/gcamp/traces_array_F_F20", []uint64{800, 146}, "float64"},
		{"/gcamp/trace_array", []uint64{800, 146}, "float64"},
		{"/gcamp/trace_array_original", []uint64{800, 146}, "float64"},
		{"/gcamp/idx_splits", []uint64{2, 1}, ""},
		{"/gcamp/match_org_to_skip", []uint64{2, 146}, ""},
		{"/timing/timestamp_confocal", []uint64{800}, "float64"},
		{"/timing/timestamp_nir", []uint64{10101}, "float64"},
		{"/behavior/body_angle", []uint64{800, 30}, "float64"},
		{"/behavior/body_angle_all", []uint64{800, 59}, "float64"},
		{"/behavior/reversal_events", []uint64{2, 34}, ""},
		{"/neuropal_registration/roi_match", []uint64{159}, "int64"},
		{"/neuropal_registration/roi_match_confidence", []uint64{159}, "float64"},
	}
	for _, c := range shapes {
		t.Run(c.path, func(t *testing.T) {
			d := getDataset(t, f, c.path)
			if !eqShape(d.Shape(), c.shape) {
				t.Errorf("shape %v, want %v", d.Shape(), c.shape)
			}
			if c.dtype != "" && d.Datatype().String() != c.dtype {
				t.Errorf("dtype %s, want %s", d.Datatype(), c.dtype)
			}
			if l := d.Layout(); l.Class != hdf5.LayoutContiguous { // SOURCE.md: all contiguous
				t.Errorf("layout %s, want contiguous", l.Class)
			}
		})
	}
	t.Run("idx_splits", func(t *testing.T) {
		v, err := getDataset(t, f, "/gcamp/idx_splits").ReadInt64()
		if err != nil {
			t.Fatal(err)
		}
		if len(v) != 2 || v[0] != 1 || v[1] != 800 { // SOURCE.md: [[1], [800]]
			t.Errorf("idx_splits %v, want [1 800]", v)
		}
	})
	t.Run("timestamps", func(t *testing.T) {
		ts, err := getDataset(t, f, "/timing/timestamp_confocal").ReadFloat64()
		if err != nil {
			t.Fatal(err)
		}
		// SOURCE.md: starts at 1,228,334.146 s; median dt 0.600 s (min 0.557,
		// max 0.661); duration 480.7 s. Stated to the shown decimals.
		if math.Abs(ts[0]-1228334.146) > 0.0005 {
			t.Errorf("first timestamp %v, want 1228334.146", ts[0])
		}
		dt := make([]float64, len(ts)-1)
		for i := range dt {
			dt[i] = ts[i+1] - ts[i]
		}
		sort.Float64s(dt)
		if med := dt[len(dt)/2]; math.Abs(med-0.600) > 0.0005 {
			t.Errorf("median dt %v, want 0.600", med)
		}
		if math.Abs(dt[0]-0.557) > 0.0005 || math.Abs(dt[len(dt)-1]-0.661) > 0.0005 {
			t.Errorf("dt range %v..%v, want 0.557..0.661", dt[0], dt[len(dt)-1])
		}
		if d := ts[len(ts)-1] - ts[0]; math.Abs(d-480.7) > 0.05 {
			t.Errorf("duration %v, want 480.7", d)
		}
	})
	t.Run("traces", func(t *testing.T) {
		v, err := getDataset(t, f, "/gcamp/traces_array_F_F20").ReadFloat64()
		if err != nil {
			t.Fatal(err)
		}
		mn, mx, sum := math.Inf(1), math.Inf(-1), 0.0
		for _, x := range v {
			mn, mx, sum = math.Min(mn, x), math.Max(mx, x), sum+x
		}
		// SOURCE.md: mean ≈ 1.0, range 0.029–5.91
		if mean := sum / float64(len(v)); math.Abs(mean-1.0) > 0.05 {
			t.Errorf("mean %v, want ≈ 1.0", mean)
		}
		if math.Abs(mn-0.029) > 0.0005 || math.Abs(mx-5.91) > 0.005 {
			t.Errorf("range %v..%v, want 0.029..5.91", mn, mx)
		}
		z, err := getDataset(t, f, "/gcamp/trace_array").ReadFloat64()
		if err != nil {
			t.Fatal(err)
		}
		// SOURCE.md: z-scored traces (mean 0, SD 1) per neuron (column)
		for n := 0; n < 146; n += 29 {
			var s, ss float64
			for i := 0; i < 800; i++ {
				x := z[i*146+n]
				s += x
				ss += x * x
			}
			mean := s / 800
			sd := math.Sqrt(ss/800 - mean*mean)
			if math.Abs(mean) > 1e-6 || math.Abs(sd-1) > 0.01 {
				t.Errorf("neuron %d mean %v sd %v, want 0, 1", n, mean, sd)
			}
		}
	})
}

// TestPynappleNWB checks the pynwb-written NWB 2.4.0 file against
// ../shared/data/pynapple/SOURCE.md.
func TestPynappleNWB(t *testing.T) {
	f := openFixture(t, "pynapple", "A8604-211122.nwb")
	root, err := f.Root()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"nwb_version": "2.4.0", "namespace": "core", "neurodata_type": "NWBFile"} {
		a, err := root.Attr(name)
		if err != nil {
			t.Fatal(err)
		}
		if s, err := a.AsString(); err != nil || s != want {
			t.Errorf("root attribute %s = %q (%v), want %q", name, s, err, want)
		}
	}
	strs := func(p string) []string {
		s, err := getDataset(t, f, p).ReadStrings()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if s := strs("/identifier"); len(s) != 1 || s[0] != "A8604-211122" {
		t.Errorf("identifier %q", s)
	}
	if s := strs("/session_start_time"); len(s) != 1 || s[0] != "2022-04-05T03:07:59.411186+00:00" {
		t.Errorf("session_start_time %q", s)
	}
	ids, err := getDataset(t, f, "/units/id").ReadInt64()
	if err != nil || len(ids) != 3 || ids[0] != 6 || ids[1] != 191 || ids[2] != 206 {
		t.Errorf("unit ids %v (%v), want [6 191 206]", ids, err)
	}
	idx, err := getDataset(t, f, "/units/spike_times_index").ReadUint16()
	if err != nil || len(idx) != 3 || idx[0] != 11020 || idx[1] != 15710 || idx[2] != 21354 {
		t.Errorf("spike_times_index %v (%v)", idx, err)
	}
	st := getDataset(t, f, "/units/spike_times")
	if st.Datatype().String() != "float64" || !eqShape(st.Shape(), []uint64{21354}) {
		t.Errorf("spike_times %s %v", st.Datatype(), st.Shape())
	}
	times, err := st.ReadFloat64()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, x := range times {
		sum += x
	}
	// SOURCE.md: sum(spike_times) = 12284152.965199 (6 decimals)
	if math.Abs(sum-12284152.965199) > 1e-5 {
		t.Errorf("sum %v", sum)
	}
	for i, w := range []float64{0.030333, 0.103667, 0.2019, 0.240367, 0.358967} {
		if math.Abs(times[i]-w) > 5e-7 {
			t.Errorf("spike_times[%d] = %v, want %v", i, times[i], w)
		}
	}
	// per unit (n, first, last) from SOURCE.md
	units := []struct{ n, first, last float64 }{{11020, 0.030333, 1087.352833}, {4690, 0.874333, 1087.258}, {5644, 0.028133, 1087.221833}}
	lo := 0
	for u, w := range units {
		seg := times[lo:idx[u]]
		if float64(len(seg)) != w.n || math.Abs(seg[0]-w.first) > 5e-7 || math.Abs(seg[len(seg)-1]-w.last) > 5e-7 {
			t.Errorf("unit %d: n %d first %v last %v, want %v", u, len(seg), seg[0], seg[len(seg)-1], w)
		}
		if !sort.Float64sAreSorted(seg) {
			t.Errorf("unit %d times not sorted", u)
		}
		lo = int(idx[u])
	}
	// slice of only the second unit, by hyperslab
	h, err := st.ReadHyperslab([]uint64{11020}, []uint64{4690})
	if err != nil || h[0] != times[11020] || h[4689] != times[15709] {
		t.Errorf("hyperslab read differs from full read (%v)", err)
	}
	if s := strs("/units/location"); len(s) != 3 || s[0] != "" || s[2] != "" {
		t.Errorf("location %q, want three empty strings", s)
	}
	if s := strs("/intervals/epochs/tags"); len(s) != 1 || s[0] != "wake" {
		t.Errorf("tags %q, want [wake]", s)
	}
	stop, err := getDataset(t, f, "/intervals/epochs/stop_time").ReadFloat64()
	if err != nil || len(stop) != 1 || math.Abs(stop[0]-1087.5289) > 5e-5 {
		t.Errorf("stop_time %v (%v), want [1087.5289]", stop, err)
	}
	if d := getDataset(t, f, "/general/extracellular_ephys/electrodes/id"); !eqShape(d.Shape(), []uint64{383}) {
		t.Errorf("electrodes %v, want 383 rows", d.Shape())
	}
	// object references: target path as h5py reports it (f[ref].name)
	refs, err := getDataset(t, f, "/units/electrode_group").ReadReferences()
	if err != nil || len(refs) != 3 {
		t.Fatalf("electrode_group refs %v (%v)", refs, err)
	}
	for _, r := range refs {
		o, err := f.Deref(r)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := o.(*hdf5.Group); !ok || o.Path() != "/general/extracellular_ephys/group0_psb" {
			t.Errorf("reference to %T %s", o, o.Path())
		}
	}
	a, err := getDataset(t, f, "/units/spike_times_index").Attr("target")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := a.AsReferences()
	if err != nil || len(tr) != 1 {
		t.Fatalf("target attribute %v (%v)", tr, err)
	}
	if o, err := f.Deref(tr[0]); err != nil || o.Addr() != st.Addr() {
		t.Errorf("target does not point to spike_times (%v)", err)
	}
	// soft link from SOURCE.md
	dev, err := f.Get("/general/extracellular_ephys/group0_psb/device")
	if err != nil {
		t.Fatal(err)
	}
	dev2, err := f.Get("/general/devices/-0")
	if err != nil || dev.Addr() != dev2.Addr() {
		t.Errorf("device soft link does not resolve to /general/devices/-0 (%v)", err)
	}
	// SOURCE.md: all 56 datasets contiguous, no filters
	nds := 0
	err = f.Walk(func(p string, o hdf5.Object) error {
		if d, ok := o.(*hdf5.Dataset); ok {
			nds++
			if d.Layout().Class != hdf5.LayoutContiguous || len(d.Filters()) != 0 {
				t.Errorf("%s: %s with %d filters", p, d.Layout().Class, len(d.Filters()))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if nds != 56 {
		t.Errorf("%d datasets, want 56", nds)
	}
}
