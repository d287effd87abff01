package hdf5

import (
	"encoding/binary"
	"fmt"

	"github.com/neurotab/neurotab"
)

// cursor decodes little-endian fields from a byte slice. Reads past the end
// set a sticky error and return zero values, so decoders never panic on
// truncated input; callers check err once after a group of reads.
type cursor struct {
	b      []byte
	p      int
	offSz  int // size of offsets (addresses) in bytes
	lenSz  int // size of lengths in bytes
	err    error
	origin int64 // file offset of b[0], for messages
}

func (c *cursor) fail(what string) {
	if c.err == nil {
		c.err = &Error{Offset: c.origin + int64(c.p), Err: fmt.Errorf("%w %s", neurotab.ErrTruncated, what)}
	}
}

func (c *cursor) need(n int, what string) bool {
	if c.err != nil {
		return false
	}
	if n < 0 || c.p+n > len(c.b) || c.p+n < c.p {
		c.fail(what)
		return false
	}
	return true
}

func (c *cursor) u8() uint8 {
	if !c.need(1, "byte") {
		return 0
	}
	v := c.b[c.p]
	c.p++
	return v
}

func (c *cursor) u16() uint16 {
	if !c.need(2, "uint16") {
		return 0
	}
	v := binary.LittleEndian.Uint16(c.b[c.p:])
	c.p += 2
	return v
}

func (c *cursor) u32() uint32 {
	if !c.need(4, "uint32") {
		return 0
	}
	v := binary.LittleEndian.Uint32(c.b[c.p:])
	c.p += 4
	return v
}

func (c *cursor) u64() uint64 {
	if !c.need(8, "uint64") {
		return 0
	}
	v := binary.LittleEndian.Uint64(c.b[c.p:])
	c.p += 8
	return v
}

// uN reads an n-byte little-endian unsigned integer (0 <= n <= 8).
func (c *cursor) uN(n int) uint64 {
	if n < 0 || n > 8 {
		c.fail("variable-size integer")
		return 0
	}
	if !c.need(n, "integer") {
		return 0
	}
	v := leUint(c.b[c.p : c.p+n])
	c.p += n
	return v
}

// addr reads a file address; the all-ones value (undefined) is returned as
// undefAddr.
func (c *cursor) addr() uint64 {
	v := c.uN(c.offSz)
	if c.offSz < 8 && v == (uint64(1)<<(8*uint(c.offSz)))-1 {
		return undefAddr
	}
	return v
}

func (c *cursor) length() uint64 { return c.uN(c.lenSz) }

func (c *cursor) bytes(n int) []byte {
	if !c.need(n, "bytes") {
		return nil
	}
	v := c.b[c.p : c.p+n]
	c.p += n
	return v
}

func (c *cursor) skip(n int) {
	if c.need(n, "field") {
		c.p += n
	}
}

// cstring reads a NUL-terminated string.
func (c *cursor) cstring() string {
	if c.err != nil {
		return ""
	}
	for i := c.p; i < len(c.b); i++ {
		if c.b[i] == 0 {
			s := string(c.b[c.p:i])
			c.p = i + 1
			return s
		}
	}
	c.fail("string")
	return ""
}

func (c *cursor) rest() int { return len(c.b) - c.p }

func (c *cursor) align8(start int) {
	pad := (8 - (c.p-start)%8) % 8
	c.skip(pad)
}

func leUint(b []byte) uint64 {
	var v uint64
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

// undefAddr is the HDF5 "undefined address" (all bits set).
const undefAddr = ^uint64(0)

// encSize returns the number of bytes needed to store values up to n, as
// libhdf5's "limit encode size": floor(log2(n))/8 + 1.
func encSize(n uint64) int {
	return log2floor(n)/8 + 1
}

func log2floor(n uint64) int {
	r := 0
	for n > 1 {
		n >>= 1
		r++
	}
	return r
}
