package nwb

import (
	"errors"
	"fmt"

	"github.com/neurotab/neurotab/formats/hdf5"
)

// Sentinel errors; test with errors.Is.
var (
	// ErrFormat means the file is valid HDF5 but an object does not follow
	// the NWB 2.x / hdmf-common schema (Rübel et al. 2022,
	// doi:10.7554/eLife.78362): a missing required dataset, a VectorIndex
	// that runs backwards or past its data, a column whose length disagrees
	// with the table's id, a rate that is not positive.
	ErrFormat = errors.New("nwb: not a valid NWB structure")
	// ErrNotFound is the HDF5 reader's "object not found", re-exported so
	// callers need not import formats/hdf5 to test for a missing path.
	ErrNotFound = hdf5.ErrNotFound
)

// Error is a structural fault in an NWB file, on one line:
//
//	session.nwb: "/units/spike_times_index": nwb: not a valid NWB structure: index runs backwards at row 2 (15 after 20)
type Error struct {
	File string // file name given to OpenFile or NewReader
	Path string // object path inside the file
	Err  error  // cause; wraps ErrFormat
}

// Error formats the fault as `file: "path": cause`.
func (e *Error) Error() string { return fmt.Sprintf("%s: %q: %v", e.File, e.Path, e.Err) }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// errf builds an *Error at path wrapping ErrFormat with a formatted detail.
func (f *File) errf(path, format string, args ...any) error {
	return &Error{File: f.h.Name(), Path: path, Err: fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))}
}
