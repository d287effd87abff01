package homogenize

import (
	"encoding/json"
	"math"
	"os"
	"strconv"
	"sync"
	"testing"
)

// nums is a float slice whose JSON null entries are NaN (the way
// testdata/make_reference.py writes NaN).
type nums []float64

func (n *nums) UnmarshalJSON(b []byte) error {
	var p []*float64
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*n = make(nums, len(p))
	for i, v := range p {
		if v == nil {
			(*n)[i] = math.NaN()
		} else {
			(*n)[i] = *v
		}
	}
	return nil
}

type pipelineCase struct {
	Name          string `json:"name"`
	Time          nums   `json:"time"`
	Rows          int    `json:"rows"`
	Every         int    `json:"every"`
	DataEvery     nums   `json:"data_every"`
	OriginalEvery nums   `json:"original_every"`
	OriginalRows  int    `json:"original_rows"`
}

// reference is testdata/reference.json, written by
// testdata/make_reference.py from numpy 1.24, scipy 1.10 and pandas 1.5.
type reference struct {
	Seed   int     `json:"seed"`
	Dt     float64 `json:"dt"`
	Series struct {
		T    nums `json:"t"`
		X    nums `json:"x"`
		XNaN nums `json:"x_nan"`
	} `json:"series"`
	Fill struct {
		Expected nums `json:"expected"`
		Filled   int  `json:"filled"`
	} `json:"fill"`
	Interp struct {
		Q        nums `json:"q"`
		Expected nums `json:"expected"`
	} `json:"interp"`
	Moving []struct {
		Window   int  `json:"window"`
		Expected nums `json:"expected"`
	} `json:"moving"`
	Gaussian []struct {
		Sigma    float64 `json:"sigma"`
		Expected nums    `json:"expected"`
	} `json:"gaussian"`
	Exponential []struct {
		Alpha    float64 `json:"alpha"`
		Expected nums    `json:"expected"`
	} `json:"exponential"`
	ZScore struct {
		Expected    nums `json:"expected"`
		ExpectedNaN nums `json:"expected_nan"`
	} `json:"zscore"`
	Causal struct {
		Expected    nums `json:"expected"`
		XBig        nums `json:"x_big"`
		ExpectedBig nums `json:"expected_big"`
	} `json:"causal"`
	ResampleUp   resampleRef `json:"resample_up"`
	ResampleDown resampleRef `json:"resample_down"`
	BlockMean    struct {
		X        nums `json:"x"`
		K        int  `json:"k"`
		Expected nums `json:"expected"`
	} `json:"blockmean"`
	Pipeline struct {
		T            nums           `json:"t"`
		X            nums           `json:"x"`
		Rows         int            `json:"rows"`
		Cols         int            `json:"cols"`
		OriginalStep int            `json:"original_step"`
		Labels       []string       `json:"labels"`
		Neurons      []string       `json:"neurons"`
		RawColumns   []int          `json:"raw_columns"`
		Cases        []pipelineCase `json:"cases"`
	} `json:"pipeline"`
	Dag2023 *struct {
		Labels         map[string]string `json:"labels"`
		RawColumns     []int             `json:"raw_columns"`
		NaNSamples     int               `json:"nan_samples"`
		MedianDt       float64           `json:"median_dt"`
		Rows           int               `json:"rows"`
		Every          int               `json:"every"`
		TimeEvery      nums              `json:"time_every"`
		DataEvery      nums              `json:"data_every"`
		OriginalRow100 nums              `json:"original_row100"`
	} `json:"dag2023"`
}

type resampleRef struct {
	T        nums `json:"t"`
	X        nums `json:"x"`
	TNew     nums `json:"t_new"`
	Expected nums `json:"expected"`
}

var (
	refOnce sync.Once
	refData reference
	refErr  error
)

func loadReference(t testing.TB) *reference {
	t.Helper()
	refOnce.Do(func() {
		b, err := os.ReadFile("testdata/reference.json")
		if err != nil {
			refErr = err
			return
		}
		refErr = json.Unmarshal(b, &refData)
	})
	if refErr != nil {
		t.Fatalf("testdata/reference.json: %v", refErr)
	}
	return &refData
}

// tol is the agreement required with numpy/scipy/pandas.
const tol = 1e-6

// maxDiff returns the largest |got−want|, treating NaN == NaN as equal and
// a NaN on one side only as +Inf. Lengths must match.
func maxDiff(t testing.TB, got, want []float64) float64 {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("length %d, want %d", len(got), len(want))
	}
	var m float64
	for i := range got {
		g, w := got[i], want[i]
		switch {
		case math.IsNaN(g) && math.IsNaN(w):
			continue
		case math.IsNaN(g) || math.IsNaN(w):
			return math.Inf(1)
		}
		m = max(m, math.Abs(g-w))
	}
	return m
}

// checkClose fails when maxDiff exceeds tol and logs the measured error.
func checkClose(t testing.TB, what string, got, want []float64) {
	t.Helper()
	d := maxDiff(t, got, want)
	if !(d <= tol) {
		t.Errorf("%s: max |error| %g > %g", what, d, tol)
	} else {
		t.Logf("%s: max |error| %.3g", what, d)
	}
}

func itoa(i int) string     { return strconv.Itoa(i) }
func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
