package hdf5

import (
	"bytes"
	"fmt"

	"github.com/neurotab/neurotab"
)

// Object header message types (HDF5 File Format Specification 3.0, IV.A.2).
const (
	msgNil          = 0x0000
	msgDataspace    = 0x0001
	msgLinkInfo     = 0x0002
	msgDatatype     = 0x0003
	msgFillOld      = 0x0004
	msgFill         = 0x0005
	msgLink         = 0x0006
	msgExternal     = 0x0007
	msgLayout       = 0x0008
	msgGroupInfo    = 0x000A
	msgFilters      = 0x000B
	msgAttribute    = 0x000C
	msgContinuation = 0x0010
	msgSymbolTable  = 0x0011
	msgAttrInfo     = 0x0015
)

const (
	maxHeaderBlocks   = 4096
	maxHeaderMessages = 65536
)

type message struct {
	typ   uint16
	flags uint8
	data  []byte
	addr  uint64 // relative address of data
}

type objHeader struct {
	addr    uint64
	version int
	msgs    []message
}

func (h *objHeader) find(typ uint16) *message {
	for i := range h.msgs {
		if h.msgs[i].typ == typ {
			return &h.msgs[i]
		}
	}
	return nil
}

func (h *objHeader) all(typ uint16) []*message {
	var out []*message
	for i := range h.msgs {
		if h.msgs[i].typ == typ {
			out = append(out, &h.msgs[i])
		}
	}
	return out
}

// header returns the parsed object header at addr, cached.
func (f *File) header(addr uint64, path string) (*objHeader, error) {
	f.mu.Lock()
	h, ok := f.headers[addr]
	f.mu.Unlock()
	if ok {
		return h, nil
	}
	h, err := f.parseHeader(addr, path)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	if len(f.headers) < 1<<20 {
		f.headers[addr] = h
	}
	f.mu.Unlock()
	return h, nil
}

type span struct{ addr, n uint64 }

func (f *File) parseHeader(addr uint64, path string) (*objHeader, error) {
	pre, err := f.readUpTo(addr, 16, path)
	if err != nil {
		return nil, err
	}
	h := &objHeader{addr: addr}
	seen := map[uint64]bool{addr: true}
	var queue []span
	if len(pre) >= 4 && bytes.Equal(pre[:4], []byte("OHDR")) {
		h.version = 2
		c := f.newCursor(pre, addr)
		c.skip(4)
		if v := c.u8(); c.err != nil {
			return nil, f.errf(path, f.base+int64(addr), c.err)
		} else if v != 2 {
			return nil, f.errf(path, f.base+int64(addr), fmt.Errorf("object header version %d: %w", v, neurotab.ErrUnsupported))
		}
		flags := c.u8()
		hl := 6
		if flags&0x20 != 0 {
			hl += 16
		}
		if flags&0x10 != 0 {
			hl += 4
		}
		szLen := 1 << (flags & 3)
		full, err := f.readUpTo(addr, int64(hl+szLen), path)
		if err != nil {
			return nil, err
		}
		c = f.newCursor(full, addr)
		c.skip(hl)
		chunk0 := c.uN(szLen)
		if c.err != nil {
			return nil, f.errf(path, f.base+int64(addr), c.err)
		}
		start := addr + uint64(hl+szLen)
		if err := f.checkRange(start, int64(chunk0)+4, path); err != nil {
			return nil, err
		}
		blk, err := f.readAt(start, int64(chunk0), path)
		if err != nil {
			return nil, err
		}
		if err := f.parseV2Messages(h, blk, start, flags, &queue, path); err != nil {
			return nil, err
		}
		for i := 0; i < len(queue); i++ {
			if i >= maxHeaderBlocks {
				return nil, f.errf(path, f.base+int64(addr), fmt.Errorf("too many header continuation blocks: %w", neurotab.ErrMalformed))
			}
			s := queue[i]
			if seen[s.addr] {
				return nil, f.errf(path, f.base+int64(s.addr), fmt.Errorf("header continuation cycle: %w", neurotab.ErrMalformed))
			}
			seen[s.addr] = true
			if s.n < 8 {
				return nil, f.errf(path, f.base+int64(s.addr), fmt.Errorf("continuation block of %d bytes: %w", s.n, neurotab.ErrMalformed))
			}
			blk, err := f.readAt(s.addr, int64(s.n), path)
			if err != nil {
				return nil, err
			}
			if !bytes.Equal(blk[:4], []byte("OCHK")) {
				return nil, f.errf(path, f.base+int64(s.addr), fmt.Errorf("bad continuation signature: %w", neurotab.ErrMalformed))
			}
			if err := f.parseV2Messages(h, blk[4:len(blk)-4], s.addr+4, flags, &queue, path); err != nil {
				return nil, err
			}
		}
		return h, nil
	}
	// version 1
	c := f.newCursor(pre, addr)
	v := c.u8()
	if v != 1 || c.err != nil {
		return nil, f.errf(path, f.base+int64(addr), fmt.Errorf("object header version %d: %w", v, neurotab.ErrMalformed))
	}
	h.version = 1
	c.skip(1)
	c.u16() // number of messages
	c.u32() // reference count
	size := c.u32()
	if c.err != nil {
		return nil, f.errf(path, f.base+int64(addr), c.err)
	}
	queue = append(queue, span{addr + 16, uint64(size)})
	for i := 0; i < len(queue); i++ {
		if i >= maxHeaderBlocks {
			return nil, f.errf(path, f.base+int64(addr), fmt.Errorf("too many header continuation blocks: %w", neurotab.ErrMalformed))
		}
		s := queue[i]
		if i > 0 {
			if seen[s.addr] {
				return nil, f.errf(path, f.base+int64(s.addr), fmt.Errorf("header continuation cycle: %w", neurotab.ErrMalformed))
			}
			seen[s.addr] = true
		}
		blk, err := f.readAt(s.addr, int64(s.n), path)
		if err != nil {
			return nil, err
		}
		c := f.newCursor(blk, s.addr)
		for c.rest() >= 8 {
			typ := c.u16()
			sz := int(c.u16())
			fl := c.u8()
			c.skip(3)
			dataAddr := s.addr + uint64(c.p)
			data := c.bytes(sz)
			if c.err != nil {
				return nil, f.errf(path, c.origin+int64(c.p), fmt.Errorf("message of %d bytes overruns header block: %w", sz, neurotab.ErrMalformed))
			}
			if err := f.addMessage(h, typ, fl, data, dataAddr, &queue, path); err != nil {
				return nil, err
			}
		}
	}
	return h, nil
}

func (f *File) parseV2Messages(h *objHeader, blk []byte, start uint64, hflags uint8, queue *[]span, path string) error {
	c := f.newCursor(blk, start)
	hdr := 4
	if hflags&0x04 != 0 {
		hdr = 6
	}
	for c.rest() >= hdr {
		typ := uint16(c.u8())
		sz := int(c.u16())
		fl := c.u8()
		if hflags&0x04 != 0 {
			c.skip(2)
		}
		dataAddr := start + uint64(c.p)
		data := c.bytes(sz)
		if c.err != nil {
			return f.errf(path, c.origin+int64(c.p), fmt.Errorf("message of %d bytes overruns header block: %w", sz, neurotab.ErrMalformed))
		}
		if err := f.addMessage(h, typ, fl, data, dataAddr, queue, path); err != nil {
			return err
		}
	}
	return nil
}

func (f *File) addMessage(h *objHeader, typ uint16, fl uint8, data []byte, addr uint64, queue *[]span, path string) error {
	if len(h.msgs) >= maxHeaderMessages {
		return f.errf(path, f.base+int64(addr), fmt.Errorf("more than %d header messages: %w", maxHeaderMessages, neurotab.ErrMalformed))
	}
	switch typ {
	case msgNil:
		return nil
	case msgContinuation:
		c := f.newCursor(data, addr)
		a := c.addr()
		n := c.length()
		if c.err != nil {
			return f.errf(path, f.base+int64(addr), c.err)
		}
		if err := f.checkRange(a, int64(n), path); err != nil || n > uint64(f.size) {
			return f.errf(path, f.base+int64(addr), fmt.Errorf("continuation block %d+%d outside file: %w", a, n, neurotab.ErrTruncated))
		}
		*queue = append(*queue, span{a, n})
		return nil
	}
	h.msgs = append(h.msgs, message{typ: typ, flags: fl, data: data, addr: addr})
	return nil
}
