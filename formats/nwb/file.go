package nwb

import (
	"io"
	"path"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/hdf5"
)

// File is an open NWB 2.x file (Rübel et al. 2022, doi:10.7554/eLife.78362).
// Its methods are safe for concurrent use, as the underlying hdf5.File is.
type File struct {
	h *hdf5.File
}

// Open opens the NWB file at path. It checks that the file is HDF5 with a
// readable root group; the root attributes (nwb_version, neurodata_type
// "NWBFile") are reported by Version and not required, so files written by
// tools that omit them still open.
func Open(path string) (*File, error) {
	h, err := hdf5.Open(path)
	if err != nil {
		return nil, err
	}
	f, err := FromHDF5(h)
	if err != nil {
		h.Close()
		return nil, err
	}
	return f, nil
}

// NewReader reads an NWB file of the given size from r; name appears in
// error messages.
func NewReader(r io.ReaderAt, size int64, name string) (*File, error) {
	h, err := hdf5.NewReader(r, size, name)
	if err != nil {
		return nil, err
	}
	return FromHDF5(h)
}

// FromHDF5 reads NWB from an already open HDF5 file: it checks that the
// root group can be read (a damaged root object header fails here, not on
// the first read). Closing the returned File closes h; on error h stays the
// caller's to close.
func FromHDF5(h *hdf5.File) (*File, error) {
	if _, err := h.Root(); err != nil {
		return nil, err
	}
	return &File{h: h}, nil
}

// Close releases the underlying file.
func (f *File) Close() error { return f.h.Close() }

// HDF5 returns the underlying HDF5 file, for objects this package does not
// model.
func (f *File) HDF5() *hdf5.File { return f.h }

// Name returns the file name used in error messages.
func (f *File) Name() string { return f.h.Name() }

// Version returns the root attribute nwb_version (e.g. "2.4.0"), or "" when
// absent. NWB 1.x files (HDF5 with an nwb_version dataset) are not read by
// this package.
func (f *File) Version() string {
	root, err := f.h.Root()
	if err != nil {
		return ""
	}
	return attrString(root, "nwb_version")
}

// Identifier returns the /identifier dataset (the NWBFile's unique
// identifier), or "" when absent.
func (f *File) Identifier() string { return f.scalarString("/identifier") }

// SessionStartTime returns /session_start_time as stored (ISO 8601 text), or
// "" when absent.
func (f *File) SessionStartTime() string { return f.scalarString("/session_start_time") }

func (f *File) scalarString(p string) string {
	s, err := f.Strings(p)
	if err != nil || len(s) == 0 {
		return ""
	}
	return s[0]
}

// DatasetFloat64 reads the numeric dataset at path (any integer or float
// type) converted to float64, row-major, with its shape as h5py reports it
// (a scalar has shape []). For adapters that know their paths, e.g.
// Nejatbakhsh2020's
// processing/CalciumActivity/SignalRawFluor/roi_response_series/SignalCalciumImResponseSeries/data.
// A relative path is taken from the root.
func (f *File) DatasetFloat64(p string) ([]float64, []int, error) {
	d, err := f.dataset(p)
	if err != nil {
		return nil, nil, err
	}
	v, err := d.ReadFloat64()
	if err != nil {
		return nil, nil, err
	}
	sh := d.Shape()
	shape := make([]int, len(sh))
	for i, n := range sh {
		shape[i] = int(n)
	}
	return v, shape, nil
}

// Strings reads the string dataset at path (fixed or variable length,
// ASCII or UTF-8), e.g. processing/CalciumActivity/NeuronIDs/labels. A scalar
// gives one string. A relative path is taken from the root.
func (f *File) Strings(p string) ([]string, error) {
	d, err := f.dataset(p)
	if err != nil {
		return nil, err
	}
	return d.ReadStrings()
}

// NeurodataType returns the neurodata_type attribute of the object at path,
// or "" when it has none.
func (f *File) NeurodataType(p string) (string, error) {
	o, err := f.h.Get(abs(p))
	if err != nil {
		return "", err
	}
	return attrString(o, "neurodata_type"), nil
}

// Find returns the paths of every object whose neurodata_type attribute is
// typ (e.g. "RoiResponseSeries", "Units", "TimeSeries"), in the HDF5 walk
// order (depth first, members by name). Subtypes are not followed: only the
// exact type name matches.
func (f *File) Find(typ string) ([]string, error) {
	var out []string
	err := f.h.Walk(func(p string, o hdf5.Object) error {
		if attrString(o, "neurodata_type") == typ {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// dataset returns the dataset at path p or an error naming p.
func (f *File) dataset(p string) (*hdf5.Dataset, error) {
	p = abs(p)
	o, err := f.h.Get(p)
	if err != nil {
		return nil, err
	}
	d, ok := o.(*hdf5.Dataset)
	if !ok {
		return nil, f.errf(p, neurotab.ErrMalformed, "not a dataset")
	}
	return d, nil
}

// group returns the group at path p or an error naming p.
func (f *File) group(p string) (*hdf5.Group, error) {
	p = abs(p)
	o, err := f.h.Get(p)
	if err != nil {
		return nil, err
	}
	g, ok := o.(*hdf5.Group)
	if !ok {
		return nil, f.errf(p, neurotab.ErrMalformed, "not a group")
	}
	return g, nil
}

// abs makes p absolute and clean.
func abs(p string) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return path.Clean(p)
}

// join joins a group path and a member name.
func join(g, name string) string {
	if g == "/" {
		return "/" + name
	}
	return g + "/" + name
}

// attrString returns a string attribute's value or "".
func attrString(o hdf5.Object, name string) string {
	a, err := o.Attr(name)
	if err != nil {
		return ""
	}
	s, err := a.AsString()
	if err != nil {
		return ""
	}
	return s
}

// attrFloat returns the first value of a numeric attribute.
func attrFloat(o hdf5.Object, name string) (float64, bool) {
	a, err := o.Attr(name)
	if err != nil {
		return 0, false
	}
	v, err := a.AsFloat64s()
	if err != nil || len(v) == 0 {
		return 0, false
	}
	return v[0], true
}
