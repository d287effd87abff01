// Package mat reads MATLAB MAT-files into one decoded value model shared by
// MAT v5 (read here, including v7's compressed elements) and MAT v7.3 (HDF5
// with MATLAB conventions, read by a companion reader built on formats/hdf5),
// so ingest code does not care which version a file is.
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
// Open or Decode indexes the file (names, classes and dims of all variables)
// without reading data; File.Var decodes one variable on each call. Both byte
// orders ("IM", "MI"), miCOMPRESSED (zlib, checksum verified), small data
// elements, data stored in a narrower type than the class (MATLAB stores
// doubles as uint8 or int16 when the values fit), chars in miUTF8, miUTF16,
// miUINT16 or miUINT8, and MATLAB's one-byte-per-value logical sparse data
// are handled.
//
// # MAT v7.3 (for the reader built on formats/hdf5)
//
// A v7.3 file is sniffed with IsV73 (version 0x0200 in the 128-byte header;
// MATLAB 7.4 wrote "MATLAB 7.0" in its text). Its objects map onto the same
// values: ParseClass(MATLAB_class) gives the Class; HDF5 dims reversed are
// MATLAB dims and the stored row-major data is already column-major; char is
// uint16 data copied into Char.Data; logical is uint8 → Logical; complex
// compound {real, imag} → Numeric.Imag; cell = reference dataset into
// #refs# → Cell; struct = group with MATLAB_fields → Struct (one element per
// group, or reference datasets per field for struct arrays); MATLAB_sparse
// groups with ir/jc/data go through the same CSC check as v5 (sparseFromCSC);
// a MATLAB_empty dataset holds the dims of an empty value of its class.
//
// # Errors
//
// Malformed input returns a *FormatError naming the file, the variable path
// and the byte offset (for compressed data, the offset of the compressed
// element plus the offset inside the inflated stream), wrapping ErrFormat,
// ErrTooLarge or ErrUnsupported. Every length is checked against the bytes
// available before allocating; an miCOMPRESSED element may not declare more
// than 1032 times its compressed size (DEFLATE's limit). An unsupported
// variable does not stop the others from being read.
//
// Memory: Open keeps the file open; call File.Close. Decoded values own
// their memory (no Release needed).
package mat
