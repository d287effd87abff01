package connectivity

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/formats/table"
	"gonum.org/v1/gonum/mat"
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
	rec := recording(x)
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
			res, err := c.est.Fit(rec)
			if err != nil {
				t.Fatal(err)
			}
			if res.Estimator.Measure != c.measure || res.Dataset != "Test2025" || res.Recording != "worm1" || res.Window != 0 {
				t.Errorf("result header %+v", res)
			}
			if !reflect.DeepEqual(res.Neurons, rec.Neurons) {
				t.Errorf("neurons %v", res.Neurons)
			}
			if !mat.Equal(res.Matrix, c.want) {
				t.Error("matrix differs from the function's")
			}
			if (res.Lag == nil) != (c.lag == nil) || (c.lag != nil && !mat.Equal(res.Lag, c.lag)) {
				t.Error("lag matrix differs from the function's")
			}
			if (res.Lagged != nil) != (c.measure == MeasureLagged) {
				t.Error("Lagged set for the wrong measure")
			}
		})
	}
	// The labels are copied, not shared.
	res, _ := Estimator{}.Fit(rec)
	res.Neurons[0] = "changed"
	if rec.Neurons[0] != "n0" {
		t.Fatal("Fit shares the recording's label slice")
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
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("err = %v, want ErrConfig with %q", err, c.msg)
			}
			// Fit refuses the same settings before looking at the data.
			if _, err := c.est.Fit(nil); !errors.Is(err, ErrConfig) {
				t.Fatalf("Fit: err = %v, want ErrConfig", err)
			}
		})
	}
}

func TestFitErrors(t *testing.T) {
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
		is   error // nil: only the message is checked
		msg  string
	}{
		{"nil recording", Estimator{}, nil, nil, "nil recording"},
		{"labels mismatch", Estimator{}, mismatched, nil, "1 neuron names for 2 columns"},
		{"times mismatch", Estimator{}, badTimes, nil, "5 times for 7 samples"},
		{"too short", Estimator{}, short, ErrTooFewSamples, "recording Test2025/worm1: connectivity: 1 samples"},
		{"lag too long", Estimator{Measure: MeasureLagged, MaxLag: 6}, recording(cols(x, other)), ErrTooFewSamples, "at lag 6"},
		{"NaN names the neuron", Estimator{}, recording(cols(x, other, []float64{1, 2, math.NaN(), 4, 5, 6, 7})), ErrNonFinite, "neuron n2 (column 2), sample 2 is NaN"},
		{"singular names the neurons", Estimator{Measure: MeasurePartial}, recording(cols(x, other, lin)), ErrSingular, "neurons n0 and n2 are perfectly correlated"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := c.est.Fit(c.rec)
			if err == nil || res != nil {
				t.Fatalf("got %v, %v; want an error", res, err)
			}
			if c.is != nil && !errors.Is(err, c.is) {
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
	if _, err := ParseMeasure("coherence"); !errors.Is(err, ErrConfig) {
		t.Errorf("ParseMeasure(coherence): %v", err)
	}
}
