package hdf5

import "errors"

// Sentinel errors returned (wrapped with the file name, object path and byte
// offset) by the reader. Test with errors.Is.
var (
	// ErrNotHDF5 means no HDF5 superblock signature was found.
	ErrNotHDF5 = errors.New("hdf5: not an HDF5 file (no superblock signature)")
	// ErrCorrupt means a structure is malformed: a bad signature, an offset
	// or length outside the file, an impossible size.
	ErrCorrupt = errors.New("hdf5: corrupt file")
	// ErrUnsupported means a valid feature this reader does not implement.
	ErrUnsupported = errors.New("hdf5: unsupported feature")
	// ErrChecksum means a Fletcher-32 checksum of a chunk did not match.
	ErrChecksum = errors.New("hdf5: checksum mismatch")
	// ErrNotFound means a path does not name an object.
	ErrNotFound = errors.New("hdf5: object not found")
	// ErrType means the stored datatype cannot be converted to the requested
	// Go type.
	ErrType = errors.New("hdf5: datatype not convertible")
	// ErrTooLarge means a read would allocate more than the File's MaxAlloc.
	ErrTooLarge = errors.New("hdf5: allocation exceeds limit")
	// ErrExternalLink means a path crosses an external link, which this
	// reader does not follow.
	ErrExternalLink = errors.New("hdf5: external link not followed")
	// ErrFilter means a chunk uses a filter this reader cannot decode; the
	// message names the filter id.
	ErrFilter = errors.New("hdf5: unsupported filter")
)
