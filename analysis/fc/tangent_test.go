package fc

import (
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/table"
)

type sliceSource struct{ recs []*table.Recording }

func (s *sliceSource) Next() (*table.Recording, error) {
	if len(s.recs) == 0 {
		return nil, io.EOF
	}
	r := s.recs[0]
	s.recs = s.recs[1:]
	return r, nil
}

// TestRunTangentErrors: one-line errors naming what to change, and nothing
// reaches the sink.
func TestRunTangentErrors(t *testing.T) {
	rec := func(worm string, neurons ...string) *table.Recording {
		x := mat.NewDense(6, len(neurons), nil)
		for i := range 6 {
			for j := range neurons {
				x.Set(i, j, float64((i*(j+2))%5))
			}
		}
		return &table.Recording{Dataset: "D", Worm: worm, Neurons: neurons, Time: []float64{0, 1, 2, 3, 4, 5}, Data: x}
	}
	nan := rec("w2", "a", "b")
	nan.Data.Set(3, 1, math.NaN())
	for _, c := range []struct {
		name string
		recs []*table.Recording
		cfg  Config
		want error
		msg  string
	}{
		{"one recording", []*table.Recording{rec("w1", "a", "b")}, Config{Kind: KindTangent}, neurotab.ErrShape, "fc: kind tangent compares recordings and needs at least 2, the input has 1 selected"},
		{"none shared", []*table.Recording{rec("w1", "a", "b"), rec("w2", "c", "d")}, Config{Kind: KindTangent}, neurotab.ErrShape, "fc: kind tangent needs neurons that all 2 recordings share"},
		{"nan", []*table.Recording{rec("w1", "a", "b"), nan}, Config{Kind: KindTangent}, neurotab.ErrNotFinite, "fc: recording D/w2: neuron b sample 3"},
		{"absent worm", []*table.Recording{rec("w1", "a", "b")}, Config{Kind: KindTangent, Worms: []string{"w9"}}, neurotab.ErrNotFound, `fc: worm "w9" is not in the input`},
		{"not tangent", nil, Config{Kind: KindCorrelation}, neurotab.ErrParam, "fc: RunTangent fits kind tangent, not correlation"},
	} {
		t.Run(c.name, func(t *testing.T) {
			open := func() (Source, error) { return &sliceSource{append([]*table.Recording(nil), c.recs...)}, nil }
			sunk := 0
			_, err := RunTangent(open, c.cfg, func(*Result) error { sunk++; return nil })
			if !errors.Is(err, c.want) || !strings.HasPrefix(err.Error(), c.msg) || strings.Contains(err.Error(), "\n") || sunk != 0 {
				t.Fatalf("err %v (sink called %d times), want %v starting %q", err, sunk, c.want, c.msg)
			}
		})
	}
}
