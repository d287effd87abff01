// Package hdf5 is a read-only, pure-Go reader for HDF5 files, written from
// the HDF5 File Format Specification version 3.0
// (https://docs.hdfgroup.org/hdf5/develop/_f_m_t3.html).
//
// It reads what h5py, libhdf5 (1.8–1.14 formats), HDF5.jl, MATLAB v7.3,
// hdf5storage and pynwb write:
//
//   - superblocks 0–3, with a user block before the superblock (searched at
//     0, 512, 1024, 2048, …; MATLAB v7.3 files have 512 bytes);
//   - object headers v1 and v2 with continuation blocks;
//   - old-style groups (symbol table, v1 B-tree, local heap) and new-style
//     groups (link messages; dense storage in a fractal heap indexed by a
//     v2 B-tree); hard, soft and external links (external links are
//     reported, not followed);
//   - scalar, simple and null dataspaces;
//   - integers of any size and either byte order, IEEE half/single/double
//     floats, fixed and variable-length strings (ASCII, UTF-8), vlen
//     sequences (global heap), compounds, enums (h5py booleans), arrays,
//     object references, committed (named) datatypes;
//   - compact, contiguous and chunked layouts; chunk indexes: v1 B-tree
//     and the version-4 indexes (single chunk, implicit, fixed array,
//     extensible array, v2 B-tree); fill values for unwritten chunks;
//   - filters deflate, shuffle and fletcher32 (checksum verified: a bad
//     chunk gives neurotab.ErrChecksum); any other filter gives ErrFilter
//     naming its id;
//   - compact and dense attributes.
//
// Not supported: virtual datasets, external raw storage, region
// references, shared object-header messages in the SOHM heap, filtered
// fractal heaps, non-IEEE floats, the object-reference encoding of HDF5 1.12+
// (H5R_ref_t).
//
// # Orientation and units
//
// Shapes and values are row-major (C order), exactly as h5py reports them:
// element (i, j) of a dataset of shape (R, C) is at index i*C + j. Files
// written by column-major languages (MATLAB, Julia) therefore appear with
// their dimensions reversed. Values are returned in their stored units.
//
// # Use
//
//	f, err := hdf5.Open("data.h5")            // or NewReader(r, size, name)
//	defer f.Close()
//	o, err := f.Get("/gcamp/traces")
//	d := o.(*hdf5.Dataset)
//	v, err := d.ReadFloat64()                 // whole dataset
//	w, err := d.ReadHyperslab(start, count)   // only the chunks it touches
//
// Every file-backed reader of neurotab built on this package has the same
// two constructors: Open(path) (*File, error) and NewReader(r io.ReaderAt,
// size int64, name string) (*File, error), the name appearing in errors; a
// format read from an already open *hdf5.File has FromHDF5(h) (*File,
// error) (formats/nwb, formats/shd). Signature is the 8-byte HDF5 signature,
// for sniffing.
//
// Typed reads: ReadAs[T] / ReadHyperslabAs[T] for any Go numeric T,
// ReadStrings, ReadReferences (then File.Deref), ReadVLenAs[T],
// ReadCompound, ReadValues, ReadComplex128, ReadRaw.
//
// # Safety
//
// Every offset and length read from the file is checked against the file
// size before anything is allocated; recursion (B-trees, nested types,
// soft links, group depth) is bounded; buffers for values are limited by
// File.MaxAlloc (default 4 GiB).
//
// # Errors
//
// Every error about the file's content is an *Error naming the file, the
// object path and the byte offset, on one line:
//
//	data.h5: "/gcamp/traces": offset 4096: bad v1 B-tree signature: malformed input
//
// and wraps a sentinel of package neurotab: ErrMalformed (not an HDF5 file,
// a structure that cannot be), ErrTruncated (an address or field beyond the
// end of the file: a cut-short copy), ErrChecksum, ErrTooLarge (beyond
// MaxAlloc), ErrUnsupported, ErrNotFound, ErrType; or ErrExternalLink /
// ErrFilter, which wrap neurotab.ErrUnsupported.
//
// # Concurrency and ownership
//
// A File is safe for concurrent use; chunked reads decompress chunks on
// GOMAXPROCS goroutines. Nothing needs releasing but the File itself
// (Close).
package hdf5
