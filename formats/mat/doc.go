// Package mat reads MATLAB MAT-files into one decoded value model shared by
// MAT v5 (including v7's compressed elements) and MAT v7.3 (HDF5 with
// MATLAB conventions, read through formats/hdf5), so ingest code does not
// care which version a file is.
//
// # Value model
//
// A variable is a Value: *Numeric (double, single, int8 … uint64; real and
// imaginary parts as float64, plus exact Int64/Uint64 for the 64-bit
// integer classes), *Logical, *Char (UTF-16 code units), *Cell, *Struct
// (struct arrays included), *Object (old-style class objects), *Sparse
// (coordinates; ToDense) and *Unsupported (function handles, MCOS objects
// such as table or string).
//
// Orientation: Dims are MATLAB dims (size(x); never fewer than two) and all
// element slices are column-major, MATLAB's linear index order: element
// (i, j) of an R×C matrix is at i + R*j. RowMajor converts to C order in one
// place; for an R×C matrix of T time bins × N neurons, row t of the result
// holds the N values at time t. Empty arrays ([], the empty char, {}, zeros(0,3)) keep
// their class and dims (IsEmpty).
//
// Accessors: Struct.Field / Struct.At, Cell.Index, Float64s, String,
// Strings (cellstr or char matrix), Lookup(v, "meta.trials(2).ids{3}") and
// File.Lookup("var.a.b").
//
// # MAT v5
//
// Open or NewReader indexes the file (names, classes and dims of all variables)
// without reading data; File.Var decodes one variable on each call. Both byte
// orders ("IM", "MI"), miCOMPRESSED (zlib, checksum verified), small data
// elements, data stored in a narrower type than the class (MATLAB stores
// doubles as uint8 or int16 when the values fit), chars in miUTF8, miUTF16,
// miUINT16 or miUINT8, and MATLAB's one-byte-per-value logical sparse data
// are handled.
//
// # MAT v7.3
//
// Open and NewReader sniff the header (IsV5, IsV73: version 0x0200 in the
// 128-byte header; MATLAB 7.4 wrote "MATLAB 7.0" in its text) and read a
// v7.3 file, HDF5 after a 512-byte user block, through formats/hdf5; the
// File then has Version V73 and the same Variables, Names, Var and Lookup.
// The variables are the root group's members other than #refs# and
// #subsystem#, in name order. MATLAB's conventions map onto the same values:
//
//   - MATLAB_class names the class (ParseClass; MATLAB's shared
//     "canonical empty" is [] of class double). Without the attribute the
//     class follows the stored type (float64 → double, int16 → int16,
//     references → cell, a group → struct).
//   - HDF5 dims reversed are MATLAB dims (a 1-D dataset of n is n×1, a
//     scalar dataspace 1×1), and the stored row-major data is already
//     column-major.
//   - char is uint16 data copied into Char.Data; logical uint8 → Logical;
//     the compound {real, imag} → Numeric.Imag.
//   - cell: a dataset of object references into #refs# → Cell.
//   - struct: a group; field order from MATLAB_fields, else link order
//     (creation order when tracked, else name). When every field is a
//     reference dataset without MATLAB_class, the group is a struct array
//     whose dims are those datasets' dims.
//   - A group whose MATLAB_class is no MATLAB class (and has no
//     MATLAB_object_decode = 3) is an old-style object → Object.
//   - MATLAB_sparse (the row count) on a group of data, ir, jc → the same
//     CSC check as v5 (sparseFromCSC).
//   - MATLAB_empty: the dataset holds the dims, in MATLAB order, of an empty
//     array of its class (dims above 2^31-1 are rejected, as v5's int32
//     dims cannot hold them).
//   - function_handle and MCOS objects (MATLAB_object_decode = 3: string,
//     table, datetime) → Unsupported, as in v5.
//
// An object referenced twice decodes once and the two places share the
// Value (MATLAB shares only the canonical empty); a reference or link cycle
// is an error. For v7.3, VarInfo.Offset and Error.Offset are file offsets
// of HDF5 object headers, and errors from formats/hdf5 stay in the chain
// (errors.Is(err, neurotab.ErrChecksum) works; errors.As finds the
// *hdf5.Error with the object path inside the HDF5 file).
//
// # Opening
//
// The constructors have the shape of every file-backed reader in neurotab:
// Open(path) (*File, error), and NewReader(r io.ReaderAt, size int64, name
// string) (*File, error) where name appears in errors.
//
// # Errors
//
// Malformed input returns an *Error naming the file first, then the
// variable path and the byte offset (for compressed data, the offset of the
// compressed element plus the offset inside the inflated stream), on one
// line:
//
//	kato.mat: variable "WT.traces{2}": offset 4096 (+120 inflated): numeric data of 80 bytes for 3×4 double: malformed input
//
// It wraps a sentinel of package neurotab: ErrMalformed, ErrTruncated (an
// element or compressed stream that ends early), ErrChecksum (a bad
// Adler-32 of compressed data, a bad Fletcher-32 of a v7.3 chunk),
// ErrTooLarge, ErrUnsupported, ErrNotFound (no such variable). Accessors on
// decoded values (Float64s, Struct.Field, Lookup …) return errors wrapping
// neurotab.ErrType or ErrNotFound that name the value, not a file. Every
// length is checked against the bytes available before allocating; an
// miCOMPRESSED element may not declare more than 1032 times its compressed
// size (DEFLATE's limit) nor more than File.MaxAlloc (DefaultMaxAlloc,
// 256 MiB), and inflation stops at the declared size. A variable asked for
// by name while another variable's header is damaged reports that damage
// and its offset rather than "no such variable". An unsupported variable does not stop the others
// from being read.
//
// Memory: Open keeps the file open; call File.Close. Decoded values own
// their memory (no Release needed).
package mat
