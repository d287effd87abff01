package hdf5

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/neurotab/neurotab"
)

type chunkRec struct {
	addr uint64
	size uint64
	mask uint32
}

// maxChunks bounds the chunk records one index may yield.
const maxChunks = 1 << 24

// chunkGrid returns ceil(dims/chunk) per dimension.
func chunkGrid(dims, chunk []uint64) []uint64 {
	g := make([]uint64, len(dims))
	for i := range dims {
		g[i] = (dims[i] + chunk[i] - 1) / chunk[i]
	}
	return g
}

func linearIndex(coords, grid []uint64) uint64 {
	var idx uint64
	for i := range coords {
		idx = idx*grid[i] + coords[i]
	}
	return idx
}

func inGrid(coords, grid []uint64) bool {
	for i := range coords {
		if coords[i] >= grid[i] {
			return false
		}
	}
	return true
}

// unlinear converts a row-major index over grid into coordinates.
func unlinear(idx uint64, grid []uint64, coords []uint64) {
	for i := len(grid) - 1; i >= 0; i-- {
		if i == 0 || grid[i] == 0 {
			coords[i] = idx
			idx = 0
			continue
		}
		coords[i] = idx % grid[i]
		idx /= grid[i]
	}
}

// loadChunks enumerates the dataset's chunk index into a map keyed by the
// linear index over the current chunk grid.
func (d *Dataset) loadChunks() (map[uint64]chunkRec, error) {
	d.chunkOnce.Do(func() { d.chunks, d.chunkErr = d.readChunkIndex() })
	return d.chunks, d.chunkErr
}

func (d *Dataset) maxDimsForGrid() []uint64 {
	dims := d.space.dims
	md := make([]uint64, len(dims))
	for i := range dims {
		md[i] = dims[i]
		if d.space.max != nil && d.space.max[i] != Unlimited && d.space.max[i] > dims[i] {
			md[i] = d.space.max[i]
		}
	}
	return md
}

func (d *Dataset) readChunkIndex() (map[uint64]chunkRec, error) {
	f, l := d.f, d.layout
	out := map[uint64]chunkRec{}
	rank := len(d.space.dims)
	if len(l.Chunk) != rank {
		return nil, d.wrap(l.addr, fmt.Errorf("chunk rank %d for dataspace rank %d: %w", len(l.Chunk), rank, neurotab.ErrMalformed))
	}
	grid := chunkGrid(d.space.dims, l.Chunk)
	chunkBytes := d.chunkBytes()
	if l.addr == undefAddr {
		return out, nil
	}
	add := func(coords []uint64, r chunkRec) error {
		if r.addr == undefAddr || r.addr == 0 && l.Index != IndexBTreeV1 {
			return nil
		}
		if !inGrid(coords, grid) {
			return nil
		}
		if len(out) >= maxChunks {
			return d.wrap(l.addr, fmt.Errorf("more than %d chunks: %w", maxChunks, neurotab.ErrMalformed))
		}
		out[linearIndex(coords, grid)] = r
		return nil
	}
	switch l.Index {
	case IndexBTreeV1:
		coords := make([]uint64, rank)
		err := f.btree1Walk(l.addr, 1, rank, d.path, func(key []byte, child uint64) error {
			size := binary.LittleEndian.Uint32(key)
			mask := binary.LittleEndian.Uint32(key[4:])
			for i := 0; i < rank; i++ {
				off := binary.LittleEndian.Uint64(key[8+8*i:])
				if off%l.Chunk[i] != 0 {
					return d.wrap(child, fmt.Errorf("chunk offset %d not a multiple of %d: %w", off, l.Chunk[i], neurotab.ErrMalformed))
				}
				coords[i] = off / l.Chunk[i]
			}
			return add(coords, chunkRec{child, uint64(size), mask})
		})
		if err != nil {
			return nil, err
		}
	case IndexSingleChunk:
		r := chunkRec{addr: l.addr, size: chunkBytes}
		if l.singleFiltered {
			r.size, r.mask = l.singleSize, l.singleMask
		}
		if err := add(make([]uint64, rank), r); err != nil {
			return nil, err
		}
	case IndexImplicit:
		mgrid := chunkGrid(d.maxDimsForGrid(), l.Chunk)
		coords := make([]uint64, rank)
		total := uint64(1)
		for _, g := range grid {
			total *= g
		}
		if total > maxChunks || total*chunkBytes > uint64(f.size) {
			return nil, d.wrap(l.addr, fmt.Errorf("%d implicit chunks: %w", total, neurotab.ErrTooLarge))
		}
		for i := uint64(0); i < total; i++ {
			unlinear(i, grid, coords)
			li := linearIndex(coords, mgrid)
			if err := add(coords, chunkRec{addr: l.addr + li*chunkBytes, size: chunkBytes}); err != nil {
				return nil, err
			}
		}
	case IndexFixedArray:
		mgrid := chunkGrid(d.maxDimsForGrid(), l.Chunk)
		coords := make([]uint64, rank)
		err := d.fixedArray(func(i uint64, r chunkRec) error {
			unlinear(i, mgrid, coords)
			return add(coords, r)
		})
		if err != nil {
			return nil, err
		}
	case IndexExtensible:
		unlim := -1
		for i, m := range d.space.max {
			if m == Unlimited {
				unlim = i
				break
			}
		}
		if unlim < 0 {
			unlim = 0
		}
		md := d.maxDimsForGrid()
		mgrid := chunkGrid(md, l.Chunk)
		// swizzle: the unlimited dimension becomes the slowest
		sgrid := make([]uint64, 0, rank)
		sgrid = append(sgrid, 0)
		for i := 0; i < rank; i++ {
			if i != unlim {
				sgrid = append(sgrid, mgrid[i])
			}
		}
		sc := make([]uint64, rank)
		coords := make([]uint64, rank)
		err := d.extensibleArray(func(i uint64, r chunkRec) error {
			unlinear(i, sgrid, sc)
			coords[unlim] = sc[0]
			k := 1
			for j := 0; j < rank; j++ {
				if j != unlim {
					coords[j] = sc[k]
					k++
				}
			}
			return add(coords, r)
		})
		if err != nil {
			return nil, err
		}
	case IndexBTreeV2:
		bt, err := f.openBTree2(l.addr, d.path)
		if err != nil {
			return nil, err
		}
		filtered := bt.typ == 11
		if bt.typ != 10 && bt.typ != 11 {
			return nil, d.wrap(l.addr, fmt.Errorf("chunk B-tree record type %d: %w", bt.typ, neurotab.ErrMalformed))
		}
		sizeLen := 0
		if filtered {
			sizeLen = bt.recSize - f.offSz - 4 - 8*rank
		} else if bt.recSize != f.offSz+8*rank {
			return nil, d.wrap(l.addr, fmt.Errorf("chunk record size %d: %w", bt.recSize, neurotab.ErrMalformed))
		}
		if sizeLen < 0 || sizeLen > 8 {
			return nil, d.wrap(l.addr, fmt.Errorf("chunk record size %d: %w", bt.recSize, neurotab.ErrMalformed))
		}
		coords := make([]uint64, rank)
		err = bt.walk(f, d.path, func(rec []byte) error {
			c := f.newCursor(rec, l.addr)
			r := chunkRec{addr: c.addr(), size: chunkBytes}
			if filtered {
				r.size = c.uN(sizeLen)
				r.mask = c.u32()
			}
			for i := range coords {
				coords[i] = c.u64()
			}
			if c.err != nil {
				return d.wrap(l.addr, c.err)
			}
			return add(coords, r)
		})
		if err != nil {
			return nil, err
		}
	default:
		return nil, d.wrap(l.addr, fmt.Errorf("chunk index %d: %w", l.Index, neurotab.ErrUnsupported))
	}
	return out, nil
}

// decodeArrayEntry decodes a fixed/extensible array chunk entry.
func (d *Dataset) decodeArrayEntry(b []byte, filtered bool, chunkBytes uint64) chunkRec {
	c := d.f.newCursor(b, 0)
	r := chunkRec{addr: c.addr(), size: chunkBytes}
	if filtered {
		r.size = c.uN(len(b) - d.f.offSz - 4)
		r.mask = c.u32()
	}
	if c.err != nil {
		r.addr = undefAddr
	}
	return r
}

func (d *Dataset) fixedArray(fn func(i uint64, r chunkRec) error) error {
	f, l := d.f, d.layout
	c, err := f.cursorAt(l.addr, int64(4+4+f.lenSz+f.offSz), d.path)
	if err != nil {
		return err
	}
	if !bytes.Equal(c.bytes(4), []byte("FAHD")) {
		return d.wrap(l.addr, fmt.Errorf("bad fixed array signature: %w", neurotab.ErrMalformed))
	}
	c.u8()
	client := c.u8()
	es := int(c.u8())
	pageBits := int(c.u8())
	n := c.length()
	dblk := c.addr()
	if c.err != nil {
		return d.wrap(l.addr, c.err)
	}
	filtered := client == 1
	if es < f.offSz || (filtered && (es < f.offSz+5 || es > f.offSz+12)) || pageBits > 32 || n > maxChunks {
		return d.wrap(l.addr, fmt.Errorf("fixed array parameters: %w", neurotab.ErrMalformed))
	}
	if dblk == undefAddr {
		return nil
	}
	chunkBytes := d.chunkBytes()
	pre := 4 + 1 + 1 + f.offSz
	pageN := uint64(1) << uint(pageBits)
	if n <= pageN {
		b, err := f.readAt(dblk, int64(pre)+int64(n)*int64(es), d.path)
		if err != nil {
			return err
		}
		if !bytes.Equal(b[:4], []byte("FADB")) {
			return d.wrap(dblk, fmt.Errorf("bad fixed array data block signature: %w", neurotab.ErrMalformed))
		}
		for i := uint64(0); i < n; i++ {
			if err := fn(i, d.decodeArrayEntry(b[pre+int(i)*es:pre+int(i+1)*es], filtered, chunkBytes)); err != nil {
				return err
			}
		}
		return nil
	}
	npages := (n + pageN - 1) / pageN
	bm := int((npages + 7) / 8)
	hb, err := f.readAt(dblk, int64(pre+bm+4), d.path)
	if err != nil {
		return err
	}
	if !bytes.Equal(hb[:4], []byte("FADB")) {
		return d.wrap(dblk, fmt.Errorf("bad fixed array data block signature: %w", neurotab.ErrMalformed))
	}
	bitmap := hb[pre : pre+bm]
	pageAddr := dblk + uint64(pre+bm+4)
	for p := uint64(0); p < npages; p++ {
		cnt := min(pageN, n-p*pageN)
		pageSize := uint64(es)*pageN + 4
		if bitmap[p/8]&(0x80>>(p%8)) != 0 {
			b, err := f.readAt(pageAddr+p*pageSize, int64(cnt)*int64(es), d.path)
			if err != nil {
				return err
			}
			for i := uint64(0); i < cnt; i++ {
				if err := fn(p*pageN+i, d.decodeArrayEntry(b[int(i)*es:int(i+1)*es], filtered, chunkBytes)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (d *Dataset) extensibleArray(fn func(i uint64, r chunkRec) error) error {
	f, l := d.f, d.layout
	c, err := f.cursorAt(l.addr, int64(4+1+1+6+6*f.lenSz+f.offSz), d.path)
	if err != nil {
		return err
	}
	if !bytes.Equal(c.bytes(4), []byte("EAHD")) {
		return d.wrap(l.addr, fmt.Errorf("bad extensible array signature: %w", neurotab.ErrMalformed))
	}
	c.u8()
	client := c.u8()
	es := int(c.u8())
	maxBits := int(c.u8())
	idxElmts := uint64(c.u8())
	dblkMin := uint64(c.u8())
	sblkMinPtrs := uint64(c.u8())
	pageBits := int(c.u8())
	c.length() // secondary blocks
	c.length() // their size
	c.length() // data blocks
	c.length() // their size
	maxIdx := c.length()
	c.length() // elements
	iblk := c.addr()
	if c.err != nil {
		return d.wrap(l.addr, c.err)
	}
	filtered := client == 1
	if es < f.offSz || es > f.offSz+12 || maxBits == 0 || maxBits > 64 || dblkMin == 0 || dblkMin&(dblkMin-1) != 0 ||
		sblkMinPtrs == 0 || sblkMinPtrs&(sblkMinPtrs-1) != 0 || pageBits > 32 || maxIdx > maxChunks {
		return d.wrap(l.addr, fmt.Errorf("extensible array parameters: %w", neurotab.ErrMalformed))
	}
	if iblk == undefAddr {
		return nil
	}
	chunkBytes := d.chunkBytes()
	nsblks := 1 + maxBits - log2floor(dblkMin)
	type sinfo struct{ ndblks, dblkN, startIdx, startDblk uint64 }
	si := make([]sinfo, nsblks)
	var sIdx, sDblk uint64
	for u := 0; u < nsblks; u++ {
		si[u].ndblks = 1 << uint(u/2)
		si[u].dblkN = (1 << uint((u+1)/2)) * dblkMin
		si[u].startIdx, si[u].startDblk = sIdx, sDblk
		sIdx += si[u].ndblks * si[u].dblkN
		sDblk += si[u].ndblks
	}
	iNsblks := 2 * log2floor(sblkMinPtrs)
	nDblkAddrs := 2 * (sblkMinPtrs - 1)
	nSblkAddrs := nsblks - iNsblks
	if nSblkAddrs < 0 {
		nSblkAddrs = 0
	}
	pre := 4 + 1 + 1 + f.offSz
	ib, err := f.readAt(iblk, int64(pre)+int64(idxElmts)*int64(es)+int64(nDblkAddrs+uint64(nSblkAddrs))*int64(f.offSz), d.path)
	if err != nil {
		return err
	}
	if !bytes.Equal(ib[:4], []byte("EAIB")) {
		return d.wrap(iblk, fmt.Errorf("bad extensible array index block signature: %w", neurotab.ErrMalformed))
	}
	ic := f.newCursor(ib, iblk)
	ic.skip(pre)
	elems := ic.bytes(int(idxElmts) * es)
	dblkAddrs := make([]uint64, nDblkAddrs)
	for i := range dblkAddrs {
		dblkAddrs[i] = ic.addr()
	}
	sblkAddrs := make([]uint64, nSblkAddrs)
	for i := range sblkAddrs {
		sblkAddrs[i] = ic.addr()
	}
	if ic.err != nil {
		return d.wrap(iblk, ic.err)
	}
	for i := uint64(0); i < idxElmts && i < maxIdx; i++ {
		if err := fn(i, d.decodeArrayEntry(elems[int(i)*es:int(i+1)*es], filtered, chunkBytes)); err != nil {
			return err
		}
	}
	offSize := (maxBits + 7) / 8
	pageN := uint64(1) << uint(pageBits)
	// readDblk visits the elements of one data block.
	readDblk := func(addr uint64, nelm, first uint64, pageInit func(p uint64) bool) error {
		if addr == undefAddr {
			return nil
		}
		dpre := uint64(pre + offSize)
		if nelm <= pageN {
			b, err := f.readAt(addr, int64(dpre+nelm*uint64(es)), d.path)
			if err != nil {
				return err
			}
			if !bytes.Equal(b[:4], []byte("EADB")) {
				return d.wrap(addr, fmt.Errorf("bad extensible array data block signature: %w", neurotab.ErrMalformed))
			}
			for i := uint64(0); i < nelm && first+i < maxIdx; i++ {
				o := dpre + i*uint64(es)
				if err := fn(first+i, d.decodeArrayEntry(b[o:o+uint64(es)], filtered, chunkBytes)); err != nil {
					return err
				}
			}
			return nil
		}
		npages := nelm / pageN
		for p := uint64(0); p < npages; p++ {
			if first+p*pageN >= maxIdx {
				break
			}
			if pageInit != nil && !pageInit(p) {
				continue
			}
			pa := addr + dpre + 4 + p*(pageN*uint64(es)+4)
			b, err := f.readAt(pa, int64(pageN)*int64(es), d.path)
			if err != nil {
				return err
			}
			for i := uint64(0); i < pageN && first+p*pageN+i < maxIdx; i++ {
				if err := fn(first+p*pageN+i, d.decodeArrayEntry(b[i*uint64(es):(i+1)*uint64(es)], filtered, chunkBytes)); err != nil {
					return err
				}
			}
		}
		return nil
	}
	// data blocks held directly by the index block
	for k, a := range dblkAddrs {
		// find the super block this data block belongs to
		for u := 0; u < iNsblks && u < nsblks; u++ {
			if uint64(k) >= si[u].startDblk && uint64(k) < si[u].startDblk+si[u].ndblks {
				first := idxElmts + si[u].startIdx + (uint64(k)-si[u].startDblk)*si[u].dblkN
				if first >= maxIdx {
					break
				}
				if err := readDblk(a, si[u].dblkN, first, nil); err != nil {
					return err
				}
			}
		}
	}
	for k, sa := range sblkAddrs {
		u := iNsblks + k
		if sa == undefAddr || u >= nsblks {
			continue
		}
		first := idxElmts + si[u].startIdx
		if first >= maxIdx {
			break
		}
		npages := uint64(0)
		if si[u].dblkN > pageN {
			npages = si[u].dblkN / pageN
		}
		bm := (si[u].ndblks*npages + 7) / 8
		sb, err := f.readAt(sa, int64(uint64(pre+offSize)+bm+si[u].ndblks*uint64(f.offSz)), d.path)
		if err != nil {
			return err
		}
		if !bytes.Equal(sb[:4], []byte("EASB")) {
			return d.wrap(sa, fmt.Errorf("bad extensible array secondary block signature: %w", neurotab.ErrMalformed))
		}
		bitmap := sb[pre+offSize : uint64(pre+offSize)+bm]
		sc := f.newCursor(sb[uint64(pre+offSize)+bm:], sa)
		for j := uint64(0); j < si[u].ndblks; j++ {
			a := sc.addr()
			if sc.err != nil {
				return d.wrap(sa, sc.err)
			}
			var pageInit func(p uint64) bool
			if npages > 0 {
				jj := j
				pageInit = func(p uint64) bool {
					bit := jj*npages + p
					return bitmap[bit/8]&(0x80>>(bit%8)) != 0
				}
			}
			if err := readDblk(a, si[u].dblkN, first+j*si[u].dblkN, pageInit); err != nil {
				return err
			}
		}
	}
	return nil
}
