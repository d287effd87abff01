package hdf5

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab"
)

// Class is a datatype class (File Format Specification 3.0, IV.A.2.d).
type Class int

// Datatype classes.
const (
	ClassInteger   Class = 0
	ClassFloat     Class = 1
	ClassTime      Class = 2
	ClassString    Class = 3
	ClassBitfield  Class = 4
	ClassOpaque    Class = 5
	ClassCompound  Class = 6
	ClassReference Class = 7
	ClassEnum      Class = 8
	ClassVLen      Class = 9
	ClassArray     Class = 10
)

var classNames = [...]string{"integer", "float", "time", "string", "bitfield", "opaque", "compound", "reference", "enum", "vlen", "array"}

// String returns the class name, e.g. "integer".
func (c Class) String() string {
	if c >= 0 && int(c) < len(classNames) {
		return classNames[c]
	}
	return "class(" + strconv.Itoa(int(c)) + ")"
}

// ByteOrder is the byte order of a numeric datatype.
type ByteOrder int

// Byte orders.
const (
	LittleEndian ByteOrder = 0
	BigEndian    ByteOrder = 1
)

// StrPad is the padding of fixed-length strings.
type StrPad int

// String paddings.
const (
	NullTerm StrPad = 0
	NullPad  StrPad = 1
	SpacePad StrPad = 2
)

// CharSet is the character set of a string.
type CharSet int

// Character sets.
const (
	ASCII CharSet = 0
	UTF8  CharSet = 1
)

// Member is one field of a compound datatype.
type Member struct {
	Name   string
	Offset int // byte offset inside the record
	Type   *Datatype
}

// EnumMember is one named value of an enum datatype.
type EnumMember struct {
	Name  string
	Value int64
}

// Datatype describes the element type of a dataset or attribute.
type Datatype struct {
	Class     Class
	Size      int // bytes per element as stored
	Order     ByteOrder
	Signed    bool // integers (and enums through their base)
	Precision int  // significant bits of integers and floats

	// Strings: fixed (Class == ClassString) or variable length
	// (Class == ClassVLen with IsString).
	Pad      StrPad
	CharSet  CharSet
	IsString bool // variable-length string (Class == ClassVLen)

	Members     []Member     // compound
	EnumMembers []EnumMember // enum
	Base        *Datatype    // vlen sequence, array and enum base type
	Dims        []int        // array dimensions
	RefKind     int          // reference: 0 object, 1 dataset region

	// floats: bit layout
	expLoc, expSize, manLoc, manSize int
	expBias                          uint32
}

// IsVarString reports whether values are strings of variable length.
func (t *Datatype) IsVarString() bool { return t.Class == ClassVLen && t.IsString }

// IsBool reports whether the type is h5py's boolean: an enum over a 1-byte
// integer with members FALSE = 0 and TRUE = 1.
func (t *Datatype) IsBool() bool {
	if t.Class != ClassEnum || len(t.EnumMembers) != 2 || t.Size != 1 {
		return false
	}
	m := map[string]int64{}
	for _, e := range t.EnumMembers {
		m[e.Name] = e.Value
	}
	f, okf := m["FALSE"]
	tr, okt := m["TRUE"]
	return okf && okt && f == 0 && tr == 1
}

// IsComplex reports whether the type is a compound of two floats of the same
// size named r/i or real/imag (h5py and MATLAB complex numbers).
func (t *Datatype) IsComplex() bool {
	if t.Class != ClassCompound || len(t.Members) != 2 {
		return false
	}
	a, b := t.Members[0], t.Members[1]
	if a.Type.Class != ClassFloat || b.Type.Class != ClassFloat || a.Type.Size != b.Type.Size {
		return false
	}
	return (a.Name == "r" && b.Name == "i") || (a.Name == "real" && b.Name == "imag")
}

// String returns a short numpy-like name: "float32", "int16be", "uint8",
// "bool", "str[4]", "vlen str", "vlen<float32>", "ref", "enum<int8>",
// "[3]float32", "compound{t float64, unit uint16}".
func (t *Datatype) String() string {
	be := ""
	if t.Order == BigEndian {
		be = "be"
	}
	switch t.Class {
	case ClassInteger:
		p := "int"
		if !t.Signed {
			p = "uint"
		}
		return p + strconv.Itoa(8*t.Size) + be
	case ClassFloat:
		return "float" + strconv.Itoa(8*t.Size) + be
	case ClassString:
		return "str[" + strconv.Itoa(t.Size) + "]"
	case ClassVLen:
		if t.IsString {
			return "vlen str"
		}
		return "vlen<" + t.Base.String() + ">"
	case ClassReference:
		if t.RefKind == 1 {
			return "regionref"
		}
		return "ref"
	case ClassEnum:
		if t.IsBool() {
			return "bool"
		}
		return "enum<" + t.Base.String() + ">"
	case ClassArray:
		var sb strings.Builder
		for _, d := range t.Dims {
			sb.WriteString("[" + strconv.Itoa(d) + "]")
		}
		return sb.String() + t.Base.String()
	case ClassCompound:
		parts := make([]string, len(t.Members))
		for i, m := range t.Members {
			parts[i] = m.Name + " " + m.Type.String()
		}
		return "compound{" + strings.Join(parts, ", ") + "}"
	case ClassBitfield:
		return "bitfield" + strconv.Itoa(8*t.Size) + be
	case ClassOpaque:
		return "opaque[" + strconv.Itoa(t.Size) + "]"
	}
	return t.Class.String()
}

const maxTypeDepth = 16

// parseDatatype decodes a datatype message body.
func parseDatatype(c *cursor, depth int) (*Datatype, error) {
	if depth > maxTypeDepth {
		return nil, fmt.Errorf("datatype nested deeper than %d: %w", maxTypeDepth, neurotab.ErrMalformed)
	}
	start := c.p
	cv := c.u8()
	b0, b1, b2 := c.u8(), c.u8(), c.u8()
	size := c.u32()
	if c.err != nil {
		return nil, c.err
	}
	version := int(cv >> 4)
	t := &Datatype{Class: Class(cv & 0x0f), Size: int(size)}
	if version < 1 || version > 4 {
		return nil, fmt.Errorf("datatype version %d: %w", version, neurotab.ErrMalformed)
	}
	if size > 1<<30 {
		return nil, fmt.Errorf("datatype size %d: %w", size, neurotab.ErrMalformed)
	}
	switch t.Class {
	case ClassInteger, ClassBitfield:
		t.Order = ByteOrder(b0 & 1)
		t.Signed = b0&0x08 != 0
		c.u16() // bit offset
		t.Precision = int(c.u16())
	case ClassFloat:
		t.Order = ByteOrder(b0 & 1)
		if b0&0x40 != 0 {
			return nil, fmt.Errorf("VAX float byte order: %w", neurotab.ErrUnsupported)
		}
		c.u16()
		t.Precision = int(c.u16())
		t.expLoc, t.expSize = int(c.u8()), int(c.u8())
		t.manLoc, t.manSize = int(c.u8()), int(c.u8())
		t.expBias = c.u32()
		t.Signed = true
	case ClassTime:
		c.u16()
	case ClassString:
		t.Pad = StrPad(b0 & 0x0f)
		t.CharSet = CharSet(b0 >> 4)
	case ClassOpaque:
		n := int(b0)
		c.skip(n) // ASCII tag, padded to a multiple of 8
	case ClassCompound:
		n := int(b0) | int(b1)<<8
		if n > c.rest() {
			return nil, fmt.Errorf("compound with %d members: %w", n, neurotab.ErrMalformed)
		}
		for i := 0; i < n; i++ {
			ms := c.p
			name := c.cstring()
			if version < 3 {
				c.align8(ms)
			}
			var off uint64
			if version >= 3 {
				off = c.uN(encSize(uint64(size)))
			} else {
				off = uint64(c.u32())
			}
			var dims []int
			if version == 1 {
				nd := int(c.u8())
				c.skip(3 + 4 + 4)
				for d := 0; d < 4; d++ {
					v := int(c.u32())
					if d < nd {
						dims = append(dims, v)
					}
				}
				if nd > 4 {
					return nil, fmt.Errorf("compound member of rank %d: %w", nd, neurotab.ErrMalformed)
				}
			}
			if c.err != nil {
				return nil, c.err
			}
			mt, err := parseDatatype(c, depth+1)
			if err != nil {
				return nil, err
			}
			if len(dims) > 0 {
				n := 1
				for _, d := range dims {
					n *= d
				}
				mt = &Datatype{Class: ClassArray, Size: n * mt.Size, Dims: dims, Base: mt}
			}
			if off+uint64(mt.Size) > uint64(size) {
				return nil, fmt.Errorf("compound member %q at %d+%d beyond record size %d: %w", name, off, mt.Size, size, neurotab.ErrMalformed)
			}
			t.Members = append(t.Members, Member{Name: name, Offset: int(off), Type: mt})
		}
	case ClassReference:
		t.RefKind = int(b0 & 0x0f)
	case ClassEnum:
		n := int(b0) | int(b1)<<8
		base, err := parseDatatype(c, depth+1)
		if err != nil {
			return nil, err
		}
		if base.Class != ClassInteger || base.Size > 8 || base.Size < 1 {
			return nil, fmt.Errorf("enum over %s: %w", base, neurotab.ErrUnsupported)
		}
		t.Base = base
		t.Signed = base.Signed
		t.Order = base.Order
		if n > c.rest() {
			return nil, fmt.Errorf("enum with %d members: %w", n, neurotab.ErrMalformed)
		}
		names := make([]string, n)
		for i := range names {
			ms := c.p
			names[i] = c.cstring()
			if version < 3 {
				c.align8(ms)
			}
		}
		for i := range names {
			raw := c.bytes(base.Size)
			if c.err != nil {
				return nil, c.err
			}
			v, _ := decodeInt(raw, base)
			t.EnumMembers = append(t.EnumMembers, EnumMember{Name: names[i], Value: v})
		}
	case ClassVLen:
		t.IsString = b0&0x0f == 1
		t.Pad = StrPad(b0 >> 4)
		t.CharSet = CharSet(b1 & 0x0f)
		base, err := parseDatatype(c, depth+1)
		if err != nil {
			return nil, err
		}
		t.Base = base
	case ClassArray:
		nd := int(c.u8())
		if version < 3 {
			c.skip(3)
		}
		if nd == 0 || nd > 32 {
			return nil, fmt.Errorf("array of rank %d: %w", nd, neurotab.ErrMalformed)
		}
		for i := 0; i < nd; i++ {
			t.Dims = append(t.Dims, int(c.u32()))
		}
		if version < 3 {
			c.skip(4 * nd) // permutation
		}
		if c.err != nil {
			return nil, c.err
		}
		base, err := parseDatatype(c, depth+1)
		if err != nil {
			return nil, err
		}
		t.Base = base
		n := uint64(1)
		for _, d := range t.Dims {
			n *= uint64(d)
			if n > 1<<30 {
				return nil, fmt.Errorf("array type too large: %w", neurotab.ErrMalformed)
			}
		}
		if n*uint64(base.Size) != uint64(size) {
			return nil, fmt.Errorf("array type size %d != %d x %d: %w", size, n, base.Size, neurotab.ErrMalformed)
		}
	default:
		return nil, fmt.Errorf("datatype class %d: %w", t.Class, neurotab.ErrUnsupported)
	}
	_ = b2
	_ = start
	if c.err != nil {
		return nil, c.err
	}
	return t, nil
}
