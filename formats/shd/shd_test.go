package shd_test

import (
	"errors"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/shd"
	"github.com/neurotab/neurotab/internal/fixtures"
)

func openRef(t testing.TB) *shd.File {
	t.Helper()
	f, err := shd.Open(fixtures.Path(t, "reference-made", "shd", "shd_like.h5"), shd.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func openTestdata(t testing.TB, name string) *shd.File {
	t.Helper()
	f, err := shd.Open(filepath.Join("testdata", name), shd.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestReference checks shd_like.h5 against manifest.json: the shd sample
// count and spike counts, every sample's times and units (vlen summaries),
// labels, extra/speaker and extra/keys.
func TestReference(t *testing.T) {
	e := manifestEntry(t, "shd/shd_like.h5")
	f := openRef(t)
	info := e["shd"].(map[string]any)
	counts := ints(t, info["spike_counts"]) // manifest: [37, 120, 1, 64, 9]
	if n := int(num(t, info["samples"])); f.NumSamples() != n {
		t.Fatalf("NumSamples = %d, manifest %d", f.NumSamples(), n)
	}
	total := 0
	tv := object(t, e, "/spikes/times")["vlen"].(map[string]any)["elements"].([]any)
	uv := object(t, e, "/spikes/units")["vlen"].(map[string]any)["elements"].([]any)
	for i, c := range counts {
		times, units, err := f.Sample(i)
		if err != nil {
			t.Fatal(err)
		}
		if len(times) != c || len(units) != c {
			t.Errorf("sample %d: %d times, %d units, manifest %d", i, len(times), len(units), c)
		}
		total += c
		checkSummary(t, "times", f64(times), tv[i].(map[string]any))
		checkSummary(t, "units", f64(units), uv[i].(map[string]any))
		// manifest note: "seconds, float32, sorted per sample".
		if !slices.IsSorted(times) {
			t.Errorf("sample %d: times not sorted", i)
		}
	}
	if f.NumSpikes() != total {
		t.Errorf("NumSpikes = %d, want %d", f.NumSpikes(), total)
	}
	labels := ints(t, object(t, e, "/labels")["data"].(map[string]any)["values"]) // [6, 1, 0, 15, 14]
	if !slices.Equal(f.Labels(), labels) {
		t.Errorf("Labels = %v, manifest %v", f.Labels(), labels)
	}
	if f.Label(3) != labels[3] || f.Label(-1) != -1 || f.Label(5) != -1 {
		t.Error("Label out of range must be -1")
	}
	sp, err := f.Speakers()
	if want := ints(t, object(t, e, "/extra/speaker")["data"].(map[string]any)["values"]); err != nil || !slices.Equal(sp, want) {
		t.Errorf("Speakers = %v, %v; manifest %v", sp, err, want)
	}
	keys, err := f.Keys()
	var want []string
	for _, s := range object(t, e, "/extra/keys")["strings"].([]any) {
		want = append(want, s.(string))
	}
	if err != nil || !slices.Equal(keys, want) || keys[labels[0]] != "six" {
		t.Errorf("Keys = %q, %v; manifest %q", keys, err, want)
	}
	// Geometry: all units < 700 (manifest max 699 per note "cochlea channel
	// 0..699"), so the SHD width of 700 channels.
	if g := f.Geometry(); g != (events.Geometry{Width: 700, Height: 1, Format: "shd"}) {
		t.Errorf("Geometry = %+v", g)
	}
	if _, _, err := f.Sample(5); !errors.Is(err, neurotab.ErrOutOfRange) {
		t.Errorf("Sample(5): %v", err)
	}
	if _, _, err := f.Sample(-1); !errors.Is(err, neurotab.ErrOutOfRange) {
		t.Errorf("Sample(-1): %v", err)
	}
}

func f64[T float32 | uint16](v []T) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// TestNextMatchesSample: streaming gives, sample by sample, T =
// round(time*1e6) µs, X = unit, Y = 0, P = 1, never mixing samples in one
// call, for several max values (a batch of 7 and one of 1<<16 give the same
// events).
func TestNextMatchesSample(t *testing.T) {
	for _, max := range []int{1, 7, 64, 1 << 16} {
		f := openRef(t)
		got := make([]*events.Batch, f.NumSamples())
		for i := range got {
			got[i] = &events.Batch{}
		}
		b := &events.Batch{}
		calls := 0
		for {
			b.Reset()
			n, err := f.Next(b, max)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			calls++
			if n != b.Len() || n > max {
				t.Fatalf("Next returned %d, batch has %d, max %d", n, b.Len(), max)
			}
			s := f.Current()
			for k := range n {
				got[s].Append(b.T[k], b.X[k], b.Y[k], b.P[k])
			}
		}
		for i := range got {
			times, units, _ := f.Sample(i)
			g := got[i]
			if g.Len() != len(times) {
				t.Fatalf("max %d sample %d: %d events, %d spikes", max, i, g.Len(), len(times))
			}
			for k := range times {
				if w := int64(math.Round(float64(times[k]) * 1e6)); g.T[k] != w || g.X[k] != units[k] || g.Y[k] != 0 || g.P[k] != 1 {
					t.Fatalf("max %d sample %d event %d = (%d %d %d %d), want (%d %d 0 1)", max, i, k, g.T[k], g.X[k], g.Y[k], g.P[k], w, units[k])
				}
			}
		}
		// manifest: spike counts 37/120/1/64/9 -> calls = sum(ceil(n/max)).
		want := 0
		for _, c := range []int{37, 120, 1, 64, 9} {
			want += (c + max - 1) / max
		}
		if calls != want {
			t.Errorf("max %d: %d calls, want %d", max, calls, want)
		}
		// EOF is repeatable; Seek(0) restarts.
		if n, err := f.Next(b, max); n != 0 || err != io.EOF {
			t.Errorf("after EOF: %d, %v", n, err)
		}
		if err := f.Seek(0); err != nil {
			t.Fatal(err)
		}
		all, err := events.ReadAll(f)
		if err != nil || all.Len() != 231 { // 37+120+1+64+9
			t.Errorf("ReadAll after Seek(0): %d events, %v", all.Len(), err)
		}
	}
}

// TestEdge reads testdata/edge.h5 (gen_testdata.py): an empty sample, two
// spikes at one time, channel 800 beyond SHD's 700, int8 labels.
func TestEdge(t *testing.T) {
	f := openTestdata(t, "edge.h5")
	if f.NumSamples() != 4 || f.NumSpikes() != 6 || !slices.Equal(f.Labels(), []int{3, 0, 1, 2}) {
		t.Fatalf("samples %d spikes %d labels %v", f.NumSamples(), f.NumSpikes(), f.Labels())
	}
	// Highest channel 800 -> width 801.
	if g := f.Geometry(); g.Width != 801 || g.Height != 1 {
		t.Errorf("Geometry = %+v", g)
	}
	// gen_testdata.py: round(float32(t)*1e6) = 0, 500000 | - | 250000,
	// 250000, 1000000 | 2 (checked with numpy).
	type call struct {
		sample int
		t      []int64
		x      []uint16
	}
	want := []call{
		{0, []int64{0, 500000}, []uint16{0, 699}},
		{1, nil, nil},
		{2, []int64{250000, 250000, 1000000}, []uint16{5, 800, 6}},
		{3, []int64{2}, []uint16{1}},
	}
	b := &events.Batch{}
	for _, w := range want {
		b.Reset()
		n, err := f.Next(b, 100)
		if err != nil || n != len(w.t) || f.Current() != w.sample || !slices.Equal(b.T, w.t) && n > 0 || !slices.Equal(b.X, w.x) && n > 0 {
			t.Errorf("sample %d: n %d err %v cur %d T %v X %v", w.sample, n, err, f.Current(), b.T, b.X)
		}
	}
	if _, err := f.Next(b, 100); err != io.EOF {
		t.Errorf("end: %v", err)
	}
	if _, err := f.Speakers(); !errors.Is(err, neurotab.ErrNotFound) {
		t.Errorf("Speakers without extra/speaker: %v", err)
	}
	if _, err := f.Keys(); !errors.Is(err, neurotab.ErrNotFound) {
		t.Errorf("Keys without extra/keys: %v", err)
	}
	if err := f.Seek(5); !errors.Is(err, neurotab.ErrOutOfRange) {
		t.Errorf("Seek(5): %v", err)
	}
	if err := f.Seek(4); err != nil {
		t.Errorf("Seek(4) (the end): %v", err)
	}
	if _, err := f.Next(b, 0); !errors.Is(err, neurotab.ErrParam) {
		t.Errorf("Next(max 0): %v", err)
	}
}

// TestStreamFaults: testdata/stream_bad.h5 opens (the layout is valid) and
// Sample returns the stored values, but Next stops at the first bad time of
// each faulty sample with an *shd.Error naming the sample and spike.
func TestStreamFaults(t *testing.T) {
	f := openTestdata(t, "stream_bad.h5")
	for _, tc := range []struct {
		sample, spike, appended int
		cause                   error
	}{
		{1, 1, 1, neurotab.ErrTimeOrder},  // [0.3, 0.1]
		{2, 1, 1, neurotab.ErrOutOfRange}, // [0.1, NaN]
		{3, 0, 0, neurotab.ErrOutOfRange}, // [-0.5]
	} {
		if err := f.Seek(tc.sample); err != nil {
			t.Fatal(err)
		}
		b := &events.Batch{}
		n, err := f.Next(b, 10)
		var se *shd.Error
		if !errors.As(err, &se) || !errors.Is(err, tc.cause) || se.Sample != tc.sample || se.Spike != tc.spike || n != tc.appended || b.Len() != n {
			t.Errorf("sample %d: n %d err %v", tc.sample, n, err)
		}
		if !strings.Contains(err.Error(), "stream_bad.h5") || !strings.Contains(err.Error(), `"/spikes/times"`) {
			t.Errorf("error %q does not name file and path", err)
		}
		if _, err2 := f.Next(b, 10); err2 != err {
			t.Errorf("error not sticky: %v", err2)
		}
	}
	// Sample 0 is fine.
	if err := f.Seek(0); err != nil {
		t.Fatal(err)
	}
	b := &events.Batch{}
	if n, err := f.Next(b, 10); n != 2 || err != nil {
		t.Errorf("sample 0: %d, %v", n, err)
	}
	times, _, err := f.Sample(2)
	if err != nil || len(times) != 2 || !math.IsNaN(float64(times[1])) {
		t.Errorf("Sample(2) = %v, %v", times, err)
	}
}

// TestBadLayout: every file with a broken layout (gen_testdata.py) fails to
// open with an error naming the file and object, and never panics.
func TestBadLayout(t *testing.T) {
	for _, tc := range []struct {
		file, object string
		format       bool
	}{
		{"bad_count.h5", "/spikes/units", true},
		{"bad_lengths.h5", "/spikes/units", true},
		{"bad_labels.h5", "/labels", true},
		{"bad_flat.h5", "/spikes/times", true},
		{"bad_strlabels.h5", "/labels", true},
		{"bad_nolabels.h5", "/labels", false},
	} {
		t.Run(tc.file, func(t *testing.T) {
			_, err := shd.Open(filepath.Join("testdata", tc.file), shd.Options{})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.file) || !strings.Contains(err.Error(), tc.object) {
				t.Errorf("error %q does not name %s and %s", err, tc.file, tc.object)
			}
			var se *shd.Error
			if errors.As(err, &se) != tc.format || tc.format && !errors.Is(err, neurotab.ErrMalformed) {
				t.Errorf("layout fault %v: want a *shd.Error wrapping neurotab.ErrMalformed", tc.format)
			}
			if !tc.format && !errors.Is(err, neurotab.ErrNotFound) {
				t.Errorf("%q does not wrap neurotab.ErrNotFound", err)
			}
		})
	}
	// Not HDF5 at all; not the SHD layout (an NWB file).
	if _, err := shd.Open(filepath.Join("testdata", "gen_testdata.py"), shd.Options{}); !errors.Is(err, neurotab.ErrMalformed) {
		t.Errorf("python script: %v", err)
	}
	if _, err := shd.Open(fixtures.Path(t, "reference-made", "nwb", "ophys_rate.nwb"), shd.Options{}); !errors.Is(err, neurotab.ErrNotFound) {
		t.Errorf("NWB file: %v", err)
	}
	if _, err := shd.Open("testdata/absent.h5", shd.Options{}); err == nil {
		t.Error("absent file: no error")
	}
}
