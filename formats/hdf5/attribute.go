package hdf5

import (
	"fmt"
	"sort"

	"github.com/neurotab/neurotab"
)

// Attribute is a small named value attached to a group, dataset or named
// datatype.
type Attribute struct {
	// Name is the attribute name.
	Name string
	// Type is the element datatype.
	Type *Datatype
	// Kind is the dataspace kind (scalar, simple or null).
	Kind SpaceKind
	// Shape is the row-major shape (empty for scalar and null).
	Shape []uint64
	// CreationOrder is the creation index when the object tracks it.
	CreationOrder int64

	raw  []byte
	f    *File
	path string
	addr uint64
}

// Raw returns the stored bytes of the value (element after element).
func (a *Attribute) Raw() []byte { return a.raw }

// Len returns the number of elements (1 for scalar, 0 for null).
func (a *Attribute) Len() int {
	if a.Type.Size == 0 {
		return 0
	}
	return len(a.raw) / a.Type.Size
}

func (a *Attribute) wrap(err error) error {
	return a.f.errf(a.path, a.f.base+int64(a.addr), fmt.Errorf("attribute %q: %w", a.Name, err))
}

// Value decodes the attribute. A scalar gives one value: int64 (signed
// integers and enums), uint64 (unsigned integers), float64, string, bool
// (h5py booleans), Reference, map[string]any (compound) or []any (arrays,
// vlen sequences). A simple dataspace gives a slice: []float64, []int64,
// []uint64, []string, []bool, []Reference or []any. A null dataspace gives
// nil.
func (a *Attribute) Value() (any, error) {
	if a.Kind == SpaceNull {
		return nil, nil
	}
	n := a.Len()
	vals := make([]any, n)
	for i := range vals {
		v, err := a.f.decodeValue(a.raw[i*a.Type.Size:(i+1)*a.Type.Size], a.Type, a.path, 0)
		if err != nil {
			return nil, a.wrap(err)
		}
		vals[i] = v
	}
	if a.Kind == SpaceScalar {
		if n != 1 {
			return nil, a.wrap(fmt.Errorf("scalar attribute with %d elements: %w", n, neurotab.ErrMalformed))
		}
		return vals[0], nil
	}
	return typedSlice(vals, a.Type), nil
}

func typedSlice(vals []any, t *Datatype) any {
	switch {
	case t.Class == ClassFloat:
		out := make([]float64, len(vals))
		for i, v := range vals {
			out[i] = v.(float64)
		}
		return out
	case t.IsBool():
		out := make([]bool, len(vals))
		for i, v := range vals {
			out[i] = v.(bool)
		}
		return out
	case t.Class == ClassInteger && t.Signed || t.Class == ClassEnum:
		out := make([]int64, len(vals))
		for i, v := range vals {
			switch x := v.(type) {
			case int64:
				out[i] = x
			case uint64:
				out[i] = int64(x)
			}
		}
		return out
	case t.Class == ClassInteger:
		out := make([]uint64, len(vals))
		for i, v := range vals {
			out[i] = v.(uint64)
		}
		return out
	case t.Class == ClassString || t.IsVarString():
		out := make([]string, len(vals))
		for i, v := range vals {
			out[i] = v.(string)
		}
		return out
	case t.Class == ClassReference && t.RefKind == 0:
		out := make([]Reference, len(vals))
		for i, v := range vals {
			out[i] = v.(Reference)
		}
		return out
	}
	return vals
}

// AsString returns a string attribute's value (the first element of a
// one-element string array also qualifies).
func (a *Attribute) AsString() (string, error) {
	ss, err := a.AsStrings()
	if err != nil {
		return "", err
	}
	if len(ss) != 1 {
		return "", a.wrap(fmt.Errorf("%d strings, want 1: %w", len(ss), neurotab.ErrType))
	}
	return ss[0], nil
}

// AsStrings returns the values of a string attribute (fixed or variable
// length). A vlen sequence of 1-byte strings (MATLAB_fields) is joined per
// element.
func (a *Attribute) AsStrings() ([]string, error) {
	n := a.Len()
	out := make([]string, n)
	for i := range out {
		v, err := a.f.decodeValue(a.raw[i*a.Type.Size:(i+1)*a.Type.Size], a.Type, a.path, 0)
		if err != nil {
			return nil, a.wrap(err)
		}
		switch x := v.(type) {
		case string:
			out[i] = x
		case []any:
			s := ""
			for _, e := range x {
				str, ok := e.(string)
				if !ok {
					return nil, a.wrap(fmt.Errorf("%s is not a string type: %w", a.Type, neurotab.ErrType))
				}
				s += str
			}
			out[i] = s
		default:
			return nil, a.wrap(fmt.Errorf("%s is not a string type: %w", a.Type, neurotab.ErrType))
		}
	}
	return out, nil
}

// AsFloat64s converts a numeric (or boolean/enum) attribute to float64.
func (a *Attribute) AsFloat64s() ([]float64, error) {
	out := make([]float64, a.Len())
	if err := convertTo(a.raw, a.Type, out); err != nil {
		return nil, a.wrap(err)
	}
	return out, nil
}

// AsInt64s converts an integer (or boolean/enum) attribute to int64.
func (a *Attribute) AsInt64s() ([]int64, error) {
	out := make([]int64, a.Len())
	if err := convertTo(a.raw, a.Type, out); err != nil {
		return nil, a.wrap(err)
	}
	return out, nil
}

// AsReferences returns the values of an object-reference attribute.
func (a *Attribute) AsReferences() ([]Reference, error) {
	if a.Type.Class != ClassReference || a.Type.RefKind != 0 {
		return nil, a.wrap(fmt.Errorf("%s is not an object reference: %w", a.Type, neurotab.ErrType))
	}
	return decodeRefs(a.raw, a.Type.Size), nil
}

// attributes collects compact and dense attributes, sorted by name.
func (f *File) attributes(h *objHeader, path string) ([]*Attribute, error) {
	var out []*Attribute
	for _, m := range h.all(msgAttribute) {
		a, err := f.parseAttribute(m.data, m.addr, path)
		if err != nil {
			return nil, err
		}
		a.CreationOrder = int64(len(out))
		out = append(out, a)
	}
	if m := h.find(msgAttrInfo); m != nil {
		c := f.newCursor(m.data, m.addr)
		c.u8()
		flags := c.u8()
		if flags&1 != 0 {
			c.u16()
		}
		heapAddr := c.addr()
		nameIdx := c.addr()
		if c.err != nil {
			return nil, f.errf(path, c.origin, c.err)
		}
		if heapAddr != undefAddr && nameIdx != undefAddr {
			heap, err := f.openFractalHeap(heapAddr, path)
			if err != nil {
				return nil, err
			}
			bt, err := f.openBTree2(nameIdx, path)
			if err != nil {
				return nil, err
			}
			err = bt.walk(f, path, func(rec []byte) error {
				if len(rec) < 8+1+4 {
					return f.errf(path, f.base+int64(nameIdx), fmt.Errorf("attribute record of %d bytes: %w", len(rec), neurotab.ErrMalformed))
				}
				obj, err := heap.get(rec[:8])
				if err != nil {
					return err
				}
				a, err := f.parseAttribute(obj, heapAddr, path)
				if err != nil {
					return err
				}
				a.CreationOrder = int64(uint32(rec[9]) | uint32(rec[10])<<8 | uint32(rec[11])<<16 | uint32(rec[12])<<24)
				out = append(out, a)
				if len(out) > 1<<20 {
					return f.errf(path, f.base+int64(heapAddr), fmt.Errorf("too many attributes: %w", neurotab.ErrMalformed))
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// parseAttribute decodes an attribute message (specification IV.A.2.m).
func (f *File) parseAttribute(b []byte, addr uint64, path string) (*Attribute, error) {
	c := f.newCursor(b, addr)
	v := c.u8()
	flags := c.u8()
	nameLen := int(c.u16())
	dtLen := int(c.u16())
	dsLen := int(c.u16())
	if v == 3 {
		c.u8()
	}
	if v < 1 || v > 3 {
		return nil, f.errf(path, c.origin, fmt.Errorf("attribute message version %d: %w", v, neurotab.ErrMalformed))
	}
	pad := func(n int) int {
		if v == 1 {
			return (n + 7) &^ 7
		}
		return n
	}
	nb := c.bytes(pad(nameLen))
	dtb := c.bytes(pad(dtLen))
	dsb := c.bytes(pad(dsLen))
	if c.err != nil {
		return nil, f.errf(path, c.origin, c.err)
	}
	name := string(nb)
	if nameLen <= len(nb) && nameLen > 0 {
		name = string(nb[:nameLen])
	}
	for i := 0; i < len(name); i++ {
		if name[i] == 0 {
			name = name[:i]
			break
		}
	}
	a := &Attribute{Name: name, f: f, path: path, addr: addr}
	var err error
	if flags&1 != 0 {
		a.Type, err = f.sharedDatatype(dtb, addr, path, 0)
	} else {
		a.Type, err = parseDatatype(f.newCursor(dtb, addr), 0)
	}
	if err != nil {
		return nil, f.errf(path, c.origin, fmt.Errorf("attribute %q: %w", name, err))
	}
	if flags&2 != 0 {
		return nil, f.errf(path, c.origin, fmt.Errorf("attribute %q: shared dataspace: %w", name, neurotab.ErrUnsupported))
	}
	ds, err := parseDataspace(f.newCursor(dsb, addr))
	if err != nil {
		return nil, f.errf(path, c.origin, fmt.Errorf("attribute %q: %w", name, err))
	}
	a.Kind = ds.kind
	a.Shape = ds.dims
	n, _ := ds.count()
	need := n * uint64(a.Type.Size)
	if need > uint64(c.rest()) {
		return nil, f.errf(path, c.origin, fmt.Errorf("attribute %q: %d bytes of data, %d stored: %w", name, need, c.rest(), neurotab.ErrMalformed))
	}
	a.raw = c.bytes(int(need))
	return a, nil
}

// sharedDatatype resolves a shared datatype message to the committed type.
func (f *File) sharedDatatype(b []byte, addr uint64, path string, depth int) (*Datatype, error) {
	if depth > 8 {
		return nil, fmt.Errorf("shared datatype chain: %w", neurotab.ErrMalformed)
	}
	c := f.newCursor(b, addr)
	v := c.u8()
	typ := c.u8()
	var target uint64
	switch v {
	case 1:
		c.skip(6)
		target = c.addr()
	case 2:
		target = c.addr()
	case 3:
		if typ != 2 {
			return nil, fmt.Errorf("datatype in shared message heap: %w", neurotab.ErrUnsupported)
		}
		target = c.addr()
	default:
		return nil, fmt.Errorf("shared message version %d: %w", v, neurotab.ErrMalformed)
	}
	if c.err != nil {
		return nil, c.err
	}
	h, err := f.header(target, path)
	if err != nil {
		return nil, err
	}
	return f.datatypeOf(h, path, depth+1)
}

// datatypeOf returns the datatype message of a header, resolving sharing.
func (f *File) datatypeOf(h *objHeader, path string, depth int) (*Datatype, error) {
	m := h.find(msgDatatype)
	if m == nil {
		return nil, f.errf(path, f.base+int64(h.addr), fmt.Errorf("no datatype message: %w", neurotab.ErrMalformed))
	}
	if m.flags&0x02 != 0 {
		return f.sharedDatatype(m.data, m.addr, path, depth)
	}
	t, err := parseDatatype(f.newCursor(m.data, m.addr), 0)
	if err != nil {
		return nil, f.errf(path, f.base+int64(m.addr), err)
	}
	return t, nil
}

// Datatype returns the element type (the same as the Type field).
func (a *Attribute) Datatype() *Datatype { return a.Type }
