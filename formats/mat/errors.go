package mat

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error from this package wraps one of them, so
// callers test with errors.Is.
var (
	// ErrFormat marks a file that does not follow the MAT-file format:
	// truncated, inconsistent lengths, bad compressed data.
	ErrFormat = errors.New("malformed MAT-file")
	// ErrUnsupported marks a valid construct this package does not decode
	// (MAT v4 files, function handles, MCOS objects).
	ErrUnsupported = errors.New("unsupported MAT-file content")
	// ErrNotFound marks a missing variable, field or index.
	ErrNotFound = errors.New("not found")
	// ErrType marks an accessor used on a value of the wrong kind.
	ErrType = errors.New("wrong value type")
	// ErrTooLarge marks an array whose declared size exceeds what the input
	// can hold or a package limit.
	ErrTooLarge = errors.New("array too large")
)

// FormatError describes where decoding failed: the file, the variable (and
// path inside it), and the byte offset. For data inside an miCOMPRESSED
// element the offset is that of the compressed element in the file, and
// Inner is the offset inside the inflated stream (-1 otherwise).
type FormatError struct {
	File   string // file name as given to Open or Decode
	Var    string // variable and path inside it, e.g. "s.traces{2}"; may be empty
	Offset int64  // byte offset in the file
	Inner  int64  // offset inside the inflated miCOMPRESSED stream, or -1
	Msg    string // what is wrong
	Err    error  // the sentinel (ErrFormat, ErrUnsupported, ErrTooLarge) or a cause
}

// Error formats the error on one line.
func (e *FormatError) Error() string {
	s := "mat: " + e.File
	if e.Var != "" {
		s += fmt.Sprintf(": variable %q", e.Var)
	}
	s += fmt.Sprintf(": offset %d", e.Offset)
	if e.Inner >= 0 {
		s += fmt.Sprintf(" (+%d inflated)", e.Inner)
	}
	return s + ": " + e.Msg
}

// Unwrap returns the wrapped error.
func (e *FormatError) Unwrap() error { return e.Err }
