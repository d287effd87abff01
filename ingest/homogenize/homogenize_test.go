package homogenize

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest"
	"gonum.org/v1/gonum/mat"
)

// pipelineRaw builds the seeded raw recording of make_reference.py.
func pipelineRaw(t testing.TB) *ingest.Raw {
	r := loadReference(t)
	p := r.Pipeline
	return &ingest.Raw{
		Dataset: "Synthetic", Worm: "worm0", RawFile: "synthetic.mat",
		Labels: append([]string(nil), p.Labels...),
		Time:   append([]float64(nil), p.T...),
		Traces: mat.NewDense(p.Rows, p.Cols, append([]float64(nil), p.X...)),
		Notes:  []string{"adapter note"},
	}
}

func TestHomogenizeReference(t *testing.T) {
	ref := loadReference(t)
	opts := map[string]Options{
		"defaults":               {},
		"causal_gaussian":        {Smooth: SmoothGaussian, Normalize: NormalizeCausal},
		"exponential_noresample": {Smooth: SmoothExponential, Normalize: NormalizeNone, NoResample: true},
	}
	methods := map[string][3]string{ // smooth, interpolate, normalization
		"defaults":               {"moving_average(15)", "linear+block_mean(6)", "zscore"},
		"causal_gaussian":        {"gaussian(5)", "linear+block_mean(6)", "causal"},
		"exponential_noresample": {"exponential(0.5)", "none", "none"},
	}
	for _, c := range ref.Pipeline.Cases {
		t.Run(c.Name, func(t *testing.T) {
			raw := pipelineRaw(t)
			res, skip, err := Homogenize(raw, opts[c.Name])
			if err != nil || skip != nil {
				t.Fatalf("err %v, skip %v", err, skip)
			}
			rec := res.Recording
			if err := rec.Validate(); err != nil {
				t.Fatal(err)
			}
			// expected columns: see make_reference.py (AVAL, DA1 from "DA01",
			// then the unlabeled "roi_7"; the second DA1 dropped)
			if !reflect.DeepEqual(rec.Neurons, ref.Pipeline.Neurons) || !reflect.DeepEqual(res.Columns, ref.Pipeline.RawColumns) {
				t.Errorf("neurons %v columns %v, want %v %v", rec.Neurons, res.Columns, ref.Pipeline.Neurons, ref.Pipeline.RawColumns)
			}
			if !reflect.DeepEqual(rec.Labeled, []bool{true, true, false}) {
				t.Errorf("labeled %v", rec.Labeled)
			}
			// slots: AVAL and DA1 in the atlas, none for the ROI
			a := Defaults().Atlas
			sA, _ := a.Slot("AVAL")
			sD, _ := a.Slot("DA1")
			if !reflect.DeepEqual(rec.Slots, []int{sA, sD, -1}) {
				t.Errorf("slots %v", rec.Slots)
			}
			T, N := rec.Data.Dims()
			if T != c.Rows || N != 3 {
				t.Fatalf("data %d×%d, want %d×3", T, N, c.Rows)
			}
			checkClose(t, "time", rec.Time, c.Time)
			var got []float64
			for i := 0; i < T; i += c.Every {
				got = append(got, mat.Row(nil, i, rec.Data)...)
			}
			checkClose(t, "data vs numpy chain", got, c.DataEvery)
			T0, _ := rec.Original.Dims()
			if T0 != c.OriginalRows || len(rec.OriginalTime) != T0 || rec.OriginalTime[0] != 0 {
				t.Fatalf("original %d rows, time %d from %g", T0, len(rec.OriginalTime), rec.OriginalTime[0])
			}
			got = got[:0]
			for i := 0; i < T0; i += ref.Pipeline.OriginalStep {
				got = append(got, mat.Row(nil, i, rec.Original)...)
			}
			checkClose(t, "original vs numpy chain", got, c.OriginalEvery)
			m := methods[c.Name]
			if rec.SmoothMethod != m[0] || rec.InterpolateMethod != m[1] || rec.NormalizationMethod != m[2] {
				t.Errorf("methods %q %q %q, want %q", rec.SmoothMethod, rec.InterpolateMethod, rec.NormalizationMethod, m)
			}
			if rec.RawDataFile != "synthetic.mat" || rec.Dataset != "Synthetic" || rec.Worm != "worm0" {
				t.Errorf("provenance %q %q %q", rec.RawDataFile, rec.Dataset, rec.Worm)
			}
			if res.Notes[0] != "adapter note" || !containsPrefix(res.Notes, `trace 3 ("DA1") dropped: duplicate of DA1, kept trace 0`) {
				t.Errorf("notes %q", res.Notes)
			}
			// the input is not modified
			if !math.IsNaN(raw.Traces.At(5, 0)) || raw.Time[0] != ref.Pipeline.T[0] {
				t.Error("raw recording modified")
			}
		})
	}
}

func containsPrefix(notes []string, p string) bool {
	for _, n := range notes {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	return false
}

// small builds a T×len(labels) recording with x[i][j] = sin(0.1 i + j) and
// time 5 + 0.5 i s.
func small(T int, labels ...string) *ingest.Raw {
	N := len(labels)
	x := mat.NewDense(T, N, nil)
	tm := make([]float64, T)
	for i := 0; i < T; i++ {
		tm[i] = 5 + 0.5*float64(i)
		for j := 0; j < N; j++ {
			x.Set(i, j, math.Sin(0.1*float64(i)+float64(j)))
		}
	}
	return &ingest.Raw{Dataset: "D", Worm: "w1", RawFile: "f.h5", Labels: labels, Time: tm, Traces: x}
}

func TestHomogenizeSkips(t *testing.T) {
	cases := []struct {
		name   string
		raw    *ingest.Raw
		opt    Options
		reason SkipReason
		msg    string
	}{
		{"599 samples", small(599, "AVAL"), Options{}, SkipTooShort, "f.h5: w1: skipped (too_short): 599 samples, fewer than 600"},
		{"custom minimum", small(700, "AVAL"), Options{MinSamples: 1000}, SkipTooShort, "700 samples, fewer than 1000"},
		{"no labeled neuron", small(600, "", "roi3", "AVA", "AVAL?"), Options{}, SkipNoLabeled,
			`none of 4 traces has a canonical neuron label (e.g. "roi3", "AVA", "AVAL?")`},
		{"all empty labels", small(600, "", ""), Options{}, SkipNoLabeled, "(all labels empty)"},
		{"only unlabeled, dropped", small(600, "x"), Options{AllowUnlabeled: true, DropUnlabeled: true}, SkipNoTraces, "all 1 traces were dropped"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, skip, err := Homogenize(c.raw, c.opt)
			if err != nil || res != nil || skip == nil {
				t.Fatalf("res %v skip %v err %v", res, skip, err)
			}
			if skip.Reason != c.reason || !strings.Contains(skip.String(), c.msg) {
				t.Errorf("skip %q (%s), want %s containing %q", skip.String(), skip.Reason, c.reason, c.msg)
			}
			if skip.Samples != c.raw.Traces.RawMatrix().Rows || skip.RawFile != "f.h5" || skip.Worm != "w1" || skip.Dataset != "D" {
				t.Errorf("skip fields %+v", skip)
			}
		})
	}
	t.Run("negative minimum disables", func(t *testing.T) {
		res, skip, err := Homogenize(small(20, "AVAL"), Options{MinSamples: -1})
		if err != nil || skip != nil {
			t.Fatalf("skip %v err %v", skip, err)
		}
		// 20 samples 0.5 s apart span 9.5 s: ⌈9.5/0.333⌉ = 29 samples on
		// the 0.333 s grid, each the default steps run by hand
		if d := maxDiff(t, mat.Col(nil, 0, res.Recording.Data), rawPipeline(small(20, "AVAL"), 0)); d > 1e-12 || len(res.Recording.Time) != 29 {
			t.Errorf("%d samples, differ from the steps by %g", len(res.Recording.Time), d)
		}
	})
}

func TestHomogenizeErrors(t *testing.T) {
	withNaNCol := small(600, "AVAL", "AVAR")
	for i := 0; i < 600; i++ {
		withNaNCol.Traces.Set(i, 1, math.NaN())
	}
	withInf := small(600, "AVAL")
	withInf.Traces.Set(7, 0, math.Inf(1))
	badTime := small(600, "AVAL")
	badTime.Time[3] = badTime.Time[2]
	nanTime := small(600, "AVAL")
	nanTime.Time[0] = math.NaN()
	infTime := small(600, "AVAL")
	infTime.Time[599] = math.Inf(1)
	shortTime := small(600, "AVAL")
	shortTime.Time = shortTime.Time[:599]
	manyLabels := small(600, "AVAL")
	manyLabels.Labels = []string{"AVAL", "AVAR"}
	noTraces := small(600, "AVAL")
	noTraces.Traces = nil
	empty := small(600, "AVAL")
	empty.Traces = &mat.Dense{}
	noFile := small(600, "AVAL")
	noFile.RawFile = ""
	noFile.Traces.Set(2, 0, math.Inf(-1))
	cases := []struct {
		name string
		raw  *ingest.Raw
		opt  Options
		is   error
		msg  string // the whole message
	}{
		{"all-NaN trace", withNaNCol, Options{}, neurotab.ErrNotFinite, `f.h5: w1: trace 1 ("AVAR"): all-NaN trace (600 samples): not finite`},
		{"infinite sample", withInf, Options{}, neurotab.ErrNotFinite, `f.h5: w1: trace 0 ("AVAL"): +Inf at sample 7: not finite`},
		{"time not increasing", badTime, Options{}, neurotab.ErrTimeOrder, "f.h5: w1: time does not increase at sample 3 (6 after 6): time runs backwards"},
		{"NaN time", nanTime, Options{}, neurotab.ErrNotFinite, "f.h5: w1: time NaN at sample 0: not finite"},
		{"infinite time", infTime, Options{}, neurotab.ErrNotFinite, "f.h5: w1: time +Inf at sample 599: not finite"},
		{"time length", shortTime, Options{}, neurotab.ErrShape, "f.h5: w1: time vector has 599 samples, traces have 600: shape mismatch"},
		{"more labels than traces", manyLabels, Options{}, neurotab.ErrShape, "f.h5: w1: 2 labels for 1 traces: shape mismatch"},
		{"nil traces", noTraces, Options{}, neurotab.ErrShape, "f.h5: w1: no traces: shape mismatch"},
		{"empty traces", empty, Options{}, neurotab.ErrShape, "f.h5: w1: empty traces matrix: shape mismatch"},
		{"one sample to resample", small(1, "AVAL"), Options{MinSamples: -1}, neurotab.ErrShape, "f.h5: w1: resampling needs at least 2 samples, have 1: shape mismatch"},
		// 2 samples 0.5 s apart, Dt 1 s ≥ median 0.5 s: downsampling on the
		// fine step 1/6 s gives ⌈0.5·6⌉ = 3 fine samples, 3/6 = 0 blocks.
		{"shorter than one step", small(2, "AVAL"), Options{MinSamples: -1, Dt: 1}, neurotab.ErrShape,
			"f.h5: w1: recording of 0.5 s is shorter than one resampling step (1 s): shape mismatch"},
		{"no file name", noFile, Options{}, neurotab.ErrNotFinite, `homogenize: w1: trace 0 ("AVAL"): -Inf at sample 2: not finite`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, skip, err := Homogenize(c.raw, c.opt)
			if err == nil || res != nil || skip != nil {
				t.Fatalf("res %v skip %v err %v", res, skip, err)
			}
			var de *DataError
			if !errors.Is(err, c.is) || !errors.As(err, &de) {
				t.Errorf("error %v is not a DataError wrapping %v", err, c.is)
			}
			if err.Error() != c.msg {
				t.Errorf("error\n%q, want\n%q", err, c.msg)
			}
		})
	}
	t.Run("all-NaN dropped with a note", func(t *testing.T) {
		res, skip, err := Homogenize(withNaNCol, Options{DropAllNaN: true})
		if err != nil || skip != nil {
			t.Fatalf("skip %v err %v", skip, err)
		}
		if !reflect.DeepEqual(res.Recording.Neurons, []string{"AVAL"}) || !containsPrefix(res.Notes, `trace 1 ("AVAR") dropped: all NaN`) {
			t.Errorf("neurons %v notes %q", res.Recording.Neurons, res.Notes)
		}
		// the kept trace is raw column 0 through the default steps
		if d := maxDiff(t, mat.Col(nil, 0, res.Recording.Data), rawPipeline(withNaNCol, 0)); d > 1e-12 {
			t.Errorf("kept trace differs from its steps by %g", d)
		}
	})
	t.Run("bad options", func(t *testing.T) {
		for _, c := range []struct {
			opt Options
			msg string
		}{
			{Options{Smooth: "median"}, `homogenize: unknown smoother "median" (want moving_average, gaussian, exponential or none): invalid parameter`},
			{Options{Normalize: "minmax"}, `homogenize: unknown normalization "minmax" (want zscore, causal or none): invalid parameter`},
			{Options{FillNaN: "spline"}, `homogenize: unknown NaN fill "spline" (want linear or none): invalid parameter`},
			{Options{Window: -3}, "homogenize: moving-average window -3 is below 1: invalid parameter"},
			{Options{Alpha: 1.5}, "homogenize: exponential alpha 1.5 is not in (0, 1]: invalid parameter"},
			{Options{Sigma: -1}, "homogenize: Gaussian sigma -1 is not in (0, 1e6] samples: invalid parameter"},
			{Options{Dt: -0.1}, "homogenize: resampling step -0.1 s is not a positive number: invalid parameter"},
		} {
			_, _, err := Homogenize(small(600, "AVAL"), c.opt)
			verr := c.opt.Validate()
			for _, e := range []error{err, verr} {
				if !errors.Is(e, neurotab.ErrParam) || e.Error() != c.msg {
					t.Errorf("%+v: error %v, want %q wrapping ErrParam", c.opt, e, c.msg)
				}
			}
		}
		if _, _, err := Homogenize(nil, Options{}); !errors.Is(err, neurotab.ErrShape) || err.Error() != "homogenize: nil recording: shape mismatch" {
			t.Errorf("nil recording: error %v", err)
		}
	})
}

func TestHomogenizeUnlabeled(t *testing.T) {
	labels := []string{"12", "", "ADAR", "12", "ADAL", "AVA"}
	cases := []struct {
		name    string
		opt     Options
		neurons []string
		slots   []int
		columns []int
	}{
		// ADAL (raw 4) before ADAR (raw 2) in atlas order, slots 0 and 1 of
		// the byte-sorted atlas (ADAL, ADAR, ADEL, …); unlabeled in raw
		// order: "12"; "" → "1"; "12" again → "12#3"; "AVA" (a class, a
		// Candidate) keeps its string.
		{"default", Options{}, []string{"ADAL", "ADAR", "12", "1", "12#3", "AVA"}, []int{0, 1, -1, -1, -1, -1}, []int{4, 2, 0, 1, 3, 5}},
		{"slots after canonical", Options{UnlabeledSlots: true}, []string{"ADAL", "ADAR", "12", "1", "12#3", "AVA"}, []int{0, 1, 300, 301, 302, 303}, []int{4, 2, 0, 1, 3, 5}},
		{"drop unlabeled", Options{DropUnlabeled: true}, []string{"ADAL", "ADAR"}, []int{0, 1}, []int{4, 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, skip, err := Homogenize(small(600, labels...), c.opt)
			if err != nil || skip != nil {
				t.Fatalf("skip %v err %v", skip, err)
			}
			rec := res.Recording
			if !reflect.DeepEqual(rec.Neurons, c.neurons) || !reflect.DeepEqual(rec.Slots, c.slots) || !reflect.DeepEqual(res.Columns, c.columns) {
				t.Errorf("neurons %v slots %v columns %v", rec.Neurons, rec.Slots, res.Columns)
			}
			for k, j := range res.Columns { // each output column is its raw trace, z-scored
				// homogenized data equals running the steps by hand on raw column j
				want := rawPipeline(small(600, labels...), j)
				got := mat.Col(nil, k, rec.Data)
				if d := maxDiff(t, got, want); d > 1e-12 {
					t.Errorf("column %d (raw %d) differs from its steps by %g", k, j, d)
				}
			}
			// the per-label normalization is reported for every raw column:
			// "12" and "" are no neuron, ADAR and ADAL canonical, AVA the
			// class of AVAL and AVAR (a candidate for either)
			var st []string
			for _, n := range res.Labels {
				st = append(st, fmt.Sprintf("%s:%s%v", n.Label, n.Status, n.Candidates))
			}
			if want := []string{":rejected[]", ":rejected[]", "ADAR:exact[]", ":rejected[]", "ADAL:exact[]", ":candidate[AVAL AVAR]"}; !reflect.DeepEqual(st, want) {
				t.Errorf("labels %q, want %q", st, want)
			}
		})
	}
}

// rawPipeline runs the default steps on raw column j by hand.
func rawPipeline(r *ingest.Raw, j int) []float64 {
	t := make([]float64, len(r.Time))
	for i := range t {
		t[i] = r.Time[i] - r.Time[0]
	}
	x := mat.Col(nil, j, r.Traces)
	x, _ = FillLinear(nil, t, x)
	x = ZScore(nil, x)
	x = MovingAverage(nil, x, 15)
	_, y, _ := Resample(t, x, 0.333)
	return y
}

func TestHomogenizeOriginal(t *testing.T) {
	raw := small(600, "AVAL")
	raw.Traces.Set(10, 0, math.NaN())
	res, _, err := Homogenize(raw, Options{OriginalAsGiven: true})
	if err != nil {
		t.Fatal(err)
	}
	// as given: the lab's values, NaN included
	if d := maxDiff(t, mat.Col(nil, 0, res.Recording.Original), mat.Col(nil, 0, raw.Traces)); d != 0 {
		t.Errorf("original differs from the lab's values by %g (NaN must stay NaN)", d)
	}
	res2, _, _ := Homogenize(raw, Options{})
	// default: filled then z-scored. On the even 0.5 s grid the linear fill
	// is the mean of its neighbours, and the z-score (affine) keeps that.
	o := res2.Recording.Original
	if want := (o.At(9, 0) + o.At(11, 0)) / 2; math.IsNaN(o.At(10, 0)) || math.Abs(o.At(10, 0)-want) > 1e-12 {
		t.Errorf("default original at the gap %g, want the neighbours' mean %g", o.At(10, 0), want)
	}
	if !containsPrefix(res2.Notes, "filled 1 NaN samples") {
		t.Errorf("notes %q", res2.Notes)
	}
	// homogenized data is the same either way
	if !mat.Equal(res.Recording.Data, res2.Recording.Data) {
		t.Error("OriginalAsGiven changed the homogenized data")
	}
}

func TestHomogenizeDeterministic(t *testing.T) {
	raw := pipelineRaw(t)
	a, _, err := Homogenize(raw, Options{UnlabeledSlots: true})
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := Homogenize(raw, Options{UnlabeledSlots: true})
	if !reflect.DeepEqual(a, b) {
		t.Error("two runs differ")
	}
}

func TestParameters(t *testing.T) {
	p := Options{}.Parameters()
	want := map[string]any{
		"min_samples": 600, "require_labeled": true, "fill_nan": "linear", "normalize": "zscore",
		"smooth": "moving_average", "smooth_method": "moving_average(15)", "window": 15, "sigma": 5.0,
		"alpha": 0.5, "resample": true, "dt": 0.333, "block_size": 6, "unlabeled": "keep_no_slot",
		"drop_all_nan": false, "original": "filled_normalized", "atlas_size": 300,
		"order": "fill_nan,normalize,smooth,resample",
	}
	for k, v := range want {
		if p[k] != v {
			t.Errorf("%s = %v (%T), want %v", k, p[k], p[k], v)
		}
	}
	if !reflect.DeepEqual(Options{}.Parameters(), Defaults().Parameters()) {
		t.Error("zero options and Defaults() differ")
	}
	if _, ok := (Options{Smooth: "x"}).Parameters()["error"]; !ok {
		t.Error("bad options: no error entry")
	}
	res, _, err := Homogenize(small(600, "AVAL"), Options{Dt: 1, Smooth: SmoothNone})
	if err != nil {
		t.Fatal(err)
	}
	if res.Parameters["dt"] != 1.0 || res.Parameters["smooth_method"] != "none" {
		t.Errorf("result parameters %v", res.Parameters)
	}
}

// The homogenized recording goes through the traces table and back (values
// to float32 precision).
func TestHomogenizeTracesTable(t *testing.T) {
	res, _, err := Homogenize(pipelineRaw(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	tb := table.NewTracesBuilder(mem)
	defer tb.Release()
	if err := tb.Append(res.Recording); err != nil {
		t.Fatal(err)
	}
	rec := tb.NewRecord()
	defer rec.Release()
	back, err := table.ReadRecording(rec, table.RecordingKey{Dataset: "Synthetic", Worm: "worm0"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Neurons, res.Recording.Neurons) || !reflect.DeepEqual(back.Slots, res.Recording.Slots) {
		t.Errorf("neurons %v slots %v", back.Neurons, back.Slots)
	}
	if !mat.EqualApprox(back.Data, res.Recording.Data, 1e-5) || !mat.EqualApprox(back.Original, res.Recording.Original, 1e-5) {
		t.Error("data changed beyond float32 rounding")
	}
	if back.SmoothMethod != "moving_average(15)" || back.InterpolateMethod != "linear+block_mean(6)" {
		t.Errorf("methods %q %q", back.SmoothMethod, back.InterpolateMethod)
	}
}
