package mat

import (
	"fmt"
	"strings"
)

// Error says where decoding a MAT-file failed: the file, the variable (and
// path inside it), and the byte offset, on one line:
//
//	kato.mat: variable "WT.traces{2}": offset 4096 (+120 inflated): numeric data of 80 bytes for 3×4 double: malformed input
//
// For data inside an miCOMPRESSED element the offset is that of the
// compressed element in the file, and Inner is the offset inside the
// inflated stream (-1 otherwise). Err wraps a sentinel of package neurotab:
// ErrMalformed (ErrTruncated, ErrChecksum), ErrTooLarge, ErrUnsupported,
// ErrNotFound or ErrType; for v7.3 files it also holds the error of
// formats/hdf5 (an *hdf5.Error, its file name left out).
type Error struct {
	File   string // file name as given to Open or NewReader
	Path   string // variable and path inside it, e.g. "s.traces{2}"; may be empty
	Offset int64  // byte offset in the file; -1 when none applies
	Inner  int64  // offset inside the inflated miCOMPRESSED stream, or -1
	Err    error  // cause, wrapping a neurotab sentinel
}

// Error formats the error on one line: file, variable, offset, cause.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Path != "" {
		fmt.Fprintf(&b, ": variable %q", e.Path)
	}
	if e.Offset >= 0 {
		fmt.Fprintf(&b, ": offset %d", e.Offset)
		if e.Inner >= 0 {
			fmt.Fprintf(&b, " (+%d inflated)", e.Inner)
		}
	}
	b.WriteString(": ")
	b.WriteString(oneLine.Replace(e.Err.Error()))
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// cause is the detail format/args wrapping sentinel: "detail: sentinel".
func cause(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), sentinel)
}

// oneLine escapes line breaks, which names from a damaged file (datatype
// member names, link names in HDF5 messages) may hold, so errors stay on
// one line.
var oneLine = strings.NewReplacer("\n", `\n`, "\r", `\r`)
