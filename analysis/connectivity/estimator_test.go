package connectivity

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/table"
)

// recording wraps x as a homogenized recording with labels n0, n1, …
func recording(x *mat.Dense) *table.Recording {
	t, n := x.Dims()
	rec := &table.Recording{Dataset: "Test2025", Worm: "worm1", Data: x, Time: make([]float64, t)}
	for s := range rec.Time {
		rec.Time[s] = 0.333 * float64(s)
	}
	for j := 0; j < n; j++ {
		rec.Neurons = append(rec.Neurons, fmt.Sprintf("n%d", j))
	}
	return rec
}

func TestFitMatchesFunctions(t *testing.T) {
	x := randomTraces(21, 100, 5)
	pearson, _ := Pearson(x)
	lagged, _ := LaggedCorrelation(x, 4)
	partial, _ := PartialCorrelation(x, 0.3)
	for _, c := range []struct {
		est     Estimator
		measure Measure
		want    *mat.SymDense
		lag     *mat.Dense
	}{
		{Estimator{}, MeasurePearson, pearson, nil},
		{Estimator{Measure: MeasurePearson}, MeasurePearson, pearson, nil},
		{Estimator{Measure: MeasureLagged, MaxLag: 4}, MeasureLagged, lagged.Peak, lagged.PeakLag},
		{Estimator{Measure: MeasurePartial, Ridge: 0.3}, MeasurePartial, partial, nil},
	} {
		t.Run(fmt.Sprintf("%+v", c.est), func(t *testing.T) {
			est := c.est
			if err := est.Fit(x); err != nil {
				t.Fatal(err)
			}
			if est.Fitted() != c.measure || est.Neurons() != 5 {
				t.Errorf("Fitted %q, Neurons %d; want %q, 5", est.Fitted(), est.Neurons(), c.measure)
			}
			if est.Measure != c.est.Measure {
				t.Errorf("Fit changed Measure from %q to %q", c.est.Measure, est.Measure)
			}
			var m mat.SymDense
			if err := est.MatrixTo(&m); err != nil {
				t.Fatal(err)
			}
			if !mat.Equal(&m, c.want) {
				t.Error("matrix differs from the function's")
			}
			var lag mat.Dense
			err := est.PeakLagTo(&lag)
			if c.lag == nil {
				if !errors.Is(err, neurotab.ErrNotFitted) || !strings.Contains(err.Error(), "needs a fit of measure lagged_pearson") {
					t.Errorf("PeakLagTo of a %s fit: %v, want ErrNotFitted", c.measure, err)
				}
				return
			}
			if err != nil || !mat.Equal(&lag, c.lag) {
				t.Errorf("lag matrix differs from the function's (%v)", err)
			}
			for l := -4; l <= 4; l++ {
				var got, want mat.Dense
				if err := est.LagTo(&got, l); err != nil {
					t.Fatal(err)
				}
				lagged.LagTo(&want, l)
				if !mat.Equal(&got, &want) {
					t.Errorf("LagTo(%d) differs from the function's", l)
				}
			}
		})
	}
}

// TestFitReplacesAndCopies: a second Fit replaces the first, and an earlier
// MatrixTo copy, or a copy of the estimator, keeps the first result.
func TestFitReplacesAndCopies(t *testing.T) {
	a, b := randomTraces(3, 50, 4), randomTraces(4, 50, 4)
	ra, _ := Pearson(a)
	rb, _ := Pearson(b)
	var est Estimator
	if err := est.Fit(a); err != nil {
		t.Fatal(err)
	}
	var first mat.SymDense
	_ = est.MatrixTo(&first)
	kept := est
	if err := est.Fit(b); err != nil {
		t.Fatal(err)
	}
	var second, old mat.SymDense
	_ = est.MatrixTo(&second)
	_ = kept.MatrixTo(&old)
	if !mat.Equal(&first, ra) || !mat.Equal(&second, rb) || !mat.Equal(&old, ra) {
		t.Error("a later Fit changed an earlier result or did not replace it")
	}
	// A failed Fit leaves the estimator unfitted.
	if err := est.Fit(mat.NewDense(1, 4, nil)); !errors.Is(err, neurotab.ErrShape) {
		t.Fatalf("Fit of one sample: %v", err)
	}
	if err := est.MatrixTo(&mat.SymDense{}); !errors.Is(err, neurotab.ErrNotFitted) {
		t.Errorf("MatrixTo after a failed Fit: %v, want ErrNotFitted", err)
	}
}

func TestEstimatorCheck(t *testing.T) {
	for _, c := range []struct {
		est Estimator
		msg string // "" for valid
	}{
		{Estimator{}, ""},
		{Estimator{Measure: MeasureLagged}, ""},
		{Estimator{Measure: MeasureLagged, MaxLag: 10}, ""},
		{Estimator{Measure: MeasurePartial, Ridge: 0.5}, ""},
		{Estimator{Measure: "granger"}, `unknown measure "granger"`},
		{Estimator{Measure: MeasurePeakLag}, "unknown measure"},
		{Estimator{Measure: MeasureLagged, MaxLag: -1}, "MaxLag -1 < 0"},
		{Estimator{MaxLag: 3}, "MaxLag 3 is for measure lagged_pearson, not pearson"},
		{Estimator{Measure: MeasurePartial, MaxLag: 3}, "MaxLag 3 is for"},
		{Estimator{Ridge: 0.1}, "Ridge 0.1 is for measure partial_correlation, not pearson"},
		{Estimator{Measure: MeasureLagged, Ridge: 0.1}, "Ridge 0.1 is for"},
		{Estimator{Measure: MeasurePartial, Ridge: -1}, "Ridge -1"},
		{Estimator{Measure: MeasurePartial, Ridge: math.NaN()}, "Ridge NaN"},
	} {
		t.Run(fmt.Sprintf("%+v", c.est), func(t *testing.T) {
			err := c.est.Check()
			if c.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, neurotab.ErrParam) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("err = %v, want ErrParam with %q", err, c.msg)
			}
			// Fit refuses the same settings before looking at the data.
			if err := c.est.Fit(nil); !errors.Is(err, neurotab.ErrParam) {
				t.Fatalf("Fit: err = %v, want ErrParam", err)
			}
			if err := c.est.FitRecording(nil); !errors.Is(err, neurotab.ErrParam) {
				t.Fatalf("FitRecording: err = %v, want ErrParam", err)
			}
		})
	}
}

func TestFitRecordingErrors(t *testing.T) {
	x := []float64{0.3, -1.2, 2.5, 0.7, 4.1, -0.6, 1.9}
	lin := make([]float64, len(x))
	for i, v := range x {
		lin[i] = 2*v + 1
	}
	other := []float64{1, 0, 2, 0, 1, 3, 0}
	mismatched := recording(cols(x, other))
	mismatched.Neurons = mismatched.Neurons[:1]
	short := recording(cols(x[:1], other[:1]))
	badTimes := recording(cols(x, other))
	badTimes.Time = badTimes.Time[:5]

	for _, c := range []struct {
		name string
		est  Estimator
		rec  *table.Recording
		is   error
		msg  string
	}{
		{"nil recording", Estimator{}, nil, neurotab.ErrShape, "connectivity: nil recording"},
		{"labels mismatch", Estimator{}, mismatched, neurotab.ErrShape, "connectivity: recording Test2025/worm1: 1 neuron names for 2 columns"},
		{"times mismatch", Estimator{}, badTimes, neurotab.ErrShape, "5 times for 7 samples"},
		{"too short", Estimator{}, short, neurotab.ErrShape, "recording Test2025/worm1: connectivity: 1 samples"},
		{"lag too long", Estimator{Measure: MeasureLagged, MaxLag: 6}, recording(cols(x, other)), neurotab.ErrShape, "at lag 6"},
		{"NaN names the neuron", Estimator{}, recording(cols(x, other, []float64{1, 2, math.NaN(), 4, 5, 6, 7})), neurotab.ErrNotFinite, "neuron n2 (column 2), sample 2 is NaN"},
		{"singular names the neurons", Estimator{Measure: MeasurePartial}, recording(cols(x, other, lin)), neurotab.ErrSingular, "neurons n0 and n2 are perfectly correlated"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.est.FitRecording(c.rec)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, c.is) {
				t.Errorf("err = %v, want %v", err, c.is)
			}
			if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("message %q lacks %q", err, c.msg)
			}
		})
	}
}

func TestParameters(t *testing.T) {
	for _, c := range []struct {
		est  Estimator
		want map[string]any
	}{
		{Estimator{}, map[string]any{"measure": "pearson"}},
		{Estimator{Measure: MeasureLagged, MaxLag: 5}, map[string]any{"measure": "lagged_pearson", "max_lag": 5}},
		{Estimator{Measure: MeasurePartial}, map[string]any{"measure": "partial_correlation", "ridge": 0.0}},
	} {
		if got := c.est.Parameters(); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%+v: %v, want %v", c.est, got, c.want)
		}
	}
}

func TestParseMeasure(t *testing.T) {
	for _, m := range Measures() {
		if got, err := ParseMeasure(string(m)); got != m || err != nil {
			t.Errorf("ParseMeasure(%q) = %q, %v", m, got, err)
		}
	}
	if got, err := ParseMeasure(""); got != MeasurePearson || err != nil {
		t.Errorf(`ParseMeasure("") = %q, %v`, got, err)
	}
	if _, err := ParseMeasure("coherence"); !errors.Is(err, neurotab.ErrParam) {
		t.Errorf("ParseMeasure(coherence): %v", err)
	}
}

// TestResultDestinations: the To methods panic, naming themselves, on a
// destination of the wrong size (gonum's idiom), fill a right-sized one in
// place, and LagTo needs a lagged fit.
func TestResultDestinations(t *testing.T) {
	x := randomTraces(5, 40, 3)
	est := Estimator{Measure: MeasureLagged, MaxLag: 2}
	if err := est.Fit(x); err != nil {
		t.Fatal(err)
	}
	for name, fn := range map[string]func(){
		"MatrixTo":  func() { _ = est.MatrixTo(mat.NewSymDense(2, nil)) },
		"PeakLagTo": func() { _ = est.PeakLagTo(mat.NewDense(3, 2, nil)) },
		"LagTo":     func() { _ = est.LagTo(mat.NewDense(2, 2, nil), 1) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil {
					t.Fatal("no panic")
				} else if s, ok := r.(string); !ok || !strings.HasPrefix(s, "connectivity: ") {
					t.Fatalf("panic %v lacks the connectivity: prefix", r)
				}
			}()
			fn()
		})
	}
	var empty mat.SymDense
	sized := mat.NewSymDense(3, nil)
	_ = est.MatrixTo(&empty)
	_ = est.MatrixTo(sized)
	if !mat.Equal(&empty, sized) {
		t.Error("MatrixTo into a 3×3 dst differs from into an empty one")
	}
	var pearson Estimator
	if err := pearson.Fit(x); err != nil {
		t.Fatal(err)
	}
	if err := pearson.LagTo(&mat.Dense{}, 0); !errors.Is(err, neurotab.ErrNotFitted) {
		t.Errorf("LagTo of a pearson fit: %v, want ErrNotFitted", err)
	}
}
