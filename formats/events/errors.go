package events

import (
	"errors"
	"fmt"
)

// Sentinel causes wrapped by Error; test with errors.Is.
var (
	// ErrTruncated: the stream ended inside a record, a word or a header.
	ErrTruncated = errors.New("truncated")
	// ErrFormat: a magic number, header or record type that the format does not allow.
	ErrFormat = errors.New("bad format")
	// ErrRange: a field outside its allowed range (a coordinate beyond the sensor, a polarity > 1).
	ErrRange = errors.New("value out of range")
	// ErrTimeBackwards: a timestamp earlier than the one before it.
	ErrTimeBackwards = errors.New("time runs backwards")
)

// Error is a decoding or encoding fault. It names the file (or stream), the
// byte offset at which the fault was found, and the cause, on one line:
//
//	sample.raw: byte 1234: time runs backwards: 1000 after 1200
type Error struct {
	Name   string // file or stream name, "" when unknown
	Offset int64  // byte offset from the start of the file
	Err    error  // cause; wraps one of the Err* sentinels
}

// Error formats the fault as "name: byte offset: cause".
func (e *Error) Error() string {
	name := e.Name
	if name == "" {
		name = "<stream>"
	}
	return fmt.Sprintf("%s: byte %d: %v", name, e.Offset, e.Err)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error whose cause wraps sentinel with a formatted detail.
func Errorf(name string, off int64, sentinel error, format string, args ...any) *Error {
	if format == "" {
		return &Error{Name: name, Offset: off, Err: sentinel}
	}
	return &Error{Name: name, Offset: off, Err: fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))}
}
