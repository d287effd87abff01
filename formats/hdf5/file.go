package hdf5

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/neurotab/neurotab"
)

// DefaultMaxAlloc is the default limit, in bytes, of any single buffer the
// reader allocates for dataset values (4 GiB).
const DefaultMaxAlloc int64 = 4 << 30

// File is an open HDF5 file. Its methods are safe for concurrent use.
type File struct {
	r    io.ReaderAt
	size int64
	name string
	cl   io.Closer

	// MaxAlloc bounds the size in bytes of any one buffer allocated for
	// dataset or attribute values (and decompressed chunks). Zero means
	// DefaultMaxAlloc. Reads that would exceed it return neurotab.ErrTooLarge.
	MaxAlloc int64

	base      int64 // absolute offset of the superblock: addresses are relative to it
	sbVersion int
	offSz     int
	lenSz     int
	rootAddr  uint64

	mu        sync.Mutex
	headers   map[uint64]*objHeader
	pathIdx   map[uint64]string // object address -> first path in walk order (built lazily)
	gheaps    map[uint64]*globalHeap
	linkCache map[uint64][]Link
}

// Open opens the named HDF5 file for reading. The file name appears in every
// error message.
func Open(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, err
	}
	f, err := NewReader(fh, st.Size(), path)
	if err != nil {
		fh.Close()
		return nil, err
	}
	f.cl = fh
	return f, nil
}

// NewReader reads an HDF5 file of the given size from r; name is used in
// error messages. The superblock may follow a user block of 0, 512, 1024,
// 2048, ... bytes (MATLAB v7.3 files have 512).
func NewReader(r io.ReaderAt, size int64, name string) (*File, error) {
	f := &File{r: r, size: size, name: name, headers: map[uint64]*objHeader{}}
	if err := f.readSuperblock(); err != nil {
		return nil, err
	}
	return f, nil
}

// Close releases the underlying file when the File was made by Open.
func (f *File) Close() error {
	if f.cl != nil {
		err := f.cl.Close()
		f.cl = nil
		return err
	}
	return nil
}

// Name returns the file name given to Open or NewReader.
func (f *File) Name() string { return f.name }

// SuperblockVersion returns the superblock version (0, 1, 2 or 3).
func (f *File) SuperblockVersion() int { return f.sbVersion }

// UserBlockSize returns the number of bytes before the superblock.
func (f *File) UserBlockSize() int64 { return f.base }

func (f *File) maxAlloc() int64 {
	if f.MaxAlloc > 0 {
		return f.MaxAlloc
	}
	return DefaultMaxAlloc
}

func (f *File) readSuperblock() error {
	var sig [8]byte
	found := int64(-1)
	for off := int64(0); off+8 <= f.size; {
		if _, err := f.r.ReadAt(sig[:], off); err != nil {
			return f.errf("", off, err)
		}
		if string(sig[:]) == Signature {
			found = off
			break
		}
		if off == 0 {
			off = 512
		} else {
			off *= 2
		}
	}
	if found < 0 {
		return f.errf("", -1, fmt.Errorf("no superblock signature at offset 0, 512, 1024, …: not an HDF5 file: %w", neurotab.ErrMalformed))
	}
	f.base = found
	hdr := make([]byte, 256)
	n, err := f.r.ReadAt(hdr, found)
	if err != nil && err != io.EOF {
		return f.errf("", found, err)
	}
	hdr = hdr[:n]
	c := &cursor{b: hdr, origin: found}
	c.skip(8)
	v := int(c.u8())
	f.sbVersion = v
	switch v {
	case 0, 1:
		c.skip(3) // free-space, root symbol table, reserved
		c.skip(1) // shared header version
		f.offSz = int(c.u8())
		f.lenSz = int(c.u8())
		c.skip(1)
		c.skip(4) // group leaf/internal K
		c.skip(4) // consistency flags
		if v == 1 {
			c.skip(4) // indexed storage K + reserved
		}
	case 2, 3:
		f.offSz = int(c.u8())
		f.lenSz = int(c.u8())
		c.skip(1) // flags
	default:
		return f.errf("", found+8, fmt.Errorf("superblock version %d: %w", v, neurotab.ErrUnsupported))
	}
	if c.err != nil {
		return f.errf("", found, c.err)
	}
	if !validSize(f.offSz) || !validSize(f.lenSz) {
		return f.errf("", found+13, fmt.Errorf("size of offsets %d / lengths %d: %w", f.offSz, f.lenSz, neurotab.ErrMalformed))
	}
	c.offSz, c.lenSz = f.offSz, f.lenSz
	c.addr() // base address: addresses are taken relative to the superblock
	if v < 2 {
		c.addr() // free-space info
		c.addr() // end of file
		c.addr() // driver info
		// root group symbol table entry
		c.length()
		f.rootAddr = c.addr()
	} else {
		c.addr() // superblock extension
		c.addr() // end of file
		f.rootAddr = c.addr()
	}
	if c.err != nil {
		return f.errf("", found, c.err)
	}
	if f.rootAddr == undefAddr || int64(f.rootAddr) < 0 || f.base+int64(f.rootAddr) >= f.size {
		return f.errf("", found, fmt.Errorf("root object header address %d outside file: %w", f.rootAddr, neurotab.ErrMalformed))
	}
	return nil
}

func validSize(n int) bool { return n == 2 || n == 4 || n == 8 }

// readAt reads n bytes at the relative address addr, checking the range
// against the file size before allocating.
func (f *File) readAt(addr uint64, n int64, path string) ([]byte, error) {
	if err := f.checkRange(addr, n, path); err != nil {
		return nil, err
	}
	b := make([]byte, n)
	if err := f.readInto(b, addr, path); err != nil {
		return nil, err
	}
	return b, nil
}

func (f *File) readInto(b []byte, addr uint64, path string) error {
	if err := f.checkRange(addr, int64(len(b)), path); err != nil {
		return err
	}
	if _, err := f.r.ReadAt(b, f.base+int64(addr)); err != nil && err != io.EOF {
		return f.errf(path, f.base+int64(addr), err)
	}
	return nil
}

func (f *File) checkRange(addr uint64, n int64, path string) error {
	if addr == undefAddr || n < 0 || addr > uint64(f.size) || f.base+int64(addr)+n > f.size || f.base+int64(addr)+n < 0 {
		return f.errf(path, f.base+int64(addr), fmt.Errorf("%d bytes at address %d beyond end of file (%d bytes): %w", n, addr, f.size, neurotab.ErrTruncated))
	}
	return nil
}

// readUpTo reads at most n bytes at addr (fewer near the end of the file).
func (f *File) readUpTo(addr uint64, n int64, path string) ([]byte, error) {
	if addr == undefAddr || addr > uint64(f.size) || f.base+int64(addr) > f.size {
		return nil, f.errf(path, f.base+int64(addr), fmt.Errorf("address %d beyond end of file: %w", addr, neurotab.ErrTruncated))
	}
	if rem := f.size - f.base - int64(addr); n > rem {
		n = rem
	}
	return f.readAt(addr, n, path)
}

func (f *File) cursorAt(addr uint64, n int64, path string) (*cursor, error) {
	b, err := f.readAt(addr, n, path)
	if err != nil {
		return nil, err
	}
	return f.newCursor(b, addr), nil
}

func (f *File) newCursor(b []byte, addr uint64) *cursor {
	return &cursor{b: b, offSz: f.offSz, lenSz: f.lenSz, origin: f.base + int64(addr)}
}
