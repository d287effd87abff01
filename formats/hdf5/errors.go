package hdf5

import (
	"errors"
	"fmt"
	"strings"

	"github.com/neurotab/neurotab"
)

// Signature is the 8-byte HDF5 format signature that starts the superblock
// (at offset 0, or after a user block of 512, 1024, 2048, … bytes).
const Signature = "\x89HDF\r\n\x1a\n"

// Package sentinels with a meaning the shared set of neurotab does not
// have. Each wraps a shared sentinel: errors.Is(err,
// neurotab.ErrUnsupported) holds for both. Every other error of this
// package wraps a sentinel of neurotab directly: ErrMalformed (not an HDF5
// file, a bad signature, an impossible size), ErrTruncated (an address or a
// field beyond the end of the file or its block), ErrChecksum (a Fletcher-32
// mismatch), ErrTooLarge (above File.MaxAlloc), ErrUnsupported, ErrNotFound
// (no object at a path, no such attribute) and ErrType (a datatype that
// cannot be converted to the Go type asked for).
var (
	// ErrExternalLink means a path crosses an external link, which this
	// reader does not follow. It wraps neurotab.ErrUnsupported.
	ErrExternalLink error = &kindError{"external link not followed", neurotab.ErrUnsupported}
	// ErrFilter means a chunk uses a filter this reader cannot decode; the
	// message names the filter id. It wraps neurotab.ErrUnsupported.
	ErrFilter error = &kindError{"unsupported filter", neurotab.ErrUnsupported}
)

// kindError is a package sentinel that is a kind of a shared one.
type kindError struct {
	msg    string
	parent error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.parent }

// Error is a fault located in an HDF5 file, on one line:
//
//	data.h5: "/gcamp/traces": offset 4096: bad v1 B-tree signature: malformed input
type Error struct {
	File   string // file name given to Open or NewReader
	Path   string // object path inside the file; "" for the superblock
	Offset int64  // byte offset from the start of the file; -1 when none applies
	Err    error  // cause; wraps a sentinel of neurotab or of this package
}

// Error formats the fault as `file: "path": offset N: cause`, leaving out an
// empty file or path and a negative offset.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Path != "" {
		sep(&b)
		fmt.Fprintf(&b, "%q", e.Path)
	}
	if e.Offset >= 0 {
		sep(&b)
		fmt.Fprintf(&b, "offset %d", e.Offset)
	}
	sep(&b)
	b.WriteString(e.Err.Error())
	return b.String()
}

func sep(b *strings.Builder) {
	if b.Len() > 0 {
		b.WriteString(": ")
	}
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// errf locates err in the file: at object path and absolute byte offset off
// (-1 for none). When err already holds an *Error (from a cursor, without
// the file, or from a read deeper down), that error's own location is the
// more precise one: it is kept, completed with the file and path, and the
// context added around it since ("attribute \"x\": ") goes before its
// cause, so the message names the file once.
func (f *File) errf(path string, off int64, err error) error {
	var e *Error
	if !errors.As(err, &e) || e != err && !strings.HasSuffix(err.Error(), e.Error()) {
		return &Error{File: f.name, Path: path, Offset: off, Err: err}
	}
	if e == err && e.File != "" {
		return e
	}
	c := *e
	if c.File == "" {
		c.File = f.name
	}
	if c.Path == "" {
		c.Path = path
	}
	if e != err {
		c.Err = &contextError{strings.TrimSuffix(err.Error(), e.Error()), e.Err}
	}
	return &c
}

// contextError is a cause with the context that was wrapped around its
// *Error (e.g. "attribute \"x\": ") moved in front of it.
type contextError struct {
	prefix string
	err    error
}

func (e *contextError) Error() string { return e.prefix + e.err.Error() }
func (e *contextError) Unwrap() error { return e.err }
