package events

import "fmt"

// Error is a decoding or encoding fault. It names the file (or stream), the
// byte offset at which the fault was found, and the cause, on one line:
//
//	sample.raw: offset 1234: time runs backwards: CD event at 1000 µs after 1200 µs
//
// Err wraps one of the neurotab sentinels (ErrTruncated, ErrMalformed,
// ErrOutOfRange, ErrTimeOrder, ErrTooLarge, ErrUnsupported) or an I/O error.
type Error struct {
	File   string // file or stream name as given in DecodeOptions.Name, "" when unknown
	Offset int64  // byte offset from the start of the file
	Err    error  // cause
}

// Error formats the fault as "file: offset N: cause".
func (e *Error) Error() string {
	file := e.File
	if file == "" {
		file = "<stream>"
	}
	return fmt.Sprintf("%s: offset %d: %v", file, e.Offset, e.Err)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error whose cause wraps sentinel with a formatted detail
// ("sentinel: detail"); an empty format gives the sentinel alone.
func Errorf(file string, off int64, sentinel error, format string, args ...any) *Error {
	if format == "" {
		return &Error{File: file, Offset: off, Err: sentinel}
	}
	return &Error{File: file, Offset: off, Err: fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))}
}
