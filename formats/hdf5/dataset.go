package hdf5

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/neurotab/neurotab"
)

// Dataset is an HDF5 dataset: a dataspace (shape), a datatype and stored
// values.
type Dataset struct {
	object
	dtype   *Datatype
	space   *dataspace
	layout  *Layout
	filters []Filter
	fill    []byte
	extern  bool

	chunkOnce sync.Once
	chunks    map[uint64]chunkRec
	chunkErr  error
}

func (d *Dataset) wrap(addr uint64, err error) error {
	return d.f.errf(d.path, d.f.base+int64(addr), err)
}

func (f *File) newDataset(base object) (*Dataset, error) {
	h := base.hdr
	d := &Dataset{object: base}
	wrap := func(m *message, err error) error {
		return f.errf(base.path, f.base+int64(m.addr), err)
	}
	m := h.find(msgDataspace)
	if m == nil {
		return nil, f.errf(base.path, f.base+int64(h.addr), fmt.Errorf("dataset without dataspace: %w", neurotab.ErrMalformed))
	}
	sp, err := parseDataspace(f.newCursor(m.data, m.addr))
	if err != nil {
		return nil, wrap(m, err)
	}
	d.space = sp
	if d.dtype, err = f.datatypeOf(h, base.path, 0); err != nil {
		return nil, err
	}
	m = h.find(msgLayout)
	if m == nil {
		return nil, f.errf(base.path, f.base+int64(h.addr), fmt.Errorf("dataset without layout: %w", neurotab.ErrMalformed))
	}
	if d.layout, err = parseLayout(f.newCursor(m.data, m.addr)); err != nil {
		return nil, wrap(m, err)
	}
	if d.layout.Class == LayoutChunked && len(d.layout.Chunk) != len(sp.dims) && sp.kind == SpaceSimple {
		return nil, wrap(m, fmt.Errorf("chunk rank %d for dataspace rank %d: %w", len(d.layout.Chunk), len(sp.dims), neurotab.ErrMalformed))
	}
	if m := h.find(msgFilters); m != nil {
		if d.filters, err = parseFilters(f.newCursor(m.data, m.addr)); err != nil {
			return nil, wrap(m, err)
		}
	}
	m = h.find(msgFill)
	if m == nil {
		m = h.find(msgFillOld)
	}
	if m != nil {
		if d.fill, err = parseFill(m, f); err != nil {
			return nil, wrap(m, err)
		}
	}
	d.extern = h.find(msgExternal) != nil
	return d, nil
}

// Datatype returns the element type.
func (d *Dataset) Datatype() *Datatype { return d.dtype }

// Kind returns the dataspace kind: scalar, simple or null.
func (d *Dataset) Kind() SpaceKind { return d.space.kind }

// Shape returns the dimensions in row-major order (as h5py reports them);
// empty for scalar and null dataspaces.
func (d *Dataset) Shape() []uint64 { return append([]uint64(nil), d.space.dims...) }

// MaxShape returns the maximum dimensions; Unlimited marks unlimited ones.
// Without a stored maximum it equals Shape.
func (d *Dataset) MaxShape() []uint64 {
	if d.space.max == nil {
		return d.Shape()
	}
	return append([]uint64(nil), d.space.max...)
}

// Len returns the number of elements (1 for a scalar, 0 for null).
func (d *Dataset) Len() uint64 {
	n, _ := d.space.count()
	return n
}

// Layout returns the storage layout (class, chunk dims, chunk index).
func (d *Dataset) Layout() Layout {
	l := *d.layout
	l.Chunk = append([]uint64(nil), l.Chunk...)
	l.compact = nil
	return l
}

// Filters returns the filter pipeline in the order filters were applied on
// writing.
func (d *Dataset) Filters() []Filter { return append([]Filter(nil), d.filters...) }

// FillValue returns the stored fill value bytes, or nil when none is
// defined (unwritten elements then read as zero bytes).
func (d *Dataset) FillValue() []byte { return d.fill }

// ChunkCount returns the number of allocated chunks of a chunked dataset.
func (d *Dataset) ChunkCount() (int, error) {
	if d.layout.Class != LayoutChunked {
		return 0, nil
	}
	ch, err := d.loadChunks()
	return len(ch), err
}

func (d *Dataset) chunkBytes() uint64 {
	n := uint64(d.dtype.Size)
	for _, c := range d.layout.Chunk {
		if c != 0 && n > (1<<62)/c {
			return 1 << 62
		}
		n *= c
	}
	return n
}

// ReadRaw returns all stored element bytes in row-major order, in the
// file's byte order.
func (d *Dataset) ReadRaw() ([]byte, error) {
	return d.ReadRawHyperslab(nil, nil)
}

// ReadRawHyperslab returns the bytes of the block starting at start with
// count elements per dimension (nil start and count: the whole dataset).
func (d *Dataset) ReadRawHyperslab(start, count []uint64) ([]byte, error) {
	start, count, n, err := d.selection(start, count)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, n*uint64(d.dtype.Size))
	if err := d.readInto(buf, start, count); err != nil {
		return nil, err
	}
	return buf, nil
}

// selection validates a hyperslab and returns it with the element count.
func (d *Dataset) selection(start, count []uint64) ([]uint64, []uint64, uint64, error) {
	dims := d.space.dims
	if d.space.kind == SpaceNull {
		return nil, nil, 0, nil
	}
	if start == nil && count == nil {
		start = make([]uint64, len(dims))
		count = append([]uint64(nil), dims...)
	}
	if len(start) != len(dims) || len(count) != len(dims) {
		return nil, nil, 0, d.wrap(d.addr, fmt.Errorf("selection of rank %d/%d for rank %d: %w", len(start), len(count), len(dims), neurotab.ErrType))
	}
	n := uint64(1)
	for i := range dims {
		if start[i] > dims[i] || count[i] > dims[i]-start[i] {
			return nil, nil, 0, d.wrap(d.addr, fmt.Errorf("selection [%d, +%d) outside dimension %d of size %d: %w", start[i], count[i], i, dims[i], neurotab.ErrType))
		}
		n *= count[i]
	}
	if n > uint64(d.f.maxAlloc())/uint64(max(1, d.dtype.Size)) {
		return nil, nil, 0, d.wrap(d.addr, fmt.Errorf("%d elements of %d bytes: %w", n, d.dtype.Size, neurotab.ErrTooLarge))
	}
	return start, count, n, nil
}

// fillPattern fills b with the fill value (zero bytes when none).
func (d *Dataset) fillPattern(b []byte) {
	es := d.dtype.Size
	if len(d.fill) != es || es == 0 {
		clear(b)
		return
	}
	allZero := true
	for _, x := range d.fill {
		if x != 0 {
			allZero = false
		}
	}
	if allZero {
		clear(b)
		return
	}
	for i := 0; i+es <= len(b); i += es {
		copy(b[i:], d.fill)
	}
}

// copyBox copies an ext-sized block from src (dims sDims, origin sOff) to
// dst (dims dDims, origin dOff); es is the element size.
func copyBox(dst []byte, dDims, dOff []uint64, src []byte, sDims, sOff []uint64, ext []uint64, es int) {
	rank := len(ext)
	if rank == 0 {
		copy(dst[:es], src[:es])
		return
	}
	for _, e := range ext {
		if e == 0 {
			return
		}
	}
	dStr := make([]uint64, rank)
	sStr := make([]uint64, rank)
	dStr[rank-1], sStr[rank-1] = uint64(es), uint64(es)
	for i := rank - 2; i >= 0; i-- {
		dStr[i] = dStr[i+1] * dDims[i+1]
		sStr[i] = sStr[i+1] * sDims[i+1]
	}
	run := ext[rank-1] * uint64(es)
	idx := make([]uint64, rank)
	for {
		var dp, sp uint64
		for i := 0; i < rank; i++ {
			dp += (dOff[i] + idx[i]) * dStr[i]
			sp += (sOff[i] + idx[i]) * sStr[i]
		}
		copy(dst[dp:dp+run], src[sp:sp+run])
		i := rank - 2
		for ; i >= 0; i-- {
			idx[i]++
			if idx[i] < ext[i] {
				break
			}
			idx[i] = 0
		}
		if i < 0 {
			return
		}
	}
}

func isFull(start, count, dims []uint64) bool {
	for i := range dims {
		if start[i] != 0 || count[i] != dims[i] {
			return false
		}
	}
	return true
}

// readInto fills dst (len = prod(count)*size) with the selected elements.
func (d *Dataset) readInto(dst []byte, start, count []uint64) error {
	if len(dst) == 0 || d.space.kind == SpaceNull {
		return nil
	}
	es := d.dtype.Size
	dims := d.space.dims
	total, _ := d.space.count()
	if d.extern {
		return d.wrap(d.addr, fmt.Errorf("external raw data storage: %w", neurotab.ErrUnsupported))
	}
	zero := make([]uint64, len(dims))
	switch d.layout.Class {
	case LayoutCompact:
		src := d.layout.compact
		if uint64(len(src)) < total*uint64(es) {
			return d.wrap(d.addr, fmt.Errorf("compact data of %d bytes for %d elements: %w", len(src), total, neurotab.ErrMalformed))
		}
		copyBox(dst, count, zero, src, dims, start, count, es)
		return nil
	case LayoutContiguous:
		l := d.layout
		size := total * uint64(es)
		if l.addr == undefAddr {
			d.fillPattern(dst)
			return nil
		}
		if err := d.f.checkRange(l.addr, int64(size), d.path); err != nil || size > uint64(d.f.size) {
			return d.wrap(l.addr, fmt.Errorf("contiguous data of %d bytes beyond end of file: %w", size, neurotab.ErrTruncated))
		}
		if isFull(start, count, dims) {
			return d.f.readInto(dst, l.addr, d.path)
		}
		return d.readContiguousSlab(dst, start, count)
	case LayoutChunked:
		return d.readChunked(dst, start, count)
	}
	return d.wrap(d.addr, fmt.Errorf("layout %s: %w", d.layout.Class, neurotab.ErrUnsupported))
}

func (d *Dataset) readContiguousSlab(dst []byte, start, count []uint64) error {
	es := uint64(d.dtype.Size)
	dims := d.space.dims
	rank := len(dims)
	str := make([]uint64, rank)
	str[rank-1] = es
	for i := rank - 2; i >= 0; i-- {
		str[i] = str[i+1] * dims[i+1]
	}
	// merge trailing full dimensions into one run
	k := rank - 1
	run := count[k] * es
	for k > 0 && count[k] == dims[k] && start[k] == 0 {
		k--
		run *= count[k]
	}
	idx := make([]uint64, k)
	var pos uint64
	for {
		off := start[k] * str[k]
		for i := 0; i < k; i++ {
			off += (start[i] + idx[i]) * str[i]
		}
		if err := d.f.readInto(dst[pos:pos+run], d.layout.addr+off, d.path); err != nil {
			return err
		}
		pos += run
		i := k - 1
		for ; i >= 0; i-- {
			idx[i]++
			if idx[i] < count[i] {
				break
			}
			idx[i] = 0
		}
		if i < 0 {
			return nil
		}
	}
}

type chunkTask struct {
	coords []uint64
	rec    chunkRec
	have   bool
}

func (d *Dataset) readChunked(dst []byte, start, count []uint64) error {
	chunks, err := d.loadChunks()
	if err != nil {
		return err
	}
	dims := d.space.dims
	cd := d.layout.Chunk
	rank := len(dims)
	grid := chunkGrid(dims, cd)
	lo := make([]uint64, rank)
	hi := make([]uint64, rank)
	for i := range dims {
		if count[i] == 0 {
			return nil
		}
		lo[i] = start[i] / cd[i]
		hi[i] = (start[i] + count[i] - 1) / cd[i]
	}
	// chunks are handed out lazily in row-major grid order
	c := append([]uint64(nil), lo...)
	nTasks := uint64(1)
	for i := range lo {
		nTasks *= hi[i] - lo[i] + 1
	}
	exhausted := false
	nextTask := func() (chunkTask, bool) {
		if exhausted {
			return chunkTask{}, false
		}
		r, ok := chunks[linearIndex(c, grid)]
		t := chunkTask{coords: append([]uint64(nil), c...), rec: r, have: ok}
		i := rank - 1
		for ; i >= 0; i-- {
			c[i]++
			if c[i] <= hi[i] {
				break
			}
			c[i] = lo[i]
		}
		if i < 0 {
			exhausted = true
		}
		return t, true
	}
	cb := d.chunkBytes()
	if cb > uint64(d.f.maxAlloc()) {
		return d.wrap(d.layout.addr, fmt.Errorf("chunk of %d bytes: %w", cb, neurotab.ErrTooLarge))
	}
	workers := uint64(runtime.GOMAXPROCS(0))
	if nTasks < 2 || uint64(len(dst)) < 1<<20 {
		workers = 1
	}
	workers = min(workers, nTasks)
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	work := func() {
		defer wg.Done()
		var fillBuf []byte
		for {
			mu.Lock()
			if firstErr != nil {
				mu.Unlock()
				return
			}
			t, ok := nextTask()
			mu.Unlock()
			if !ok {
				return
			}
			// intersection of the chunk with the selection
			sOff := make([]uint64, rank)
			dOff := make([]uint64, rank)
			ext := make([]uint64, rank)
			whole := true
			for i := 0; i < rank; i++ {
				c0 := t.coords[i] * cd[i]
				a := max(c0, start[i])
				b := min(c0+cd[i], start[i]+count[i])
				sOff[i] = a - c0
				dOff[i] = a - start[i]
				ext[i] = b - a
				if ext[i] != cd[i] || (i > 0 && ext[i] != count[i]) {
					whole = false
				}
			}
			// a whole chunk landing on a contiguous run of dst decodes in place
			var into []byte
			if whole && t.have {
				off := uint64(d.dtype.Size)
				for i := 1; i < rank; i++ {
					off *= count[i]
				}
				off *= dOff[0]
				into = dst[off : off+cb]
			}
			var data []byte
			if t.have {
				var err error
				data, err = d.readChunk(t.rec, cb, into)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = d.wrap(t.rec.addr, fmt.Errorf("chunk %v: %w", t.coords, err))
					}
					mu.Unlock()
					return
				}
			} else {
				if fillBuf == nil {
					fillBuf = make([]byte, cb)
					d.fillPattern(fillBuf)
				}
				data = fillBuf
			}
			if into != nil && len(data) > 0 && &data[0] == &into[0] {
				continue
			}
			copyBox(dst, count, dOff, data, cd, sOff, ext, d.dtype.Size)
		}
	}
	wg.Add(int(workers))
	for w := uint64(1); w < workers; w++ {
		go work()
	}
	work()
	wg.Wait()
	return firstErr
}

// readChunk reads and decodes one chunk; the result has at least cb bytes.
// When into has cb bytes the decoded chunk is written there if possible.
func (d *Dataset) readChunk(r chunkRec, cb uint64, into []byte) ([]byte, error) {
	if r.size > uint64(d.f.size) {
		return nil, fmt.Errorf("chunk of %d bytes beyond file size: %w", r.size, neurotab.ErrTruncated)
	}
	if len(d.filters) == 0 && r.size == cb && into != nil {
		if err := d.f.readInto(into, r.addr, d.path); err != nil {
			return nil, err
		}
		return into, nil
	}
	if err := d.f.checkRange(r.addr, int64(r.size), d.path); err != nil {
		return nil, err
	}
	raw := getBuf(int(r.size))
	if err := d.f.readInto(raw, r.addr, d.path); err != nil {
		return nil, err
	}
	data := raw
	if len(d.filters) > 0 {
		var err error
		data, err = applyFilters(raw, d.filters, r.mask, d.dtype.Size, int(cb), d.f.maxAlloc(), into)
		if err != nil {
			return nil, err
		}
	}
	if uint64(len(data)) < cb {
		return nil, fmt.Errorf("chunk decodes to %d bytes, want %d: %w", len(data), cb, neurotab.ErrMalformed)
	}
	if len(raw) > 0 && &data[0] != &raw[0] {
		putBuf(raw) // the decoded chunk no longer refers to the raw bytes
	}
	return data, nil
}
