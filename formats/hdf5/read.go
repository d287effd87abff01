package hdf5

import (
	"fmt"
	"unsafe"

	"github.com/neurotab/neurotab"
)

// Number is the set of Go element types the typed readers produce.
type Number interface {
	~float64 | ~float32 | ~int64 | ~int32 | ~int16 | ~int8 | ~uint64 | ~uint32 | ~uint16 | ~uint8
}

var hostLittleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// nativeMatch reports whether T has exactly the stored layout of t, so the
// bytes can be read straight into the result.
func nativeMatch[T Number](t *Datatype) bool {
	if !hostLittleEndian || t.Order != LittleEndian {
		return false
	}
	var z T
	size := int(unsafe.Sizeof(z))
	if size != t.Size {
		return false
	}
	switch any(z).(type) {
	case float32, float64:
		return t.Class == ClassFloat && size != 2
	case int8, int16, int32, int64:
		return t.Class == ClassInteger && t.Signed
	case uint8, uint16, uint32, uint64:
		return t.Class == ClassInteger && !t.Signed
	}
	return false
}

// ReadAs reads the whole dataset converted to T. Integers, floats, enums
// and booleans convert; strings and compounds return neurotab.ErrType.
func ReadAs[T Number](d *Dataset) ([]T, error) {
	return ReadHyperslabAs[T](d, nil, nil)
}

// ReadHyperslabAs reads the block [start, start+count) converted to T,
// reading only the chunks it touches. Nil start and count select all.
func ReadHyperslabAs[T Number](d *Dataset, start, count []uint64) ([]T, error) {
	t := d.dtype
	switch t.Class {
	case ClassInteger, ClassFloat, ClassEnum, ClassBitfield:
	default:
		return nil, d.wrap(d.addr, fmt.Errorf("%s to number: %w", t, neurotab.ErrType))
	}
	start, count, n, err := d.selection(start, count)
	if err != nil {
		return nil, err
	}
	out := make([]T, n)
	if n == 0 {
		return out, nil
	}
	if nativeMatch[T](t) {
		b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(out))), int(n)*t.Size)
		if err := d.readInto(b, start, count); err != nil {
			return nil, err
		}
		return out, nil
	}
	raw := make([]byte, n*uint64(t.Size))
	if err := d.readInto(raw, start, count); err != nil {
		return nil, err
	}
	if err := convertTo(raw, t, out); err != nil {
		return nil, d.wrap(d.addr, err)
	}
	return out, nil
}

// ReadFloat64 reads every element converted to float64 (any integer,
// float, enum or boolean type).
func (d *Dataset) ReadFloat64() ([]float64, error) { return ReadAs[float64](d) }

// ReadFloat32 reads every element converted to float32.
func (d *Dataset) ReadFloat32() ([]float32, error) { return ReadAs[float32](d) }

// ReadInt64 reads every element converted to int64.
func (d *Dataset) ReadInt64() ([]int64, error) { return ReadAs[int64](d) }

// ReadUint64 reads every element converted to uint64.
func (d *Dataset) ReadUint64() ([]uint64, error) { return ReadAs[uint64](d) }

// ReadInt32 reads every element converted to int32.
func (d *Dataset) ReadInt32() ([]int32, error) { return ReadAs[int32](d) }

// ReadUint16 reads every element converted to uint16 (MATLAB char data).
func (d *Dataset) ReadUint16() ([]uint16, error) { return ReadAs[uint16](d) }

// ReadUint8 reads every element converted to uint8.
func (d *Dataset) ReadUint8() ([]uint8, error) { return ReadAs[uint8](d) }

// ReadHyperslab reads the block [start, start+count) as float64.
func (d *Dataset) ReadHyperslab(start, count []uint64) ([]float64, error) {
	return ReadHyperslabAs[float64](d, start, count)
}

// ReadBool reads an integer, enum or boolean dataset as bool (nonzero is
// true).
func (d *Dataset) ReadBool() ([]bool, error) {
	v, err := ReadAs[int64](d)
	if err != nil {
		return nil, err
	}
	out := make([]bool, len(v))
	for i, x := range v {
		out[i] = x != 0
	}
	return out, nil
}

// ReadStrings reads a fixed- or variable-length string dataset. Fixed
// strings are trimmed per their padding (NUL or space).
func (d *Dataset) ReadStrings() ([]string, error) {
	t := d.dtype
	if t.Class != ClassString && !t.IsVarString() {
		return nil, d.wrap(d.addr, fmt.Errorf("%s is not a string type: %w", t, neurotab.ErrType))
	}
	raw, err := d.ReadRaw()
	if err != nil {
		return nil, err
	}
	n := len(raw) / max(1, t.Size)
	out := make([]string, n)
	for i := range out {
		b := raw[i*t.Size : (i+1)*t.Size]
		if t.Class == ClassString {
			out[i] = fixedString(b, t.Pad)
			continue
		}
		s, _, err := d.f.vlenData(b, t, d.path)
		if err != nil {
			return nil, d.wrap(d.addr, fmt.Errorf("element %d: %w", i, err))
		}
		out[i] = string(s)
	}
	return out, nil
}

// ReadReferences reads an object-reference dataset.
func (d *Dataset) ReadReferences() ([]Reference, error) {
	t := d.dtype
	if t.Class != ClassReference || t.RefKind != 0 {
		return nil, d.wrap(d.addr, fmt.Errorf("%s is not an object reference: %w", t, neurotab.ErrType))
	}
	raw, err := d.ReadRaw()
	if err != nil {
		return nil, err
	}
	return decodeRefs(raw, t.Size), nil
}

// ReadVLenAs reads a variable-length sequence dataset (e.g. SHD spike
// times) as one slice per element, converting the base type to T.
func ReadVLenAs[T Number](d *Dataset) ([][]T, error) {
	t := d.dtype
	if t.Class != ClassVLen || t.IsString {
		return nil, d.wrap(d.addr, fmt.Errorf("%s is not a vlen sequence: %w", t, neurotab.ErrType))
	}
	raw, err := d.ReadRaw()
	if err != nil {
		return nil, err
	}
	n := len(raw) / max(1, t.Size)
	out := make([][]T, n)
	// The decoded sequences count against MaxAlloc as a whole: many
	// descriptors may point at one heap object, so a small file could
	// otherwise claim (elements × object size) values.
	var zero T
	elem := int64(unsafe.Sizeof(zero))
	total := int64(n) * 24
	for i := range out {
		data, cnt, err := d.f.vlenData(raw[i*t.Size:(i+1)*t.Size], t, d.path)
		if err != nil {
			return nil, d.wrap(d.addr, fmt.Errorf("element %d: %w", i, err))
		}
		if total += int64(cnt) * elem; total > d.f.maxAlloc() {
			return nil, d.wrap(d.addr, fmt.Errorf("element %d: decoded sequences exceed %d bytes: %w", i, d.f.maxAlloc(), neurotab.ErrTooLarge))
		}
		out[i] = make([]T, cnt)
		if cnt > 0 {
			if err := convertTo(data, t.Base, out[i]); err != nil {
				return nil, d.wrap(d.addr, fmt.Errorf("element %d: %w", i, err))
			}
		}
	}
	return out, nil
}

// ReadVLenFloat64 reads a vlen sequence dataset as [][]float64.
func (d *Dataset) ReadVLenFloat64() ([][]float64, error) { return ReadVLenAs[float64](d) }

// ReadVLenFloat32 reads a vlen sequence dataset as [][]float32.
func (d *Dataset) ReadVLenFloat32() ([][]float32, error) { return ReadVLenAs[float32](d) }

// ReadVLenInt64 reads a vlen sequence dataset as [][]int64.
func (d *Dataset) ReadVLenInt64() ([][]int64, error) { return ReadVLenAs[int64](d) }

// ReadVLenUint16 reads a vlen sequence dataset as [][]uint16.
func (d *Dataset) ReadVLenUint16() ([][]uint16, error) { return ReadVLenAs[uint16](d) }

// ReadValues decodes every element into Go values as Attribute.Value does
// for one element (compound records become map[string]any).
func (d *Dataset) ReadValues() ([]any, error) {
	raw, err := d.ReadRaw()
	if err != nil {
		return nil, err
	}
	t := d.dtype
	n := len(raw) / max(1, t.Size)
	out := make([]any, n)
	for i := range out {
		v, err := d.f.decodeValue(raw[i*t.Size:(i+1)*t.Size], t, d.path, 0)
		if err != nil {
			return nil, d.wrap(d.addr, fmt.Errorf("element %d: %w", i, err))
		}
		out[i] = v
	}
	return out, nil
}

// ReadCompound reads a compound dataset as one map per record, keyed by
// member name.
func (d *Dataset) ReadCompound() ([]map[string]any, error) {
	if d.dtype.Class != ClassCompound {
		return nil, d.wrap(d.addr, fmt.Errorf("%s is not a compound type: %w", d.dtype, neurotab.ErrType))
	}
	vals, err := d.ReadValues()
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(vals))
	for i, v := range vals {
		out[i] = v.(map[string]any)
	}
	return out, nil
}

// ReadComplex128 reads a complex compound ({r, i} or {real, imag} floats).
func (d *Dataset) ReadComplex128() ([]complex128, error) {
	t := d.dtype
	if !t.IsComplex() {
		return nil, d.wrap(d.addr, fmt.Errorf("%s is not complex: %w", t, neurotab.ErrType))
	}
	raw, err := d.ReadRaw()
	if err != nil {
		return nil, err
	}
	n := len(raw) / t.Size
	out := make([]complex128, n)
	re, im := t.Members[0], t.Members[1]
	for i := range out {
		rec := raw[i*t.Size:]
		a, err := decodeFloat(rec[re.Offset:re.Offset+re.Type.Size], re.Type)
		if err != nil {
			return nil, d.wrap(d.addr, err)
		}
		b, err := decodeFloat(rec[im.Offset:im.Offset+im.Type.Size], im.Type)
		if err != nil {
			return nil, d.wrap(d.addr, err)
		}
		out[i] = complex(a, b)
	}
	return out, nil
}
