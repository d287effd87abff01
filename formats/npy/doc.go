// Package npy reads and writes NumPy .npy files (format versions 1.0, 2.0
// and 3.0): one n-dimensional array of a plain numeric or boolean dtype.
//
// Supported dtypes: float16/32/64 (<f2 <f4 <f8 and big-endian >…), signed
// and unsigned integers of 1, 2, 4 and 8 bytes in either byte order, and
// bool (|b1). Object arrays (dtype 'O', stored as a Python pickle — e.g.
// suite2p's ops.npy and stat.npy) and structured dtypes are rejected with
// ErrUnsupported: re-save them from Python as numeric arrays. Reading a
// pickled ops.npy dict is not implemented.
//
// Orientation: Shape is NumPy's shape. Array.Float64s, Float32s, Int64s and
// Bools return elements in row-major (C) order whatever the file's order: a
// Fortran-order file is transposed once on read. For suite2p's F.npy (ROI ×
// frame) row r of Float64s() is ROI r's trace over the frames.
//
// Opening: Open(path) and NewReader(r io.ReaderAt, size int64, name string)
// return (*Array, error), as every file-backed reader of neurotab does (name
// appears in errors); both check the declared shape against the size before
// allocating. Read(r io.Reader, name) reads a stream of unknown size (a
// pipe, an archive member), growing its buffer with the data that arrives.
// Magic is the 6-byte prefix, for sniffing.
//
// Errors: malformed input returns an *Error naming the file first, then the
// header field (Path) and the byte offset, wrapping a sentinel of package
// neurotab: ErrMalformed, ErrTruncated (the file ends inside the preamble,
// the header or the data), ErrUnsupported or ErrTooLarge. The header length
// is bounded by MaxHeaderLen.
package npy
