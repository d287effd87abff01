package calcium

import (
	"bytes"
	"errors"
	"fmt"
	"math"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/mat"
)

// matFile wraps an opened MAT v5 file with error messages in this package's
// "file: variable \"x\": problem" form.
type matFile struct {
	path string
	f    *mat.File
}

func openMAT(path string) (*matFile, error) {
	f, err := mat.Open(path)
	if err != nil {
		return nil, wrap(path, "", err)
	}
	return &matFile{path: path, f: f}, nil
}

func (m *matFile) Close() error { return m.f.Close() }

func varField(name string) string { return fmt.Sprintf("variable %q", name) }

// get decodes a variable; a missing one gives `variable "name": missing`.
func (m *matFile) get(name string) (mat.Value, error) {
	v, err := m.f.Var(name)
	if errors.Is(err, neurotab.ErrNotFound) {
		return nil, missingf(m.path, varField(name), "missing")
	}
	var me *mat.Error
	if errors.As(err, &me) && me.Path != "" {
		// The reader's message already names the variable (and a
		// damaged header with its offset).
		return nil, wrap(m.path, "", err)
	}
	if err != nil {
		return nil, wrap(m.path, varField(name), err)
	}
	return v, nil
}

// has reports whether the file holds every named variable.
func (m *matFile) has(names ...string) bool {
	have := map[string]bool{}
	for _, n := range m.f.Names() {
		have[n] = true
	}
	for _, n := range names {
		if !have[n] {
			return false
		}
	}
	return true
}

// scalar returns the single number of a 1×1 numeric value.
func scalar(v mat.Value) (float64, error) {
	xs, err := mat.Float64s(v)
	if err != nil {
		return 0, err
	}
	if len(xs) != 1 {
		return 0, fmt.Errorf("%d elements (dims %v), want a scalar: %w", len(xs), v.Dims(), neurotab.ErrMalformed)
	}
	return xs[0], nil
}

// vector returns the elements of a numeric vector (1×n or n×1; any array
// with at most one non-singleton dim).
func vector(v mat.Value) ([]float64, error) {
	xs, err := mat.Float64s(v)
	if err != nil {
		return nil, err
	}
	big := 0
	for _, d := range v.Dims() {
		if d > 1 {
			big++
		}
	}
	if big > 1 {
		return nil, fmt.Errorf("dims %v, want a vector: %w", v.Dims(), neurotab.ErrMalformed)
	}
	return xs, nil
}

// cellOf returns v as a cell array.
func cellOf(v mat.Value) (*mat.Cell, error) {
	c, ok := v.(*mat.Cell)
	if !ok {
		return nil, fmt.Errorf("is %s, want cell: %w", v.Class(), neurotab.ErrType)
	}
	return c, nil
}

// isMATv5 matches files whose head is a MAT v5 header holding all names.
func isMATv5With(path string, head []byte, names ...string) bool {
	if len(head) < mat.HeaderSize || !mat.IsV5(head) || !bytes.HasPrefix(head, []byte("MATLAB")) {
		return false
	}
	m, err := openMAT(path)
	if err != nil {
		return false
	}
	defer m.Close()
	return m.has(names...)
}

var nan = math.NaN()
