package table

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/zstd"
	"github.com/neurotab/neurotab"
	"github.com/pierrec/lz4/v4"
)

// checkIPCFooter reads the footer of an Arrow IPC file and checks that
// every vector arrow-go's reader sizes an allocation by (the schema's
// fields, children, key-value metadata, features and union type ids, and
// the footer's block lists) fits inside the footer. arrow-go trusts these
// lengths (ipc/metadata.go metadataFromFB makes a slice of
// CustomMetadataLength strings), so a damaged length would otherwise
// exhaust memory instead of giving an error.
//
// It returns the footer's record-batch blocks (offset, metadata length,
// body length) for checkIPCBlock, having checked the dictionary blocks
// already (arrow-go reads dictionaries when it opens the file).
func checkIPCFooter(f *os.File, size int64) (records [][3]int64, err error) {
	const magic = "ARROW1"
	if size < int64(2*len(magic)+4) {
		return nil, fmt.Errorf("%d bytes, too short: %w", size, neurotab.ErrTruncated)
	}
	var tail [10]byte
	if _, err := f.ReadAt(tail[:], size-10); err != nil {
		return nil, err
	}
	if string(tail[4:]) != magic {
		return nil, fmt.Errorf("no %s trailer: %w", magic, neurotab.ErrMalformed)
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	if n <= 0 || n > size-10-int64(len(magic)) {
		return nil, fmt.Errorf("footer of %d bytes in a %d-byte file: %w", n, size, neurotab.ErrMalformed)
	}
	buf := make([]byte, n) // bounded by the file size above
	if _, err := f.ReadAt(buf, size-10-n); err != nil && err != io.EOF {
		return nil, err
	}
	fb := flatbuf(buf)
	footer, err := fb.root()
	if err != nil {
		return nil, err
	}
	var blocks [2][][3]int64
	for k, slot := range []int{2, 3} { // dictionaries, recordBatches: Block structs of 24 bytes
		v, err := fb.vector(footer, slot, 24)
		if err != nil {
			return nil, err
		}
		for i := int64(0); i < v[1]; i++ {
			e := v[0] + 24*i
			blocks[k] = append(blocks[k], [3]int64{int64(binary.LittleEndian.Uint64(fb[e:])),
				int64(int32(binary.LittleEndian.Uint32(fb[e+8:]))), int64(binary.LittleEndian.Uint64(fb[e+16:]))})
		}
	}
	if err := fb.keyValues(footer, 4); err != nil {
		return nil, err
	}
	schema, ok, err := fb.table(footer, 1)
	if err != nil || !ok {
		return nil, err
	}
	if err := fb.keyValues(schema, 2); err != nil {
		return nil, err
	}
	if _, err := fb.vector(schema, 3, 8); err != nil { // features
		return nil, err
	}
	if err := fb.fields(schema, 1, 0); err != nil {
		return nil, err
	}
	for i, blk := range blocks[0] {
		if err := checkIPCBlock(f, size, blk); err != nil {
			return nil, fmt.Errorf("dictionary %d: %w", i, err)
		}
	}
	return blocks[1], nil
}

// maxIPCMessage bounds the metadata of one IPC message read to check it.
const maxIPCMessage = 64 << 20

// checkIPCBlock checks one record or dictionary batch before arrow-go
// decodes it: the block lies inside the file, and each compressed buffer
// decompresses to exactly the length its 8-byte prefix declares (arrow-go
// allocates that length unchecked). The check decompresses the buffer a
// first time, counting bytes without keeping them.
func checkIPCBlock(f *os.File, size int64, blk [3]int64) error {
	off, meta, body := blk[0], blk[1], blk[2]
	if off < 0 || meta < 8 || meta > maxIPCMessage || body < 0 || off > size || meta+body > size-off {
		return fmt.Errorf("block at offset %d (%d + %d bytes) outside the %d-byte file: %w", off, meta, body, size, neurotab.ErrMalformed)
	}
	mb := make([]byte, meta) // ≤ maxIPCMessage and inside the file
	if _, err := f.ReadAt(mb, off); err != nil {
		return err
	}
	if binary.LittleEndian.Uint32(mb) == 0xFFFFFFFF { // continuation token, then the length
		mb = mb[8:]
	} else {
		mb = mb[4:]
	}
	fb := flatbuf(mb)
	msg, err := fb.root()
	if err != nil {
		return err
	}
	ht, err := fb.field(msg, 1)
	if err != nil || ht == 0 || ht >= int64(len(fb)) {
		return err
	}
	rb, ok, err := fb.table(msg, 2)
	if err != nil || !ok {
		return err
	}
	switch fb[ht] {
	case 2: // DictionaryBatch: its data is a RecordBatch
		if rb, ok, err = fb.table(rb, 1); err != nil || !ok {
			return err
		}
	case 3: // RecordBatch
	default:
		return nil
	}
	comp, ok, err := fb.table(rb, 3)
	if err != nil || !ok {
		return err // uncompressed buffers are slices of the body
	}
	codec := byte(0)
	if cp, err := fb.field(comp, 0); err != nil {
		return err
	} else if cp != 0 && cp < int64(len(fb)) {
		codec = fb[cp]
	}
	bufs, err := fb.vector(rb, 2, 16)
	if err != nil {
		return err
	}
	for i := int64(0); i < bufs[1]; i++ {
		e := bufs[0] + 16*i
		bo, bl := int64(binary.LittleEndian.Uint64(fb[e:])), int64(binary.LittleEndian.Uint64(fb[e+8:]))
		if bl == 0 {
			continue
		}
		if bo < 0 || bl < 8 || bo > body || bl > body-bo {
			return fmt.Errorf("buffer %d at body offset %d (%d bytes) outside the %d-byte body: %w", i, bo, bl, body, neurotab.ErrMalformed)
		}
		if err := checkCompressed(io.NewSectionReader(f, off+meta+bo, bl), codec); err != nil {
			return fmt.Errorf("offset %d: buffer %d: %w", off+meta+bo, i, err)
		}
	}
	return nil
}

// plausibleRatio bounds the uncompressed length that checkCompressed takes
// on trust: up to plausibleRatio times the compressed buffer (plus 1 MiB),
// what arrow-go then allocates stays proportional to the file's size.
// Longer declared lengths (a bomb, a flipped length, or a truly
// compressible column) are decompressed once to check them.
const plausibleRatio = 64

// checkCompressed reads an IPC compressed buffer (8-byte little-endian
// uncompressed length, -1 for "stored raw", then an LZ4 frame or a zstd
// frame) and, when the length is more than plausibleRatio times the buffer,
// makes sure it decompresses to exactly that length.
func checkCompressed(r *io.SectionReader, codec byte) error {
	var head [8]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return err
	}
	want := int64(binary.LittleEndian.Uint64(head[:]))
	if want == -1 {
		return nil
	}
	if want < 0 {
		return fmt.Errorf("uncompressed length %d: %w", want, neurotab.ErrMalformed)
	}
	if want <= plausibleRatio*r.Size()+1<<20 {
		return nil
	}
	var dec io.Reader
	switch codec {
	case 0:
		dec = lz4.NewReader(r)
	case 1:
		// A frame never needs a window larger than its content; 512 MiB is
		// the decoder's own default bound.
		window := uint64(min(max(want, zstd.MinWindowSize), 512<<20))
		zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(window))
		if err != nil {
			return err
		}
		defer zr.Close()
		dec = zr
	default:
		return fmt.Errorf("compression codec %d: %w", codec, neurotab.ErrUnsupported)
	}
	n, err := io.Copy(io.Discard, io.LimitReader(dec, want+1))
	if err != nil {
		return fmt.Errorf("declares %d uncompressed bytes: %v: %w", want, neurotab.OneLine(err), neurotab.ErrMalformed)
	}
	if n != want {
		return fmt.Errorf("declares %d uncompressed bytes, holds %d: %w", want, n, neurotab.ErrMalformed)
	}
	return nil
}

// flatbuf reads a FlatBuffers buffer with every position checked.
type flatbuf []byte

func (b flatbuf) errAt(pos int64, what string) error {
	return fmt.Errorf("footer offset %d: %s outside the %d-byte footer: %w", pos, what, len(b), neurotab.ErrMalformed)
}

func (b flatbuf) u32(pos int64) (int64, error) {
	if pos < 0 || pos+4 > int64(len(b)) {
		return 0, b.errAt(pos, "offset")
	}
	return int64(binary.LittleEndian.Uint32(b[pos:])), nil
}

func (b flatbuf) root() (int64, error) { return b.u32(0) }

// field returns the position of field slot of the table at tp (0 when
// absent).
func (b flatbuf) field(tp int64, slot int) (int64, error) {
	so, err := b.u32(tp)
	if err != nil {
		return 0, err
	}
	vt := tp - int64(int32(so))
	if vt < 0 || vt+4 > int64(len(b)) {
		return 0, b.errAt(vt, "vtable")
	}
	vsize := int64(binary.LittleEndian.Uint16(b[vt:]))
	at := vt + 4 + 2*int64(slot)
	if at+2 > vt+vsize {
		return 0, nil
	}
	if at+2 > int64(len(b)) {
		return 0, b.errAt(at, "vtable entry")
	}
	fo := int64(binary.LittleEndian.Uint16(b[at:]))
	if fo == 0 {
		return 0, nil
	}
	return tp + fo, nil
}

// ref follows the offset stored in field slot (a table, vector or string).
func (b flatbuf) ref(tp int64, slot int) (int64, bool, error) {
	fp, err := b.field(tp, slot)
	if err != nil || fp == 0 {
		return 0, false, err
	}
	off, err := b.u32(fp)
	return fp + off, err == nil, err
}

func (b flatbuf) table(tp int64, slot int) (int64, bool, error) { return b.ref(tp, slot) }

// vector checks the vector in field slot (elements of elem bytes) and
// returns its element positions' start and length.
func (b flatbuf) vector(tp int64, slot int, elem int64) ([2]int64, error) {
	vp, ok, err := b.ref(tp, slot)
	if err != nil || !ok {
		return [2]int64{}, err
	}
	n, err := b.u32(vp)
	if err != nil {
		return [2]int64{}, err
	}
	if vp+4+n*elem > int64(len(b)) {
		return [2]int64{}, fmt.Errorf("footer offset %d: a vector of %d elements in a %d-byte footer: %w", vp, n, len(b), neurotab.ErrMalformed)
	}
	return [2]int64{vp + 4, n}, nil
}

// tables checks a vector of tables and calls fn on each.
func (b flatbuf) tables(tp int64, slot int, fn func(int64) error) error {
	v, err := b.vector(tp, slot, 4)
	if err != nil {
		return err
	}
	for i := int64(0); i < v[1]; i++ {
		e := v[0] + 4*i
		off, err := b.u32(e)
		if err != nil {
			return err
		}
		if err := fn(e + off); err != nil {
			return err
		}
	}
	return nil
}

// keyValues checks a [KeyValue] vector: each key and value string.
func (b flatbuf) keyValues(tp int64, slot int) error {
	return b.tables(tp, slot, func(kv int64) error {
		for s := 0; s < 2; s++ {
			if _, err := b.vector(kv, s, 1); err != nil {
				return err
			}
		}
		return nil
	})
}

// unionType is the Arrow Type union tag of Union, whose table holds a
// vector of type ids.
const unionType = 14

// fields checks a [Field] vector, recursively: name, type (a union's type
// ids), children and metadata.
func (b flatbuf) fields(tp int64, slot, depth int) error {
	if depth > 64 {
		return fmt.Errorf("fields nested more than 64 deep: %w", neurotab.ErrMalformed)
	}
	return b.tables(tp, slot, func(f int64) error {
		if _, err := b.vector(f, 0, 1); err != nil { // name
			return err
		}
		tt, err := b.field(f, 2)
		if err != nil {
			return err
		}
		if tt != 0 && tt < int64(len(b)) && b[tt] == unionType {
			if ut, ok, err := b.table(f, 3); err != nil {
				return err
			} else if ok {
				if _, err := b.vector(ut, 1, 4); err != nil {
					return err
				}
			}
		}
		if err := b.keyValues(f, 6); err != nil {
			return err
		}
		return b.fields(f, 5, depth+1)
	})
}
