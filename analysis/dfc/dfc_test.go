package dfc

import (
	"errors"
	"io"
	"math"
	"slices"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/fc"
	"github.com/neurotab/neurotab/formats/table"
)

// recordings is a Source over a slice.
type recordings []*table.Recording

func (r *recordings) Next() (*table.Recording, error) {
	if len(*r) == 0 {
		return nil, io.EOF
	}
	rec := (*r)[0]
	*r = (*r)[1:]
	return rec, nil
}

// planted simulates T samples at 1 Hz of six neurons A…F with a common
// drive of A, B, C in the first half and of D, E, F in the second (plus
// independent noise), scaled per recording by gain.
func planted(worm string, T int, gain float64, seed neurotab.Seed) *table.Recording {
	rng := seed.Rand(0)
	x := mat.NewDense(T, 6, nil)
	tm := make([]float64, T)
	for t := range T {
		tm[t] = float64(t)
		drive := rng.NormFloat64()
		for j := range 6 {
			v := rng.NormFloat64()
			if (t < T/2) == (j < 3) {
				v += gain * drive
			}
			x.Set(t, j, v)
		}
	}
	return &table.Recording{Dataset: "sim", Worm: worm, Neurons: []string{"A", "B", "C", "D", "E", "F"}, Time: tm, Data: x}
}

// Run recovers the planted dynamic connectome: at rank 2 one component
// loads on the pairs within {A, B, C} and on the first half of the
// windows, the other on {D, E, F} and the second half; recording loadings
// follow the gains. Tensor entries are |Pearson r| of the window, checked
// against gonum's stat.Correlation.
func TestRunPlanted(t *testing.T) {
	src := recordings{planted("w1", 600, 2, 1), planted("w2", 600, 1, 2)}
	cfg := Config{FC: fc.Config{Window: 60 * time.Second, Step: 30 * time.Second}, Rank: 2, Restarts: 5, Seed: 3}
	res, err := Run(&src, cfg)
	if err != nil {
		t.Fatal(err)
	}
	W := res.Tensor.Dims[0]
	if W != 19 || res.Tensor.Dims[1] != 2 || res.Tensor.Dims[2] != 15 {
		t.Fatalf("tensor %v, want 19 × 2 × 15", res.Tensor.Dims)
	}
	// Entry (window 3, recording 1, pair A-C) against gonum.
	rec := planted("w2", 600, 1, 2)
	a, c := mat.Col(nil, 0, rec.Data.Slice(90, 150, 0, 6)), mat.Col(nil, 2, rec.Data.Slice(90, 150, 0, 6))
	if got, want := res.Tensor.At(3, 1, 1), math.Abs(stat.Correlation(a, c, nil)); math.Abs(got-want) > 1e-12 {
		t.Errorf("tensor (3, 1, A-C) = %v, |r| = %v", got, want)
	}
	within := func(p [2]string, group string) bool {
		return slices.Contains([]byte(group), p[0][0]) && slices.Contains([]byte(group), p[1][0])
	}
	for _, group := range []string{"ABC", "DEF"} {
		best, share := -1, 0.0
		for c := range 2 {
			in, all := 0.0, 0.0
			for p, pair := range res.Pairs {
				v := res.Model.Factors[2].At(p, c)
				all += v * v
				if within(pair, group) {
					in += v * v
				}
			}
			if in/all > share {
				best, share = c, in/all
			}
		}
		early, late := 0.0, 0.0
		for w := range W {
			v := res.Model.Factors[0].At(w, best)
			// Window w spans samples 30w … 30w+59: before the switch at
			// 300 for w ≤ 8, after it for w ≥ 10.
			if w <= 8 {
				early += v / 9
			} else if w >= 10 {
				late += v / 9
			}
		}
		t.Logf("%s: component %d holds %.3f of its pair loadings' energy; window loading early %.3f, late %.3f", group, best, share, early, late)
		if share < 0.9 {
			t.Errorf("%s: the best component holds %.3f of its energy within the group, want ≥ 0.9", group, share)
		}
		if group == "ABC" && !(early > 3*late) || group == "DEF" && !(late > 3*early) {
			t.Errorf("%s: window loadings early %.3f, late %.3f", group, early, late)
		}
		if b := res.Model.Factors[1]; !(b.At(0, best) > b.At(1, best)) {
			t.Errorf("%s: recording loadings %v, %v; want w1 (gain 2) above w2 (gain 1)", group, b.At(0, best), b.At(1, best))
		}
	}
	if len(res.Diagnostics) != 2 || res.Diagnostics[1].RelativeError >= res.Diagnostics[0].RelativeError {
		t.Errorf("diagnostics %+v: rank 2 should fit better than rank 1", res.Diagnostics)
	}
	// Communities of the static FC of a whole recording: each half's
	// group correlates, so the partition is {A, B, C}, {D, E, F}.
	for k, p := range res.Partitions {
		if want := []int{0, 0, 0, 1, 1, 1}; !slices.Equal(p.Community, want) {
			t.Errorf("recording %d: communities %v, want %v", k, p.Community, want)
		}
	}
	rows, err := res.FactorRows()
	if err != nil || len(rows) != 2*(W+2+15) {
		t.Fatalf("%d factor rows, %v", len(rows), err)
	}
	if got := len(res.CommunityRows()); got != 12 {
		t.Errorf("%d community rows, want 12", got)
	}
}

// Bad input: a window longer than a recording, a rank above MaxRank, no
// shared pair, a worm not in the input — each a clear error of its kind.
func TestRunErrors(t *testing.T) {
	short := func() *table.Recording { return planted("w1", 100, 1, 1) }
	other := planted("w2", 100, 1, 2)
	other.Neurons = []string{"A", "U", "V", "X", "Y", "Z"}
	for name, c := range map[string]struct {
		src   recordings
		cfg   Config
		field string
		is    error
	}{
		"window":   {recordings{short()}, Config{FC: fc.Config{Window: 200 * time.Second}}, "Window", neurotab.ErrShape},
		"rank":     {recordings{short()}, Config{FC: fc.Config{Window: 50 * time.Second}, Rank: 3}, "Rank", neurotab.ErrParam},
		"shared":   {recordings{short(), other}, Config{FC: fc.Config{Window: 50 * time.Second}}, "", neurotab.ErrShape},
		"worm":     {recordings{short()}, Config{FC: fc.Config{Window: 50 * time.Second, Worms: []string{"nope"}}}, "", neurotab.ErrNotFound},
		"nowindow": {recordings{short()}, Config{}, "Window", neurotab.ErrParam},
		"directed": {recordings{short()}, Config{FC: fc.Config{Window: 50 * time.Second, Kind: fc.KindGranger}}, "", neurotab.ErrParam},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Run(&c.src, c.cfg)
			if !errors.Is(err, c.is) {
				t.Fatalf("error %v, want %v", err, c.is)
			}
			var fe *FieldError
			if got := errors.As(err, &fe); got != (c.field != "") || got && fe.Field != c.field {
				t.Fatalf("error %v: field error %v, want field %q", err, got, c.field)
			}
			t.Log(err)
		})
	}
}
