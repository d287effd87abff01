package ingest

import (
	"errors"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"gonum.org/v1/gonum/mat"
)

func TestRawValidate(t *testing.T) {
	good := func() *Raw {
		return &Raw{Worm: "w", RawFile: "f.mat", Labels: []string{"AVAL", ""}, Time: []float64{0, 1, 2},
			Traces: mat.NewDense(3, 2, nil)}
	}
	if err := good().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		change func(*Raw)
		want   string
		is     error
	}{
		{"no traces", func(r *Raw) { r.Traces = nil }, "f.mat: w: no traces: not found", neurotab.ErrNotFound},
		{"labels", func(r *Raw) { r.Labels = r.Labels[:1] }, "f.mat: w: 1 labels for 2 traces: shape mismatch", neurotab.ErrShape},
		{"time length", func(r *Raw) { r.Time = r.Time[:2] }, "f.mat: w: time vector has 2 samples, traces have 3: shape mismatch", neurotab.ErrShape},
		{"time order", func(r *Raw) { r.Time[2] = 1 }, "f.mat: w: time does not increase at sample 2 (1 after 1): time runs backwards", neurotab.ErrTimeOrder},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := good()
			c.change(r)
			err := r.Validate()
			if err == nil || err.Error() != c.want || !errors.Is(err, c.is) {
				t.Fatalf("Validate: %v; want %q wrapping %v", err, c.want, c.is)
			}
		})
	}
}

// NormalizeText reads a label that is not UTF-8 as Latin-1 and says so.
func TestNormalizeText(t *testing.T) {
	r := Raw{Worm: "w\xe9", Labels: []string{"AVAL", "AV\xffAR", ""}}
	r.NormalizeText()
	if r.Labels[0] != "AVAL" || r.Labels[1] != "AVÿAR" || r.Labels[2] != "" || r.Worm != "wé" {
		t.Fatalf("labels %q, worm %q", r.Labels, r.Worm)
	}
	if len(r.Notes) != 2 || !strings.Contains(r.Notes[0], `label of trace 1 was not UTF-8 ("AV\xffAR"): read as Latin-1, "AVÿAR"`) {
		t.Fatalf("notes %q", r.Notes)
	}
}
