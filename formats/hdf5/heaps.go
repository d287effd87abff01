package hdf5

import (
	"bytes"
	"fmt"

	"github.com/neurotab/neurotab"
)

// localHeap returns the data segment of the local heap at addr
// (specification III.D).
func (f *File) localHeap(addr uint64, path string) ([]byte, error) {
	c, err := f.cursorAt(addr, int64(8+2*f.lenSz+f.offSz), path)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(c.bytes(4), []byte("HEAP")) {
		return nil, f.errf(path, f.base+int64(addr), fmt.Errorf("bad local heap signature: %w", neurotab.ErrMalformed))
	}
	c.skip(4)
	size := c.length()
	c.length() // free list
	data := c.addr()
	if c.err != nil {
		return nil, f.errf(path, f.base+int64(addr), c.err)
	}
	return f.readAt(data, int64(size), path)
}

// heapString returns the NUL-terminated string at off in a local heap.
func heapString(heap []byte, off uint64) (string, error) {
	if off >= uint64(len(heap)) {
		return "", fmt.Errorf("local heap offset %d beyond heap of %d bytes: %w", off, len(heap), neurotab.ErrMalformed)
	}
	b := heap[off:]
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return string(b[:i]), nil
	}
	return "", fmt.Errorf("unterminated local heap string at %d: %w", off, neurotab.ErrMalformed)
}

type globalHeap struct {
	objs map[uint16][]byte
}

// globalObject returns object index idx of the global heap collection at
// addr (specification III.E), caching parsed collections.
func (f *File) globalObject(addr uint64, idx uint32, path string) ([]byte, error) {
	f.mu.Lock()
	if f.gheaps == nil {
		f.gheaps = map[uint64]*globalHeap{}
	}
	g, ok := f.gheaps[addr]
	f.mu.Unlock()
	if !ok {
		var err error
		g, err = f.parseGlobalHeap(addr, path)
		if err != nil {
			return nil, err
		}
		f.mu.Lock()
		if len(f.gheaps) > 4096 {
			f.gheaps = map[uint64]*globalHeap{}
		}
		f.gheaps[addr] = g
		f.mu.Unlock()
	}
	if idx > 0xffff {
		return nil, f.errf(path, f.base+int64(addr), fmt.Errorf("global heap index %d: %w", idx, neurotab.ErrMalformed))
	}
	b, ok := g.objs[uint16(idx)]
	if !ok {
		return nil, f.errf(path, f.base+int64(addr), fmt.Errorf("global heap object %d missing: %w", idx, neurotab.ErrMalformed))
	}
	return b, nil
}

func (f *File) parseGlobalHeap(addr uint64, path string) (*globalHeap, error) {
	c, err := f.cursorAt(addr, int64(8+f.lenSz), path)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(c.bytes(4), []byte("GCOL")) {
		return nil, f.errf(path, f.base+int64(addr), fmt.Errorf("bad global heap signature: %w", neurotab.ErrMalformed))
	}
	c.skip(4)
	size := c.length()
	if c.err != nil || size < uint64(8+f.lenSz) {
		return nil, f.errf(path, f.base+int64(addr), fmt.Errorf("global heap collection size %d: %w", size, neurotab.ErrMalformed))
	}
	buf, err := f.readAt(addr, int64(size), path)
	if err != nil {
		return nil, err
	}
	c = f.newCursor(buf, addr)
	c.skip(8 + f.lenSz)
	g := &globalHeap{objs: map[uint16][]byte{}}
	for c.rest() >= 8+f.lenSz {
		id := c.u16()
		c.skip(6)
		n := c.length()
		if id == 0 {
			break // free space
		}
		if n > uint64(c.rest()) {
			return nil, f.errf(path, c.origin+int64(c.p), fmt.Errorf("global heap object %d of %d bytes overruns collection: %w", id, n, neurotab.ErrMalformed))
		}
		g.objs[id] = c.bytes(int(n))
		c.skip(int((8 - n%8) % 8))
		if c.err != nil {
			break
		}
	}
	return g, nil
}

// fractalHeap is a parsed fractal heap header (specification III.G).
type fractalHeap struct {
	f          *File
	addr       uint64
	path       string
	idLen      int
	filterLen  int
	flags      uint8
	maxMan     uint32
	hugeBTree  uint64
	width      int
	startBlock uint64
	maxDirect  uint64
	maxHeapBit int
	rootAddr   uint64
	rootRows   int
	offSize    int // bytes of heap offsets in IDs and block headers
	lenSize    int // bytes of object lengths in managed IDs
}

func (f *File) openFractalHeap(addr uint64, path string) (*fractalHeap, error) {
	c, err := f.cursorAt(addr, int64(4+1+2+2+1+4+f.lenSz*12+f.offSz*3+2+2+2+2), path)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(c.bytes(4), []byte("FRHP")) {
		return nil, f.errf(path, f.base+int64(addr), fmt.Errorf("bad fractal heap signature: %w", neurotab.ErrMalformed))
	}
	h := &fractalHeap{f: f, addr: addr, path: path}
	c.u8()
	h.idLen = int(c.u16())
	h.filterLen = int(c.u16())
	h.flags = c.u8()
	h.maxMan = c.u32()
	c.length() // next huge id
	h.hugeBTree = c.addr()
	c.length() // free space
	c.addr()   // free space manager
	c.length() // managed space
	c.length() // allocated managed space
	c.length() // iterator offset
	c.length() // managed objects
	c.length() // huge size
	c.length() // huge count
	c.length() // tiny size
	c.length() // tiny count
	h.width = int(c.u16())
	h.startBlock = c.length()
	h.maxDirect = c.length()
	h.maxHeapBit = int(c.u16())
	c.u16() // starting rows
	h.rootAddr = c.addr()
	h.rootRows = int(c.u16())
	if c.err != nil {
		return nil, f.errf(path, f.base+int64(addr), c.err)
	}
	if h.width == 0 || h.width > 1<<16 || h.startBlock == 0 || h.startBlock&(h.startBlock-1) != 0 ||
		h.maxDirect < h.startBlock || h.maxDirect&(h.maxDirect-1) != 0 || h.maxHeapBit == 0 || h.maxHeapBit > 64 ||
		h.idLen < 2 || h.idLen > 4096 || h.rootRows > 64 {
		return nil, f.errf(path, f.base+int64(addr), fmt.Errorf("fractal heap parameters: %w", neurotab.ErrMalformed))
	}
	if h.filterLen > 0 {
		return nil, f.errf(path, f.base+int64(addr), fmt.Errorf("filtered fractal heap: %w", neurotab.ErrUnsupported))
	}
	h.offSize = (h.maxHeapBit + 7) / 8
	dl := (log2floor(h.maxDirect) + 7) / 8
	ml := encSize(uint64(h.maxMan))
	h.lenSize = min(dl, ml)
	return h, nil
}

// get returns the object named by a heap ID.
func (h *fractalHeap) get(id []byte) ([]byte, error) {
	f := h.f
	if len(id) < 1 {
		return nil, f.errf(h.path, f.base+int64(h.addr), fmt.Errorf("empty heap id: %w", neurotab.ErrMalformed))
	}
	switch (id[0] >> 4) & 3 {
	case 0: // managed
		c := f.newCursor(id, h.addr)
		c.skip(1)
		off := c.uN(h.offSize)
		n := c.uN(h.lenSize)
		if c.err != nil {
			return nil, f.errf(h.path, f.base+int64(h.addr), c.err)
		}
		return h.managed(off, n)
	case 1: // huge
		if h.hugeBTree == undefAddr {
			return nil, f.errf(h.path, f.base+int64(h.addr), fmt.Errorf("huge heap object without index: %w", neurotab.ErrMalformed))
		}
		c := f.newCursor(id, h.addr)
		c.skip(1)
		if len(id) >= 1+f.offSz+f.lenSz {
			// directly addressed huge object
			a := c.addr()
			n := c.length()
			if c.err == nil {
				return f.readAt(a, int64(n), h.path)
			}
		}
		return h.hugeIndirect(id[1:])
	case 2: // tiny
		n := int(id[0]&0x0f) + 1
		if len(id) > 18 {
			if len(id) < 2 {
				return nil, neurotab.ErrMalformed
			}
			n = int(id[0]&0x0f)<<8 | int(id[1]) + 1
			if 2+n > len(id) {
				return nil, f.errf(h.path, f.base+int64(h.addr), fmt.Errorf("tiny object length %d: %w", n, neurotab.ErrMalformed))
			}
			return id[2 : 2+n], nil
		}
		if 1+n > len(id) {
			return nil, f.errf(h.path, f.base+int64(h.addr), fmt.Errorf("tiny object length %d: %w", n, neurotab.ErrMalformed))
		}
		return id[1 : 1+n], nil
	}
	return nil, f.errf(h.path, f.base+int64(h.addr), fmt.Errorf("heap id type %d: %w", id[0]>>4&3, neurotab.ErrMalformed))
}

func (h *fractalHeap) rowSize(r int) uint64 {
	if r <= 1 {
		return h.startBlock
	}
	if r-1 >= 63 {
		return 0
	}
	return h.startBlock << uint(r-1)
}

// managed locates a managed object at heap offset off, length n.
func (h *fractalHeap) managed(off, n uint64) ([]byte, error) {
	f := h.f
	if n > h.maxDirect {
		return nil, f.errf(h.path, f.base+int64(h.addr), fmt.Errorf("managed object of %d bytes: %w", n, neurotab.ErrMalformed))
	}
	if h.rootRows == 0 {
		return h.fromDirect(h.rootAddr, 0, off, n)
	}
	blockAddr, nrows, base := h.rootAddr, h.rootRows, uint64(0)
	maxDirectRows := log2floor(h.maxDirect) - log2floor(h.startBlock) + 2
	for depth := 0; depth < 16; depth++ {
		// entries: direct rows then indirect rows
		ndirect := min(nrows, maxDirectRows)
		nentries := ndirect * h.width
		nind := 0
		if nrows > maxDirectRows {
			nind = (nrows - maxDirectRows) * h.width
		}
		hdr := 4 + 1 + f.offSz + h.offSize
		c, err := f.cursorAt(blockAddr, int64(hdr+(nentries+nind)*f.offSz), h.path)
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(c.bytes(4), []byte("FHIB")) {
			return nil, f.errf(h.path, f.base+int64(blockAddr), fmt.Errorf("bad indirect block signature: %w", neurotab.ErrMalformed))
		}
		c.skip(1 + f.offSz + h.offSize)
		rel := off - base
		pos := uint64(0)
		found := false
		for r := 0; r < nrows; r++ {
			rs := h.rowSize(r)
			if rs == 0 {
				break
			}
			span := rs * uint64(h.width)
			if rel < pos+span {
				col := int((rel - pos) / rs)
				idx := r*h.width + col
				c.p = hdr + idx*f.offSz
				child := c.addr()
				if c.err != nil {
					return nil, f.errf(h.path, f.base+int64(blockAddr), c.err)
				}
				if child == undefAddr {
					return nil, f.errf(h.path, f.base+int64(blockAddr), fmt.Errorf("heap offset %d in unallocated block: %w", off, neurotab.ErrMalformed))
				}
				cbase := base + pos + uint64(col)*rs
				if r < maxDirectRows {
					return h.fromDirect(child, cbase, off, n)
				}
				blockAddr, base = child, cbase
				nrows = log2floor(rs) - log2floor(h.startBlock*uint64(h.width)) + 1
				found = true
				break
			}
			pos += span
		}
		if !found {
			return nil, f.errf(h.path, f.base+int64(blockAddr), fmt.Errorf("heap offset %d beyond indirect block: %w", off, neurotab.ErrMalformed))
		}
	}
	return nil, f.errf(h.path, f.base+int64(h.addr), fmt.Errorf("fractal heap too deep: %w", neurotab.ErrMalformed))
}

func (h *fractalHeap) fromDirect(addr, base, off, n uint64) ([]byte, error) {
	f := h.f
	hdr, err := f.readAt(addr, 5, h.path)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(hdr[:4], []byte("FHDB")) {
		return nil, f.errf(h.path, f.base+int64(addr), fmt.Errorf("bad direct block signature: %w", neurotab.ErrMalformed))
	}
	if off < base {
		return nil, f.errf(h.path, f.base+int64(addr), fmt.Errorf("heap offset %d before block at %d: %w", off, base, neurotab.ErrMalformed))
	}
	return f.readAt(addr+(off-base), int64(n), h.path)
}

// hugeIndirect finds a huge object through the heap's v2 B-tree of huge
// objects (record type 1: address, length, object ID).
func (h *fractalHeap) hugeIndirect(key []byte) ([]byte, error) {
	f := h.f
	want := leUint(key[:min(len(key), f.lenSz, 8)])
	bt, err := f.openBTree2(h.hugeBTree, h.path)
	if err != nil {
		return nil, err
	}
	if bt.typ != 1 {
		return nil, f.errf(h.path, f.base+int64(h.hugeBTree), fmt.Errorf("huge object B-tree record type %d: %w", bt.typ, neurotab.ErrUnsupported))
	}
	var addr, n uint64
	found := false
	errStop := fmt.Errorf("found")
	err = bt.walk(f, h.path, func(rec []byte) error {
		c := f.newCursor(rec, h.hugeBTree)
		a := c.addr()
		l := c.length()
		id := c.length()
		if c.err != nil {
			return f.errf(h.path, f.base+int64(h.hugeBTree), c.err)
		}
		if id == want {
			addr, n, found = a, l, true
			return errStop
		}
		return nil
	})
	if err != nil && err != errStop {
		return nil, err
	}
	if !found {
		return nil, f.errf(h.path, f.base+int64(h.hugeBTree), fmt.Errorf("huge object %d not in index: %w", want, neurotab.ErrMalformed))
	}
	return f.readAt(addr, int64(n), h.path)
}
