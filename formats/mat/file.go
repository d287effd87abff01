package mat

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/klauspost/compress/zlib"
	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/hdf5"
)

// HeaderSize is the size of the MAT v5 file header.
const HeaderSize = 128

// maxInflateRatio bounds the inflated size of an miCOMPRESSED element by its
// compressed size: DEFLATE cannot expand data by more than about 1032:1, so a
// larger declared size is a corrupt length, not data.
const maxInflateRatio = 1032

// DefaultMaxAlloc is the default File.MaxAlloc: the largest inflated
// miCOMPRESSED element, in bytes, a File decodes (256 MiB).
const DefaultMaxAlloc int64 = 256 << 20

// IsV5 reports whether header (the first 128 bytes of a file, or more) is a
// MAT v5 header: endian indicator "IM" or "MI" at bytes 126–127 and version
// 0x0100 in that byte order. MAT v7 files (v5 with compression) are v5.
func IsV5(header []byte) bool {
	order, ok := byteOrder(header)
	return ok && order.Uint16(header[124:126]) == 0x0100
}

// IsV73 reports whether header is the 128-byte MATLAB header at the start
// of a v7.3 (HDF5-based) MAT-file: text beginning "MATLAB", version 0x0200
// and a valid endian indicator. The text is not checked further: MATLAB 7.4
// wrote "MATLAB 7.0 MAT-file ... HDF5 schema 0.05" with version 0x0200. The
// HDF5 superblock follows at byte 512.
func IsV73(header []byte) bool {
	order, ok := byteOrder(header)
	return ok && order.Uint16(header[124:126]) == 0x0200 &&
		bytes.HasPrefix(header, []byte("MATLAB"))
}

func byteOrder(header []byte) (binary.ByteOrder, bool) {
	if len(header) < HeaderSize {
		return nil, false
	}
	switch string(header[126:128]) {
	case "IM":
		return binary.LittleEndian, true
	case "MI":
		return binary.BigEndian, true
	}
	return nil, false
}

// Header is the 128-byte MATLAB header at the start of a MAT v5 file and of
// a v7.3 file's 512-byte HDF5 user block.
type Header struct {
	Text         string // descriptive text (bytes 0–115), trailing blanks and NULs removed
	SubsysOffset uint64 // subsystem data offset (bytes 116–123); 0 or all blanks when unused
	Version      uint16 // 0x0100 for v5, 0x0200 for v7.3
	Endian       string // "IM" (little-endian file) or "MI" (big-endian file)
}

// VarInfo describes a variable without decoding its data.
//
// For a v7.3 file, Offset is the file offset of the variable's HDF5 object
// header, Size is 0, Compressed means the dataset is deflate-filtered, and
// Err keeps the Name (the link name is known even when the object is
// damaged).
type VarInfo struct {
	Name       string
	Class      Class // ClassLogical for logical arrays; for sparse: double or logical
	Dims       []int // MATLAB dims (nil when the class stores none, e.g. MCOS objects)
	Sparse     bool
	Complex    bool
	Compressed bool  // stored in an miCOMPRESSED element (v7.3: a deflate-filtered dataset)
	Offset     int64 // byte offset of the variable's element in the file (v7.3: of its object header)
	Size       int64 // bytes of the element in the file, tag included (v7.3: 0)
	Err        error // non-nil when the variable's header could not be decoded (v5: Name is then ""); Var returns it
}

// File is an opened MAT-file, v5 or v7.3 (see Version). Open and NewReader
// index the variables (name, class, dims) without reading their data; Var
// decodes one variable on each call. A File is safe for concurrent Var calls
// when its io.ReaderAt is.
type File struct {
	// Header is the 128-byte MATLAB header (for v7.3 the start of the
	// 512-byte HDF5 user block; Version is then 0x0200).
	Header Header

	// MaxAlloc caps, in bytes, the inflated size of an miCOMPRESSED element
	// (0 means DefaultMaxAlloc): a larger element is neurotab.ErrTooLarge
	// before anything is inflated. Set it after Open to read larger v5
	// variables.
	MaxAlloc int64

	name   string
	r      io.ReaderAt
	size   int64
	order  binary.ByteOrder
	vars   []VarInfo
	closer io.Closer
	h5     *hdf5.File // the HDF5 file of a v7.3 MAT-file, else nil
}

// Open opens and indexes the MAT-file at path, v5 or v7.3 (told apart by
// the header: IsV5, IsV73). Call Close when done.
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
	f.closer = fh
	return f, nil
}

// NewReader indexes a MAT-file (v5 or v7.3) of size bytes read through r;
// name is used in error messages. The caller keeps r open while using the
// File.
func NewReader(r io.ReaderAt, size int64, name string) (*File, error) {
	f := &File{name: name, r: r, size: size}
	if size < HeaderSize {
		return nil, f.errAt(0, "", neurotab.ErrTruncated, "file is %d bytes, shorter than the 128-byte MAT header", size)
	}
	hdr := make([]byte, HeaderSize)
	if _, err := r.ReadAt(hdr, 0); err != nil {
		return nil, f.ioErr(0, "", "reading header", err)
	}
	if IsV73(hdr) {
		return f.decodeV73(hdr)
	}
	order, ok := byteOrder(hdr)
	if !ok {
		if hdr[0] != 0 && hdr[1] != 0 && hdr[2] != 0 && hdr[3] != 0 && !bytes.HasPrefix(hdr, []byte("MATLAB")) {
			return nil, f.errAt(126, "", neurotab.ErrMalformed, "no MAT v5 endian indicator (IM/MI) at byte 126")
		}
		return nil, f.errAt(126, "", neurotab.ErrUnsupported, "not a MAT v5 file (MAT v4 or unknown)")
	}
	f.order = order
	f.Header = Header{
		Text:         strings.TrimRight(string(hdr[:116]), " \x00"),
		SubsysOffset: order.Uint64(hdr[116:124]),
		Version:      order.Uint16(hdr[124:126]),
		Endian:       string(hdr[126:128]),
	}
	if f.Header.Version != 0x0100 {
		return nil, f.errAt(124, "", neurotab.ErrUnsupported, "MAT version 0x%04x, want 0x0100", f.Header.Version)
	}
	if err := f.index(); err != nil {
		return nil, err
	}
	return f, nil
}

// Close closes the file opened by Open (a no-op for NewReader).
func (f *File) Close() error {
	if f.closer == nil {
		return nil
	}
	c := f.closer
	f.closer = nil
	return c.Close()
}

// Name returns the file name given to Open or NewReader.
func (f *File) Name() string { return f.name }

// Variables returns the variables in file order (v7.3: the root group's
// link names in byte order, as HDF5 lists them). The unnamed subsystem
// element that MCOS objects need (the one Header.SubsysOffset points at;
// v7.3: the #subsystem# group) and v7.3's #refs# group are not listed.
func (f *File) Variables() []VarInfo { return f.vars }

// Names returns the variable names in the order of Variables.
func (f *File) Names() []string {
	out := make([]string, len(f.vars))
	for i, v := range f.vars {
		out[i] = v.Name
	}
	return out
}

// Var decodes the variable called name (the first one if the name repeats).
// A variable this package cannot decode (function handle, MCOS object) comes
// back as *Unsupported together with an error wrapping neurotab.ErrUnsupported. A
// damaged variable gives its decoding error; the others remain readable.
// Each call decodes afresh (nothing is cached).
func (f *File) Var(name string) (Value, error) {
	for i := range f.vars {
		if f.vars[i].Name == name {
			return f.decodeVar(&f.vars[i])
		}
	}
	// A variable whose header is damaged has no name: it may be the one
	// asked for, so say that rather than "no such variable".
	for i := range f.vars {
		if vi := &f.vars[i]; vi.Err != nil && vi.Name == "" {
			e := &Error{File: f.name, Path: name, Offset: vi.Offset, Inner: -1, Err: vi.Err}
			var fe *Error
			if errors.As(vi.Err, &fe) {
				e.Offset, e.Inner, e.Err = fe.Offset, fe.Inner, fe.Err
			}
			e.Err = fmt.Errorf("not found: the variable header at offset %d is damaged: %w", vi.Offset, e.Err)
			return nil, e
		}
	}
	return nil, &Error{File: f.name, Path: name, Offset: -1, Inner: -1, Err: cause(neurotab.ErrNotFound, "no such variable")}
}

// Lookup decodes the variable named by the first segment of path and
// follows the rest as Lookup does: f.Lookup("WT.traces{2}").
func (f *File) Lookup(path string) (Value, error) {
	end := strings.IndexAny(path, ".({")
	if end < 0 {
		end = len(path)
	}
	v, err := f.Var(path[:end])
	if err != nil {
		return nil, err
	}
	out, err := Lookup(v, path[end:])
	if err != nil {
		return nil, &Error{File: f.name, Path: path[:end], Offset: -1, Inner: -1, Err: err}
	}
	return out, nil
}

// ioErr is an *Error for a failed read of the input (not a format problem:
// its cause is the reader's error).
func (f *File) ioErr(off int64, v, what string, err error) error {
	return &Error{File: f.name, Path: v, Offset: off, Inner: -1, Err: fmt.Errorf("%s: %w", what, err)}
}

func (f *File) errAt(off int64, v string, sentinel error, format string, args ...any) error {
	return &Error{File: f.name, Path: v, Offset: off, Inner: -1, Err: cause(sentinel, format, args...)}
}

const (
	miINT8       = 1
	miUINT8      = 2
	miINT16      = 3
	miUINT16     = 4
	miINT32      = 5
	miUINT32     = 6
	miSINGLE     = 7
	miDOUBLE     = 9
	miINT64      = 12
	miUINT64     = 13
	miMATRIX     = 14
	miCOMPRESSED = 15
	miUTF8       = 16
	miUTF16      = 17
	miUTF32      = 18
)

// index walks the top-level elements and peeks at each variable's header.
func (f *File) index() error {
	pos := int64(HeaderSize)
	var tag [8]byte
	for pos+8 <= f.size {
		if _, err := f.r.ReadAt(tag[:], pos); err != nil {
			return f.ioErr(pos, "", "reading element tag", err)
		}
		typ := f.order.Uint32(tag[:4])
		n := int64(f.order.Uint32(tag[4:]))
		if typ>>16 != 0 {
			return f.errAt(pos, "", neurotab.ErrMalformed, "top-level small data element (type %d)", typ&0xffff)
		}
		if typ != miMATRIX && typ != miCOMPRESSED {
			return f.errAt(pos, "", neurotab.ErrMalformed, "top-level element of type %d, want miMATRIX (14) or miCOMPRESSED (15)", typ)
		}
		if n > f.size-pos-8 {
			return f.errAt(pos, "", neurotab.ErrTruncated, "element declares %d bytes but only %d remain in the %d-byte file", n, f.size-pos-8, f.size)
		}
		info := VarInfo{Offset: pos, Size: 8 + n, Compressed: typ == miCOMPRESSED}
		if err := f.peek(&info); err != nil {
			// The element's extent is known, so the next variables stay
			// readable; this one reports its error from Var.
			info.Err = err
		}
		// The subsystem data (MCOS object storage) is an unnamed uint8
		// variable the header points at; it is not a user variable.
		if !(uint64(pos) == f.Header.SubsysOffset && info.Name == "") {
			f.vars = append(f.vars, info)
		}
		next := pos + 8 + n
		if typ != miCOMPRESSED {
			next += (8 - n%8) % 8
		}
		pos = next
	}
	if pos < f.size {
		// Fewer than 8 trailing bytes: tolerate zero padding only.
		rest := make([]byte, f.size-pos)
		if _, err := f.r.ReadAt(rest, pos); err != nil && !errors.Is(err, io.EOF) {
			return f.ioErr(pos, "", "reading trailing bytes", err)
		}
		for _, b := range rest {
			if b != 0 {
				return f.errAt(pos, "", neurotab.ErrTruncated, "%d trailing bytes after the last element, fewer than a tag's 8", len(rest))
			}
		}
	}
	return nil
}

// peek reads the array flags, dims and name of a variable.
func (f *File) peek(info *VarInfo) error {
	payload := info.Size - 8
	want := int64(1024)
	for {
		var (
			d     *decoder
			inner int
			err   error
		)
		full := false
		if info.Compressed {
			var buf []byte
			buf, full, err = f.inflate(info.Offset, payload, want)
			if err != nil {
				return err
			}
			d = f.newDecoder(buf, info.Offset, true)
			if typ := f.order.Uint32(buf[:4]); typ != miMATRIX {
				return d.errf(0, "", neurotab.ErrMalformed, "miCOMPRESSED element holds type %d, want miMATRIX", typ)
			}
			inner = len(buf) - 8
			d.start = 8
		} else {
			n := min(payload, want)
			full = n == payload
			buf := make([]byte, n)
			if _, err := f.r.ReadAt(buf, info.Offset+8); err != nil {
				return f.ioErr(info.Offset, "", "reading variable", err)
			}
			d = f.newDecoder(buf, info.Offset+8, false)
			inner = len(buf)
		}
		h, _, err := d.header(d.start, d.start+inner, "")
		if err != nil {
			if !full {
				want *= 16
				continue
			}
			return err
		}
		info.Name, info.Class, info.Dims = h.name, h.class, h.dims
		info.Sparse, info.Complex = h.sparse, h.complex
		return nil
	}
}

// inflate decompresses the miCOMPRESSED element at off (payload n bytes),
// stopping after limit bytes of output when limit >= 0. full reports whether
// the whole stream was read (and its checksum verified).
func (f *File) inflate(off, n, limit int64) (buf []byte, full bool, err error) {
	zr, err := zlib.NewReader(io.NewSectionReader(f.r, off+8, n))
	if err != nil {
		return nil, false, &Error{File: f.name, Offset: off, Inner: 0, Err: fmt.Errorf("miCOMPRESSED: bad zlib header: %w: %w", err, neurotab.ErrMalformed)}
	}
	defer zr.Close()
	var tag [8]byte
	if _, err := io.ReadFull(zr, tag[:]); err != nil {
		return nil, false, &Error{File: f.name, Offset: off, Inner: 0, Err: fmt.Errorf("miCOMPRESSED: inflating the inner tag: %w", zerr(err))}
	}
	inner := int64(f.order.Uint32(tag[4:]))
	if f.order.Uint32(tag[:4])>>16 != 0 {
		inner = 0
	}
	if inner > maxInflateRatio*n+64 {
		return nil, false, &Error{File: f.name, Offset: off, Inner: 4, Err: cause(neurotab.ErrTooLarge, "miCOMPRESSED: inner element declares %d bytes from %d compressed bytes (more than DEFLATE's %d:1 maximum)", inner, n, maxInflateRatio)}
	}
	// The cap applies to a full inflation; peeking at a header inflates
	// only its first bytes.
	if lim := f.maxAlloc(); inner > lim && (limit < 0 || limit >= inner) {
		return nil, false, &Error{File: f.name, Offset: off, Inner: 4, Err: cause(neurotab.ErrTooLarge, "miCOMPRESSED: inner element declares %d bytes, more than the %d-byte allocation cap", inner, lim)}
	}
	total := inner
	if limit >= 0 && limit < total {
		total = limit
	} else {
		full = true
	}
	// Grow with the data actually inflated, not with the declared size.
	buf = make([]byte, 8, 8+min(total, 4*n+4096))
	copy(buf, tag[:])
	for int64(len(buf)-8) < total {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		end := min(int64(cap(buf)), 8+total)
		m, err := io.ReadFull(zr, buf[len(buf):end])
		buf = buf[:len(buf)+m]
		if err != nil {
			return nil, false, &Error{File: f.name, Offset: off, Inner: int64(len(buf)), Err: fmt.Errorf("miCOMPRESSED: stream ends after %d of %d inflated bytes: %w", len(buf)-8, inner, zerr(err))}
		}
	}
	if full {
		// Read to the end of the stream so the Adler-32 checksum is verified.
		m, err := io.Copy(io.Discard, io.LimitReader(zr, 1<<20))
		if err != nil {
			return nil, false, &Error{File: f.name, Offset: off, Inner: int64(len(buf)), Err: fmt.Errorf("miCOMPRESSED: %w", zerr(err))}
		}
		_ = m // trailing inflated bytes after the inner element are ignored, as MATLAB does
	}
	return buf, full, nil
}

func (f *File) maxAlloc() int64 {
	if f.MaxAlloc > 0 {
		return f.MaxAlloc
	}
	return DefaultMaxAlloc
}

// decodeVar reads and decodes one indexed variable.
func (f *File) decodeVar(info *VarInfo) (Value, error) {
	if f.h5 != nil {
		return f.decodeVarV73(info)
	}
	if info.Err != nil {
		return nil, info.Err
	}
	payload := info.Size - 8
	var d *decoder
	start, end := 0, 0
	if info.Compressed {
		buf, _, err := f.inflate(info.Offset, payload, -1)
		if err != nil {
			return nil, withVar(err, info.Name)
		}
		d = f.newDecoder(buf, info.Offset, true)
		_, n, _, _, err := d.tag(0, len(buf), info.Name)
		if err != nil {
			return nil, err
		}
		start, end = 8, 8+n
	} else {
		buf := make([]byte, payload)
		if _, err := f.r.ReadAt(buf, info.Offset+8); err != nil {
			return nil, f.ioErr(info.Offset, info.Name, "reading variable", err)
		}
		d = f.newDecoder(buf, info.Offset+8, false)
		start, end = 0, len(buf)
	}
	d.start = start
	_, v, err := d.matrix(start, end-start, info.Name)
	if err != nil {
		return nil, err
	}
	if u, ok := v.(*Unsupported); ok {
		return u, f.errAt(info.Offset, info.Name, neurotab.ErrUnsupported, "%s", u.Reason)
	}
	return v, nil
}

func withVar(err error, name string) error {
	var fe *Error
	if errors.As(err, &fe) && fe.Path == "" {
		fe.Path = name
	}
	return err
}

// zerr wraps an error of the zlib stream in the sentinel it means: an
// Adler-32 mismatch is neurotab.ErrChecksum, a stream that ends early
// neurotab.ErrTruncated, anything else neurotab.ErrMalformed.
func zerr(err error) error {
	switch {
	case errors.Is(err, zlib.ErrChecksum):
		return fmt.Errorf("%w: %w", err, neurotab.ErrChecksum)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Errorf("%w: %w", err, neurotab.ErrTruncated)
	}
	return fmt.Errorf("%w: %w", err, neurotab.ErrMalformed)
}
