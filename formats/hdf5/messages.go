package hdf5

import (
	"fmt"

	"github.com/neurotab/neurotab"
)

// SpaceKind is the kind of a dataspace.
type SpaceKind int

// Dataspace kinds.
const (
	SpaceScalar SpaceKind = 0
	SpaceSimple SpaceKind = 1
	SpaceNull   SpaceKind = 2
)

// String returns "scalar", "simple" or "null".
func (k SpaceKind) String() string {
	switch k {
	case SpaceScalar:
		return "scalar"
	case SpaceSimple:
		return "simple"
	case SpaceNull:
		return "null"
	}
	return "unknown"
}

// Unlimited marks an unlimited maximum dimension in MaxShape.
const Unlimited = ^uint64(0)

type dataspace struct {
	kind SpaceKind
	dims []uint64
	max  []uint64
}

// count returns the number of elements, or an error when it overflows.
func (s *dataspace) count() (uint64, error) {
	if s.kind == SpaceNull {
		return 0, nil
	}
	n := uint64(1)
	for _, d := range s.dims {
		if d != 0 && n > (1<<62)/d {
			return 0, fmt.Errorf("dataspace %v overflows: %w", s.dims, neurotab.ErrMalformed)
		}
		n *= d
	}
	return n, nil
}

func parseDataspace(c *cursor) (*dataspace, error) {
	v := c.u8()
	rank := int(c.u8())
	flags := c.u8()
	s := &dataspace{kind: SpaceSimple}
	switch v {
	case 1:
		c.skip(5)
		if rank == 0 {
			s.kind = SpaceScalar
		}
	case 2:
		s.kind = SpaceKind(c.u8())
		if s.kind > SpaceNull {
			return nil, fmt.Errorf("dataspace type %d: %w", s.kind, neurotab.ErrMalformed)
		}
	default:
		return nil, fmt.Errorf("dataspace version %d: %w", v, neurotab.ErrMalformed)
	}
	if rank > 32 {
		return nil, fmt.Errorf("dataspace rank %d: %w", rank, neurotab.ErrMalformed)
	}
	if s.kind == SpaceSimple {
		s.dims = make([]uint64, rank)
		for i := range s.dims {
			s.dims[i] = c.length()
		}
		if flags&1 != 0 {
			s.max = make([]uint64, rank)
			for i := range s.max {
				s.max[i] = c.length()
				if c.lenSz < 8 && s.max[i] == uint64(1)<<(8*uint(c.lenSz))-1 {
					s.max[i] = Unlimited
				}
			}
		}
	}
	if c.err != nil {
		return nil, c.err
	}
	if _, err := s.count(); err != nil {
		return nil, err
	}
	return s, nil
}

// LayoutClass is the storage layout of a dataset.
type LayoutClass int

// Layout classes.
const (
	LayoutCompact    LayoutClass = 0
	LayoutContiguous LayoutClass = 1
	LayoutChunked    LayoutClass = 2
	LayoutVirtual    LayoutClass = 3
)

// String returns "compact", "contiguous", "chunked" or "virtual".
func (l LayoutClass) String() string {
	switch l {
	case LayoutCompact:
		return "compact"
	case LayoutContiguous:
		return "contiguous"
	case LayoutChunked:
		return "chunked"
	case LayoutVirtual:
		return "virtual"
	}
	return "unknown"
}

// ChunkIndex is the kind of index that locates the chunks of a chunked
// dataset.
type ChunkIndex int

// Chunk index kinds; version-4 layout messages name the last five.
const (
	IndexBTreeV1     ChunkIndex = 0
	IndexSingleChunk ChunkIndex = 1
	IndexImplicit    ChunkIndex = 2
	IndexFixedArray  ChunkIndex = 3
	IndexExtensible  ChunkIndex = 4
	IndexBTreeV2     ChunkIndex = 5
)

// String returns the manifest-style name, e.g. "fixed_array".
func (k ChunkIndex) String() string {
	return [...]string{"btree_v1", "single_chunk", "implicit", "fixed_array", "extensible_array", "btree_v2"}[k]
}

// Layout describes how a dataset's values are stored.
type Layout struct {
	Class LayoutClass
	Chunk []uint64   // chunk dims (chunked only), without the element-size dimension
	Index ChunkIndex // chunked only

	addr    uint64 // contiguous data / chunk index address
	size    uint64 // contiguous size
	compact []byte

	// single chunk
	singleFiltered bool
	singleSize     uint64
	singleMask     uint32
	// fixed array page bits, extensible array parameters
	pageBits uint8
	eaParams [5]uint8
	// btree v2
	v2NodeSize uint32
}

func parseLayout(c *cursor) (*Layout, error) {
	v := c.u8()
	l := &Layout{}
	switch v {
	case 1, 2:
		rank := int(c.u8())
		l.Class = LayoutClass(c.u8())
		c.skip(5)
		if l.Class != LayoutCompact {
			l.addr = c.addr()
		}
		if rank < 1 || rank > 33 {
			return nil, fmt.Errorf("layout rank %d: %w", rank, neurotab.ErrMalformed)
		}
		dims := make([]uint64, rank)
		for i := range dims {
			dims[i] = uint64(c.u32())
		}
		switch l.Class {
		case LayoutChunked:
			c.u32() // element size
			l.Chunk = dims[:rank-1]
		case LayoutCompact:
			n := int(c.u32())
			l.compact = c.bytes(n)
		case LayoutContiguous:
			l.size = 0 // computed from dataspace
		}
	case 3, 4:
		l.Class = LayoutClass(c.u8())
		switch l.Class {
		case LayoutCompact:
			n := int(c.u16())
			l.compact = c.bytes(n)
		case LayoutContiguous:
			l.addr = c.addr()
			l.size = c.length()
		case LayoutChunked:
			if v == 3 {
				rank := int(c.u8())
				l.addr = c.addr()
				if rank < 1 || rank > 33 {
					return nil, fmt.Errorf("layout rank %d: %w", rank, neurotab.ErrMalformed)
				}
				dims := make([]uint64, rank)
				for i := range dims {
					dims[i] = uint64(c.u32())
				}
				l.Chunk = dims[:rank-1]
				l.Index = IndexBTreeV1
			} else {
				flags := c.u8()
				rank := int(c.u8())
				enc := int(c.u8())
				if rank < 1 || rank > 33 || enc < 1 || enc > 8 {
					return nil, fmt.Errorf("layout rank %d, dim size %d: %w", rank, enc, neurotab.ErrMalformed)
				}
				dims := make([]uint64, rank)
				for i := range dims {
					dims[i] = c.uN(enc)
				}
				l.Chunk = dims[:rank-1]
				l.Index = ChunkIndex(c.u8())
				switch l.Index {
				case IndexSingleChunk:
					if flags&0x02 != 0 {
						l.singleFiltered = true
						l.singleSize = c.length()
						l.singleMask = c.u32()
					}
				case IndexImplicit:
				case IndexFixedArray:
					l.pageBits = c.u8()
				case IndexExtensible:
					for i := range l.eaParams {
						l.eaParams[i] = c.u8()
					}
				case IndexBTreeV2:
					l.v2NodeSize = c.u32()
					c.skip(2)
				default:
					return nil, fmt.Errorf("chunk index type %d: %w", l.Index, neurotab.ErrMalformed)
				}
				l.addr = c.addr()
			}
		case LayoutVirtual:
			return nil, fmt.Errorf("virtual dataset layout: %w", neurotab.ErrUnsupported)
		default:
			return nil, fmt.Errorf("layout class %d: %w", l.Class, neurotab.ErrMalformed)
		}
	default:
		return nil, fmt.Errorf("layout message version %d: %w", v, neurotab.ErrUnsupported)
	}
	if c.err != nil {
		return nil, c.err
	}
	for _, d := range l.Chunk {
		if d == 0 {
			return nil, fmt.Errorf("chunk dimension 0: %w", neurotab.ErrMalformed)
		}
	}
	return l, nil
}

// Filter is one stage of a dataset's filter pipeline.
type Filter struct {
	ID         uint16
	Name       string
	Flags      uint16 // bit 0: optional
	ClientData []uint32
}

// Known filter ids.
const (
	FilterDeflate    = 1
	FilterShuffle    = 2
	FilterFletcher32 = 3
	FilterSZIP       = 4
	FilterNBit       = 5
	FilterScaleOff   = 6
)

func parseFilters(c *cursor) ([]Filter, error) {
	v := c.u8()
	n := int(c.u8())
	if v == 1 {
		c.skip(6)
	} else if v != 2 {
		return nil, fmt.Errorf("filter pipeline version %d: %w", v, neurotab.ErrMalformed)
	}
	if n > 32 {
		return nil, fmt.Errorf("%d filters: %w", n, neurotab.ErrMalformed)
	}
	out := make([]Filter, 0, n)
	for i := 0; i < n; i++ {
		var fl Filter
		fl.ID = c.u16()
		nameLen := 0
		if v == 1 || fl.ID >= 256 {
			nameLen = int(c.u16())
		}
		fl.Flags = c.u16()
		nv := int(c.u16())
		if nameLen > 0 {
			nb := c.bytes(nameLen)
			if v == 1 {
				c.skip((8 - nameLen%8) % 8)
			}
			for j, b := range nb {
				if b == 0 {
					nb = nb[:j]
					break
				}
			}
			fl.Name = string(nb)
		}
		if nv > c.rest()/4 {
			return nil, fmt.Errorf("filter with %d client values: %w", nv, neurotab.ErrMalformed)
		}
		for j := 0; j < nv; j++ {
			fl.ClientData = append(fl.ClientData, c.u32())
		}
		if v == 1 && nv%2 == 1 {
			c.skip(4)
		}
		if c.err != nil {
			return nil, c.err
		}
		if fl.Name == "" {
			switch fl.ID {
			case FilterDeflate:
				fl.Name = "deflate"
			case FilterShuffle:
				fl.Name = "shuffle"
			case FilterFletcher32:
				fl.Name = "fletcher32"
			case FilterSZIP:
				fl.Name = "szip"
			case FilterNBit:
				fl.Name = "nbit"
			case FilterScaleOff:
				fl.Name = "scaleoffset"
			}
		}
		out = append(out, fl)
	}
	return out, nil
}

// parseFill decodes a fill value message (new style, type 5) or an old
// fill value message (type 4). It returns nil when no value is defined.
func parseFill(m *message, f *File) ([]byte, error) {
	c := f.newCursor(m.data, m.addr)
	if m.typ == msgFillOld {
		n := int(c.u32())
		b := c.bytes(n)
		return b, c.err
	}
	v := c.u8()
	switch v {
	case 1, 2:
		c.u8() // alloc time
		c.u8() // write time
		defined := c.u8()
		if v == 2 && defined == 0 {
			return nil, c.err
		}
		n := int(c.u32())
		if c.err != nil {
			return nil, c.err
		}
		if n == 0 {
			return nil, nil
		}
		b := c.bytes(n)
		return b, c.err
	case 3:
		flags := c.u8()
		if flags&0x20 == 0 {
			return nil, c.err
		}
		n := int(c.u32())
		b := c.bytes(n)
		return b, c.err
	}
	return nil, fmt.Errorf("fill value message version %d: %w", v, neurotab.ErrMalformed)
}
