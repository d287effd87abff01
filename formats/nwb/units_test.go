package nwb_test

import (
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/nwb"
	"github.com/neurotab/neurotab/internal/fixtures"
)

func openPynapple(t testing.TB) *nwb.File {
	t.Helper()
	f, err := nwb.Open(fixtures.Path(t, "pynapple", "A8604-211122.nwb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func openTestdata(t testing.TB, name string) *nwb.File {
	t.Helper()
	f, err := nwb.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestPynappleUnits checks every Units figure pynapple/SOURCE.md gives for
// the phy export A8604-211122.nwb (pynwb-written, NWB 2.4.0).
func TestPynappleUnits(t *testing.T) {
	f := openPynapple(t)
	// SOURCE.md: root attrs nwb_version "2.4.0"; identifier "A8604-211122";
	// session_start_time "2022-04-05T03:07:59.411186+00:00".
	if v := f.Version(); v != "2.4.0" {
		t.Errorf("Version = %q, want 2.4.0", v)
	}
	if v := f.Identifier(); v != "A8604-211122" {
		t.Errorf("Identifier = %q", v)
	}
	if v := f.SessionStartTime(); v != "2022-04-05T03:07:59.411186+00:00" {
		t.Errorf("SessionStartTime = %q", v)
	}
	u, err := f.Units()
	if err != nil {
		t.Fatal(err)
	}
	// SOURCE.md: id int64 [6, 191, 206]; spike_times (21354,);
	// spike_times_index = [11020, 15710, 21354].
	if u.Len() != 3 || !slices.Equal(u.IDs, []int64{6, 191, 206}) {
		t.Fatalf("IDs = %v, want [6 191 206]", u.IDs)
	}
	if u.NumSpikes() != 21354 {
		t.Errorf("NumSpikes = %d, want 21354", u.NumSpikes())
	}
	if !slices.Equal(u.Index, []int64{11020, 15710, 21354}) {
		t.Errorf("Index = %v", u.Index)
	}
	// SOURCE.md: per unit (n, first, last) in s.
	want := []struct {
		n           int
		first, last float64
	}{
		{11020, 0.030333, 1087.352833},
		{4690, 0.874333, 1087.258},
		{5644, 0.028133, 1087.221833},
	}
	var sum float64
	for i, w := range want {
		st := u.SpikeTimes(i)
		if len(st) != w.n {
			t.Errorf("unit %d: %d spikes, want %d", i, len(st), w.n)
			continue
		}
		// SOURCE.md gives first/last to 6 decimals.
		if math.Abs(st[0]-w.first) > 5e-7 || math.Abs(st[len(st)-1]-w.last) > 5e-7 {
			t.Errorf("unit %d: first/last = %v/%v, want %v/%v", i, st[0], st[len(st)-1], w.first, w.last)
		}
		// SOURCE.md: each unit's times are sorted.
		if !slices.IsSorted(st) {
			t.Errorf("unit %d: times not sorted", i)
		}
		for _, v := range st {
			sum += v
		}
	}
	// SOURCE.md: sum(spike_times) = 12284152.965199 (6 decimals); float64
	// summation order differs from numpy's pairwise sum, so allow 1e-6 rel.
	if math.Abs(sum-12284152.965199) > 1e-6*12284152.965199 {
		t.Errorf("sum = %.6f, want 12284152.965199", sum)
	}
	// SOURCE.md: first 5 values of spike_times.
	for i, w := range []float64{0.030333, 0.103667, 0.2019, 0.240367, 0.358967} {
		if math.Abs(u.Times[i]-w) > 5e-7 {
			t.Errorf("Times[%d] = %v, want %v", i, u.Times[i], w)
		}
	}
	if u.SpikeTimes(-1) != nil || u.SpikeTimes(3) != nil {
		t.Error("SpikeTimes out of range must be nil")
	}
	// SOURCE.md: colnames = [location, group, spike_times, electrode_group];
	// location vlen str ["", "", ""], group int64 [0, 0, 0], electrode_group
	// object refs (3,).
	var names []string
	for _, c := range u.Columns {
		names = append(names, c.Name)
	}
	if !slices.Equal(names, []string{"location", "group", "electrode_group"}) {
		t.Errorf("columns = %v", names)
	}
	if c := u.Column("location"); c == nil || c.Kind != nwb.KindString || !slices.Equal(c.Strings, []string{"", "", ""}) {
		t.Errorf("location = %+v", c)
	}
	if c := u.Column("group"); c == nil || c.Kind != nwb.KindInt || !slices.Equal(c.Int64, []int64{0, 0, 0}) {
		t.Errorf("group = %+v", c)
	}
	// Target path from h5py 3.7: [f[r].name for r in f['units/electrode_group']]
	// gives '/general/extracellular_ephys/group0_psb' three times (the group
	// SOURCE.md names in its soft-link entry).
	g := "/general/extracellular_ephys/group0_psb"
	if c := u.Column("electrode_group"); c == nil || c.Kind != nwb.KindReference || !slices.Equal(c.Strings, []string{g, g, g}) {
		t.Errorf("electrode_group = %+v", c)
	}
	if len(u.Skipped) != 0 {
		t.Errorf("Skipped = %v", u.Skipped)
	}
	if u.ObsIntervals(0) != nil {
		t.Error("ObsIntervals without the column must be nil")
	}
}

// TestEachUnitMatchesUnits: the streaming hyperslab walk gives exactly the
// trains of the whole-table read (a second read path, same numbers).
func TestEachUnitMatchesUnits(t *testing.T) {
	for _, tc := range []struct {
		name string
		open func(testing.TB) *nwb.File
	}{
		{"pynapple", openPynapple},
		{"ophys_rate", func(t testing.TB) *nwb.File { return openRef(t, "ophys_rate.nwb") }},
		{"ophys_timestamps", func(t testing.TB) *nwb.File { return openRef(t, "ophys_timestamps.nwb") }},
		{"features", func(t testing.TB) *nwb.File { return openTestdata(t, "features.nwb") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.open(t)
			u, err := f.Units()
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			err = f.EachUnit(func(i int, id int64, times []float64) error {
				if i != n || id != u.IDs[i] || !slices.Equal(times, u.SpikeTimes(i)) {
					t.Errorf("unit %d: id %d, %d times; Units has id %d, %d times", i, id, len(times), u.IDs[i], len(u.SpikeTimes(i)))
				}
				n++
				return nil
			})
			if err != nil || n != u.Len() {
				t.Fatalf("EachUnit: %d units, err %v", n, err)
			}
			stop := errors.New("stop")
			if err := f.EachUnit(func(int, int64, []float64) error { return stop }); err != stop {
				t.Errorf("EachUnit did not return fn's error: %v", err)
			}
		})
	}
}

// TestReferenceUnits checks the Units tables of the NWB-like reference files
// against manifest.json (reference-made/SOURCE.md): nwb.units.count,
// spike_counts, per_unit_first, and /units/spike_times' summary.
func TestReferenceUnits(t *testing.T) {
	for _, name := range []string{"ophys_rate.nwb", "ophys_timestamps.nwb"} {
		t.Run(name, func(t *testing.T) {
			e := manifestEntry(t, "nwb/"+name)
			want := e["nwb"].(map[string]any)["units"].(map[string]any)
			u, err := openRef(t, name).Units()
			if err != nil {
				t.Fatal(err)
			}
			if n := int(num(t, want["count"])); u.Len() != n {
				t.Fatalf("Len = %d, manifest %d", u.Len(), n)
			}
			firsts := want["per_unit_first"].([]any)
			for i, c := range want["spike_counts"].([]any) {
				st := u.SpikeTimes(i)
				if len(st) != int(num(t, c)) {
					t.Errorf("unit %d: %d spikes, manifest %v", i, len(st), c)
				}
				if firsts[i] == nil {
					continue // manifest: null for a unit with no spikes
				}
				if w := num(t, firsts[i]); len(st) == 0 || st[0] != w {
					t.Errorf("unit %d: first spike %v, manifest %v", i, st, w)
				}
			}
			ids := object(t, e, "/units/id")["data"].(map[string]any)
			checkSummary(t, "id", int64s(u.IDs), ids)
			checkSummary(t, "spike_times", u.Times, object(t, e, "/units/spike_times")["data"].(map[string]any))
			checkSummary(t, "spike_times_index", int64s(u.Index), object(t, e, "/units/spike_times_index")["data"].(map[string]any))
		})
	}
}

func int64s(v []int64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// TestFeatureColumns reads testdata/features.nwb (gen_testdata.py): ragged
// 2-value obs_intervals, a ragged DynamicTableRegion, a skipped
// double-ragged column, bool and int32 columns, a uint32 index.
func TestFeatureColumns(t *testing.T) {
	f := openTestdata(t, "features.nwb")
	u, err := f.Units()
	if err != nil {
		t.Fatal(err)
	}
	// gen_testdata.py: ids [7, 8, 9], times 0.5..5.5, index [2, 2, 6].
	if !slices.Equal(u.IDs, []int64{7, 8, 9}) || !slices.Equal(u.SpikeTimes(0), []float64{0.5, 1.5}) ||
		len(u.SpikeTimes(1)) != 0 || !slices.Equal(u.SpikeTimes(2), []float64{2.5, 3.5, 4.5, 5.5}) {
		t.Errorf("units = %v %v", u.IDs, u.Times)
	}
	// gen_testdata.py: obs_intervals [[0,10],[20,30]] | [[0,30]] | [[5,6]].
	wantObs := [][][2]float64{{{0, 10}, {20, 30}}, {{0, 30}}, {{5, 6}}}
	for i, w := range wantObs {
		if g := u.ObsIntervals(i); !slices.Equal(g, w) {
			t.Errorf("ObsIntervals(%d) = %v, want %v", i, g, w)
		}
	}
	// gen_testdata.py: electrodes rows [0 1 | 2 | 3 3] into the electrodes table.
	c := u.Column("electrodes")
	if c == nil || c.Kind != nwb.KindInt || c.NeurodataType != "DynamicTableRegion" || c.Table != "/general/extracellular_ephys/electrodes" {
		t.Fatalf("electrodes = %+v", c)
	}
	for r, w := range [][]int64{{0, 1}, {2}, {3, 3}} {
		lo, hi := c.Span(r)
		if !slices.Equal(c.Int64[lo:hi], w) {
			t.Errorf("electrodes row %d = %v, want %v", r, c.Int64[lo:hi], w)
		}
	}
	// gen_testdata.py: good = [True, False, True] (h5py bool enum), depth int32 [-5, 0, 7].
	if c := u.Column("good"); c == nil || !slices.Equal(c.Int64, []int64{1, 0, 1}) {
		t.Errorf("good = %+v", c)
	}
	if c := u.Column("depth"); c == nil || !slices.Equal(c.Int64, []int64{-5, 0, 7}) {
		t.Errorf("depth = %+v", c)
	}
	if len(u.Skipped) != 1 || u.Skipped[0][:10] != "waveforms:" {
		t.Errorf("Skipped = %v, want the double-ragged waveforms", u.Skipped)
	}
	// A Units table without spike_times: U empty trains.
	nu, err := f.UnitsAt("processing/ecephys/units")
	if err != nil {
		t.Fatal(err)
	}
	if nu.Len() != 2 || nu.NumSpikes() != 0 || nu.SpikeTimes(1) == nil && len(nu.SpikeTimes(1)) != 0 {
		t.Errorf("no-spike units = %+v", nu)
	}
	if q := nu.Column("quality"); q == nil || !slices.Equal(q.Strings, []string{"good", "mua"}) {
		t.Errorf("quality = %+v", q)
	}
	// gen_testdata.py: units_hidden's colnames omit spike_times ([0.1 | 0.2
	// 0.3]); units_nocolnames has no colnames ([0.4 0.5 | 0.6]).
	for _, tc := range []struct {
		path string
		want [][]float64
	}{
		{"processing/ecephys/units_hidden", [][]float64{{0.1}, {0.2, 0.3}}},
		{"processing/ecephys/units_nocolnames", [][]float64{{0.4, 0.5}, {0.6}}},
	} {
		h, err := f.UnitsAt(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range tc.want {
			if !slices.Equal(h.SpikeTimes(i), w) {
				t.Errorf("%s unit %d = %v, want %v", tc.path, i, h.SpikeTimes(i), w)
			}
		}
		if q := h.Column("quality"); q == nil || len(h.Columns) != 1 {
			t.Errorf("%s columns = %v", tc.path, h.Columns)
		}
	}
	// The electrodes table itself, through Table.
	tb, err := f.Table("/general/extracellular_ephys/electrodes")
	if err != nil {
		t.Fatal(err)
	}
	if tb.Len() != 4 || tb.IDs[0] != 100 || !slices.Equal(tb.Column("location").Strings, []string{"CA1", "CA1", "CA3", ""}) {
		t.Errorf("electrodes table = %+v", tb)
	}
}

// TestBadUnits: each faulty table in testdata/bad.nwb (gen_testdata.py) is
// rejected with an error naming the file and the faulty object, never a
// panic.
func TestBadUnits(t *testing.T) {
	f := openTestdata(t, "bad.nwb")
	for _, tc := range []struct {
		path, object string
		format       bool // wraps neurotab.ErrMalformed
	}{
		{"/units_backwards", "/units_backwards/spike_times_index", true},
		{"/units_pastend", "/units_pastend/spike_times_index", true},
		{"/units_rows", "/units_rows/location", true},
		{"/units_noid", "/units_noid", true},
		{"/units_missingcol", "/units_missingcol", true},
		{"/nonexistent", "/nonexistent", false},
		{"/plane/id", "/plane/id", true}, // a dataset, not a group
	} {
		t.Run(tc.path, func(t *testing.T) {
			_, err := f.UnitsAt(tc.path)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !contains(msg, "bad.nwb") || !contains(msg, tc.object) {
				t.Errorf("error %q does not name the file and %s", msg, tc.object)
			}
			if tc.format != errors.Is(err, neurotab.ErrMalformed) {
				t.Errorf("errors.Is(ErrMalformed) = %v for %q", !tc.format, msg)
			}
			if !tc.format && !errors.Is(err, neurotab.ErrNotFound) {
				t.Errorf("missing path: %q does not wrap ErrNotFound", msg)
			}
			var ne *nwb.Error
			if tc.format && (!errors.As(err, &ne) || ne.Path != tc.object) {
				t.Errorf("error %q is not an *nwb.Error at %s", msg, tc.object)
			}
		})
	}
	// EachUnitAt checks the index the same way.
	for _, p := range []string{"/units_backwards", "/units_pastend", "/units_noid"} {
		if err := f.EachUnitAt(p, func(int, int64, []float64) error { return nil }); err == nil {
			t.Errorf("EachUnitAt(%s): no error", p)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
