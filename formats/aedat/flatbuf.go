package aedat

import (
	"encoding/binary"
	"fmt"

	"github.com/neurotab/neurotab"
)

// A minimal, bounds-checked FlatBuffers reader: just what the four AEDAT 4.0
// schemas need (tables, scalars, strings, vectors of structs and of tables).
// Layout (flatbuffers.dev, "FlatBuffers internals"): little-endian; a buffer
// starts with a uoffset32 to the root table, optionally followed by a 4-byte
// file identifier; a table starts with an soffset32 pointing back to its
// vtable (vtable = table - soffset); a vtable is uint16 vtable size, uint16
// table size, then one uint16 offset per field (0 = absent, use default);
// reference fields hold a uoffset32 relative to the field's own position;
// vectors and strings are a uint32 count followed by the elements.
//
// Every accessor checks positions against the buffer, so a corrupt buffer
// yields an error, never a panic or an allocation.

type fbError struct {
	pos int
	msg string
}

func (e *fbError) Error() string { return fmt.Sprintf("flatbuffer position %d: %s", e.pos, e.msg) }

// Unwrap makes a FlatBuffer fault a malformed-input error.
func (e *fbError) Unwrap() error { return neurotab.ErrMalformed }

func fbErr(pos int, format string, args ...any) error {
	return &fbError{pos: pos, msg: fmt.Sprintf(format, args...)}
}

type fbTable struct {
	buf   []byte
	pos   int // table start
	vt    int // vtable start
	vtLen int // vtable length in bytes
}

func fbU32(buf []byte, pos int) (uint32, bool) {
	if pos < 0 || pos > len(buf)-4 {
		return 0, false
	}
	return binary.LittleEndian.Uint32(buf[pos:]), true
}

// fbRoot returns the root table of buf (buf starts with the root uoffset).
func fbRoot(buf []byte) (fbTable, error) {
	off, ok := fbU32(buf, 0)
	if !ok {
		return fbTable{}, fbErr(0, "buffer of %d bytes has no root offset", len(buf))
	}
	return fbTableAt(buf, int64(off))
}

// fbIdentifier returns the 4-byte file identifier that follows the root
// offset, or "" when the buffer is too short.
func fbIdentifier(buf []byte) string {
	if len(buf) < 8 {
		return ""
	}
	return string(buf[4:8])
}

func fbTableAt(buf []byte, pos64 int64) (fbTable, error) {
	if pos64 < 0 || pos64 > int64(len(buf))-4 {
		return fbTable{}, fbErr(int(min(pos64, int64(len(buf)))), "table offset %d outside buffer of %d bytes", pos64, len(buf))
	}
	pos := int(pos64)
	so := int32(binary.LittleEndian.Uint32(buf[pos:]))
	vt := int64(pos) - int64(so)
	if vt < 0 || vt > int64(len(buf))-4 {
		return fbTable{}, fbErr(pos, "vtable offset %d outside buffer", vt)
	}
	vtLen := int(binary.LittleEndian.Uint16(buf[vt:]))
	tLen := int(binary.LittleEndian.Uint16(buf[vt+2:]))
	if vtLen < 4 || vtLen&1 != 0 || int(vt)+vtLen > len(buf) {
		return fbTable{}, fbErr(int(vt), "bad vtable length %d", vtLen)
	}
	if tLen < 4 || pos+tLen > len(buf) {
		return fbTable{}, fbErr(pos, "table length %d beyond buffer", tLen)
	}
	return fbTable{buf: buf, pos: pos, vt: int(vt), vtLen: vtLen}, nil
}

// field returns the absolute position of field i, checking that size bytes
// fit in the buffer; ok is false when the field is absent.
func (t fbTable) field(i, size int) (pos int, ok bool, err error) {
	e := 4 + 2*i
	if e+2 > t.vtLen {
		return 0, false, nil
	}
	o := int(binary.LittleEndian.Uint16(t.buf[t.vt+e:]))
	if o == 0 {
		return 0, false, nil
	}
	p := t.pos + o
	if p+size > len(t.buf) {
		return 0, false, fbErr(p, "field %d of %d bytes beyond buffer", i, size)
	}
	return p, true, nil
}

func (t fbTable) i32(i int, def int32) (int32, error) {
	p, ok, err := t.field(i, 4)
	if err != nil || !ok {
		return def, err
	}
	return int32(binary.LittleEndian.Uint32(t.buf[p:])), nil
}

func (t fbTable) i64(i int, def int64) (int64, error) {
	p, ok, err := t.field(i, 8)
	if err != nil || !ok {
		return def, err
	}
	return int64(binary.LittleEndian.Uint64(t.buf[p:])), nil
}

// ref follows the uoffset stored in field i; ok is false when absent.
func (t fbTable) ref(i int) (pos int64, ok bool, err error) {
	p, ok, err := t.field(i, 4)
	if err != nil || !ok {
		return 0, ok, err
	}
	return int64(p) + int64(binary.LittleEndian.Uint32(t.buf[p:])), true, nil
}

// vector returns the start of the elements and their count for the vector
// in field i, checking that n*elemSize bytes fit in the buffer.
func (t fbTable) vector(i, elemSize int) (start, n int, ok bool, err error) {
	vp, ok, err := t.ref(i)
	if err != nil || !ok {
		return 0, 0, ok, err
	}
	if vp > int64(len(t.buf))-4 {
		return 0, 0, false, fbErr(int(min(vp, int64(len(t.buf)))), "vector offset %d outside buffer of %d bytes", vp, len(t.buf))
	}
	cnt := uint64(binary.LittleEndian.Uint32(t.buf[vp:]))
	start = int(vp) + 4
	if cnt*uint64(elemSize) > uint64(len(t.buf)-start) {
		return 0, 0, false, fbErr(int(vp), "vector of %d elements of %d bytes beyond buffer (%d bytes left)", cnt, elemSize, len(t.buf)-start)
	}
	return start, int(cnt), true, nil
}

// bytesField returns the bytes of the string (or [ubyte]) in field i.
func (t fbTable) bytesField(i int) ([]byte, bool, error) {
	start, n, ok, err := t.vector(i, 1)
	if err != nil || !ok {
		return nil, ok, err
	}
	return t.buf[start : start+n], true, nil
}

// tableAt follows the uoffset at absolute position p (an element of a
// vector of tables) to a table.
func (t fbTable) tableAt(p int) (fbTable, error) {
	off, ok := fbU32(t.buf, p)
	if !ok {
		return fbTable{}, fbErr(p, "table reference outside buffer")
	}
	return fbTableAt(t.buf, int64(p)+int64(off))
}
