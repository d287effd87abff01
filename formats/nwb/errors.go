package nwb

import "fmt"

// Error is a structural fault in an NWB file (valid HDF5, but an object that
// does not follow the NWB 2.x / hdmf-common schema, Rübel et al. 2022,
// doi:10.7554/eLife.78362), on one line:
//
//	session.nwb: "/units/spike_times_index": offset 5120: index runs backwards at row 2 (15 after 20): malformed input
//
// Its cause wraps neurotab.ErrMalformed (a missing required dataset, a
// VectorIndex that runs backwards or past its data, a column whose length
// disagrees with the table's id, a rate that is not positive, a group where
// a dataset should be).
type Error struct {
	File   string // file name given to Open or NewReader
	Path   string // object path inside the file
	Offset int64  // byte offset of the object's header in the file; -1 when the object is absent
	Err    error  // cause; wraps a neurotab sentinel
}

// Error formats the fault as `file: "path": offset N: cause`, leaving out a
// negative offset.
func (e *Error) Error() string {
	if e.Offset < 0 {
		return fmt.Sprintf("%s: %q: %v", e.File, e.Path, e.Err)
	}
	return fmt.Sprintf("%s: %q: offset %d: %v", e.File, e.Path, e.Offset, e.Err)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// errf builds an *Error at path wrapping sentinel with a formatted detail;
// the offset is that of the object's header when path names one.
func (f *File) errf(path string, sentinel error, format string, args ...any) error {
	off := int64(-1)
	if o, err := f.h.Get(path); err == nil {
		off = f.h.UserBlockSize() + int64(o.Addr())
	}
	return &Error{File: f.h.Name(), Path: path, Offset: off, Err: fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), sentinel)}
}
