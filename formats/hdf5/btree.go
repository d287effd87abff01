package hdf5

import (
	"bytes"
	"fmt"

	"github.com/neurotab/neurotab"
)

const maxTreeDepth = 32

// btree1Walk visits the leaf entries of a version-1 B-tree (specification
// III.A.1). For group trees (typ 0) fn gets the child address (a symbol
// table node); for chunk trees (typ 1) it gets the key bytes and the chunk
// address. rank+1 offsets are in chunk keys.
func (f *File) btree1Walk(addr uint64, typ uint8, rank int, path string, fn func(key []byte, child uint64) error) error {
	keySize := f.lenSz
	if typ == 1 {
		keySize = 4 + 4 + 8*(rank+1)
	}
	visited := map[uint64]bool{}
	var walk func(a uint64, depth int, wantLevel int) error
	walk = func(a uint64, depth int, wantLevel int) error {
		if depth > maxTreeDepth {
			return f.errf(path, f.base+int64(a), fmt.Errorf("B-tree deeper than %d: %w", maxTreeDepth, neurotab.ErrMalformed))
		}
		if visited[a] {
			return f.errf(path, f.base+int64(a), fmt.Errorf("B-tree cycle: %w", neurotab.ErrMalformed))
		}
		visited[a] = true
		hdrLen := 8 + 2*f.offSz
		c, err := f.cursorAt(a, int64(hdrLen), path)
		if err != nil {
			return err
		}
		if !bytes.Equal(c.bytes(4), []byte("TREE")) {
			return f.errf(path, f.base+int64(a), fmt.Errorf("bad v1 B-tree signature: %w", neurotab.ErrMalformed))
		}
		nt := c.u8()
		level := int(c.u8())
		n := int(c.u16())
		if nt != typ || (wantLevel >= 0 && level != wantLevel) {
			return f.errf(path, f.base+int64(a), fmt.Errorf("v1 B-tree node type %d level %d: %w", nt, level, neurotab.ErrMalformed))
		}
		body := int64(n)*int64(keySize+f.offSz) + int64(keySize)
		b, err := f.readAt(a+uint64(hdrLen), body, path)
		if err != nil {
			return err
		}
		c = f.newCursor(b, a+uint64(hdrLen))
		for i := 0; i < n; i++ {
			key := c.bytes(keySize)
			child := c.addr()
			if c.err != nil {
				return f.errf(path, f.base+int64(a), c.err)
			}
			if level > 0 {
				if err := walk(child, depth+1, level-1); err != nil {
					return err
				}
			} else if err := fn(key, child); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(addr, 0, -1)
}

// btree2 is a version-2 B-tree header (specification III.A.2).
type btree2 struct {
	typ      uint8
	nodeSize uint32
	recSize  int
	depth    int
	root     uint64
	rootN    int
	maxNrec  []uint64 // per depth
	cumMax   []uint64
	cumSize  []int
	nrecSize int
}

func (f *File) openBTree2(addr uint64, path string) (*btree2, error) {
	c, err := f.cursorAt(addr, int64(4+1+1+4+2+2+1+1+f.offSz+2+f.lenSz), path)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(c.bytes(4), []byte("BTHD")) {
		return nil, f.errf(path, f.base+int64(addr), fmt.Errorf("bad v2 B-tree signature: %w", neurotab.ErrMalformed))
	}
	t := &btree2{}
	c.u8()
	t.typ = c.u8()
	t.nodeSize = c.u32()
	t.recSize = int(c.u16())
	t.depth = int(c.u16())
	c.skip(2)
	t.root = c.addr()
	t.rootN = int(c.u16())
	if c.err != nil {
		return nil, f.errf(path, f.base+int64(addr), c.err)
	}
	if t.nodeSize < 16 || t.nodeSize > 1<<24 || t.recSize == 0 || t.depth > maxTreeDepth || uint32(t.recSize) > t.nodeSize {
		return nil, f.errf(path, f.base+int64(addr), fmt.Errorf("v2 B-tree parameters: %w", neurotab.ErrMalformed))
	}
	t.maxNrec = make([]uint64, t.depth+1)
	t.cumMax = make([]uint64, t.depth+1)
	t.cumSize = make([]int, t.depth+1)
	t.maxNrec[0] = uint64(t.nodeSize-10) / uint64(t.recSize)
	t.cumMax[0] = t.maxNrec[0]
	t.nrecSize = encSize(t.maxNrec[0])
	for d := 1; d <= t.depth; d++ {
		ptr := f.offSz + t.nrecSize
		if d > 1 {
			ptr += t.cumSize[d-1]
		}
		if uint32(10+ptr) >= t.nodeSize {
			return nil, f.errf(path, f.base+int64(addr), fmt.Errorf("v2 B-tree node size: %w", neurotab.ErrMalformed))
		}
		t.maxNrec[d] = uint64(int(t.nodeSize)-(10+ptr)) / uint64(t.recSize+ptr)
		t.cumMax[d] = (t.maxNrec[d]+1)*t.cumMax[d-1] + t.maxNrec[d]
		if t.cumMax[d] > 1<<56 {
			t.cumMax[d] = 1 << 56
		}
		t.cumSize[d] = encSize(t.cumMax[d])
	}
	return t, nil
}

// walk calls fn for every record, in key order.
func (t *btree2) walk(f *File, path string, fn func(rec []byte) error) error {
	if t.root == undefAddr || t.rootN == 0 {
		return nil
	}
	count := 0
	nodes := 0
	maxNodes := int(f.size/int64(t.nodeSize)) + 1
	var visit func(a uint64, n int, depth int) error
	visit = func(a uint64, n int, depth int) error {
		nodes++
		if nodes > maxNodes {
			return f.errf(path, f.base+int64(a), fmt.Errorf("v2 B-tree has more nodes than fit in the file: %w", neurotab.ErrMalformed))
		}
		if uint64(n) > t.maxNrec[depth] {
			return f.errf(path, f.base+int64(a), fmt.Errorf("v2 B-tree node with %d records: %w", n, neurotab.ErrMalformed))
		}
		b, err := f.readAt(a, int64(t.nodeSize), path)
		if err != nil {
			return err
		}
		c := f.newCursor(b, a)
		sig := c.bytes(4)
		if depth == 0 && !bytes.Equal(sig, []byte("BTLF")) || depth > 0 && !bytes.Equal(sig, []byte("BTIN")) {
			return f.errf(path, f.base+int64(a), fmt.Errorf("bad v2 B-tree node signature: %w", neurotab.ErrMalformed))
		}
		c.skip(2)
		recs := c.bytes(n * t.recSize)
		if c.err != nil {
			return f.errf(path, f.base+int64(a), c.err)
		}
		if depth == 0 {
			for i := 0; i < n; i++ {
				count++
				if err := fn(recs[i*t.recSize : (i+1)*t.recSize]); err != nil {
					return err
				}
			}
			return nil
		}
		type child struct {
			addr uint64
			n    int
		}
		kids := make([]child, n+1)
		for i := range kids {
			kids[i].addr = c.addr()
			kids[i].n = int(c.uN(t.nrecSize))
			if depth > 1 {
				c.uN(t.cumSize[depth-1])
			}
		}
		if c.err != nil {
			return f.errf(path, f.base+int64(a), c.err)
		}
		for i := 0; i <= n; i++ {
			if err := visit(kids[i].addr, kids[i].n, depth-1); err != nil {
				return err
			}
			if i < n {
				count++
				if err := fn(recs[i*t.recSize : (i+1)*t.recSize]); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return visit(t.root, t.rootN, t.depth)
}
