package hdf5

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/neurotab/neurotab"
)

// decodeInt decodes an integer element; it returns the value as int64 (sign
// extended for signed types) and the raw unsigned bits.
func decodeInt(b []byte, t *Datatype) (int64, uint64) {
	n := len(b)
	if n > 8 {
		n = 8
	}
	var u uint64
	if t.Order == BigEndian {
		for i := 0; i < n; i++ {
			u = u<<8 | uint64(b[i])
		}
	} else {
		u = leUint(b[:n])
	}
	if t.Signed && n < 8 && n > 0 {
		shift := uint(64 - 8*n)
		return int64(u<<shift) >> shift, u
	}
	return int64(u), u
}

func halfToFloat(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	e := int(h>>10) & 0x1f
	m := float64(h & 0x3ff)
	switch e {
	case 0:
		return sign * m * math.Pow(2, -24)
	case 31:
		if m == 0 {
			return math.Inf(int(sign))
		}
		return math.NaN()
	}
	return sign * (1 + m/1024) * math.Pow(2, float64(e-15))
}

// decodeFloat decodes an IEEE float element of 2, 4 or 8 bytes.
func decodeFloat(b []byte, t *Datatype) (float64, error) {
	var bo binary.ByteOrder = binary.LittleEndian
	if t.Order == BigEndian {
		bo = binary.BigEndian
	}
	switch len(b) {
	case 2:
		return halfToFloat(bo.Uint16(b)), nil
	case 4:
		return float64(math.Float32frombits(bo.Uint32(b))), nil
	case 8:
		return math.Float64frombits(bo.Uint64(b)), nil
	}
	return 0, fmt.Errorf("float of %d bytes: %w", len(b), neurotab.ErrUnsupported)
}

// convertTo converts raw elements of numeric type t (integer, float, enum,
// bitfield) into out. Integers convert exactly to integer outputs.
func convertTo[T Number](raw []byte, t *Datatype, out []T) error {
	es := t.Size
	if es <= 0 || len(raw) < len(out)*es {
		return fmt.Errorf("%d bytes for %d elements of %s: %w", len(raw), len(out), t, neurotab.ErrMalformed)
	}
	switch t.Class {
	case ClassFloat:
		le := t.Order == LittleEndian
		switch {
		case es == 4 && le:
			for i := range out {
				out[i] = T(math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:])))
			}
		case es == 8 && le:
			for i := range out {
				out[i] = T(math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:])))
			}
		default:
			for i := range out {
				v, err := decodeFloat(raw[i*es:(i+1)*es], t)
				if err != nil {
					return err
				}
				out[i] = T(v)
			}
		}
		return nil
	case ClassInteger, ClassEnum, ClassBitfield:
		if es > 8 {
			return fmt.Errorf("integer of %d bytes: %w", es, neurotab.ErrUnsupported)
		}
		if t.Order == LittleEndian {
			switch {
			case es == 1 && t.Signed:
				for i := range out {
					out[i] = T(int8(raw[i]))
				}
				return nil
			case es == 1:
				for i := range out {
					out[i] = T(raw[i])
				}
				return nil
			case es == 2 && t.Signed:
				for i := range out {
					out[i] = T(int16(binary.LittleEndian.Uint16(raw[2*i:])))
				}
				return nil
			case es == 2:
				for i := range out {
					out[i] = T(binary.LittleEndian.Uint16(raw[2*i:]))
				}
				return nil
			case es == 4 && t.Signed:
				for i := range out {
					out[i] = T(int32(binary.LittleEndian.Uint32(raw[4*i:])))
				}
				return nil
			case es == 4:
				for i := range out {
					out[i] = T(binary.LittleEndian.Uint32(raw[4*i:]))
				}
				return nil
			}
		}
		for i := range out {
			s, u := decodeInt(raw[i*es:(i+1)*es], t)
			if t.Signed {
				out[i] = T(s)
			} else {
				out[i] = T(u)
			}
		}
		return nil
	}
	return fmt.Errorf("%s to number: %w", t, neurotab.ErrType)
}

func decodeRefs(raw []byte, size int) []Reference {
	if size <= 0 {
		return nil
	}
	n := len(raw) / size
	out := make([]Reference, n)
	for i := range out {
		b := raw[i*size : (i+1)*size]
		v := leUint(b[:min(8, len(b))])
		if size < 8 && v == uint64(1)<<(8*uint(size))-1 {
			v = undefAddr
		}
		out[i] = Reference(v)
	}
	return out
}

// fixedString trims a fixed-length string per its padding.
func fixedString(b []byte, pad StrPad) string {
	switch pad {
	case SpacePad:
		end := len(b)
		for end > 0 && (b[end-1] == ' ' || b[end-1] == 0) {
			end--
		}
		return string(b[:end])
	default:
		for i, c := range b {
			if c == 0 {
				return string(b[:i])
			}
		}
		return string(b)
	}
}

// vlenData returns the bytes of a variable-length element (4-byte count,
// then a global heap ID) and the element count.
func (f *File) vlenData(b []byte, t *Datatype, path string) ([]byte, int, error) {
	c := f.newCursor(b, 0)
	n := c.u32()
	coll := c.addr()
	idx := c.u32()
	if c.err != nil {
		return nil, 0, c.err
	}
	if n == 0 {
		return nil, 0, nil
	}
	obj, err := f.globalObject(coll, idx, path)
	if err != nil {
		return nil, 0, err
	}
	es := uint64(1)
	if !t.IsString {
		es = uint64(t.Base.Size)
	}
	if uint64(n)*es > uint64(len(obj)) {
		return nil, 0, fmt.Errorf("vlen of %d x %d bytes in heap object of %d: %w", n, es, len(obj), neurotab.ErrMalformed)
	}
	return obj[:uint64(n)*es], int(n), nil
}

// decodeValue decodes one element into a Go value (see Attribute.Value).
func (f *File) decodeValue(b []byte, t *Datatype, path string, depth int) (any, error) {
	budget := maxDecodedValues
	return f.decodeValueB(b, t, path, depth, &budget)
}

// maxDecodedValues bounds the values one element may expand to (nested
// variable-length data can otherwise grow exponentially).
const maxDecodedValues = 1 << 24

func (f *File) decodeValueB(b []byte, t *Datatype, path string, depth int, budget *int) (any, error) {
	if depth > maxTypeDepth {
		return nil, fmt.Errorf("value nested too deep: %w", neurotab.ErrMalformed)
	}
	*budget--
	if *budget < 0 {
		return nil, fmt.Errorf("value expands to more than %d elements: %w", maxDecodedValues, neurotab.ErrTooLarge)
	}
	if len(b) < t.Size {
		return nil, fmt.Errorf("%d bytes for %s: %w", len(b), t, neurotab.ErrMalformed)
	}
	switch t.Class {
	case ClassInteger, ClassBitfield:
		s, u := decodeInt(b[:t.Size], t)
		if t.Signed {
			return s, nil
		}
		return u, nil
	case ClassFloat:
		return decodeFloat(b[:t.Size], t)
	case ClassEnum:
		s, _ := decodeInt(b[:t.Size], t.Base)
		if t.IsBool() {
			return s != 0, nil
		}
		return s, nil
	case ClassString:
		return fixedString(b[:t.Size], t.Pad), nil
	case ClassReference:
		if t.RefKind != 0 {
			return nil, fmt.Errorf("region reference: %w", neurotab.ErrUnsupported)
		}
		return decodeRefs(b[:t.Size], t.Size)[0], nil
	case ClassVLen:
		data, n, err := f.vlenData(b, t, path)
		if err != nil {
			return nil, err
		}
		if t.IsString {
			return string(data), nil
		}
		out := make([]any, n)
		for i := range out {
			v, err := f.decodeValueB(data[i*t.Base.Size:], t.Base, path, depth+1, budget)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case ClassArray:
		n := t.Size / max(1, t.Base.Size)
		out := make([]any, n)
		for i := range out {
			v, err := f.decodeValueB(b[i*t.Base.Size:], t.Base, path, depth+1, budget)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case ClassCompound:
		m := make(map[string]any, len(t.Members))
		for _, mem := range t.Members {
			v, err := f.decodeValueB(b[mem.Offset:], mem.Type, path, depth+1, budget)
			if err != nil {
				return nil, err
			}
			m[mem.Name] = v
		}
		return m, nil
	case ClassOpaque:
		return append([]byte(nil), b[:t.Size]...), nil
	}
	return nil, fmt.Errorf("decode %s: %w", t, neurotab.ErrUnsupported)
}
