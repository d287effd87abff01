package nwb_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/nwb"
	"github.com/neurotab/neurotab/internal/fixtures"
)

func openRef(t testing.TB, name string) *nwb.File {
	t.Helper()
	f, err := nwb.Open(fixtures.Path(t, "reference-made", "nwb", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestRoiResponseSeries checks both NWB-like reference files against
// manifest.json: the series path, T, N, data summary, time (rate or
// timestamps), unit/conversion/offset/resolution and the rois ids.
func TestRoiResponseSeries(t *testing.T) {
	for _, name := range []string{"ophys_rate.nwb", "ophys_timestamps.nwb"} {
		t.Run(name, func(t *testing.T) {
			e := manifestEntry(t, "nwb/"+name)
			info := e["nwb"].(map[string]any)
			f := openRef(t, name)
			// manifest: root attribute nwb_version.
			if w := object(t, e, "/")["attrs"].(map[string]any)["nwb_version"].(map[string]any)["value"]; f.Version() != w {
				t.Errorf("Version = %q, manifest %v", f.Version(), w)
			}
			all, err := f.RoiResponseSeries()
			if err != nil {
				t.Fatal(err)
			}
			path := info["roi_response_series"].(string)
			if len(all) != 1 || all[0].Path != path {
				t.Fatalf("found %d series, want 1 at %s", len(all), path)
			}
			s := all[0]
			if s.NeurodataType != "RoiResponseSeries" || s.Name != path[lastSlash(path)+1:] {
				t.Errorf("type %q name %q", s.NeurodataType, s.Name)
			}
			// manifest nwb.T, nwb.N; data summary of <path>/data (row-major T×N).
			if w := int(num(t, info["T"])); s.T != w {
				t.Errorf("T = %d, manifest %d", s.T, w)
			}
			if w := int(num(t, info["N"])); s.N != w {
				t.Errorf("N = %d, manifest %d", s.N, w)
			}
			data := object(t, e, path+"/data")
			checkSummary(t, "data", s.Data, data["data"].(map[string]any))
			attrs := data["attrs"].(map[string]any)
			if w := attrs["unit"].(map[string]any)["value"]; s.Unit != w {
				t.Errorf("Unit = %q, manifest %v", s.Unit, w)
			}
			for _, a := range []struct {
				name string
				got  float64
			}{{"conversion", s.Conversion}, {"offset", s.Offset}, {"resolution", s.Resolution}} {
				if w := num(t, attrs[a.name].(map[string]any)["value"]); a.got != w {
					t.Errorf("%s = %v, manifest %v", a.name, a.got, w)
				}
			}
			tm := info["time"].(map[string]any)
			if tsPath, ok := tm["timestamps"].(string); ok {
				if !s.HasTimestamps || s.Rate != 0 {
					t.Errorf("HasTimestamps %v Rate %v", s.HasTimestamps, s.Rate)
				}
				checkSummary(t, "timestamps", s.Time, object(t, e, tsPath)["data"].(map[string]any))
			} else {
				st, rate := num(t, tm["starting_time"]), num(t, tm["rate"])
				if s.HasTimestamps || s.StartingTime != st || s.Rate != rate {
					t.Errorf("starting_time %v rate %v, manifest %v %v", s.StartingTime, s.Rate, st, rate)
				}
				// Time[i] = starting_time + i/rate (NWB TimeSeries definition).
				for i, v := range s.Time {
					if w := st + float64(i)/rate; math.Abs(v-w) > 1e-12 {
						t.Fatalf("Time[%d] = %v, want %v", i, v, w)
					}
				}
				if len(s.Time) != s.T {
					t.Errorf("%d times for T = %d", len(s.Time), s.T)
				}
			}
			// rois: DynamicTableRegion values and its "table" attribute
			// (manifest), then the table's id column at those rows.
			rois := object(t, e, path+"/rois")
			checkSummary(t, "rois", int64s(s.ROIRows), rois["data"].(map[string]any))
			table := rois["attrs"].(map[string]any)["table"].(map[string]any)["value"].(string)
			if s.ROITable != table {
				t.Errorf("ROITable = %q, manifest %q", s.ROITable, table)
			}
			ids := object(t, e, table+"/id")["data"].(map[string]any)["values"].([]any)
			for i, r := range s.ROIRows {
				if w := int64(num(t, ids[r])); s.ROIIDs[i] != w {
					t.Errorf("ROIIDs[%d] = %d, manifest id[%d] = %d", i, s.ROIIDs[i], r, w)
				}
			}
			// The PlaneSegmentation's neuron_label column equals nwb.labels.
			tb, err := f.Table(table)
			if err != nil {
				t.Fatal(err)
			}
			var labels []string
			for _, l := range info["labels"].([]any) {
				labels = append(labels, l.(string))
			}
			if c := tb.Column("neuron_label"); c == nil || !slices.Equal(c.Strings, labels) {
				t.Errorf("neuron_label = %+v, manifest %q", c, labels)
			}
			// pixel_mask / voxel_mask are compound: listed as skipped.
			if len(tb.Skipped) != 1 {
				t.Errorf("Skipped = %v, want the compound mask column", tb.Skipped)
			}
			// Row is a view of one time point.
			if r := s.Row(s.T - 1); len(r) != s.N || r[s.N-1] != s.Data[len(s.Data)-1] || s.Row(s.T) != nil {
				t.Errorf("Row(T-1) = %v", r)
			}
		})
	}
}

func lastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return i
		}
	}
	return -1
}

// TestNejatbakhshPaths reads ophys_timestamps.nwb by known paths, as the
// Nejatbakhsh2020 adapter does, and the /acquisition/velocity TimeSeries
// whose timestamps is a soft link to the calcium timestamps (manifest).
func TestNejatbakhshPaths(t *testing.T) {
	e := manifestEntry(t, "nwb/ophys_timestamps.nwb")
	f := openRef(t, "ophys_timestamps.nwb")
	const p = "/processing/CalciumActivity/SignalRawFluor/SignalCalciumImResponseSeries"
	v, shape, err := f.DatasetFloat64(p[1:] + "/data") // relative path accepted
	if err != nil {
		t.Fatal(err)
	}
	// manifest: shape [80, 5].
	if !slices.Equal(shape, []int{80, 5}) {
		t.Errorf("shape = %v", shape)
	}
	checkSummary(t, "data", v, object(t, e, p+"/data")["data"].(map[string]any))
	labels, err := f.Strings("processing/CalciumActivity/NeuronIDs/labels")
	if err != nil {
		t.Fatal(err)
	}
	// manifest: NeuronIDs/labels strings.
	if !slices.Equal(labels, []string{"AVAL", "", "RMDDL", "DA01", "merge"}) {
		t.Errorf("labels = %q", labels)
	}
	vel, err := f.Series("/acquisition/velocity")
	if err != nil {
		t.Fatal(err)
	}
	if vel.T != 80 || vel.N != 1 || vel.Unit != "mm/s" || vel.NeurodataType != "TimeSeries" || vel.ROIRows != nil {
		t.Errorf("velocity = T %d N %d unit %q type %q", vel.T, vel.N, vel.Unit, vel.NeurodataType)
	}
	checkSummary(t, "velocity", vel.Data, object(t, e, "/acquisition/velocity/data")["data"].(map[string]any))
	checkSummary(t, "velocity time", vel.Time, object(t, e, p+"/timestamps")["data"].(map[string]any))
	if typ, err := f.NeurodataType("/processing/CalciumActivity/NeuronIDs"); err != nil || typ != "SegmentationLabels" {
		t.Errorf("NeurodataType = %q, %v", typ, err)
	}
	if s := f.Identifier(); s == "" {
		t.Error("Identifier empty")
	}
	// A scalar dataset has shape [].
	if v, shape, err := f.DatasetFloat64("/general/optophysiology/ImagingPlane/excitation_lambda"); err != nil || len(shape) != 0 || !slices.Equal(v, []float64{488}) {
		t.Errorf("excitation_lambda = %v %v %v", v, shape, err) // manifest: 488.0, scalar
	}
}

// TestFeatureSeries reads the DfOverF series of testdata/features.nwb
// (gen_testdata.py): 1-D int16 data 0..7, conversion 0.5, offset -1,
// resolution 0.25, starting_time 2.5 s, rate 10 Hz, rois row 2 of a table
// with ids [10, 20, 30]; and a 3×2 series with timestamps and rois [2, 0].
func TestFeatureSeries(t *testing.T) {
	f := openTestdata(t, "features.nwb")
	all, err := f.RoiResponseSeries()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Name != "dff" || all[1].Name != "dff2" {
		t.Fatalf("series = %d", len(all))
	}
	s := all[0]
	if s.T != 8 || s.N != 1 || s.Unit != "percent" || s.Conversion != 0.5 || s.Offset != -1 || s.Resolution != 0.25 {
		t.Errorf("dff = %+v", s)
	}
	// Time[i] = 2.5 + i/10; Physical = data*0.5 - 1.
	for i := range 8 {
		if w := 2.5 + float64(i)/10; s.Time[i] != w {
			t.Errorf("Time[%d] = %v, want %v", i, s.Time[i], w)
		}
	}
	if p := s.Physical(); p[0] != -1 || p[7] != 2.5 {
		t.Errorf("Physical = %v", p)
	}
	if !slices.Equal(s.ROIIDs, []int64{30}) || s.ROITable != "/processing/ophys/ImageSegmentation/PlaneSegmentation" {
		t.Errorf("rois = %v in %q", s.ROIIDs, s.ROITable)
	}
	s2 := all[1]
	if !slices.Equal(s2.Data, []float64{1, 2, 3, 4, 5, 6}) || !slices.Equal(s2.Time, []float64{0, 0.25, 1}) ||
		!slices.Equal(s2.ROIIDs, []int64{30, 10}) || !s2.HasTimestamps {
		t.Errorf("dff2 = %+v", s2)
	}
	// The defaults when attributes are absent: conversion 1, offset 0,
	// resolution -1 (NWB TimeSeries defaults).
	if s2.Conversion != 1 || s2.Offset != 0 || s2.Resolution != -1 || s2.Unit != "" {
		t.Errorf("defaults = %v %v %v %q", s2.Conversion, s2.Offset, s2.Resolution, s2.Unit)
	}
}

// TestBadSeries: each faulty series in testdata/bad.nwb is rejected with an
// *nwb.Error naming the file and object.
func TestBadSeries(t *testing.T) {
	f := openTestdata(t, "bad.nwb")
	for _, tc := range []struct{ path, object string }{
		{"/series_rate0", "/series_rate0/starting_time"},
		{"/series_rois", "/series_rois/rois"},
		{"/series_ts", "/series_ts/timestamps"},
		{"/series_notime", "/series_notime"},
		{"/series_scalar", "/series_scalar/data"},
		{"/series_rate0/data", "/series_rate0/data"}, // a dataset, not a group
	} {
		t.Run(tc.path, func(t *testing.T) {
			_, err := f.Series(tc.path)
			var ne *nwb.Error
			if !errors.As(err, &ne) || !errors.Is(err, neurotab.ErrMalformed) || ne.Path != tc.object || !contains(err.Error(), "bad.nwb") {
				t.Errorf("error %v, want an *nwb.Error at %s", err, tc.object)
			}
		})
	}
	if _, err := f.RoiResponseSeries(); err == nil {
		t.Error("RoiResponseSeries over faulty series: no error")
	}
	if _, _, err := f.DatasetFloat64("/series_rate0"); !errors.Is(err, neurotab.ErrMalformed) {
		t.Errorf("DatasetFloat64 on a group: %v", err)
	}
	if _, err := f.Strings("/series_rate0/data"); err == nil {
		t.Error("Strings on floats: no error")
	}
	if _, err := f.Strings("/absent"); !errors.Is(err, neurotab.ErrNotFound) {
		t.Errorf("Strings on a missing path: %v", err)
	}
}

// TestPynappleTables: the other DynamicTables pynapple/SOURCE.md describes,
// read through Table, and no RoiResponseSeries in a spike-sorting file.
func TestPynappleTables(t *testing.T) {
	f := openPynapple(t)
	// SOURCE.md: /intervals/epochs start_time [0.0], stop_time [1087.5289],
	// tags ["wake"] (ragged via tags_index).
	ep, err := f.Table("/intervals/epochs")
	if err != nil {
		t.Fatal(err)
	}
	if ep.Len() != 1 || !slices.Equal(ep.Column("start_time").Float64, []float64{0}) ||
		!slices.Equal(ep.Column("stop_time").Float64, []float64{1087.5289}) {
		t.Errorf("epochs = %+v", ep)
	}
	tags := ep.Column("tags")
	if lo, hi := tags.Span(0); tags.Index == nil || !slices.Equal(tags.Strings[lo:hi], []string{"wake"}) {
		t.Errorf("tags = %+v", tags)
	}
	// SOURCE.md: electrodes: 383 rows (x, y, z, imp, location, filtering,
	// group (obj ref), group_name).
	el, err := f.Table("/general/extracellular_ephys/electrodes")
	if err != nil {
		t.Fatal(err)
	}
	if el.Len() != 383 || len(el.Columns) != 8 {
		t.Fatalf("electrodes: %d rows, %d columns", el.Len(), len(el.Columns))
	}
	kinds := map[string]nwb.Kind{"x": nwb.KindFloat, "location": nwb.KindString, "group": nwb.KindReference, "group_name": nwb.KindString}
	for n, k := range kinds {
		if c := el.Column(n); c == nil || c.Kind != k || c.Rows() != 383 {
			t.Errorf("electrodes.%s = %v", n, c)
		}
	}
	rs, err := f.RoiResponseSeries()
	if err != nil || len(rs) != 0 {
		t.Errorf("RoiResponseSeries = %d, %v", len(rs), err)
	}
	paths, err := f.Find("Units")
	if err != nil || !slices.Equal(paths, []string{"/units"}) {
		t.Errorf("Find(Units) = %v, %v", paths, err)
	}
}
