package calcium

import (
	"errors"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/mat"
)

// TestMATHelpers checks the values and the errors of the MAT value helpers
// the MATLAB adapters share.
func TestMATHelpers(t *testing.T) {
	num := func(shape []int, xs ...float64) *mat.Numeric {
		return &mat.Numeric{Type: mat.ClassDouble, Shape: shape, Real: xs}
	}
	cell := &mat.Cell{Shape: []int{1, 1}, Elems: []mat.Value{num([]int{1, 1}, 2)}}
	t.Run("values", func(t *testing.T) {
		if v, err := scalar(num([]int{1, 1}, 7.5)); err != nil || v != 7.5 {
			t.Errorf("scalar = %v, %v; want 7.5", v, err)
		}
		if v, err := vector(num([]int{3, 1}, 1, 2, 3)); err != nil || len(v) != 3 || v[2] != 3 {
			t.Errorf("vector = %v, %v; want [1 2 3]", v, err)
		}
		if c, err := cellOf(cell); err != nil || c != cell {
			t.Errorf("cellOf = %v, %v", c, err)
		}
		// A cell of times gives its first element; a matrix its last row.
		if v, how, err := linTimes(&mat.Cell{Shape: []int{1, 1}, Elems: []mat.Value{num([]int{1, 2}, 0, 0.5)}}); err != nil || how != "{1}" || v[1] != 0.5 {
			t.Errorf("linTimes(cell) = %v %q %v", v, how, err)
		}
	})
	cases := []struct {
		name string
		err  func() error
		want string
		is   error
	}{
		{"scalar of two", func() error { _, err := scalar(num([]int{1, 2}, 1, 2)); return err }, "2 elements (dims [1 2]), want a scalar", neurotab.ErrMalformed},
		{"scalar of a cell", func() error { _, err := scalar(cell); return err }, "cell is not numeric", neurotab.ErrType},
		{"vector of a matrix", func() error { _, err := vector(num([]int{2, 2}, 1, 2, 3, 4)); return err }, "dims [2 2], want a vector", neurotab.ErrMalformed},
		{"cellOf a number", func() error { _, err := cellOf(num([]int{1, 1}, 1)); return err }, "is double, want cell", neurotab.ErrType},
		{"times in an empty cell", func() error { _, _, err := linTimes(&mat.Cell{Shape: []int{0, 0}}); return err }, "empty cell", neurotab.ErrMalformed},
		{"times of chars", func() error { _, _, err := linTimes(&mat.Char{Shape: []int{1, 1}, Data: []uint16{'a'}}); return err }, "is char, want numeric", neurotab.ErrType},
		{"labels of a number", func() error { _, _, err := cellLabels(num([]int{1, 1}, 1)); return err }, "is double, want a cell of labels", neurotab.ErrType},
		{"label of a number", func() error { _, _, err := cellLabels(cell); return err }, "element 1 is double, want char", neurotab.ErrType},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.err()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			if !errors.Is(err, c.is) {
				t.Errorf("%v does not wrap %v", err, c.is)
			}
		})
	}
}
