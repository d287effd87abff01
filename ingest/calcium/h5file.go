package calcium

import (
	"errors"
	"fmt"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/hdf5"
	"github.com/neurotab/neurotab/formats/sniff"
)

// h5File wraps an opened HDF5 file with error messages in this package's
// "file: dataset \"/x\": problem" form.
type h5File struct {
	path string
	f    *hdf5.File
}

func openH5(path string) (*h5File, error) {
	f, err := hdf5.Open(path)
	if err != nil {
		return nil, wrap(path, "", err)
	}
	return &h5File{path: path, f: f}, nil
}

func (h *h5File) Close() error { return h.f.Close() }

func dsField(p string) string { return fmt.Sprintf("dataset %q", p) }

// has reports whether every path names an object in the file.
func (h *h5File) has(paths ...string) bool {
	for _, p := range paths {
		if _, err := h.f.Get(p); err != nil {
			return false
		}
	}
	return true
}

// dataset returns the dataset at p; a missing one gives
// `dataset "/p": missing`.
func (h *h5File) dataset(p string) (*hdf5.Dataset, error) {
	o, err := h.f.Get(p)
	if errors.Is(err, neurotab.ErrNotFound) {
		return nil, missingf(h.path, dsField(p), "missing")
	}
	if err != nil {
		return nil, wrap(h.path, dsField(p), err)
	}
	d, ok := o.(*hdf5.Dataset)
	if !ok {
		return nil, errf(h.path, dsField(p), "is a group, want a dataset")
	}
	return d, nil
}

// matrix reads a 2-D numeric dataset: values row-major and its shape as
// stored (h5py's view).
func (h *h5File) matrix(p string) (vals []float64, rows, cols int, err error) {
	d, err := h.dataset(p)
	if err != nil {
		return nil, 0, 0, err
	}
	sh := d.Shape()
	if len(sh) != 2 {
		return nil, 0, 0, errf(h.path, dsField(p), "shape %v, want a 2-D matrix", sh)
	}
	if sh[0] == 0 || sh[1] == 0 {
		return nil, 0, 0, errf(h.path, dsField(p), "empty %d×%d matrix", sh[0], sh[1])
	}
	vals, err = d.ReadFloat64()
	if err != nil {
		return nil, 0, 0, wrap(h.path, dsField(p), err)
	}
	return vals, int(sh[0]), int(sh[1]), nil
}

// vector reads a numeric dataset with at most one non-singleton dimension.
func (h *h5File) vector(p string) ([]float64, error) {
	d, err := h.dataset(p)
	if err != nil {
		return nil, err
	}
	big := 0
	for _, n := range d.Shape() {
		if n > 1 {
			big++
		}
	}
	if big > 1 {
		return nil, errf(h.path, dsField(p), "shape %v, want a vector", d.Shape())
	}
	xs, err := d.ReadFloat64()
	if err != nil {
		return nil, wrap(h.path, dsField(p), err)
	}
	return xs, nil
}

// strings reads a string dataset (a scalar gives one string).
func (h *h5File) strings(p string) ([]string, error) {
	d, err := h.dataset(p)
	if err != nil {
		return nil, err
	}
	s, err := d.ReadStrings()
	if err != nil {
		return nil, wrap(h.path, dsField(p), err)
	}
	return s, nil
}

// isHDF5With matches HDF5 files holding every path.
func isHDF5With(path string, head []byte, paths ...string) bool {
	if !sniff.IsHDF5(head) {
		return false
	}
	h, err := openH5(path)
	if err != nil {
		return false
	}
	defer h.Close()
	return h.has(paths...)
}

// transpose returns the R×C row-major vals as a C×R row-major slice.
func transpose(vals []float64, R, C int) []float64 {
	out := make([]float64, len(vals))
	for r := range R {
		for c := range C {
			out[c*R+r] = vals[r*C+c]
		}
	}
	return out
}
