package aedat

import (
	"errors"
	"fmt"
)

// Sentinel causes wrapped by *FormatError; test them with errors.Is.
var (
	// ErrMagic: the file does not start with the expected AEDAT version line.
	ErrMagic = errors.New("not an AEDAT file of this version")
	// ErrTruncated: the input ends inside a header, packet or event.
	ErrTruncated = errors.New("truncated")
	// ErrCorrupt: a structure is inconsistent (bad FlatBuffer, bad packet
	// header, impossible coordinates, undecompressable body).
	ErrCorrupt = errors.New("corrupt")
	// ErrTooLarge: a size read from the file exceeds Options.MaxPacketBytes
	// or the input's size.
	ErrTooLarge = errors.New("size beyond limit")
	// ErrUnsupported: a valid but unsupported feature (AEDAT 1.0/3.0, a
	// compressed AEDAT 3.1 format, an unknown compression code).
	ErrUnsupported = errors.New("unsupported")
)

// FormatError reports malformed input: the file name (Options.Name), the
// byte offset in the file where the fault was found, and what was wrong.
// Err is one of the sentinel errors above, or an I/O error.
type FormatError struct {
	File   string // Options.Name, or "<input>" when empty
	Offset int64  // byte offset in the file
	Msg    string // what was found
	Err    error  // cause: ErrMagic, ErrTruncated, ErrCorrupt, ErrTooLarge, ErrUnsupported or an I/O error
}

// Error returns the one-line message "aedat: FILE: offset N: MSG: CAUSE".
func (e *FormatError) Error() string {
	return fmt.Sprintf("aedat: %s: offset %d: %s: %v", e.File, e.Offset, e.Msg, e.Err)
}

// Unwrap returns the cause.
func (e *FormatError) Unwrap() error { return e.Err }

func newErr(name string, off int64, cause error, format string, args ...any) *FormatError {
	if name == "" {
		name = "<input>"
	}
	return &FormatError{File: name, Offset: off, Msg: fmt.Sprintf(format, args...), Err: cause}
}
