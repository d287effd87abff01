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
// Errors: malformed input returns a *FormatError naming the file, the header
// field and the byte offset, wrapping ErrFormat, ErrUnsupported or
// ErrTooLarge. The header length is bounded and the data size is checked
// against the file size (Open) or read incrementally (Read) so a corrupt
// shape never allocates more than the input holds.
package npy
